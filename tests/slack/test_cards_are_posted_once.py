"""An officers' card reaches the officers' channel exactly once, even when the process dies between
storing the escalation and posting its card, or after Slack posted it but before its reply came
back: start-up (or the next delivery) finds the card by its metadata instead of posting it again."""

from __future__ import annotations

from slack_world import MEMBER, OFFICERS, SlackWorld, slack_world

from bot.address import ConversationAddress
from bot.escalations import Backoff, Delivery, Escalation
from bot.fakes import escalating_answer
from bot.reply import EscalationReason, Question
from bot.slack.fake_slack import Params
from bot.wiring import open_stores

RESTARTED_BACKOFF = Backoff(base_seconds=0.05, max_seconds=1.0, lease_seconds=60.0)
MEMBER_DM = ConversationAddress(
    platform="slack", conversation_id="D" + MEMBER, thread_id="1.0", user_id=MEMBER
)


def to_officers(params: Params) -> bool:
    return params["channel"] == OFFICERS


def store_escalation(slack: SlackWorld) -> Escalation:
    """What the app has done when it dies here: the escalation stored, its card leased, nothing posted."""
    return slack.desk.escalate(
        MEMBER_DM,
        Question(text="they want to dismiss me next week"),
        escalating_answer(EscalationReason.HIGH_STAKES),
        EscalationReason.HIGH_STAKES,
        message_id="1.0",
        deliver=False,
    )


def restart_and_start_up(slack: SlackWorld) -> None:
    """A new process over the same database and the same Slack, doing what `rightsbot slack` does first."""
    stores = open_stores(slack.settings, backoff=RESTARTED_BACKOFF)
    with slack_world(slack.settings, slack.api, slack.engine, stores) as restarted:
        restarted.services.start_up()


def the_one_card(slack: SlackWorld, escalation: Escalation) -> Params:
    [card] = slack.api.posted_to(OFFICERS)
    assert escalation.reference in card["text"]
    assert card["metadata"] == {
        "event_type": "rightsbot_escalation",
        "event_payload": {"reference": escalation.reference},
    }
    [stored] = slack.escalations.cards(escalation.id)
    assert stored.delivery_state == Delivery.DELIVERED and stored.card_id == card["ts"]
    return card


def test_killed_before_posting_the_card_it_is_posted_once_after_restart(slack: SlackWorld) -> None:
    escalation = store_escalation(slack)

    restart_and_start_up(slack)

    the_one_card(slack, escalation)


def test_killed_after_slack_posted_the_card_it_is_adopted_not_posted_again(slack: SlackWorld) -> None:
    escalation = store_escalation(slack)
    [card] = slack.escalations.cards(escalation.id)
    slack.escalations.begin_attempt(card.id)
    slack.desk.boards["slack"].post(slack.desk.card_view(escalation))  # Slack has it; the process dies

    restart_and_start_up(slack)

    the_one_card(slack, escalation)
    [looked] = slack.api.calls_to("conversations.history")
    assert looked.params["channel"] == OFFICERS and float(looked.params["oldest"]) > 0


def test_a_card_whose_reply_was_lost_to_a_server_error_is_not_posted_twice(slack: SlackWorld) -> None:
    slack.api.fail_next("chat.postMessage", 500, when=to_officers, after_doing_it=True)
    ts = slack.dm(MEMBER, "they want to dismiss me next week")
    slack.answer_in("D" + MEMBER, ts)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    [escalation] = slack.escalations.open_queue()
    assert slack.escalations.cards(escalation.id)[0].delivery_state == Delivery.FAILED

    assert slack.desk.deliver_pending(include_not_yet_due=True) == 1

    the_one_card(slack, escalation)


def test_a_card_never_attempted_is_posted_without_looking(slack: SlackWorld) -> None:
    escalation = store_escalation(slack)

    assert slack.desk.deliver_cards(escalation) == 1

    the_one_card(slack, escalation)
    assert slack.api.calls_to("conversations.history") == []
