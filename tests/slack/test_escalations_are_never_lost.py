"""An officers' card that Slack refuses (429, 5xx) is retried until delivered, even across a restart."""

from __future__ import annotations

from slack_world import MEMBER, OFFICERS, SlackWorld, eventually, slack_world

from bot.desk import DeliveryWorker
from bot.escalations import Backoff, Delivery
from bot.wiring import build_services, open_stores

DISMISSAL = "they want to dismiss me next week"


def to_officers(params: dict) -> bool:
    return params["channel"] == OFFICERS


def failed_escalation(slack: SlackWorld, status: int, retry_after: int | None = None) -> int:
    """Slack refuses the card's first attempt: a 429 twice (in the request, then on the client's own
    retry); a 500 once (posts are not retried in the request: Slack may have posted anyway)."""
    times = 2 if status == 429 else 1
    slack.api.fail_next("chat.postMessage", status, times=times, retry_after=retry_after, when=to_officers)
    ts = slack.dm(MEMBER, DISMISSAL)
    slack.answer_in("D" + MEMBER, ts)  # the member is told regardless
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    [escalation] = slack.escalations.open_queue()
    [card] = slack.escalations.cards(escalation.id)
    assert card.delivery_state == Delivery.FAILED and card.attempts == 1
    return escalation.id


def slack_card(slack: SlackWorld, escalation_id: int):  # noqa: ANN201 - bot.escalations.Card
    [card] = slack.escalations.cards(escalation_id)
    return card


def test_a_rate_limited_card_is_retried_by_the_worker_after_retry_after(slack: SlackWorld) -> None:
    escalation_id = failed_escalation(slack, 429, retry_after=1)
    refused = slack.api.calls_to("chat.postMessage", to_officers)

    worker = DeliveryWorker(slack.desk, interval_seconds=0.1).start()
    try:
        card = slack.card()
    finally:
        worker.stop()

    assert refused == []  # both earlier tries were 429s, not recorded as successes
    eventually(lambda: slack_card(slack, escalation_id).delivery_state == Delivery.DELIVERED)
    rate_limited = [c for c in slack.api.calls if c.status == 429]
    assert card.at - rate_limited[-1].at >= 1.0  # Retry-After honoured
    assert len(slack.api.calls_to("chat.postMessage", to_officers)) == 1


def test_a_server_error_card_is_delivered_by_deliver_pending(slack: SlackWorld) -> None:
    slack.escalations.backoff = Backoff(base_seconds=600)  # so "not due yet" cannot race the clock
    escalation_id = failed_escalation(slack, 500)
    assert slack.desk.deliver_pending() == 0  # not due yet: backoff

    assert slack.desk.deliver_pending(include_not_yet_due=True) == 1

    slack.card()
    stored = slack_card(slack, escalation_id)
    assert stored.delivery_state == Delivery.DELIVERED and stored.attempts == 2
    actions = [entry.action for entry in slack.escalations.audit(escalation_id)]
    assert actions == ["created", "delivery_failed", "delivered"]
    assert slack.desk.deliver_pending(include_not_yet_due=True) == 0  # never twice


def test_an_undelivered_card_is_sent_when_the_app_restarts(slack: SlackWorld) -> None:
    escalation_id = failed_escalation(slack, 500)
    stores = open_stores(slack.settings, backoff=Backoff(base_seconds=600))
    with slack_world(slack.settings, slack.api, slack.engine, stores) as restarted:
        restarted.services.start_up()

        card = restarted.card()

    assert slack_card(restarted, escalation_id).delivery_state == Delivery.DELIVERED
    assert stores.escalations.get(escalation_id).reference in card.params["text"]


def test_two_deliverers_never_post_the_same_card_twice(slack: SlackWorld) -> None:
    escalation_id = failed_escalation(slack, 500)
    other = build_services(slack.settings, slack.engine, open_stores(slack.settings)).desk  # a second replica

    delivered = slack.desk.deliver_pending(include_not_yet_due=True) + other.deliver_pending(
        include_not_yet_due=True
    )

    assert delivered == 1 and slack_card(slack, escalation_id).delivery_state == Delivery.DELIVERED
    assert len(slack.api.calls_to("chat.postMessage", to_officers)) == 1
