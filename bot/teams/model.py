"""What the Teams edge parses an incoming activity into, so handlers never dig in raw activities.

A Teams channel thread is its own conversation: its id is the channel's id plus `;messageid=<root>`,
so the root post's id is the thread and every reply in it carries the same conversation id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity

from bot.address import ConversationAddress
from bot.teams.cards import ACTION

AT_MENTION = re.compile(r"<at>[^<]*</at>")
THREAD_MARK = ";messageid="


@dataclass(frozen=True)
class Said:
    """A person's message or button press in Teams. `action` and `data` come from an Action.Submit."""

    address: ConversationAddress
    message_id: str | None
    text: str
    action: str | None = None
    data: dict[str, str] | None = None
    channel: str | None = None  # the Teams channel (19:…@thread.tacv2) when said in a team's channel
    teams_user_id: str | None = None  # the sender's Teams user id (29:…), beside their Entra object id

    @property
    def card_thread(self) -> str:
        """Where this was said, as an officers' card id: the channel thread's conversation id."""
        return self.address.conversation_id


def user_key(activity: Activity) -> str:
    """A Teams person's id for the desk: their Entra object id when Teams gives one (what admins list
    in RIGHTSBOT_OFFICERS__PEOPLE as teams:<object id>), else their Teams user id."""
    sender = activity.from_property
    return (sender.aad_object_id or sender.id) if sender else ""


def address_of(activity: Activity) -> ConversationAddress:
    conversation_id = activity.conversation.id
    _, mark, root = conversation_id.partition(THREAD_MARK)
    reference = activity.get_conversation_reference()
    return ConversationAddress(
        platform="teams",
        conversation_id=conversation_id,
        thread_id=root if mark else None,
        user_id=user_key(activity),
        tenant_or_team=activity.conversation.tenant_id or tenant_of(activity),
        service_url=activity.service_url,
        reference=reference.model_dump(mode="json", by_alias=True, exclude_none=True),
    )


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    if isinstance(data, dict):
        return data
    return data.model_dump(by_alias=True) if hasattr(data, "model_dump") else {}


def tenant_of(activity: Activity) -> str | None:
    return id_in(channel_data(activity), "tenant")


def channel_of(activity: Activity) -> str | None:
    return id_in(channel_data(activity), "channel")


def id_in(data: dict[str, Any], name: str) -> str | None:
    """channelData's `{"tenant": {"id": "..."}}` and the like; anything shaped otherwise is no id."""
    found = data.get(name)
    value = found.get("id") if isinstance(found, dict) else None
    return value if isinstance(value, str) else None


def strip_mentions(text: str | None) -> str:
    return " ".join(AT_MENTION.sub(" ", text or "").split())


def said_from(activity: Activity) -> Said | None:
    """A message activity as a question, an officer's reply or a button press; None when empty."""
    data = activity.value if isinstance(activity.value, dict) else None
    action = str(data.get(ACTION)) if data and data.get(ACTION) else None
    text = strip_mentions(activity.text)
    if not text and action is None:
        return None
    return Said(
        address=address_of(activity),
        message_id=activity.id,
        text=text,
        action=action,
        data={k: str(v) for k, v in data.items()} if data else None,
        channel=channel_of(activity),
        teams_user_id=activity.from_property.id if activity.from_property else None,
    )


@dataclass(frozen=True)
class Rating:
    """A press of Teams' built-in thumbs up/down under one of our messages (message/submitAction)."""

    conversation_id: str
    answer_message_id: str  # replyToId: the id the connector gave our answer
    user: str
    helpful: bool


def rating_from(activity: Activity) -> Rating | None:
    value = activity.value if isinstance(activity.value, dict) else {}
    reaction = (value.get("actionValue") or {}).get("reaction")
    if (
        value.get("actionName") != "feedback"
        or reaction not in ("like", "dislike")
        or not activity.reply_to_id
    ):
        return None
    return Rating(activity.conversation.id, activity.reply_to_id, user_key(activity), reaction == "like")
