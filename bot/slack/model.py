"""The small internal model the Slack edge parses payloads into, so handlers never dig in raw dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.address import ConversationAddress

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave"}


@dataclass(frozen=True)
class Asked:
    """A member's message that the bot answers, in a thread rooted at thread_ts."""

    user: str
    channel: str
    ts: str
    thread_ts: str
    text: str
    is_dm: bool
    team: str | None = None  # the asker's own workspace (user_team in Slack Connect channels)
    shared: bool = False  # a Slack Connect channel: people from other organisations can see it

    @property
    def in_thread(self) -> bool:
        return self.thread_ts != self.ts

    @property
    def address(self) -> ConversationAddress:
        return ConversationAddress(
            platform="slack",
            conversation_id=self.channel,
            thread_id=self.thread_ts,
            user_id=self.user,
            tenant_or_team=self.team,
        )

    @property
    def key(self) -> str:
        """One member message, whatever event carried it: edits come back with the same channel and ts."""
        return f"message:{self.channel}:{self.ts}"


@dataclass(frozen=True)
class OfficerReply:
    """A message in a thread of the officers' channel; relayed when the thread is an escalation card."""

    user: str
    channel: str
    ts: str
    thread_ts: str
    text: str


@dataclass(frozen=True)
class Click:
    """A button press."""

    user: str
    channel: str
    message_ts: str
    thread_ts: str
    action_id: str
    value: str
    response_url: str | None
    team: str | None = None

    @property
    def address(self) -> ConversationAddress:
        return ConversationAddress(
            platform="slack",
            conversation_id=self.channel,
            thread_id=self.thread_ts or None,
            user_id=self.user,
            tenant_or_team=self.team,
        )


@dataclass(frozen=True)
class SlashCommand:
    user: str
    channel: str
    text: str
    response_url: str


def strip_mentions(text: str) -> str:
    return " ".join(MENTION.sub(" ", text or "").split())


def is_from_a_person(event: dict[str, Any]) -> bool:
    """Bots (ours included) and edits/joins are never questions."""
    return (
        bool(event.get("user")) and not event.get("bot_id") and event.get("subtype") not in IGNORED_SUBTYPES
    )


def asked_from_event(event: dict[str, Any], body: dict[str, Any] | None = None) -> Asked | None:
    """An app_mention or a DM message (with its event envelope); None when there is nothing to answer."""
    if not is_from_a_person(event):
        return None
    text = strip_mentions(event.get("text", ""))
    if not text:
        return None
    ts = event["ts"]
    return Asked(
        user=event["user"],
        channel=event["channel"],
        ts=ts,
        thread_ts=event.get("thread_ts") or ts,
        text=text,
        is_dm=event.get("channel_type") == "im",
        team=event.get("user_team") or event.get("team"),
        shared=bool((body or {}).get("is_ext_shared_channel")),
    )


def officer_reply_from_event(event: dict[str, Any]) -> OfficerReply | None:
    thread_ts = event.get("thread_ts")
    if not is_from_a_person(event) or not thread_ts or thread_ts == event.get("ts"):
        return None
    return OfficerReply(
        user=event["user"],
        channel=event["channel"],
        ts=event["ts"],
        thread_ts=thread_ts,
        text=event.get("text", ""),
    )


def click_from_body(body: dict[str, Any]) -> Click:
    action = body["actions"][0]
    message = body.get("message") or {}
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    message_ts = message.get("ts") or container.get("message_ts", "")
    return Click(
        user=body["user"]["id"],
        channel=channel,
        message_ts=message_ts,
        thread_ts=message.get("thread_ts") or message_ts,
        action_id=action["action_id"],
        value=action.get("value", ""),
        response_url=body.get("response_url"),
        team=body["user"].get("team_id") or (body.get("team") or {}).get("id"),
    )


def slash_from_body(body: dict[str, Any]) -> SlashCommand:
    return SlashCommand(
        user=body["user_id"],
        channel=body["channel_id"],
        text=(body.get("text") or "").strip(),
        response_url=body["response_url"],
    )
