"""Once a thread is with an officer, what the member adds there goes to the officer, not to the bot."""

from __future__ import annotations

from slack_world import CHANNEL, MEMBER, OFFICER, OFFICERS, REP, SlackWorld, eventually
from test_officers_handle_escalations import DISMISSAL, press

MORE = "The hearing is on Friday at 10 and my manager will be there."


def forwarded(slack: SlackWorld, card_ts: str) -> str:
    [note] = slack.api.wait_for(
        "chat.postMessage", lambda p: p["channel"] == OFFICERS and p.get("thread_ts") == card_ts
    )
    return note.params["text"]


def told(slack: SlackWorld, channel: str, phrase: str) -> str:
    [said] = slack.api.wait_for("chat.postMessage", lambda p: p["channel"] == channel and phrase in p["text"])
    return said.params["text"]


def test_a_dm_follow_up_goes_under_the_officers_card_and_the_member_is_told(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, DISMISSAL)
    card = slack.card()
    [escalation] = slack.escalations.open_queue()

    slack.dm(MEMBER, MORE, thread_ts=ts)

    note = forwarded(slack, card.response["ts"])
    assert escalation.reference in note and MORE in note and f"<@{MEMBER}>" in note
    assert escalation.reference in told(slack, "D" + MEMBER, "I've added this to your question")
    assert len(slack.engine.questions) == 1  # the bot did not answer it as a new question
    assert len(slack.escalations.open_queue()) == 1  # nor open a second case
    eventually(lambda: "member_added" in [e.action for e in slack.escalations.audit(escalation.id)])


def test_a_plain_reply_in_a_channel_thread_reaches_the_officer_who_claimed_it(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, DISMISSAL)
    card = slack.card()
    [escalation] = slack.escalations.open_queue()
    press(slack, OFFICER, "escalation_claim", escalation, card)
    eventually(lambda: slack.escalations.get(escalation.id).claimed_by == f"slack:{OFFICER}")

    slack.say_in_thread(MEMBER, ts, MORE)

    assert MORE in forwarded(slack, card.response["ts"])
    said = told(slack, CHANNEL, "I've added this to your question")
    assert "for the national officer who has it" in said and "<@" not in said  # no Slack markup


def test_after_the_officer_closes_it_the_bot_answers_the_thread_again(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, DISMISSAL)
    card = slack.card()
    [escalation] = slack.escalations.open_queue()
    press(slack, OFFICER, "escalation_resolve", escalation, card)
    eventually(lambda: slack.escalations.open_queue() == [])

    slack.dm(MEMBER, "How much notice do I have to give?", thread_ts=ts)

    eventually(lambda: len(slack.engine.questions) == 2)


def test_thread_replies_in_channels_where_nothing_was_escalated_are_left_alone(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, "How much notice do I have to give?")
    slack.answer_in(CHANNEL, ts)

    slack.say_in_thread(MEMBER, ts, "thanks, that helps")

    slack.app.listener_runner.listener_executor.shutdown(wait=True)  # let every lazy listener finish
    assert len(slack.engine.questions) == 1
    assert slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS) == []


def test_a_colleagues_reply_in_the_members_channel_thread_is_not_forwarded(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, DISMISSAL)
    slack.card()

    slack.say_in_thread(REP, ts, "Sorry to hear that, I had the same last year")

    slack.app.listener_runner.listener_executor.shutdown(wait=True)  # let every lazy listener finish
    assert (
        slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS and p.get("thread_ts"))
        == []
    )
