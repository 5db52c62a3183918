"""Posting members' messages from the outbox (bot/outbox.py): leased, in page order, retried with
backoff, looked for before a second post when an earlier attempt's outcome is unknown, and given up
only when the channel refuses for good or `DeliveryLimits` run out.

The desk owns this (it is the one place that decides what happens when a member cannot be reached:
an apology and a failure escalation); channels only `send` a payload they rendered and `find_sent`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.address import ConversationAddress
from bot.desk.ports import DeliveryError, MemberChannel
from bot.escalations import Delivery
from bot.outbox import DeliveryLimits, OutboxEntry, OutboxStore, Purpose
from bot.storage import utcnow

log = logging.getLogger("rightsbot.desk")

# How far before an unknown attempt began to look for its message: the platform's clock is not ours.
LOOK_BACK = timedelta(seconds=60)
GiveUp = Callable[[OutboxEntry, str], None]
Posted = Callable[[OutboxEntry, str], None]


def as_delivery_error(error: Exception, *, maybe_posted: bool = True) -> DeliveryError:
    """Any failure as a DeliveryError; timeouts and surprises may have posted (so look next time)."""
    if isinstance(error, DeliveryError):
        return error
    return DeliveryError(type(error).__name__, maybe_posted=maybe_posted)


def looking_failed(error: Exception) -> DeliveryError:
    """A lookup that failed tells nothing about the earlier post: keep looking before posting."""
    failed = as_delivery_error(error)
    return DeliveryError(failed.reason, failed.retry_after, maybe_posted=True)


def look_from(started_at: datetime | None) -> datetime | None:
    return started_at - LOOK_BACK if started_at is not None else None


class MemberDelivery:
    def __init__(
        self,
        outbox: OutboxStore,
        members: Mapping[str, MemberChannel],
        limits: DeliveryLimits,
        *,
        give_up: GiveUp,
        posted: Posted,
    ) -> None:
        self.outbox = outbox
        self.members = members
        self.limits = limits
        self.on_give_up = give_up
        self.on_posted = posted

    def send(
        self,
        address: ConversationAddress,
        message_id: str | None,
        payloads: list[dict[str, Any]],
        **kept: Any,
    ) -> bool:
        """Store the pages, then post them in order now; True when every page was delivered now.
        `kept` are OutboxStore.enqueue's keywords (purpose, question, answer_id, external)."""
        purpose = kept.pop("purpose", Purpose.ANSWER)
        ids = self.outbox.enqueue(address, message_id, purpose, payloads, **kept)
        results = [self.deliver(entry_id) for entry_id in ids]
        return bool(ids) and all(results)

    def deliver_due(self, due_before: datetime) -> int:
        delivered = 0
        for entry_id in self.outbox.due(due_before, tuple(self.members)):
            if self.outbox.lease(entry_id, due_before):
                delivered += self.deliver(entry_id)
        return delivered

    def deliver(self, entry_id: int) -> bool:
        """Post one message (the caller holds its lease); on failure record when to try again."""
        entry = self.outbox.entry(entry_id)
        channel = self.members.get(entry.platform) if entry else None
        if (
            entry is None
            or channel is None
            or entry.delivery_state not in (Delivery.PENDING, Delivery.FAILED)
        ):
            return False
        if self.outbox.earlier_page_waiting(entry):
            self.outbox.wait_for_earlier_page(entry_id)
            return False
        try:
            sent_id = self.find(channel, entry)
        except Exception as error:
            return self.failed(entry, looking_failed(error))
        if sent_id is None:
            try:
                self.outbox.begin_attempt(entry_id)
                sent_id = channel.send(entry.address, entry.payload, entry.key)
            except Exception as error:
                return self.failed(entry, as_delivery_error(error))
        self.outbox.mark_delivered(entry_id, sent_id)
        try:
            self.on_posted(entry, sent_id)
        except Exception as error:  # the member has it; only Teams' thumbs lose their answer
            log.warning("posted answer not linked id=%s error=%s", entry.id, type(error).__name__)
        return True

    @staticmethod
    def find(channel: MemberChannel, entry: OutboxEntry) -> str | None:
        """The message an earlier attempt may have posted before its answer was lost."""
        since = look_from(entry.attempt_started_at)
        if since is None:
            return None
        found = channel.find_sent(entry.address, entry.key, since)
        if found:
            log.info("member message found already posted id=%s", entry.id)
        return found

    def failed(self, entry: OutboxEntry, error: DeliveryError) -> bool:
        if error.permanent or self.limits.exhausted(entry.attempts + 1, entry.created_at, utcnow()):
            log.warning("member message given up id=%s error=%s", entry.id, error.reason)
            self.on_give_up(entry, error.reason)
            self.outbox.give_up(entry.id, error.reason)
            return False
        row = self.outbox.mark_failed(entry.id, error.reason, error.retry_after, error.maybe_posted)
        log.warning(
            "member message not delivered id=%s error=%s attempt=%s next=%s",
            row.id,
            error.reason,
            row.attempts,
            row.next_attempt_at.isoformat(),
        )
        return False
