"""Slack's AI-app conventions: suggested prompts when a member opens the bot's DM (the agent
Messages tab, or a legacy assistant thread), and the plain flow for workspaces with neither."""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from slack_world import CHANNEL, MEMBER, SlackWorld

from bot.slack.assistant import PROMPTS
from bot.slack.fake_slack import TEAM

MANIFEST = Path(__file__).parents[2] / "slack_manifest.yaml"


def test_opening_the_messages_tab_shows_suggested_prompts(slack: SlackWorld) -> None:
    sent = slack.sender.event(
        {"type": "app_home_opened", "user": MEMBER, "channel": "D" + MEMBER, "tab": "messages"}
    )

    [call] = slack.api.wait_for("assistant.threads.setSuggestedPrompts")

    assert sent.status == 200
    assert call.params["channel_id"] == "D" + MEMBER
    assert "thread_ts" not in call.params  # with agent_view, a thread_ts makes Slack ignore the call
    assert call.params["prompts"] == PROMPTS and call.params["title"]
    assert slack.api.calls_to("views.publish") == []  # the Home tab is not republished for it


def test_opening_the_home_tab_still_publishes_the_home_view(slack: SlackWorld) -> None:
    slack.sender.event({"type": "app_home_opened", "user": MEMBER, "channel": "D" + MEMBER, "tab": "home"})

    slack.api.wait_for("views.publish")

    assert slack.api.calls_to("assistant.threads.setSuggestedPrompts") == []


def assistant_thread(kind: str, thread_ts: str) -> dict:
    return {
        "type": kind,
        "assistant_thread": {
            "user_id": MEMBER,
            "context": {"channel_id": CHANNEL, "team_id": TEAM, "enterprise_id": None},
            "channel_id": "D" + MEMBER,
            "thread_ts": thread_ts,
        },
        "event_ts": f"{time.time():.6f}",
    }


def test_a_legacy_assistant_thread_gets_the_prompts_on_that_thread(slack: SlackWorld) -> None:
    slack.sender.event(assistant_thread("assistant_thread_started", "1729999327.187299"))

    [call] = slack.api.wait_for("assistant.threads.setSuggestedPrompts")

    assert call.params["channel_id"] == "D" + MEMBER and call.params["thread_ts"] == "1729999327.187299"
    assert call.params["prompts"] == PROMPTS


def test_switching_channels_with_the_assistant_open_costs_nothing(slack: SlackWorld) -> None:
    sent = slack.sender.event(assistant_thread("assistant_thread_context_changed", "1729999327.187299"))

    assert sent.status == 200
    time.sleep(0.2)
    assert [c.method for c in slack.api.calls if c.method != "auth.test"] == []


def test_a_question_in_an_assistant_thread_is_answered_there(slack: SlackWorld) -> None:
    root = slack.api.add_message("D" + MEMBER, MEMBER, "New Assistant Thread")

    slack.dm(MEMBER, "Can they make me redundant first because I'm fixed-term?", thread_ts=root)

    answer = slack.answer_in("D" + MEMBER, root)
    assert "not a fair reason" in str(answer.params["blocks"])
    assert [t.role for t in slack.engine.questions[0].thread] == ["member"]


def test_the_manifest_asks_for_what_the_app_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    agent = manifest["features"]["agent_view"]
    assert len(agent["agent_description"]) <= 300 and agent["suggested_prompts"] == PROMPTS
    assert "assistant_view" not in manifest["features"]  # legacy: agent_view replaces it
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert {"assistant:write", "chat:write", "im:history"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {
        "app_home_opened",
        "message.im",
        "assistant_thread_started",
        "assistant_thread_context_changed",
    } <= events


def test_a_workspace_without_the_agent_experience_still_gets_answers(slack: SlackWorld) -> None:
    slack.api.refuse("assistant.threads.setSuggestedPrompts", "invalid_app")
    slack.api.refuse("assistant.threads.setStatus", "invalid_app")
    slack.sender.event(
        {"type": "app_home_opened", "user": MEMBER, "channel": "D" + MEMBER, "tab": "messages"}
    )

    ts = slack.dm(MEMBER, "Can they make me redundant first because I'm fixed-term?")

    assert "not a fair reason" in str(slack.answer_in("D" + MEMBER, ts).params["blocks"])
    assert slack.api.calls_to("reactions.add", lambda p: p["timestamp"] == ts)
