"""Issue 10, kind 1: one member message gets one answer, whatever event carries it. Slack delivers an
`app_mention` again when the member edits the message (same channel and ts, an `edited` field, a new
event_id); replicas sharing one database must not both answer it either."""

from __future__ import annotations

import threading

from slack_world import CHANNEL, MEMBER, OFFICERS, SlackWorld, slack_world

from bot.slack.fake_slack import BOT_USER
from bot.wiring import open_stores

QUESTION = "Can they make me redundant first because I'm fixed-term?"
DISMISSAL = "They are dismissing me on Friday, what can I do?"


def edited(ts: str, text: str) -> dict:
    """The app_mention Slack sends after the member edits their message: same channel and ts."""
    return {
        "type": "app_mention",
        "channel": CHANNEL,
        "user": MEMBER,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "edited": {"user": MEMBER, "ts": str(float(ts) + 30)},
    }


def to_channel(params: dict) -> bool:
    return params["channel"] == CHANNEL


def test_an_edited_mention_delivered_again_is_not_answered_twice(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, QUESTION)
    slack.answer_in(CHANNEL, ts)

    again = slack.sender.event(edited(ts, QUESTION + " (I have 3 years' service)"))

    assert again.status == 200
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert len(slack.engine.questions) == 1
    assert len(slack.api.calls_to("chat.postMessage", to_channel)) == 1


def test_an_edited_escalating_question_opens_one_case_and_one_card(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, DISMISSAL)
    slack.card()

    slack.sender.event(edited(ts, DISMISSAL + " Please help."))

    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert len(slack.escalations.open_queue()) == 1
    assert len(slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS)) == 1


def test_two_replicas_on_one_database_answer_a_message_once(slack: SlackWorld) -> None:
    """Both replicas get the message at once (the original and its edit, each with its own event id)."""
    with slack_world(slack.settings, slack.api, slack.engine, open_stores(slack.settings)) as replica:
        ts = slack.api.add_message(CHANNEL, MEMBER, f"<@{BOT_USER}> {DISMISSAL}")
        original = {**edited(ts, DISMISSAL)}
        del original["edited"]
        sends = [
            threading.Thread(target=slack.sender.event, args=(original,)),
            threading.Thread(target=replica.sender.event, args=(edited(ts, DISMISSAL + "!"),)),
        ]
        for send in sends:
            send.start()
        for send in sends:
            send.join()
        slack.answer_in(CHANNEL, ts)
        replica.app.listener_runner.listener_executor.shutdown(wait=True)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)

    assert len(slack.engine.questions) == 1
    assert len(slack.api.calls_to("chat.postMessage", to_channel)) == 1
    assert len(slack.escalations.open_queue()) == 1
    assert len(slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS)) == 1


def test_a_new_message_in_the_same_thread_is_still_answered(slack: SlackWorld) -> None:
    root = slack.mention(MEMBER, QUESTION)
    slack.answer_in(CHANNEL, root)

    slack.mention(MEMBER, "And if I have 3 years' service?", thread_ts=root)

    slack.answer_in(CHANNEL, root, count=2)
    assert len(slack.engine.questions) == 2
