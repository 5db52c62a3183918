"""A member asks in a DM or by @mention and gets a cited Block Kit answer in the thread."""

from __future__ import annotations

from slack_world import CHANNEL, MEMBER, OFFICER, SlackWorld

from bot.slack.fake_slack import BOT_USER

QUESTION = "I'm on a fixed-term contract. Can they make me redundant first?"


def texts(blocks: list[dict]) -> str:
    """All the visible text of a message, to assert on."""
    found: list[str] = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"] if isinstance(block["text"], str) else block["text"]["text"])
        for element in block.get("elements", []):
            for part in (element, element.get("positive_button"), element.get("negative_button")):
                if part and "text" in part:
                    found.append(part["text"] if isinstance(part["text"], str) else part["text"]["text"])
    return "\n".join(found)


def action_ids(blocks: list[dict]) -> list[str]:
    return [
        e["action_id"] for b in blocks if b["type"] in ("actions", "context_actions") for e in b["elements"]
    ]


def feedback_values(blocks: list[dict]) -> list[str]:
    """The values of the native feedback buttons (Helpful, then Not helpful), if the answer has them."""
    return [
        e[side]["value"]
        for b in blocks
        if b["type"] == "context_actions"
        for e in b["elements"]
        for side in ("positive_button", "negative_button")
    ]


def test_a_dm_question_is_answered_in_its_thread_with_sources_and_buttons(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, QUESTION)

    answer = slack.answer_in("D" + MEMBER, ts)

    shown = texts(answer.params["blocks"])
    assert "not a fair reason on its own" in shown
    assert "- Fixed-term staff must not be treated less favourably" in shown  # a markdown list
    assert "<https://example.org/factsheets/redundancy|MiP factsheet, Redundancy: your rights" in shown
    assert "[2] Healthcare Manager, issue 67" in shown  # no url: a plain label
    assert "general information" in shown
    assert action_ids(answer.params["blocks"]) == ["answer_feedback", "ask_officer"]
    assert answer.params["blocks"][0]["type"] == "markdown"  # Slack renders the answer's markdown
    assert slack.engine.questions[0].text == QUESTION


def test_a_mention_in_a_channel_is_answered_in_a_thread_without_the_mention(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, QUESTION)

    slack.answer_in(CHANNEL, ts)

    assert slack.engine.questions[0].text == QUESTION  # "<@UBOT>" stripped


def test_in_a_dm_the_bot_shows_a_loading_status_then_clears_it(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, QUESTION)

    answer = slack.answer_in("D" + MEMBER, ts)

    statuses = slack.api.wait_for("assistant.threads.setStatus", count=2)
    assert statuses[0].params["channel_id"] == "D" + MEMBER and statuses[0].params["thread_ts"] == ts
    assert statuses[0].params["status"] and statuses[0].params["loading_messages"]
    assert statuses[0].at < answer.at <= statuses[1].at and statuses[1].params["status"] == ""
    assert slack.api.calls_to("reactions.add") == []


def test_in_a_channel_the_bot_shows_an_hourglass_then_clears_it(slack: SlackWorld) -> None:
    ts = slack.mention(MEMBER, QUESTION)

    removed = slack.api.wait_for("reactions.remove", lambda p: p["timestamp"] == ts)

    added = slack.api.calls_to("reactions.add", lambda p: p["timestamp"] == ts)
    answer = slack.answer_in(CHANNEL, ts)
    assert added[0].params["name"] == "hourglass_flowing_sand"
    assert added[0].at < answer.at <= removed[0].at
    assert slack.api.calls_to("assistant.threads.setStatus") == []


def test_a_workspace_without_loading_status_gets_the_hourglass_in_a_dm(slack: SlackWorld) -> None:
    slack.api.refuse("assistant.threads.setStatus", "missing_scope")

    ts = slack.dm(MEMBER, QUESTION)

    slack.api.wait_for("reactions.remove", lambda p: p["timestamp"] == ts)
    assert slack.api.calls_to("reactions.add", lambda p: p["timestamp"] == ts)
    slack.answer_in("D" + MEMBER, ts)


def test_a_follow_up_carries_the_thread_to_the_engine(slack: SlackWorld) -> None:
    root = slack.dm(MEMBER, QUESTION)
    slack.answer_in("D" + MEMBER, root)
    slack.api.add_message("D" + MEMBER, MEMBER, "I should add: I have been there 3 years.", root)

    follow_up = slack.dm(MEMBER, "Does that change anything?", thread_ts=root)
    slack.answer_in("D" + MEMBER, root, count=2)

    asked = slack.engine.questions[-1]
    assert asked.text == "Does that change anything?"
    assert [turn.role for turn in asked.thread] == ["member", "bot", "member"]
    assert asked.thread[0].text == QUESTION
    assert asked.thread[1].text.startswith("No: being on a fixed-term contract")
    assert follow_up not in [turn.text for turn in asked.thread]


def test_thread_context_marks_relayed_officer_messages_and_keeps_the_last_ten(slack: SlackWorld) -> None:
    root = slack.mention(MEMBER, QUESTION)
    slack.answer_in(CHANNEL, root)
    for n in range(12):
        slack.api.add_message(CHANNEL, MEMBER, f"detail {n}", root)
    slack.api._post(
        {
            "channel": CHANNEL,
            "thread_ts": root,
            "text": "An officer's view.",
            "metadata": {"event_type": "rightsbot_officer_reply", "event_payload": {}},
        }
    )

    slack.mention(MEMBER, "and now?", thread_ts=root)
    slack.answer_in(CHANNEL, root, count=2)

    thread = slack.engine.questions[-1].thread
    assert len(thread) == 10
    assert thread[-1].role == "officer" and thread[-1].text == "An officer's view."


def test_small_talk_gets_a_plain_reply_without_buttons(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "hello there")

    answer = slack.answer_in("D" + MEMBER, ts)

    assert action_ids(answer.params["blocks"]) == []
    assert slack.feedback.answer_record(1) is None  # nothing kept when there is nothing to press


def test_a_date_caveat_is_shown_when_sources_are_old(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "what is the old rule on redundancy pay?")

    answer = slack.answer_in("D" + MEMBER, ts)

    assert ":warning: Some sources are over three years old" in texts(answer.params["blocks"])


def test_the_bots_own_messages_and_edits_are_not_answered(slack: SlackWorld) -> None:
    slack.sender.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D" + MEMBER,
            "user": BOT_USER,
            "bot_id": "BBOT",
            "text": "my own answer",
            "ts": slack.api.next_ts(),
        }
    )
    slack.sender.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel_type": "im",
            "channel": "D" + MEMBER,
            "ts": slack.api.next_ts(),
        }
    )
    ts = slack.dm(OFFICER, QUESTION)  # a real question after them, to know the others were passed over

    slack.answer_in("D" + OFFICER, ts)

    assert len(slack.engine.questions) == 1


def test_relayed_officer_messages_are_recognised_even_without_metadata(slack: SlackWorld) -> None:
    root = slack.dm(MEMBER, QUESTION)
    slack.answer_in("D" + MEMBER, root)
    slack.api._post(
        {
            "channel": "D" + MEMBER,
            "thread_ts": root,
            "text": "Officer here.",
            "blocks": [{"type": "context", "block_id": "officer_relay", "elements": []}],
        }
    )

    slack.dm(MEMBER, "thanks, and?", thread_ts=root)
    slack.answer_in("D" + MEMBER, root, count=2)

    assert [turn.role for turn in slack.engine.questions[-1].thread] == ["member", "bot", "officer"]


def test_a_follow_up_is_still_answered_when_thread_history_is_unavailable(slack: SlackWorld) -> None:
    root = slack.dm(MEMBER, QUESTION)
    slack.answer_in("D" + MEMBER, root)
    slack.api.fail_next("conversations.replies", 500, times=2)

    slack.dm(MEMBER, "and if I have been there 3 years?", thread_ts=root)

    slack.answer_in("D" + MEMBER, root, count=2)
    assert slack.engine.questions[-1].thread == []
