"""A database made by the Slack-only rightsbot upgrades in place when the new one opens it: every row
survives, in its new shape, and officers can go on working on it (claim, reply, resolve, deliver).

SQLite always; PostgreSQL on a fresh database of the test server (RIGHTSBOT_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from bot.address import ConversationAddress, OfficerIdentity
from bot.dedupe import SeenKeys
from bot.desk import Desk, OfficerDirectory, Relay
from bot.desk.fakes import RecordingBoard, RecordingMemberChannel
from bot.escalations import Delivery, EscalationStore, Status, utcnow
from bot.feedback import FeedbackStore, export_not_helpful
from bot.migrations import alembic_config, upgrade
from bot.reply import Question, Reply
from bot.storage import Base, make_engine

SCHEMA = Path(__file__).with_name("slack_shaped_schema.sql")
OFFICER = OfficerIdentity.of_account("slack", "UOFFICER1")
YEAR = utcnow().year


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with yesterday's schema and rows in it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'rightsbot.sqlite3'}"
        engine = make_engine(url)
        with engine.begin() as connection:
            for statement in SCHEMA.read_text().split(";"):
                if statement.strip(" \n-") and "CREATE" in statement:
                    connection.exec_driver_sql(statement)
    else:
        url = str(request.getfixturevalue("postgres_url"))
        engine = make_engine(url)
        upgrade(engine, "0001")  # yesterday's schema (the SQLite test shows 0001 is exactly it) ...
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")  # ... made without Alembic
    fill_with_yesterdays_rows(engine)
    yield url
    engine.dispose()


def escalation_row(reference: str, status: str, **values: object) -> dict[str, object]:
    now = utcnow()
    draft = Reply(answer="You have the right to be accompanied [1].").model_dump_json()
    return {
        "reference": reference,
        "status": status,
        "created_at": now - timedelta(hours=2),
        "claimed_at": None,
        "claimed_by": None,
        "resolved_at": None,
        "resolved_by": None,
        "member_user": "UMEMBER1",
        "channel": "DUMEMBER1",
        "thread_ts": f"1733000000.00000{reference[-1]}",
        "question_ts": f"1733000000.00000{reference[-1]}",
        "question": f"question of {reference}",
        "thread_json": '[{"role": "member", "text": "earlier"}]',
        "reason": "high_stakes",
        "draft_json": draft,
        "card_channel": "COFFICERS",
        "card_ts": f"1733000100.00000{reference[-1]}",
        "delivery_state": "delivered",
        "delivery_attempts": 1,
        "next_attempt_at": now,
        "last_error": None,
        **values,
    }


def fill_with_yesterdays_rows(engine: Engine) -> None:
    """An open escalation whose card never got through, a claimed one, a resolved one (from a slash
    command: no thread), their audit, the reference counter, a seen event, an answer and two votes."""
    now = utcnow()
    rows = [
        escalation_row(
            f"MIP-{YEAR}-0001",
            "open",
            card_channel=None,
            card_ts=None,
            delivery_state="failed",
            delivery_attempts=3,
            last_error="ratelimited",
        ),
        escalation_row(f"MIP-{YEAR}-0002", "claimed", claimed_at=now, claimed_by="UOFFICER1"),
        escalation_row(
            f"MIP-{YEAR}-0003",
            "resolved",
            claimed_by="UOFFICER2",
            resolved_at=now,
            resolved_by="UOFFICER2",
            thread_ts="",
            question_ts="",
            draft_json=None,
        ),
    ]
    columns = ", ".join(rows[0])
    values = ", ".join(f":{name}" for name in rows[0])
    with engine.begin() as connection:
        connection.execute(text(f"INSERT INTO escalations ({columns}) VALUES ({values})"), rows)
        for reference, actor, action in [
            (f"MIP-{YEAR}-0001", "UMEMBER1", "created"),
            (f"MIP-{YEAR}-0002", "UMEMBER1", "created"),
            (f"MIP-{YEAR}-0002", "UOFFICER1", "claimed"),
            (f"MIP-{YEAR}-0003", "rightsbot", "delivered"),
        ]:
            connection.execute(
                text(
                    "INSERT INTO escalation_audit (escalation_id, at, actor, action, detail) "
                    "SELECT id, :at, :actor, :action, '' FROM escalations WHERE reference = :reference"
                ),
                {"at": now, "actor": actor, "action": action, "reference": reference},
            )
        connection.execute(
            text("INSERT INTO escalation_reference_counters (year, last) VALUES (:year, 3)"), {"year": YEAR}
        )
        connection.execute(
            text("INSERT INTO slack_seen_events (event_id, seen_at) VALUES ('EvSEEN1', :at)"), {"at": now}
        )
        connection.execute(
            text(
                "INSERT INTO answer_records (created_at, asker, channel, thread_ts, question_ts, "
                "question_json, reply_json) VALUES (:at, 'UMEMBER2', 'CGENERAL', '1733000200.000001', "
                "'1733000200.000001', :question, :reply)"
            ),
            {
                "at": now,
                "question": Question(text="how much notice?").model_dump_json(),
                "reply": Reply(answer="One week per year of service [1].").model_dump_json(),
            },
        )
        connection.execute(
            text(
                'INSERT INTO feedback (created_at, "user", helpful, answer_ref, question, thread_json, '
                "answer, citations_json) VALUES (:at, :user, :helpful, :ref, 'how much notice?', '[]', "
                "'One week per year of service [1].', '[]')"
            ),
            [
                {"at": now, "user": "UMEMBER2", "helpful": False, "ref": "slack:1"},
                {"at": now, "user": "UREP1", "helpful": True, "ref": "slack:1"},
            ],
        )


@pytest.fixture
def upgraded(old_database: str) -> tuple[EscalationStore, FeedbackStore, SeenKeys]:
    """Opening the stores is all it takes: the migrations run then."""
    return EscalationStore(old_database), FeedbackStore(old_database), SeenKeys(old_database)


def desk_over(
    escalations: EscalationStore, feedback: FeedbackStore
) -> tuple[Desk, RecordingMemberChannel, RecordingBoard]:
    members, board = RecordingMemberChannel(), RecordingBoard()
    officers = OfficerDirectory([OFFICER, OfficerIdentity.of_account("slack", "UOFFICER2")])
    return Desk(escalations, feedback, officers, members=[members], boards=[board]), members, board


def test_every_escalation_keeps_its_member_address_status_and_officers(upgraded) -> None:  # noqa: ANN001
    escalations, _, _ = upgraded

    first, second, third = (escalations.by_reference(f"MIP-{YEAR}-000{n}") for n in (1, 2, 3))

    assert [e.status for e in (first, second, third)] == [Status.OPEN, Status.CLAIMED, Status.RESOLVED]
    assert first.address.platform == "slack" and first.address.conversation_id == "DUMEMBER1"
    assert first.address.thread_id == first.message_id == "1733000000.000001"
    assert first.address.user_id == "UMEMBER1" and first.external is False
    assert first.draft is not None and first.thread[0].text == "earlier"
    assert (second.claimed_by, third.resolved_by) == ("slack:UOFFICER1", "slack:UOFFICER2")
    assert third.thread_id is None and third.message_id is None and third.draft is None
    actors = [entry.actor for entry in escalations.audit(second.id)]
    assert actors == ["slack:UMEMBER1", "slack:UOFFICER1"]


def test_each_card_and_its_delivery_state_moves_to_the_cards_table(upgraded) -> None:  # noqa: ANN001
    escalations, _, _ = upgraded

    [pending] = escalations.cards(escalations.by_reference(f"MIP-{YEAR}-0001").id)
    [delivered] = escalations.cards(escalations.by_reference(f"MIP-{YEAR}-0002").id)

    assert (pending.board, pending.delivery_state, pending.attempts) == ("slack", Delivery.FAILED, 3)
    assert pending.card_id is None and pending.last_error == "ratelimited"
    assert (delivered.channel, delivered.card_id) == ("COFFICERS", "1733000100.000002")
    assert escalations.find_by_card("slack", "1733000100.000002").reference == f"MIP-{YEAR}-0002"


def test_seen_events_answers_and_feedback_survive(upgraded) -> None:  # noqa: ANN001
    _, feedback, seen = upgraded

    assert not seen.first_sighting("slack", "event:EvSEEN1")  # a retry after the upgrade is still dropped
    record = feedback.answer_record(1)
    assert record is not None and record.address.conversation_id == "CGENERAL"
    assert record.user_id == "UMEMBER2" and record.message_id == "1733000200.000001"
    assert record.question.text == "how much notice?"
    assert [vote.helpful for vote in feedback.all()] == [False, True]
    assert export_not_helpful(feedback, open(os.devnull, "w")) == 1  # noqa: SIM115


def test_officers_go_on_working_after_the_upgrade(upgraded) -> None:  # noqa: ANN001
    escalations, feedback, _ = upgraded
    desk, members, board = desk_over(escalations, feedback)

    assert desk.deliver_pending(include_not_yet_due=True) == 1  # the card that never got through
    assert desk.claim(f"MIP-{YEAR}-0001", OFFICER, "slack").claimed
    relayed = desk.officer_reply("slack", "1733000100.000002", OFFICER, "Call me tomorrow.")
    assert relayed.outcome == Relay.RELAYED
    assert desk.resolve("2", OFFICER, "slack").resolved  # an old card's button carried the numeric id

    to_member = [(told.address.conversation_id, told.address.thread_id, told.text) for told in members.told]
    assert to_member[0][:2] == ("DUMEMBER1", "1733000000.000001")
    assert "has picked up your question" in to_member[0][2]
    assert to_member[1][2] == "Call me tomorrow." and "has closed your question" in to_member[2][2]
    assert board.cards and escalations.by_reference(f"MIP-{YEAR}-0002").status == Status.RESOLVED


def test_new_references_carry_on_from_the_old_counter(upgraded) -> None:  # noqa: ANN001
    escalations, feedback, _ = upgraded
    desk, _, _ = desk_over(escalations, feedback)
    old = escalations.by_reference(f"MIP-{YEAR}-0001")

    new = desk.escalate(old.address.in_thread("1733000300.000001"), Question(text="q"), None, "urgent")

    assert new.reference == f"MIP-{YEAR}-0004"


def test_upgrading_twice_changes_nothing(old_database: str) -> None:
    engine = make_engine(old_database)
    upgrade(engine)
    before = sorted(inspect(engine).get_table_names())

    upgrade(engine)

    assert sorted(inspect(make_engine(old_database)).get_table_names()) == before
    assert "slack_seen_events" not in before and {"cards", "channel_dedupe"} <= set(before)
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head


def test_the_first_migration_is_yesterdays_schema_exactly(tmp_path: Path) -> None:
    """So a database made before migrations is adopted as it stands."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    upgrade(engine, "0001")

    with engine.connect() as connection:
        made = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT IN "
            "('sqlite_sequence', 'alembic_version')"
        ).scalars()
        statements = {" ".join(sql.split()) for sql in made}
    expected = {
        " ".join(statement.split())
        for statement in SCHEMA.read_text().split(";")
        if "CREATE" in statement
        for statement in [statement[statement.index("CREATE") :]]
    }
    assert statements == expected


def test_teams_length_ids_fit_after_the_upgrade(upgraded) -> None:  # noqa: ANN001
    """Teams conversation and user ids pass 100 characters; PostgreSQL would refuse a String(32)."""
    escalations, feedback, _ = upgraded
    desk, _, _ = desk_over(escalations, feedback)
    teams = ConversationAddress(
        platform="teams",
        conversation_id="19:" + "c" * 160 + "@thread.tacv2;messageid=1733011200000",
        thread_id="1733011200000",
        user_id="29:" + "u" * 140,
        tenant_or_team="72f988bf-86f1-41af-91ab-2d7cd011db47",
        service_url="https://smba.trafficmanager.net/emea/",
        reference={"conversation": {"id": "19:c"}, "serviceUrl": "https://smba.trafficmanager.net/emea/"},
    )

    escalation = desk.escalate(teams, Question(text="q"), None, "urgent", message_id="f:" + "m" * 120)

    assert escalations.get(escalation.id).address == teams
    assert desk.claim(escalation.reference, OfficerIdentity(officer_id="o" * 200), "teams").notice


def test_the_upgraded_schema_is_what_the_models_declare(upgraded) -> None:  # noqa: ANN001
    escalations, _, _ = upgraded

    with escalations.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []
