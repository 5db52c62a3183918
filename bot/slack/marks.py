"""Message metadata that names what the bot posted, so a post whose reply was lost (the process
died, a 5xx after Slack had posted) is found again instead of posted twice.

chat.postMessage takes `metadata` ({event_type, event_payload}); conversations.history and
conversations.replies return it with `include_all_metadata=true`, and `oldest` (a Slack ts, seconds
since the epoch) bounds the search to messages posted since the earlier attempt began.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.slack.client import delivery_error

log = logging.getLogger("rightsbot.slack.marks")

ANSWER_EVENT = "rightsbot_answer"  # a member's answer (or apology): {"key": "<message ts>:<purpose>:<page>"}
CARD_EVENT = "rightsbot_escalation"  # an officers' card: {"reference": "MIP-2026-0001"}
MAX_PAGES = 5  # of 200 messages: far more than a channel gets in the minutes a lookup spans


def mark(event_type: str, **payload: str) -> dict[str, Any]:
    return {"event_type": event_type, "event_payload": payload}


def slack_ts(moment: datetime) -> str:
    """Naive UTC (the stores' clock) as a Slack ts."""
    return f"{moment.replace(tzinfo=UTC).timestamp():.6f}"


def marked(messages: Iterable[dict[str, Any]], event_type: str, field: str, value: str) -> str | None:
    """The ts of the first message carrying our mark with event_payload[field] == value."""
    for message in messages:
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == event_type
            and (metadata.get("event_payload") or {}).get(field) == value
        ):
            return str(message["ts"])
    return None


def find_marked(
    client: WebClient,
    channel: str,
    thread_ts: str | None,
    since: datetime,
    wanted: tuple[str, str, str],
) -> str | None:
    """Look through a channel's history, or a thread's replies when `thread_ts` is given, since
    `since` for a message marked `wanted` = (event_type, payload field, value). A 429 or 5xx raises
    DeliveryError (look again later, do not post); a refusal (a missing scope, an unknown thread)
    returns None: then delivery falls back to at least once."""
    cursor = None
    try:
        for _ in range(MAX_PAGES):
            found = read_page(client, channel, thread_ts, slack_ts(since), cursor)
            if ts := marked(found.get("messages") or [], *wanted):
                return ts
            cursor = (found.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
    except SlackApiError as error:
        refused = delivery_error(error)
        if refused.retry_after is not None or error.response.status_code >= 500:
            raise refused from error
        log.warning("cannot look for an earlier post error=%s", refused.reason)
    return None


def read_page(
    client: WebClient, channel: str, thread_ts: str | None, oldest: str, cursor: str | None
) -> SlackResponse:
    if thread_ts:
        return client.conversations_replies(
            channel=channel, ts=thread_ts, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
        )
    return client.conversations_history(
        channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
    )
