"""A data protection officer's commands: `rightsbot purge --older-than 180d` deletes what has aged out and
nothing newer; `rightsbot member-data ID...` exports everything stored about one member, across channels.
Their flags, JSON fields and exit codes are contracts (see README.md and SECURITY.md)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.address import ConversationAddress
from bot.cli import main
from bot.dedupe import SeenKey
from bot.desk import DeliveryWorker
from bot.escalations import AuditEntry, Escalation, NewEscalation
from bot.fakes import ScriptedEngine
from bot.feedback import AnsweredQuestion, AnswerMessage, AnswerRecord, Feedback
from bot.reply import Question, Reply, Turn
from bot.settings import Settings
from bot.storage import Base, utcnow
from bot.wiring import Stores, build_services, open_stores

PRIYA_SLACK = ConversationAddress(platform="slack", conversation_id="DPRIYA", user_id="UPRIYA")
PRIYA_TEAMS = ConversationAddress(
    platform="teams", conversation_id="a:1personal-priya", user_id="29:1priya", tenant_or_team="tenant"
)
OTHER_SLACK = ConversationAddress(platform="slack", conversation_id="CGENERAL", user_id="UOTHER")
TABLES = {
    "escalations",
    "escalation_cards",
    "escalation_audit",
    "feedback",
    "answers",
    "answer_messages",
    "conversation_state",
    "outbox",
    "member_questions",
}


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stores:
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(tmp_path / "data"))
    return open_stores(Settings())


def asked(stores: Stores, address: ConversationAddress, message_id: str, words: str) -> None:
    """A member's question answered, rated and handed to an officer, as the channels store it."""
    question, reply = (
        Question(text=words, thread=[Turn(role="member", text=f"earlier {words}")]),
        Reply(answer="a"),
    )
    answer_id = stores.feedback.remember_answer(AnsweredQuestion(address, message_id, question, reply))
    voter = address.user_id if address.platform == "slack" else address.account  # as each channel records it
    stores.feedback.record(voter, False, question, reply, f"{address.platform}:{answer_id}")
    if address.platform == "teams":
        stores.feedback.answer_posted(address, f"reply-{message_id}", answer_id)
    new = NewEscalation(address, words, "high_stakes", message_id, reply, question.thread, boards=("slack",))
    escalation = stores.escalations.open(new)
    stores.escalations.record(escalation.id, "jane", "relayed")
    stores.seen.first_sighting(address.platform, f"message:{address.conversation_id}:{message_id}")


def backdate_everything(stores: Stores, days: int) -> None:
    then = utcnow() - timedelta(days=days)
    with stores.escalations._session() as session:
        for model, column in (
            (Escalation, Escalation.created_at),
            (AuditEntry, AuditEntry.at),
            (Feedback, Feedback.created_at),
            (AnswerRecord, AnswerRecord.created_at),
            (AnswerMessage, AnswerMessage.created_at),
            (SeenKey, SeenKey.seen_at),
        ):
            session.execute(update(model).values({column: then}))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# --- purge ---


def test_purge_deletes_what_is_older_than_the_period_and_nothing_newer(
    stores: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "old question")
    asked(stores, PRIYA_TEAMS, "t1", "old teams question")
    backdate_everything(stores, days=200)
    asked(stores, PRIYA_SLACK, "2.0", "new question")

    code, out, _ = run(["purge", "--older-than", "180d", "--json"], capsys)

    report = json.loads(out)
    assert code == 0 and set(report) == {"older_than_days", "before", "deleted"}
    assert report["older_than_days"] == 180 and report["before"].endswith("Z")
    assert report["deleted"] == {
        "escalations": 2,
        "escalation_cards": 2,
        "escalation_audit": 4,  # created + relayed, each
        "feedback": 2,
        "answers": 2,
        "answer_messages": 1,
        "conversation_state": 2,
        "outbox": 0,  # delivered answers' rows are tested in tests/desk/test_member_messages_are_delivered.py
        "member_questions": 0,  # tested in tests/test_question_limits.py
    }
    left = stores.escalations.open_queue()
    assert [e.question for e in left] == ["new question"] and len(stores.feedback.all()) == 1
    assert not stores.seen.first_sighting("slack", "message:DPRIYA:2.0")  # the new key is still there


def test_purge_prints_counts_and_accepts_plain_days(
    stores: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "old question")
    backdate_everything(stores, days=40)

    code, out, _ = run(["purge", "--older-than", "30"], capsys)

    assert code == 0 and "deleted 7 rows last active before" in out and "(30 days)" in out
    assert "  escalations: 1\n" in out and "  conversation_state: 1\n" in out


@pytest.mark.parametrize(
    "period", ["6m", "0d", "-5", "abc", "1.5d", "", "\u00b2", "\u0661\u0668\u0660", "3000000", "99999999999"]
)
def test_a_bad_period_is_one_clear_line(
    stores: Stores, capsys: pytest.CaptureFixture[str], period: str
) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "kept")
    backdate_everything(stores, days=400)

    code, out, err = run(["purge", "--older-than", period], capsys)

    assert code == 2 and out == ""
    assert err.startswith("rightsbot: --older-than takes a number of days") and err.count("\n") == 1
    assert len(stores.escalations.open_queue()) == 1


def test_the_app_purges_by_its_retention_at_start_up_and_daily(stores: Stores, tmp_path: Path) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "a month and a half ago")
    backdate_everything(stores, days=45)
    services = build_services(Settings(data_dir=tmp_path / "data"), ScriptedEngine(), stores)

    services.start_up()

    assert len(stores.escalations.open_queue()) == 1 and len(stores.feedback.all()) == 1  # kept 365 days
    assert stores.feedback.answer_record(1) is None  # answers: 30 days
    chores: list[str] = []
    worker = DeliveryWorker(
        services.desk, 0.01, daily=lambda: chores.append("purge"), daily_every_seconds=0.05
    )
    worker.start()
    try:
        deadline = utcnow() + timedelta(seconds=5)
        while not chores and utcnow() < deadline:
            pass
    finally:
        worker.stop()
    assert chores
    assert services.delivery_worker().daily == services.purge_expired


# --- member-data ---


def test_member_data_exports_one_member_across_slack_and_teams(
    stores: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "can they dismiss me while off sick?")
    asked(stores, PRIYA_TEAMS, "t1", "and my grievance?")
    asked(stores, OTHER_SLACK, "9.0", "someone else's question")

    code, out, _ = run(["member-data", "slack:UPRIYA", "teams:29:1priya"], capsys)

    export = json.loads(out)
    assert code == 0
    assert set(export) == {
        "member",
        "accounts_searched",
        "generated_at",
        "searched",
        "not_stored",
        "found",
        "data",
    }
    assert export["accounts_searched"] == ["slack:UPRIYA", "teams:29:1priya"]
    assert set(export["searched"]) == TABLES == set(export["data"])
    assert export["found"] == {
        "escalations": 2,
        "escalation_cards": 2,
        "escalation_audit": 4,
        "answers": 2,
        "answer_messages": 1,
        "feedback": 2,
        "conversation_state": 2,
        "outbox": 0,  # delivered answers' rows are tested in tests/desk/test_member_messages_are_delivered.py
        "member_questions": 0,  # tested in tests/test_question_limits.py
    }
    data = export["data"]
    assert [e["question"] for e in data["escalations"]] == [
        "can they dismiss me while off sick?",
        "and my grievance?",
    ]
    first = data["escalations"][0]
    assert (
        first["reason"] == "high_stakes" and first["status"] == "open" and first["created_at"].endswith("Z")
    )
    assert first["earlier_turns"] == [
        {"role": "member", "text": "earlier can they dismiss me while off sick?"}
    ]
    assert {(a["reference"], a["action"]) for a in data["escalation_audit"]} >= {
        (first["reference"], "relayed")
    }
    assert {f["user"] for f in data["feedback"]} == {"UPRIYA", "teams:29:1priya"}
    assert {k["key"] for k in data["conversation_state"]} == {
        "message:DPRIYA:1.0",
        "message:a:1personal-priya:t1",
    }
    assert "someone else's question" not in out and "UOTHER" not in out


def test_a_bare_id_is_matched_on_every_platform(stores: Stores, capsys: pytest.CaptureFixture[str]) -> None:
    asked(stores, PRIYA_TEAMS, "t1", "teams only")

    code, out, _ = run(["member-data", "29:1priya"], capsys)

    export = json.loads(out)
    assert code == 0 and export["accounts_searched"] == ["slack:29:1priya", "teams:29:1priya"]
    assert export["found"]["escalations"] == 1 and export["found"]["answers"] == 1


def test_a_member_with_no_data_gets_empty_categories(
    stores: Stores, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    asked(stores, OTHER_SLACK, "9.0", "someone else's question")

    code, out, err = run(["member-data", "slack:UNOBODY", "--out", str(tmp_path / "sar.json")], capsys)

    export = json.loads((tmp_path / "sar.json").read_text(encoding="utf-8"))
    assert code == 0 and out == "" and "0 records about slack:UNOBODY" in err
    assert set(export["found"].values()) == {0} and all(rows == [] for rows in export["data"].values())
    assert set(export["searched"]) == TABLES and export["not_stored"]


@pytest.mark.parametrize(
    ("member", "says"),
    [
        ("zoom:U1", "unknown platform 'zoom'"),
        ("slack:", "has no user id"),
        ("two words", "a member id is one word"),
        ("   ", "a member id is one word"),
    ],
)
def test_a_bad_member_id_is_one_clear_line(
    stores: Stores, capsys: pytest.CaptureFixture[str], member: str, says: str
) -> None:
    code, out, err = run(["member-data", member], capsys)

    assert code == 2 and out == "" and err.startswith("rightsbot: ") and says in err and err.count("\n") == 1


# Every table, and the purge/export category it answers under (None: holds nothing about people).
TABLE_CATEGORIES = {
    "escalations": "escalations",
    "cards": "escalation_cards",
    "escalation_audit": "escalation_audit",
    "escalation_reference_counters": None,
    "answer_records": "answers",
    "answer_messages": "answer_messages",
    "feedback": "feedback",
    "channel_dedupe": "conversation_state",
    "outbox": "outbox",
    "member_questions": "member_questions",
}


def test_every_table_is_purged_and_exported_by_its_store(stores: Stores) -> None:
    """A new table fails this test until its store has `categories`, `purge_older_than` and
    `export_member` and is listed in `Stores.holding_personal_data` (then add it above)."""
    answered = {c for store in stores.holding_personal_data() for c in store.categories}

    assert set(Base.metadata.tables) == set(TABLE_CATEGORIES)
    assert answered == {c for c in TABLE_CATEGORIES.values() if c}


@pytest.mark.parametrize("command", [["purge", "--older-than", "30d"], ["member-data", "slack:UPRIYA"]])
def test_a_mistyped_data_dir_is_refused_not_reported_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A subject access request against the wrong folder must not answer "nothing held"."""
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(tmp_path / "typo"))

    code, out, err = run(command, capsys)

    assert code == 2 and out == "" and "no rightsbot database at" in err
    assert not (tmp_path / "typo").exists()


def test_what_the_commands_write_is_for_this_account_only(
    stores: Stores, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asked(stores, PRIYA_SLACK, "1.0", "can they dismiss me while off sick?")
    out = tmp_path / "export" / "priya.json"
    out.parent.mkdir()

    code, _, _ = run(["member-data", "slack:UPRIYA", "--out", str(out)], capsys)

    assert code == 0 and out.stat().st_mode & 0o077 == 0
