"""Members' answers through the desk's outbox, over recording channels: a channel that asks us to wait
is retried (never sooner than its Retry-After), pages go in order, and only a message that can never
be delivered ends in an apology and a card for officers. Nothing is kept once it is delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs
from bot.desk import DeliveryError, Desk, OfficerDirectory, Retention
from bot.desk.fakes import RecordingBoard, RecordingMemberChannel
from bot.escalations import Backoff, Delivery, EscalationStore, utcnow
from bot.feedback import FeedbackStore
from bot.outbox import DeliveryLimits, OutboxStore, Purpose
from bot.reply import EscalationReason

IN_SLACK = ConversationAddress(
    platform="slack", conversation_id="DMEMBER", thread_id="1.0", user_id="UMEMBER"
)
ANSWER = {"text": "You have the right to be accompanied."}
NEVER_DUE = Backoff(base_seconds=600, max_seconds=600)


class Outbox:
    def __init__(
        self, url: str, limits: DeliveryLimits | None = None, backoff: Backoff | None = None
    ) -> None:
        self.escalations, self.answers = EscalationStore(url), FeedbackStore(url)
        self.store = OutboxStore(url, backoff or NEVER_DUE)
        self.member = RecordingMemberChannel("slack")
        self.board = RecordingBoard("slack", "COFFICERS")
        self.desk = Desk(
            self.escalations,
            self.answers,
            OfficerDirectory([]),
            members=[self.member],
            boards=[self.board],
            retention=Retention(answer_days=30),
            outbox=self.store,
            limits=limits,
        )

    def send(self, *pages: dict, message_id: str = "1.0") -> bool:
        return self.desk.send_to_member(IN_SLACK, message_id, list(pages), question="Can I bring a rep?")

    def entries(self) -> list:
        return [self.store.entry(i) for i in range(1, 10) if self.store.entry(i)]


@pytest.fixture
def outbox(database_url: str) -> Outbox:
    """SQLite, and a real PostgreSQL where one is given: replicas share the outbox there."""
    return Outbox(database_url)


def test_an_answer_is_posted_at_once_and_nothing_of_it_is_kept(outbox: Outbox) -> None:
    assert outbox.send(ANSWER)

    [sent] = outbox.member.sent
    assert sent.payload == ANSWER and sent.key == "1.0:answer:0"
    [entry] = outbox.entries()
    assert entry.delivery_state == Delivery.DELIVERED and entry.sent_id == sent.id
    assert entry.payload_json is None and entry.question is None


def test_a_rate_limited_answer_waits_at_least_retry_after_then_goes_once(outbox: Outbox) -> None:
    outbox.store.backoff = Backoff(base_seconds=0.01, max_seconds=0.01)
    outbox.member.refuse, outbox.member.refusal = 1, DeliveryError("ratelimited", retry_after=30)

    assert not outbox.send(ANSWER)
    [entry] = outbox.entries()
    assert entry.delivery_state == Delivery.FAILED
    assert entry.next_attempt_at - utcnow() > timedelta(seconds=29)  # Retry-After, not the 10 ms backoff
    assert outbox.desk.deliver_pending() == 0  # not due yet

    assert outbox.desk.deliver_pending(include_not_yet_due=True) == 1
    assert len(outbox.member.sent) == 1 and outbox.member.told == []
    assert outbox.escalations.open_queue() == []  # no "bot failed" card


def test_a_refusal_for_good_apologises_and_hands_the_question_over(outbox: Outbox) -> None:
    outbox.member.refuse, outbox.member.refusal = 1, DeliveryError("channel_not_found", permanent=True)

    assert not outbox.send(ANSWER)

    [escalation] = outbox.escalations.open_queue()
    assert escalation.reason == EscalationReason.FAILURE and escalation.question == "Can I bring a rep?"
    assert [c.delivery_state for c in outbox.escalations.cards(escalation.id)] == [Delivery.DELIVERED]
    [told] = outbox.member.told
    assert escalation.reference in told.text and "could not post my answer" in told.text
    [entry] = outbox.entries()
    assert entry.delivery_state == Delivery.GAVE_UP and entry.payload_json is None and entry.question is None
    assert outbox.desk.deliver_pending(include_not_yet_due=True) == 0


def test_an_answer_is_given_up_after_the_attempt_limit(database_url: str) -> None:
    outbox = Outbox(database_url, limits=DeliveryLimits(max_attempts=2))
    outbox.member.refuse = 5

    outbox.send(ANSWER)
    assert outbox.escalations.open_queue() == []  # one failure: still trying
    outbox.desk.deliver_pending(include_not_yet_due=True)

    [escalation] = outbox.escalations.open_queue()
    assert escalation.reason == EscalationReason.FAILURE
    assert outbox.member.sent == []


def test_an_answer_is_given_up_once_too_old(database_url: str) -> None:
    outbox = Outbox(database_url, limits=DeliveryLimits(max_attempts=100, max_age_minutes=0.0001))
    outbox.member.refuse = 1

    outbox.send(ANSWER)

    [escalation] = outbox.escalations.open_queue()
    assert escalation.reason == EscalationReason.FAILURE


def test_pages_go_in_order_even_when_the_first_waits(outbox: Outbox) -> None:
    outbox.member.refuse = 1

    outbox.send({"text": "page 1"}, {"text": "page 2"})
    assert outbox.member.sent == []  # page 2 waited for page 1
    outbox.desk.deliver_pending(include_not_yet_due=True)
    outbox.desk.deliver_pending(include_not_yet_due=True)

    assert [s.payload["text"] for s in outbox.member.sent] == ["page 1", "page 2"]


def test_an_answer_whose_post_outcome_was_lost_is_found_not_posted_again(outbox: Outbox) -> None:
    [entry_id] = outbox.store.enqueue(IN_SLACK, "1.0", Purpose.ANSWER, [ANSWER])
    outbox.store.begin_attempt(entry_id)
    outbox.member.send(IN_SLACK, ANSWER, "1.0:answer:0")  # posted; then the process died

    assert outbox.desk.deliver_pending(include_not_yet_due=True) == 1

    assert len(outbox.member.sent) == 1
    assert outbox.store.entry(entry_id).sent_id == outbox.member.sent[0].id


def test_one_member_message_is_queued_once(outbox: Outbox) -> None:
    assert outbox.send(ANSWER)
    assert not outbox.send(ANSWER)  # a second replica's attempt at the same message

    assert len(outbox.member.sent) == 1


def test_rows_are_purged_with_the_answers_and_exported_per_member(outbox: Outbox) -> None:
    outbox.member.refuse = 1
    outbox.send(ANSWER)

    [row] = outbox.store.for_member("slack:UMEMBER")
    assert row["question"] == "Can I bring a rep?" and row["payload"] == ANSWER
    assert outbox.store.for_member("slack:USOMEONE") == []
    now = utcnow()
    assert outbox.store.purge_older_than(Cutoffs.older_than(30, now)) == {"outbox": 0}
    assert outbox.store.purge_older_than(Cutoffs.older_than(-1, now)) == {"outbox": 1}
    with pytest.raises(ValueError):
        outbox.store.for_member("UMEMBER")
