"""The schema rightsbot made with create_all before migrations: Slack-shaped, exactly as it was.

Tables that already exist are left alone, so a database made by an older rightsbot is adopted as it
stands; a new database gets them all and is converted by the next migration straight away.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def tables() -> list[tuple[str, list[Any], dict[str, Any], list[tuple[str, list[str]]]]]:
    """(name, columns and constraints, table options, indexes) as bot/escalations.py and
    bot/feedback.py declared them up to this revision."""
    short = sa.String(32)
    return [
        (
            "escalations",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("reference", short, nullable=False, unique=True),
                sa.Column("status", sa.String(16), nullable=False),
                sa.Column("created_at", sa.DateTime, nullable=False),
                sa.Column("claimed_at", sa.DateTime, nullable=True),
                sa.Column("claimed_by", short, nullable=True),
                sa.Column("resolved_at", sa.DateTime, nullable=True),
                sa.Column("resolved_by", short, nullable=True),
                sa.Column("member_user", short, nullable=False),
                sa.Column("channel", short, nullable=False),
                sa.Column("thread_ts", short, nullable=False),
                sa.Column("question_ts", short, nullable=False),
                sa.Column("question", sa.Text, nullable=False),
                sa.Column("thread_json", sa.Text, nullable=False),
                sa.Column("reason", short, nullable=False),
                sa.Column("draft_json", sa.Text, nullable=True),
                sa.Column("card_channel", short, nullable=True),
                sa.Column("card_ts", short, nullable=True),
                sa.Column("delivery_state", sa.String(16), nullable=False),
                sa.Column("delivery_attempts", sa.Integer, nullable=False),
                sa.Column("next_attempt_at", sa.DateTime, nullable=False),
                sa.Column("last_error", sa.String(200), nullable=True),
            ],
            {"sqlite_autoincrement": True},
            [
                ("ix_escalations_status", ["status"]),
                ("ix_escalations_question_ts", ["question_ts"]),
                ("ix_escalations_card_ts", ["card_ts"]),
                ("ix_escalations_delivery_state", ["delivery_state"]),
            ],
        ),
        (
            "escalation_audit",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "escalation_id",
                    sa.Integer,
                    sa.ForeignKey("escalations.id", ondelete="CASCADE"),
                    nullable=False,
                ),
                sa.Column("at", sa.DateTime, nullable=False),
                sa.Column("actor", short, nullable=False),
                sa.Column("action", short, nullable=False),
                sa.Column("detail", sa.String(200), nullable=False),
            ],
            {},
            [("ix_escalation_audit_escalation_id", ["escalation_id"])],
        ),
        (
            "escalation_reference_counters",
            [
                sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
                sa.Column("last", sa.Integer, nullable=False),
            ],
            {},
            [],
        ),
        (
            "slack_seen_events",
            [
                sa.Column("event_id", sa.String(64), primary_key=True),
                sa.Column("seen_at", sa.DateTime, nullable=False),
            ],
            {},
            [("ix_slack_seen_events_seen_at", ["seen_at"])],
        ),
        (
            "answer_records",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("created_at", sa.DateTime, nullable=False),
                sa.Column("asker", short, nullable=False),
                sa.Column("channel", short, nullable=False),
                sa.Column("thread_ts", short, nullable=False),
                sa.Column("question_ts", short, nullable=False),
                sa.Column("question_json", sa.Text, nullable=False),
                sa.Column("reply_json", sa.Text, nullable=False),
            ],
            {},
            [("ix_answer_records_created_at", ["created_at"])],
        ),
        (
            "feedback",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("created_at", sa.DateTime, nullable=False),
                sa.Column("user", short, nullable=False),
                sa.Column("helpful", sa.Boolean, nullable=False),
                sa.Column("answer_ref", sa.String(64), nullable=True),
                sa.Column("question", sa.Text, nullable=False),
                sa.Column("thread_json", sa.Text, nullable=False),
                sa.Column("answer", sa.Text, nullable=False),
                sa.Column("citations_json", sa.Text, nullable=False),
                sa.UniqueConstraint("answer_ref", "user"),
            ],
            {},
            [("ix_feedback_created_at", ["created_at"])],
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, items, options, indexes in tables():
        if name in existing:
            continue
        op.create_table(name, *items, **options)
        for index, columns in indexes:
            op.create_index(index, name, columns)


def downgrade() -> None:
    for name, *_ in reversed(tables()):
        op.drop_table(name)
