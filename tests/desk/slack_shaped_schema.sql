-- The SQLite schema rightsbot made with create_all before migrations (main at c86c669):
-- bot/escalations.py and bot/feedback.py, captured so the upgrade test starts from the real thing.

CREATE TABLE escalations (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	reference VARCHAR(32) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	claimed_at DATETIME, 
	claimed_by VARCHAR(32), 
	resolved_at DATETIME, 
	resolved_by VARCHAR(32), 
	member_user VARCHAR(32) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	thread_ts VARCHAR(32) NOT NULL, 
	question_ts VARCHAR(32) NOT NULL, 
	question TEXT NOT NULL, 
	thread_json TEXT NOT NULL, 
	reason VARCHAR(32) NOT NULL, 
	draft_json TEXT, 
	card_channel VARCHAR(32), 
	card_ts VARCHAR(32), 
	delivery_state VARCHAR(16) NOT NULL, 
	delivery_attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error VARCHAR(200), 
	UNIQUE (reference)
);

CREATE INDEX ix_escalations_status ON escalations (status);

CREATE INDEX ix_escalations_delivery_state ON escalations (delivery_state);

CREATE INDEX ix_escalations_question_ts ON escalations (question_ts);

CREATE INDEX ix_escalations_card_ts ON escalations (card_ts);

CREATE TABLE escalation_reference_counters (
	year INTEGER NOT NULL, 
	last INTEGER NOT NULL, 
	PRIMARY KEY (year)
);

CREATE TABLE slack_seen_events (
	event_id VARCHAR(64) NOT NULL, 
	seen_at DATETIME NOT NULL, 
	PRIMARY KEY (event_id)
);

CREATE INDEX ix_slack_seen_events_seen_at ON slack_seen_events (seen_at);

CREATE TABLE escalation_audit (
	id INTEGER NOT NULL, 
	escalation_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(32) NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	detail VARCHAR(200) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(escalation_id) REFERENCES escalations (id) ON DELETE CASCADE
);

CREATE INDEX ix_escalation_audit_escalation_id ON escalation_audit (escalation_id);

CREATE TABLE answer_records (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	asker VARCHAR(32) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	thread_ts VARCHAR(32) NOT NULL, 
	question_ts VARCHAR(32) NOT NULL, 
	question_json TEXT NOT NULL, 
	reply_json TEXT NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_answer_records_created_at ON answer_records (created_at);

CREATE TABLE feedback (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	user VARCHAR(32) NOT NULL, 
	helpful BOOLEAN NOT NULL, 
	answer_ref VARCHAR(64), 
	question TEXT NOT NULL, 
	thread_json TEXT NOT NULL, 
	answer TEXT NOT NULL, 
	citations_json TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (answer_ref, user)
);

CREATE INDEX ix_feedback_created_at ON feedback (created_at);
