"""When Slack asks the bot to wait (429 with Retry-After, or a 500) while it posts a member's answer,
the answer is retried until it arrives: exactly once, with no apology and no "bot failed" card."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_world import MEMBER, OFFICERS, SlackWorld, eventually, slack_world

from bot.address import ConversationAddress
from bot.desk import DeliveryWorker
from bot.escalations import Backoff, Delivery
from bot.outbox import Purpose
from bot.slack.fake_slack import Params
from bot.wiring import open_stores

QUESTION = "can I bring a colleague to my grievance meeting?"
DM = "D" + MEMBER


def to_member(params: Params) -> bool:
    return params["channel"] == DM


@pytest.fixture
def worker(slack: SlackWorld) -> Iterator[DeliveryWorker]:
    """The delivery worker, as `rightsbot slack` runs it, polling quickly."""
    running = DeliveryWorker(slack.desk, interval_seconds=0.05).start()
    yield running
    running.stop()


def only_the_answer(slack: SlackWorld, ts: str) -> Params:
    """The member's thread holds one message from the bot, the answer; officers heard nothing."""
    eventually(lambda: len(slack.api.posted_to(DM)) >= 1)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    [answer] = slack.api.posted_to(DM)
    assert answer["thread_ts"] == ts and "Sorry" not in answer["text"]
    assert slack.api.posted_to(OFFICERS) == []
    assert slack.escalations.open_queue() == []
    return answer


def test_two_rate_limits_in_a_row_wait_retry_after_and_the_answer_arrives_once(
    slack: SlackWorld, worker: DeliveryWorker
) -> None:
    slack.api.fail_next("chat.postMessage", 429, times=2, retry_after=1, when=to_member)

    ts = slack.dm(MEMBER, QUESTION)

    answered = slack.answer_in(DM, ts)
    only_the_answer(slack, ts)
    refused = [c for c in slack.api.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(refused) == 2
    assert answered.at - refused[-1].at >= 1.0  # Retry-After honoured by the outbox's retry too


def test_two_server_errors_in_a_row_and_the_answer_arrives_once(
    slack: SlackWorld, worker: DeliveryWorker
) -> None:
    slack.api.fail_next("chat.postMessage", 500, times=2, when=to_member)

    ts = slack.dm(MEMBER, QUESTION)

    slack.answer_in(DM, ts)
    only_the_answer(slack, ts)
    assert len([c for c in slack.api.calls if c.status == 500]) == 2


def test_an_answer_slack_posted_before_its_reply_was_lost_is_not_posted_again(
    slack: SlackWorld, worker: DeliveryWorker
) -> None:
    slack.api.fail_next("chat.postMessage", 500, when=to_member, after_doing_it=True)

    ts = slack.dm(MEMBER, QUESTION)

    answer = only_the_answer(slack, ts)
    outbox = slack.services.stores.outbox
    eventually(
        lambda: [row["delivery_state"] for row in outbox.for_member(f"slack:{MEMBER}")] == ["delivered"]
    )
    [row] = outbox.for_member(f"slack:{MEMBER}")
    assert row["sent_id"] == answer["ts"] and row["payload"] is None and row["question"] is None
    looked = slack.api.calls_to("conversations.replies", lambda p: bool(p.get("oldest")))
    assert looked and looked[-1].params["include_all_metadata"] in (True, "1", "true")  # found by metadata


def test_an_escalated_answer_still_reaches_the_member_before_the_officers_card(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "they want to dismiss me next week")

    slack.answer_in(DM, ts)
    slack.card()
    posts = [c.params["channel"] for c in slack.api.calls_to("chat.postMessage")]
    assert posts == [DM, OFFICERS]
    [escalation] = slack.escalations.open_queue()
    assert escalation.reason == "high_stakes"
    assert slack.escalations.cards(escalation.id)[0].delivery_state == Delivery.DELIVERED


def test_killed_after_slack_posted_the_answer_it_is_not_posted_again_after_restart(slack: SlackWorld) -> None:
    address = ConversationAddress(platform="slack", conversation_id=DM, thread_id="1.0", user_id=MEMBER)
    outbox, payload = (
        slack.services.stores.outbox,
        {"text": "You can bring a colleague.", "unfurl_links": False},
    )
    [entry_id] = outbox.enqueue(address, "1.0", Purpose.ANSWER, [payload], question=QUESTION)
    outbox.begin_attempt(entry_id)
    slack.desk.members["slack"].send(address, payload, outbox.entry(entry_id).key)  # posted; the process dies

    stores = open_stores(slack.settings, backoff=Backoff(base_seconds=0.05, lease_seconds=60.0))
    with slack_world(slack.settings, slack.api, slack.engine, stores) as restarted:
        restarted.services.start_up()

    [answer] = slack.api.posted_to(DM)
    assert outbox.entry(entry_id).delivery_state == Delivery.DELIVERED
    assert outbox.entry(entry_id).sent_id == answer["ts"]
