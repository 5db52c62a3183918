"""Messages to members waiting to be posted: a durable outbox in the shared database.

A member's answer (or apology) is written here first, one row per member message, purpose and page,
then posted; a platform that asks us to wait (429, 5xx, a timeout) gets the same leased, backed-off
retries as officers' cards (`Backoff`, never sooner than Retry-After), by whichever replica's
delivery worker leases the row first. Only a permanent refusal, or `DeliveryLimits`, ends it.

What is kept is the channel's rendered message as opaque JSON (Slack: text and blocks; Teams: an
Activity), not the Reply: the desk stays free of Block Kit and Adaptive Cards, and a retry posts
exactly what the member would have seen at the time (its buttons pointing at the answer record made
then), with nothing re-rendered by a newer release. The payload holds the answer and nothing else
of the member's; `question` (their words, for the officers' card if delivery fails for good) and the
payload are both cleared as soon as the row is delivered or given up; the bare row is then purged
with the answer records (`purge_older_than`, the answer retention).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint, delete, false, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.address import ConversationAddress, split_account
from bot.data_rights import Cutoffs, Member
from bot.escalations import AddressColumns, Backoff, Delivery, address_columns
from bot.settings import StoreSettings
from bot.storage import Base, SqlStore, utcnow

__all__ = ["DeliveryLimits", "OutboxEntry", "OutboxStore", "Purpose"]

UNDELIVERED = (Delivery.PENDING, Delivery.FAILED)


class Purpose:
    ANSWER = "answer"  # the bot's answer (or its "I cannot read files" reply)
    APOLOGY = "apology"  # "something went wrong, an officer has your question"


@dataclass(frozen=True)
class DeliveryLimits:
    """When a member's message is given up (then they get an apology and officers a card):
    after `max_attempts` failed tries or once it is `max_age_minutes` old. Officers' cards have no
    limit: an escalation is never dropped."""

    max_attempts: int = 10
    max_age_minutes: float = 60.0

    def exhausted(self, attempts: int, created_at: datetime, now: datetime) -> bool:
        too_old = now - created_at >= timedelta(minutes=self.max_age_minutes)
        return attempts >= self.max_attempts or too_old


class OutboxEntry(AddressColumns, Base):
    """One message to a member: where it goes (the address, with `message_id` the member's message
    it answers), its rendered payload and its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint(
            "platform", "conversation_id", "message_id", "purpose", "page", name="uq_outbox_message_page"
        ),
        Index("ix_outbox_due", "delivery_state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purpose: Mapped[str] = mapped_column(String(16))
    page: Mapped[int] = mapped_column(Integer, default=0)
    payload_json: Mapped[str | None] = mapped_column(Text, default=None)  # cleared once delivered
    question: Mapped[str | None] = mapped_column(Text, default=None)  # for officers if it fails for good
    answer_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the answer record it shows
    external: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    delivery_state: Mapped[str] = mapped_column(String(16), default=Delivery.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When an attempt began whose outcome is unknown (the process died, or a 5xx): look before posting.
    attempt_started_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    sent_id: Mapped[str | None] = mapped_column(Text, default=None)  # the platform's id once posted

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.payload_json or "{}")

    @property
    def key(self) -> str:
        """What names this message on the platform (Slack metadata), so a lost reply can be found."""
        return f"{self.message_id}:{self.purpose}:{self.page}"


class OutboxStore(SqlStore):
    categories = {
        "outbox": "members' messages (answers, apologies) waiting to be posted: the rendered message and "
        "the question until delivered or given up, then only delivery facts",
    }

    def __init__(
        self, url: str, backoff: Backoff | None = None, timeouts: StoreSettings | None = None
    ) -> None:
        super().__init__(url, timeouts)
        self.backoff = backoff or Backoff()

    def enqueue(
        self,
        address: ConversationAddress,
        message_id: str | None,
        purpose: str,
        payloads: list[dict[str, Any]],
        *,
        question: str | None = None,
        answer_id: int | None = None,
        external: bool = False,
    ) -> list[int]:
        """Store a message's pages, leased to the caller, who posts them straight away; returns
        their ids, or [] when this member message already has them (another replica's)."""
        now = utcnow()
        lease = now + timedelta(seconds=self.backoff.lease_seconds)
        rows = [
            OutboxEntry(
                purpose=purpose,
                page=page,
                payload_json=json.dumps(payload),
                question=question,
                answer_id=answer_id,
                external=external,
                created_at=now,
                next_attempt_at=lease,
                **address_columns(address, message_id),
            )
            for page, payload in enumerate(payloads)
        ]
        try:
            with self._session() as session:
                session.add_all(rows)
                session.flush()
                return [row.id for row in rows]
        except IntegrityError:
            return []

    def entry(self, entry_id: int) -> OutboxEntry | None:
        with self._session() as session:
            return session.get(OutboxEntry, entry_id)

    def due(self, due_before: datetime, platforms: tuple[str, ...]) -> list[int]:
        """Undelivered messages on these platforms whose next attempt is due, oldest first."""
        query = select(OutboxEntry.id).where(
            OutboxEntry.platform.in_(platforms),
            OutboxEntry.delivery_state.in_(UNDELIVERED),
            OutboxEntry.next_attempt_at <= due_before,
        )
        with self._session() as session:
            return list(session.scalars(query.order_by(OutboxEntry.id)))

    def lease(self, entry_id: int, due_before: datetime) -> bool:
        """Take one undelivered message for delivery; False if done or someone else holds it."""
        with self._session() as session:
            taken = session.execute(
                update(OutboxEntry)
                .where(
                    OutboxEntry.id == entry_id,
                    OutboxEntry.delivery_state.in_(UNDELIVERED),
                    OutboxEntry.next_attempt_at <= due_before,
                )
                .values(next_attempt_at=utcnow() + timedelta(seconds=self.backoff.lease_seconds))
            )
            return taken.rowcount == 1  # type: ignore[attr-defined]

    def earlier_page_waiting(self, entry: OutboxEntry) -> bool:
        """Whether an earlier page of the same message is still undelivered (pages go in order)."""
        query = select(OutboxEntry.id).where(
            OutboxEntry.platform == entry.platform,
            OutboxEntry.conversation_id == entry.conversation_id,
            OutboxEntry.message_id == entry.message_id,
            OutboxEntry.purpose == entry.purpose,
            OutboxEntry.page < entry.page,
            OutboxEntry.delivery_state != Delivery.DELIVERED,
        )
        with self._session() as session:
            return session.scalars(query.limit(1)).first() is not None

    def wait_for_earlier_page(self, entry_id: int) -> None:
        """Hand the lease back soon: the worker tries again once the earlier page is through."""
        with self._session() as session:
            session.get_one(OutboxEntry, entry_id).next_attempt_at = utcnow() + timedelta(
                seconds=self.backoff.base_seconds
            )

    def begin_attempt(self, entry_id: int) -> None:
        """Note that a post is about to start (kept from the earliest attempt not known to have failed)."""
        with self._session() as session:
            row = session.get_one(OutboxEntry, entry_id)
            row.attempt_started_at = row.attempt_started_at or utcnow()

    def mark_delivered(self, entry_id: int, sent_id: str) -> OutboxEntry:
        """Delivered: the member's words and the answer's text are no longer kept."""
        with self._session() as session:
            row = session.get_one(OutboxEntry, entry_id)
            row.delivery_state, row.sent_id = Delivery.DELIVERED, sent_id
            row.attempts += 1
            row.payload_json = row.question = row.attempt_started_at = row.last_error = None
            return row

    def mark_failed(
        self, entry_id: int, error: str, retry_after: float | None = None, maybe_posted: bool = False
    ) -> OutboxEntry:
        with self._session() as session:
            row = session.get_one(OutboxEntry, entry_id)
            row.delivery_state = Delivery.FAILED
            row.attempts += 1
            row.last_error = error[:200]
            row.next_attempt_at = utcnow() + self.backoff.delay(row.attempts, retry_after)
            if not maybe_posted:
                row.attempt_started_at = None
            return row

    def give_up(self, entry_id: int, error: str) -> None:
        """Never to be tried again, with its later pages; their text goes (the caller has escalated
        the question first)."""
        with self._session() as session:
            row = session.get_one(OutboxEntry, entry_id)
            same_message = (
                OutboxEntry.id == row.id
                if row.message_id is None
                else (OutboxEntry.platform == row.platform)
                & (OutboxEntry.conversation_id == row.conversation_id)
                & (OutboxEntry.message_id == row.message_id)
                & (OutboxEntry.purpose == row.purpose)
            )
            session.execute(
                update(OutboxEntry)
                .where(same_message, OutboxEntry.delivery_state.in_(UNDELIVERED))
                .values(
                    delivery_state=Delivery.GAVE_UP,
                    last_error=error[:200],
                    payload_json=None,
                    question=None,
                    attempt_started_at=None,
                )
            )

    # --- retention and a member's data ---

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]:
        """Delete messages created before the `outbox` cutoff (the answer retention), delivered or not."""
        with self._session() as session:
            gone = session.execute(
                delete(OutboxEntry).where(OutboxEntry.created_at < cutoffs.before("outbox"))
            )
            return {"outbox": gone.rowcount or 0}  # type: ignore[attr-defined]

    def export_member(self, member: Member) -> dict[str, list[dict[str, Any]]]:
        """Every row about one member's messages, on each of their accounts, oldest first."""
        return {
            "outbox": [row for platform, user_id in member.accounts for row in self._rows(platform, user_id)]
        }

    def for_member(self, member_account: str) -> list[dict[str, Any]]:
        """One account's rows (`slack:U123`, `teams:29:1abc`), oldest first. Raises ValueError for a
        malformed account."""
        return self._rows(*split_account(member_account))

    def _rows(self, platform: str, user_id: str) -> list[dict[str, Any]]:
        query = (
            select(OutboxEntry)
            .where(OutboxEntry.platform == platform, OutboxEntry.user_id == user_id)
            .order_by(OutboxEntry.id)
        )
        with self._session() as session:
            return [exported(row) for row in session.scalars(query)]


def exported(row: OutboxEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "thread_id": row.thread_id,
        "message_id": row.message_id,
        "purpose": row.purpose,
        "page": row.page,
        "created_at": row.created_at.isoformat(),
        "delivery_state": row.delivery_state,
        "attempts": row.attempts,
        "sent_id": row.sent_id,
        "question": row.question,
        "payload": row.payload if row.payload_json else None,
    }
