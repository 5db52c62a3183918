"""When the bot fails inside, the member gets an apology and a national officer gets the question."""

from __future__ import annotations

from slack_world import MEMBER, SlackWorld, eventually

from bot.escalations import Delivery


def test_an_engine_crash_ends_in_an_apology_and_a_failure_escalation(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "this question will crash the engine")

    apology = slack.answer_in("D" + MEMBER, ts)
    card = slack.card()

    [escalation] = slack.escalations.open_queue()
    assert "Sorry, something went wrong" in apology.params["text"]
    assert escalation.reference in apology.params["text"]
    assert escalation.reason == "failure" and escalation.draft is None
    assert "The bot failed while answering" in str(card.params["blocks"])
    eventually(lambda: slack.escalations.cards(escalation.id)[0].delivery_state == Delivery.DELIVERED)
    slack.api.wait_for("assistant.threads.setStatus", lambda p: p["status"] == "")  # the status still goes


def test_an_answer_slack_can_never_take_reuses_the_same_escalation(slack: SlackWorld) -> None:
    slack.api.refuse("chat.postMessage", "not_in_channel", times=1)  # the first post: the answer

    ts = slack.dm(MEMBER, "I think they will dismiss me")  # escalates, then the answer is refused

    apology = slack.answer_in("D" + MEMBER, ts)
    slack.card()
    [escalation] = slack.escalations.open_queue()
    assert escalation.reason == "high_stakes" and escalation.reference in apology.params["text"]
    assert "could not post my answer" in apology.params["text"]
