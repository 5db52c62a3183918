"""The small internal model the Slack edge parses payloads into, so handlers never dig in raw dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.address import ConversationAddress
from bot.slack.text import decode

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
# The subtypes that carry a person's own words or files (https://docs.slack.dev/reference/events/message).
# Everything else is Slack talking: joins, topics, edits, deletions, bots, an assistant thread's root.
MEMBER_SUBTYPES = {None, "file_share", "thread_broadcast", "me_message"}


@dataclass(frozen=True)
class Asked:
    """A member's message that the bot answers, in a thread rooted at thread_ts.

    `text` is plain text as the member reads it (Slack's escaping and link syntax decoded), possibly
    empty when they only sent files; `files` names what came with it that the bot cannot read."""

    user: str
    channel: str
    ts: str
    thread_ts: str
    text: str
    is_dm: bool
    team: str | None = None  # the asker's own workspace (user_team in Slack Connect channels)
    shared: bool = False  # a Slack Connect channel: people from other organisations can see it
    files: tuple[str, ...] = field(default=())

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

    @property
    def for_officers(self) -> str:
        """The question as an officer should see it: with what came attached that nobody has read."""
        unread = f"[Attached, not read by the bot: {', '.join(self.files)}]" if self.files else ""
        return "\n\n".join(part for part in (self.text, unread) if part)


@dataclass(frozen=True)
class OfficerReply:
    """A message in a thread of the officers' channel; relayed when the thread is an escalation card.

    `text` stays Slack mrkdwn exactly as Slack sent it (already escaped once, mentions and links kept),
    because it goes back out to Slack unchanged; `files` names attachments that are not relayed."""

    user: str
    channel: str
    ts: str
    thread_ts: str
    text: str
    files: tuple[str, ...] = field(default=())


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
    """Slack mrkdwn without user mentions, as plain text."""
    return " ".join(decode(MENTION.sub(" ", text or "")).split())


def plain_text(text: str) -> str:
    """Slack mrkdwn as plain text, lines kept (a pasted letter keeps its paragraphs)."""
    lines = [" ".join(line.split()) for line in decode(MENTION.sub(" ", text or "")).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_from_a_person(event: dict[str, Any]) -> bool:
    """Bots (ours included), edits, joins and other notices are never questions."""
    return bool(event.get("user")) and not event.get("bot_id") and event.get("subtype") in MEMBER_SUBTYPES


def has_a_place(event: dict[str, Any]) -> bool:
    """A message Slack could answer: it names its channel and its own ts."""
    return isinstance(event.get("channel"), str) and isinstance(event.get("ts"), str)


def attachments_of(event: dict[str, Any]) -> tuple[str, ...]:
    """What came with a message that the bot cannot read: file names, and shared messages or links."""
    files = tuple(f.get("name") or f.get("title") or "a file" for f in event.get("files") or [])
    shared = tuple("a shared message" for a in event.get("attachments") or [] if not a.get("from_url"))
    return files + shared


def asked_from_event(event: dict[str, Any], body: dict[str, Any] | None = None) -> Asked | None:
    """An app_mention or a DM message (with its event envelope); None when there is nothing to answer
    (no words and no files)."""
    if not is_from_a_person(event) or not has_a_place(event):
        return None
    text, files = plain_text(event.get("text", "")), attachments_of(event)
    if not text and not files:
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
        files=files,
    )


def officer_reply_from_event(event: dict[str, Any]) -> OfficerReply | None:
    thread_ts = event.get("thread_ts")
    if not is_from_a_person(event) or not has_a_place(event) or not thread_ts or thread_ts == event["ts"]:
        return None
    return OfficerReply(
        user=event["user"],
        channel=event["channel"],
        ts=event["ts"],
        thread_ts=thread_ts,
        text=event.get("text", ""),
        files=attachments_of(event),
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


def vote_from_click(click: Click) -> tuple[Click, bool] | None:
    """A press of the native feedback buttons ("helpful:12"): the click on answer 12, and whether
    it was helpful; None for a value we did not write."""
    vote, _, record_id = click.value.partition(":")
    if vote not in ("helpful", "not_helpful"):
        return None
    return replace(click, value=record_id), vote == "helpful"


def slash_from_body(body: dict[str, Any]) -> SlashCommand:
    return SlashCommand(
        user=body["user_id"],
        channel=body["channel_id"],
        text=plain_text(body.get("text") or ""),
        response_url=body["response_url"],
    )
