"""The escalation desk: write the escalation first, then keep trying to put its card in front of officers.

Stateless over a WebClient and the EscalationStore, so the app, the retry worker and tests can each
build one over the same database and get the same behaviour.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.escalations import Delivery, Escalation, EscalationStore, NewEscalation, utcnow
from bot.slack import blocks
from bot.slack.model import Asked, OfficerReply

log = logging.getLogger("rightsbot.slack.desk")

RELAY_EVENT = "rightsbot_officer_reply"  # message metadata marking an officer's relayed reply
RELAY_BLOCK = "officer_relay"  # the same mark in the blocks, for workspaces that strip metadata


class EscalationDesk:
    def __init__(self, client: WebClient, store: EscalationStore, officers_channel: str | None) -> None:
        self.client = client
        self.store = store
        self.officers_channel = officers_channel

    def escalate(self, new: NewEscalation) -> Escalation:
        escalation = self.store.open(new)
        log.info("escalation opened id=%s ref=%s reason=%s", escalation.id, escalation.reference, new.reason)
        return escalation

    # --- delivering the card ---

    def deliver(self, escalation_id: int) -> bool:
        """Post the card once; on failure record when to try again. The caller holds the lease."""
        escalation = self.store.get(escalation_id)
        if escalation is None or escalation.delivery_state == Delivery.DELIVERED:
            return escalation is not None
        try:
            posted = self._post_card(escalation)
        except SlackApiError as error:
            self._failed(
                escalation,
                error.response.get("error") or f"http {error.response.status_code}",
                retry_after(error),
            )
            return False
        except Exception as error:  # connection refused, timeouts: the same answer, try later
            self._failed(escalation, type(error).__name__, None)
            return False
        self.store.mark_delivered(escalation.id, posted["channel"], posted["ts"])
        log.info("escalation card delivered id=%s", escalation.id)
        return True

    def _post_card(self, escalation: Escalation) -> dict:
        if not self.officers_channel:
            raise RuntimeError("no officers channel configured")
        return self.client.chat_postMessage(
            channel=self.officers_channel,
            text=blocks.card_text(escalation),
            blocks=blocks.card_blocks(escalation, self.permalink(escalation)),
            unfurl_links=False,
        ).data  # type: ignore[return-value]

    def _failed(self, escalation: Escalation, error: str, wait: float | None) -> None:
        updated = self.store.mark_failed(escalation.id, error, wait)
        log.warning(
            "escalation card not delivered id=%s error=%s attempt=%s next=%s",
            escalation.id,
            error,
            updated.delivery_attempts,
            updated.next_attempt_at.isoformat(),
        )

    def deliver_pending(self, *, include_not_yet_due: bool = False) -> int:
        """Deliver every undelivered card that is due (all of them at start-up); returns how many."""
        due_before = utcnow() + (timedelta(days=36500) if include_not_yet_due else timedelta(0))
        delivered = 0
        for escalation_id in self.store.due_for_delivery(due_before):
            if self.store.lease(escalation_id, due_before):
                delivered += self.deliver(escalation_id)
        return delivered

    def permalink(self, escalation: Escalation) -> str | None:
        if not escalation.question_ts:
            return None
        try:
            found = self.client.chat_getPermalink(
                channel=escalation.channel, message_ts=escalation.question_ts
            )
            return found.get("permalink")
        except SlackApiError as error:
            log.warning("no permalink id=%s error=%s", escalation.id, error.response.get("error"))
            return None

    # --- after delivery ---

    def refresh_card(self, escalation: Escalation) -> None:
        if not (escalation.card_channel and escalation.card_ts):
            return
        self.client.chat_update(
            channel=escalation.card_channel,
            ts=escalation.card_ts,
            text=blocks.card_text(escalation),
            blocks=blocks.card_blocks(escalation, self.permalink(escalation)),
        )

    def tell_member(self, escalation: Escalation, text: str) -> None:
        self.client.chat_postMessage(
            channel=escalation.channel, thread_ts=escalation.thread_ts or None, text=text, unfurl_links=False
        )

    def add_to_case(self, escalation: Escalation, asked: Asked) -> None:
        """A member's later message in an escalated thread, under the card where officers work on it."""
        channel = escalation.card_channel or self.officers_channel
        if not channel:
            raise RuntimeError("no officers channel configured")
        self.client.chat_postMessage(
            channel=channel,
            thread_ts=escalation.card_ts,  # None until the card is delivered: then the reference says which
            text=blocks.member_added_text(escalation.reference, asked.user, asked.text, asked.files),
            blocks=blocks.member_added_blocks(escalation.reference, asked.user, asked.text, asked.files),
            unfurl_links=False,
        )
        self.store.record(escalation.id, asked.user, "member_added")

    def relay(self, escalation: Escalation, reply: OfficerReply) -> None:
        """Send an officer's words to the member's thread, attributed, and marked for thread history."""
        self.client.chat_postMessage(
            channel=escalation.channel,
            thread_ts=escalation.thread_ts or None,
            text=reply.text,
            blocks=[
                {
                    **blocks.context(f"<@{reply.user}> · national officer · {escalation.reference}"),
                    "block_id": RELAY_BLOCK,
                },
                *blocks.sections(reply.text),
            ],
            metadata={"event_type": RELAY_EVENT, "event_payload": {"reference": escalation.reference}},
            unfurl_links=False,
        )
        self.store.record(escalation.id, reply.user, "relayed")


def retry_after(error: SlackApiError) -> float | None:
    """Slack's Retry-After header on a 429, in seconds."""
    headers = getattr(error.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return float(value)
            except ValueError:
                return None
    return None
