"""The desk's OfficerBoard on Slack: escalation cards in the officers' channel, with Claim and Resolve."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.address import split_account
from bot.desk.ports import CardView
from bot.slack import blocks
from bot.slack.client import delivery_error
from bot.slack.marks import CARD_EVENT, find_marked, mark

log = logging.getLogger("rightsbot.slack.board")


class SlackOfficerBoard:
    platform = "slack"

    def __init__(self, client: WebClient, officers_channel: str) -> None:
        self.client = client
        self.officers_channel = officers_channel

    @property
    def channel(self) -> str | None:
        return self.officers_channel

    def post(self, card: CardView) -> str:
        try:
            posted = self.client.chat_postMessage(
                channel=self.officers_channel,
                text=blocks.card_text(card),
                blocks=blocks.card_blocks(card, self.permalink(card)),
                metadata=mark(CARD_EVENT, reference=card.reference),
                unfurl_links=False,
            )
        except SlackApiError as error:
            raise delivery_error(error) from error
        return str(posted["ts"])

    def find(self, card: CardView, since: datetime) -> str | None:
        """The card in the officers' channel, by the reference in its metadata."""
        wanted = (CARD_EVENT, "reference", card.reference)
        return find_marked(self.client, self.officers_channel, None, since, wanted)

    def refresh(self, card_id: str, card: CardView) -> None:
        self.client.chat_update(
            channel=self.officers_channel,
            ts=card_id,
            text=blocks.card_text(card),
            blocks=blocks.card_blocks(card, self.permalink(card)),
        )

    def add(
        self, card_id: str | None, card: CardView, text: str, author: str, attachments: tuple[str, ...] = ()
    ) -> None:
        """Under the card, or beside it with the reference when the card is not delivered yet. The
        member's text is plain (Slack's escaping was decoded on the way in): escaped once here."""
        platform, user_id = split_account(author)
        who = f"<@{user_id}>" if platform == "slack" else f"the member (in {platform.title()})"
        self.client.chat_postMessage(
            channel=self.officers_channel,
            thread_ts=card_id,
            text=blocks.member_added_text(card.reference, who, text, attachments),
            blocks=blocks.member_added_blocks(card.reference, who, text, attachments),
            unfurl_links=False,
        )

    def permalink(self, card: CardView) -> str | None:
        """A link to the member's message, when they asked in Slack."""
        member = card.member
        message = card.message_id or member.thread_id
        if member.platform != "slack" or not message:
            return None
        try:
            found = self.client.chat_getPermalink(channel=member.conversation_id, message_ts=message)
            return found.get("permalink")
        except SlackApiError as error:
            log.warning("no permalink ref=%s error=%s", card.reference, error.response.get("error"))
            return None
