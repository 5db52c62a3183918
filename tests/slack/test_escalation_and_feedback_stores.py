"""The stores behind the Slack edge: references, leases, retention, event de-duplication, export."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from pathlib import Path

from bot.escalations import Backoff, Escalation, EscalationStore, NewEscalation, utcnow
from bot.feedback import AnsweredQuestion, FeedbackStore, export_not_helpful
from bot.reply import Question, Reply, Turn


def store(tmp_path: Path) -> EscalationStore:
    return EscalationStore(f"sqlite:///{tmp_path / 'db' / 'rightsbot.sqlite3'}")


def new(n: int = 1) -> NewEscalation:
    return NewEscalation(
        "UMEMBER",
        "DMEMBER",
        f"{n}.0",
        f"{n}.0",
        f"question {n}",
        "high_stakes",
        thread=[Turn(role="member", text="earlier")],
    )


def backdate(escalations: EscalationStore, row: Escalation, days: int) -> None:
    with escalations._session() as session:
        session.get_one(Escalation, row.id).created_at = utcnow() - timedelta(days=days)


def test_references_count_up_within_the_year(tmp_path: Path) -> None:
    escalations = store(tmp_path)

    first, second = escalations.open(new(1)), escalations.open(new(2))

    year = utcnow().year
    assert (first.reference, second.reference) == (f"MIP-{year}-0001", f"MIP-{year}-0002")
    assert escalations.by_reference(second.reference).thread == [Turn(role="member", text="earlier")]


def test_references_stay_unique_when_opened_at_once(tmp_path: Path) -> None:
    escalations = store(tmp_path)
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


def test_a_new_escalation_is_leased_to_its_creator(tmp_path: Path) -> None:
    escalations = store(tmp_path)
    row = escalations.open(new())

    assert escalations.due_for_delivery(utcnow()) == []  # the creating request delivers it
    assert not escalations.lease(row.id, utcnow())  # so the retry worker keeps off
    assert escalations.lease(row.id, utcnow() + timedelta(hours=1))  # start-up takes everything
    assert not escalations.lease(row.id, utcnow())  # and holds it in turn


def test_backoff_doubles_is_capped_and_honours_retry_after() -> None:
    backoff = Backoff(base_seconds=5, max_seconds=60)

    delays = [backoff.delay(n, None).total_seconds() for n in (1, 2, 3, 6)]

    assert delays == [5, 10, 20, 60]
    assert backoff.delay(1, 30).total_seconds() == 30


def test_retention_purges_old_escalations_with_their_audit(tmp_path: Path) -> None:
    escalations = store(tmp_path)
    old, recent = escalations.open(new(1)), escalations.open(new(2))
    backdate(escalations, old, days=400)

    assert escalations.purge_older_than(365) == 1

    assert escalations.get(old.id) is None and escalations.audit(old.id) == []
    assert escalations.get(recent.id) is not None


def test_an_event_id_is_new_only_once(tmp_path: Path) -> None:
    escalations = store(tmp_path)

    assert [escalations.first_sighting("Ev1"), escalations.first_sighting("Ev1")] == [True, False]
    assert escalations.purge_seen_events(older_than=timedelta(0)) == 1
    assert escalations.first_sighting("Ev1")


def test_answers_are_purged_sooner_than_feedback(tmp_path: Path) -> None:
    feedback = FeedbackStore(f"sqlite:///{tmp_path / 'f.sqlite3'}")
    record_id = feedback.remember_answer(
        AnsweredQuestion("U1", "D1", "1.0", "1.0", Question(text="q"), Reply(answer="a"))
    )
    feedback.record("U1", False, Question(text="q"), Reply(answer="a"), answer_ref=f"slack:{record_id}")

    assert feedback.purge_answers_older_than(0) == 1
    assert feedback.answer_record(record_id) is None and len(feedback.all()) == 1


def test_export_with_nothing_to_export_writes_an_empty_list(tmp_path: Path) -> None:
    out = io.StringIO()

    assert export_not_helpful(FeedbackStore(f"sqlite:///{tmp_path / 'f.sqlite3'}"), out) == 0
    assert out.getvalue() == "[]\n"
