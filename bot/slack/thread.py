"""A Slack thread's earlier messages as the engine's Turns (member, bot, officer), newest ten kept."""

from __future__ import annotations

import logging
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reply import Turn
from bot.slack.member_channel import RELAY_BLOCK, RELAY_EVENT
from bot.slack.model import Asked, strip_mentions

log = logging.getLogger("rightsbot.slack.thread")

MAX_TURNS = 10
Role = Literal["member", "bot", "officer"]


def thread_turns(client: WebClient, asked: Asked, bot_user_id: str | None, bot_id: str | None) -> list[Turn]:
    if not asked.in_thread:
        return []
    try:
        found = client.conversations_replies(
            channel=asked.channel, ts=asked.thread_ts, limit=200, include_all_metadata=True
        )
    except SlackApiError as error:  # better an answer without the context than no answer
        log.warning("thread history unavailable error=%s", error.response.get("error"))
        return []
    earlier = [m for m in found.get("messages") or [] if float(m.get("ts", "0")) < float(asked.ts)]
    turns = [turn_of(m, bot_user_id, bot_id) for m in earlier]
    return [turn for turn in turns if turn is not None][-MAX_TURNS:]


def turn_of(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> Turn | None:
    text = strip_mentions(message.get("text", ""))
    if not text:
        return None
    return Turn(role=role_of(message, bot_user_id, bot_id), text=text)


def role_of(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> Role:
    ours = (bot_user_id and message.get("user") == bot_user_id) or (
        bot_id and message.get("bot_id") == bot_id
    )
    if not ours:
        return "member"
    return "officer" if is_relayed(message) else "bot"


def is_relayed(message: dict[str, Any]) -> bool:
    marked = (message.get("metadata") or {}).get("event_type") == RELAY_EVENT
    return marked or any(block.get("block_id") == RELAY_BLOCK for block in message.get("blocks") or [])
