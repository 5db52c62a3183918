"""The stores behind the desk: references, card leases, retention, channel de-duplication, export.
Each test runs on SQLite and on a real PostgreSQL (the `database_url` fixture)."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs
from bot.dedupe import SeenKeys
from bot.escalations import Backoff, Escalation, EscalationStore, NewEscalation, utcnow
from bot.feedback import AnsweredQuestion, FeedbackStore, export_not_helpful
from bot.reply import Question, Reply, Turn

MEMBER_DM = ConversationAddress(platform="slack", conversation_id="DMEMBER", user_id="UMEMBER")


def store(database_url: str) -> EscalationStore:
    return EscalationStore(database_url)


def new(n: int = 1) -> NewEscalation:
    return NewEscalation(
        address=MEMBER_DM.in_thread(f"{n}.0"),
        question=f"question {n}",
        reason="high_stakes",
        message_id=f"{n}.0",
        thread=[Turn(role="member", text="earlier")],
        boards=("slack",),
    )


def backdate(escalations: EscalationStore, row: Escalation, days: int) -> None:
    with escalations._session() as session:
        session.get_one(Escalation, row.id).created_at = utcnow() - timedelta(days=days)


def test_references_count_up_within_the_year(database_url: str) -> None:
    escalations = store(database_url)

    first, second = escalations.open(new(1)), escalations.open(new(2))

    year = utcnow().year
    assert (first.reference, second.reference) == (f"MIP-{year}-0001", f"MIP-{year}-0002")
    assert escalations.by_reference(second.reference).thread == [Turn(role="member", text="earlier")]


def test_references_stay_unique_when_opened_at_once(database_url: str) -> None:
    escalations = store(database_url)
    references: list[str] = []

    threads = [
        threading.Thread(target=lambda n=n: references.append(escalations.open(new(n)).reference))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(references)) == 8


def test_a_new_escalations_cards_are_leased_to_its_creator(database_url: str) -> None:
    escalations = store(database_url)
    [card] = escalations.cards(escalations.open(new()).id)

    assert escalations.due_cards(utcnow(), ("slack",)) == []  # the creating request delivers it
    assert not escalations.lease(card.id, utcnow())  # so the retry worker keeps off
    assert escalations.due_cards(utcnow() + timedelta(hours=1), ("teams",)) == []  # other boards' only
    assert escalations.lease(card.id, utcnow() + timedelta(hours=1))  # start-up takes everything
    assert not escalations.lease(card.id, utcnow())  # and holds it in turn


def test_ids_longer_than_slacks_are_kept_whole(database_url: str) -> None:
    escalations = store(database_url)
    teams = ConversationAddress(
        platform="teams",
        conversation_id="19:" + "a" * 150 + "@thread.tacv2;messageid=1733011200000",
        thread_id="1733011200000",
        user_id="29:" + "b" * 120,
        tenant_or_team="72f988bf-86f1-41af-91ab-2d7cd011db47",
        service_url="https://smba.trafficmanager.net/emea/",
        reference={"conversation": {"id": "19:abc"}, "serviceUrl": "https://smba.trafficmanager.net/emea/"},
    )

    row = escalations.open(NewEscalation(address=teams, question="q", reason="urgent", boards=("teams",)))

    assert escalations.get(row.id).address == teams
    assert escalations.find_open_for_thread(teams).id == row.id


def test_backoff_doubles_is_capped_and_honours_retry_after() -> None:
    backoff = Backoff(base_seconds=5, max_seconds=60)

    delays = [backoff.delay(n, None).total_seconds() for n in (1, 2, 3, 6)]

    assert delays == [5, 10, 20, 60]
    assert backoff.delay(1, 30).total_seconds() == 30


def test_retention_purges_old_escalations_with_their_audit(database_url: str) -> None:
    escalations = store(database_url)
    old, recent = escalations.open(new(1)), escalations.open(new(2))
    backdate(escalations, old, days=400)

    assert escalations.purge_older_than(Cutoffs.older_than(365, utcnow())) == {
        "escalations": 1,
        "escalation_cards": 1,
        "escalation_audit": 1,
    }

    assert escalations.get(old.id) is None and escalations.audit(old.id) == []
    assert escalations.get(recent.id) is not None


def test_a_key_is_new_only_once_per_platform(database_url: str) -> None:
    seen = SeenKeys(database_url)

    assert [seen.first_sighting("slack", "event:Ev1"), seen.first_sighting("slack", "event:Ev1")] == [
        True,
        False,
    ]
    assert seen.first_sighting("teams", "event:Ev1")  # another platform's key space
    assert seen.purge_older_than(Cutoffs(utcnow() + timedelta(seconds=1))) == {"conversation_state": 2}
    assert seen.first_sighting("slack", "event:Ev1")


def test_answers_are_purged_sooner_than_feedback(database_url: str) -> None:
    feedback = FeedbackStore(database_url)
    record_id = feedback.remember_answer(
        AnsweredQuestion(MEMBER_DM.in_thread("1.0"), "1.0", Question(text="q"), Reply(answer="a"))
    )
    feedback.record("U1", False, Question(text="q"), Reply(answer="a"), answer_ref=f"slack:{record_id}")

    cutoffs = Cutoffs.retention(escalation_days=365, answer_days=0, now=utcnow() + timedelta(seconds=1))
    assert feedback.purge_older_than(cutoffs) == {"feedback": 0, "answers": 1, "answer_messages": 0}
    assert feedback.answer_record(record_id) is None and len(feedback.all()) == 1


def test_export_with_nothing_to_export_writes_an_empty_list(database_url: str) -> None:
    out = io.StringIO()

    assert export_not_helpful(FeedbackStore(database_url), out) == 0
    assert out.getvalue() == "[]\n"
