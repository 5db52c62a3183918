"""The desk's MemberChannel on Slack: tell a member, or relay an officer's reply, in their thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.address import ConversationAddress, OfficerIdentity
from bot.slack import blocks
from bot.slack.client import delivery_error
from bot.slack.marks import ANSWER_EVENT, find_marked, mark

RELAY_EVENT = "rightsbot_officer_reply"  # message metadata marking an officer's relayed reply
RELAY_BLOCK = "officer_relay"  # the same mark in the blocks, for workspaces that strip metadata


class SlackMemberChannel:
    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def tell(
        self,
        address: ConversationAddress,
        text: str,
        *,
        from_officer: OfficerIdentity | None = None,
        reference: str | None = None,
    ) -> None:
        if from_officer is not None:
            self.relay(address, text, from_officer, reference or "")
            return
        self.client.chat_postMessage(
            channel=address.conversation_id,
            thread_ts=address.thread_id,
            text=blocks.escape(text),
            unfurl_links=False,
        )

    def send(self, address: ConversationAddress, payload: dict[str, Any], key: str) -> str:
        """One page of an answer as `blocks.answer_page` rendered it, marked with `key`."""
        try:
            posted = self.client.chat_postMessage(
                channel=address.conversation_id,
                thread_ts=address.thread_id,
                **payload,
                metadata=mark(ANSWER_EVENT, key=key),
            )
        except SlackApiError as error:
            raise delivery_error(error) from error
        return str(posted["ts"])

    def find_sent(self, address: ConversationAddress, key: str, since: datetime) -> str | None:
        wanted = (ANSWER_EVENT, "key", key)
        return find_marked(self.client, address.conversation_id, address.thread_id, since, wanted)

    def relay(
        self, address: ConversationAddress, text: str, officer: OfficerIdentity, reference: str
    ) -> None:
        """An officer's words, attributed, and marked so thread history counts them as the officer's.
        Slack officers' text is Slack's own mrkdwn already, so it goes as written."""
        self.client.chat_postMessage(
            channel=address.conversation_id,
            thread_ts=address.thread_id,
            text=text,
            blocks=[
                {
                    **blocks.context(f"{blocks.person(officer)} · national officer · {reference}"),
                    "block_id": RELAY_BLOCK,
                },
                *blocks.sections(text),
            ],
            metadata={"event_type": RELAY_EVENT, "event_payload": {"reference": reference}},
            unfurl_links=False,
        )
