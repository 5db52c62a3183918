"""Escalations to national officers, kept in SQL so that nothing is lost across restarts.

An escalation is written here FIRST; each officers' board it goes to (Slack, Teams) gets a `cards`
row with its own delivery state (pending/failed, attempts, next_attempt_at), retried until that
board takes the card. The member's conversation is a platform-neutral address; officers are kept by
officer id (`jane`, or an account such as `slack:U123` for officers known only by one account).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    delete,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs, Member, iso
from bot.reply import Reply, Turn
from bot.settings import StoreSettings
from bot.storage import Base, SqlStore, utcnow

__all__ = [
    "Backoff",
    "Card",
    "Delivery",
    "Escalation",
    "EscalationStore",
    "NewEscalation",
    "Status",
    "utcnow",
]

ID = Text  # platform ids: Teams conversation ids pass 100 characters, so no length is assumed
PERSON = String(255)  # officer ids and accounts (`teams:29:1abc...`)


class Status(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Delivery(StrEnum):
    PENDING = "pending"  # not tried yet (or being tried right now)
    DELIVERED = "delivered"
    FAILED = "failed"  # the last try failed; tried again at next_attempt_at
    GAVE_UP = "gave_up"  # a member's message that cannot be delivered (never an officers' card)


class AddressColumns:
    """A ConversationAddress stored as columns, so escalations can be found by conversation."""

    platform: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(ID)
    thread_id: Mapped[str | None] = mapped_column(ID, default=None)
    user_id: Mapped[str] = mapped_column(PERSON)
    tenant_or_team: Mapped[str | None] = mapped_column(PERSON, default=None)
    service_url: Mapped[str | None] = mapped_column(Text, default=None)
    reference_json: Mapped[str | None] = mapped_column(Text, default=None)  # Teams ConversationReference
    message_id: Mapped[str | None] = mapped_column(ID, default=None)  # the member's question message

    @property
    def address(self) -> ConversationAddress:
        return ConversationAddress(
            platform=self.platform,  # type: ignore[arg-type]
            conversation_id=self.conversation_id,
            thread_id=self.thread_id,
            user_id=self.user_id,
            tenant_or_team=self.tenant_or_team,
            service_url=self.service_url,
            reference=json.loads(self.reference_json) if self.reference_json else None,
        )


def address_columns(address: ConversationAddress, message_id: str | None) -> dict[str, Any]:
    return {
        "platform": address.platform,
        "conversation_id": address.conversation_id,
        "thread_id": address.thread_id or None,
        "user_id": address.user_id,
        "tenant_or_team": address.tenant_or_team,
        "service_url": address.service_url,
        "reference_json": json.dumps(address.reference) if address.reference else None,
        "message_id": message_id or None,
    }


class Escalation(AddressColumns, Base):
    __tablename__ = "escalations"
    __table_args__ = (
        Index("ix_escalations_conversation", "platform", "conversation_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # ours: MIP-2026-0001
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    claimed_by: Mapped[str | None] = mapped_column(PERSON, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(PERSON, default=None)
    question: Mapped[str] = mapped_column(Text)
    thread_json: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str] = mapped_column(String(32))
    draft_json: Mapped[str | None] = mapped_column(Text, default=None)
    external: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def draft(self) -> Reply | None:
        return Reply.model_validate_json(self.draft_json) if self.draft_json else None

    @property
    def thread(self) -> list[Turn]:
        return [Turn.model_validate(turn) for turn in json.loads(self.thread_json or "[]")]

    @property
    def is_open(self) -> bool:
        return self.status != Status.RESOLVED


class Card(Base):
    """One escalation's card on one officers' board, with that board's delivery state."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("escalation_id", "board", name="uq_cards_escalation_board"),
        Index("ix_cards_board_card", "board", "card_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    board: Mapped[str] = mapped_column(String(16))  # the board's platform: "slack" | "teams"
    channel: Mapped[str | None] = mapped_column(ID, default=None)  # where it was posted
    card_id: Mapped[str | None] = mapped_column(ID, default=None)  # its id on that board
    delivery_state: Mapped[str] = mapped_column(String(16), default=Delivery.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    # When a post began whose outcome is unknown (the process died, or a 5xx): the next deliverer
    # looks for the card on the board first (bot/desk/desk.py `_deliver`).
    attempt_started_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEntry(Base):
    """Who did what to an escalation, and when. Never the text of a message."""

    __tablename__ = "escalation_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(PERSON)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200), default="")


class ReferenceCounter(Base):
    __tablename__ = "escalation_reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class NewEscalation:
    address: ConversationAddress
    question: str
    reason: str
    message_id: str | None = None
    draft: Reply | None = None
    thread: list[Turn] = field(default_factory=list)
    external: bool = False
    boards: tuple[str, ...] = ()  # the officers' boards that get a card


@dataclass(frozen=True)
class Backoff:
    """When to try a failed delivery again: doubling from base, capped, never sooner than Retry-After."""

    base_seconds: float = 5.0
    max_seconds: float = 900.0
    lease_seconds: float = 120.0  # how long one deliverer owns a card before another may try

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        doubling = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        return timedelta(seconds=max(doubling, retry_after or 0.0))


class EscalationStore(SqlStore):
    def __init__(self, url: str, backoff: Backoff | None = None, timeouts: StoreSettings | None = None) -> None:
        super().__init__(url, timeouts)
        self.backoff = backoff or Backoff()

    # --- creating and finding ---

    def open(self, new: NewEscalation) -> Escalation:
        """Write the escalation and its cards, leased to the caller, who delivers them straight away."""
        for _ in range(5):  # two first-of-the-year inserts can race on the counter row
            try:
                return self._insert(new)
            except IntegrityError:
                continue
        raise RuntimeError("could not allocate an escalation reference")

    def _insert(self, new: NewEscalation) -> Escalation:
        with self._session() as session:
            now = utcnow()
            row = Escalation(
                reference=self._next_reference(session, now.year),
                question=new.question,
                thread_json=json.dumps([turn.model_dump() for turn in new.thread]),
                reason=new.reason,
                draft_json=new.draft.model_dump_json() if new.draft else None,
                external=new.external,
                created_at=now,
                **address_columns(new.address, new.message_id),
            )
            session.add(row)
            session.flush()
            lease = now + timedelta(seconds=self.backoff.lease_seconds)
            session.add_all(Card(escalation_id=row.id, board=b, next_attempt_at=lease) for b in new.boards)
            session.add(
                AuditEntry(
                    escalation_id=row.id, actor=new.address.account, action="created", detail=new.reason
                )
            )
            return row

    @staticmethod
    def _next_reference(session: Session, year: int) -> str:
        """UPDATE first so the counter row is locked (PostgreSQL) or the database is (SQLite)."""
        bumped = session.execute(
            update(ReferenceCounter)
            .where(ReferenceCounter.year == year)
            .values(last=ReferenceCounter.last + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            session.add(ReferenceCounter(year=year, last=1))
            session.flush()
        last = session.scalar(select(ReferenceCounter.last).where(ReferenceCounter.year == year))
        return f"MIP-{year}-{last:04d}"

    def get(self, escalation_id: int) -> Escalation | None:
        with self._session() as session:
            return session.get(Escalation, escalation_id)

    def by_reference(self, reference: str) -> Escalation | None:
        return self._first(select(Escalation).where(Escalation.reference == reference))

    def find_by_card(self, board: str, card_id: str) -> Escalation | None:
        query = (
            select(Escalation)
            .join(Card, Card.escalation_id == Escalation.id)
            .where(Card.board == board, Card.card_id == card_id)
        )
        return self._first(query)

    def find_open_for_question(self, address: ConversationAddress, message_id: str) -> Escalation | None:
        query = select(Escalation).where(
            Escalation.platform == address.platform,
            Escalation.conversation_id == address.conversation_id,
            Escalation.message_id == message_id,
            Escalation.status != Status.RESOLVED,
        )
        return self._first(query)

    def find_open_for_thread(self, address: ConversationAddress) -> Escalation | None:
        """The member's thread is with an officer until they resolve it: later messages belong to it."""
        thread = (
            Escalation.thread_id == address.thread_id if address.thread_id else Escalation.thread_id.is_(None)
        )
        query = (
            select(Escalation)
            .where(
                Escalation.platform == address.platform,
                Escalation.conversation_id == address.conversation_id,
                thread,
                Escalation.status != Status.RESOLVED,
            )
            .order_by(Escalation.created_at.desc())
        )
        return self._first(query)

    def open_queue(self) -> list[Escalation]:
        query = select(Escalation).where(Escalation.status != Status.RESOLVED).order_by(Escalation.created_at)
        with self._session() as session:
            return list(session.scalars(query))

    def _first(self, query) -> Escalation | None:  # type: ignore[no-untyped-def]
        with self._session() as session:
            return session.scalars(query.limit(1)).first()

    # --- cards and their delivery ---

    def cards(self, escalation_id: int) -> list[Card]:
        query = select(Card).where(Card.escalation_id == escalation_id).order_by(Card.id)
        with self._session() as session:
            return list(session.scalars(query))

    def card(self, card_pk: int) -> Card | None:
        with self._session() as session:
            return session.get(Card, card_pk)

    def due_cards(self, due_before: datetime, boards: tuple[str, ...]) -> list[int]:
        """Undelivered cards on these boards whose next attempt is due, oldest first."""
        query = select(Card.id).where(
            Card.board.in_(boards),
            Card.delivery_state != Delivery.DELIVERED,
            Card.next_attempt_at <= due_before,
        )
        with self._session() as session:
            return list(session.scalars(query.order_by(Card.id)))

    def lease(self, card_pk: int, due_before: datetime) -> bool:
        """Take one undelivered card for delivery; False if delivered or someone else holds it."""
        with self._session() as session:
            taken = session.execute(
                update(Card)
                .where(
                    Card.id == card_pk,
                    Card.delivery_state != Delivery.DELIVERED,
                    Card.next_attempt_at <= due_before,
                )
                .values(next_attempt_at=utcnow() + timedelta(seconds=self.backoff.lease_seconds))
            )
            return taken.rowcount == 1  # type: ignore[attr-defined]

    def begin_attempt(self, card_pk: int) -> None:
        """Note that a post is about to start (kept from the earliest attempt not known to have failed)."""
        with self._session() as session:
            card = session.get_one(Card, card_pk)
            card.attempt_started_at = card.attempt_started_at or utcnow()

    def mark_delivered(self, card_pk: int, channel: str | None, card_id: str) -> None:
        with self._session() as session:
            card = session.get_one(Card, card_pk)
            card.delivery_state, card.channel, card.card_id = Delivery.DELIVERED, channel, card_id
            card.attempts += 1
            card.last_error = card.attempt_started_at = None
            session.add(
                AuditEntry(
                    escalation_id=card.escalation_id, actor="rightsbot", action="delivered", detail=card.board
                )
            )

    def mark_failed(
        self, card_pk: int, error: str, retry_after: float | None = None, maybe_posted: bool = False
    ) -> Card:
        """`maybe_posted`: the board may have posted it anyway (a 5xx, a timeout), so the next try
        looks for it before posting again."""
        with self._session() as session:
            card = session.get_one(Card, card_pk)
            card.delivery_state = Delivery.FAILED
            card.attempts += 1
            card.last_error = error[:200]
            card.next_attempt_at = utcnow() + self.backoff.delay(card.attempts, retry_after)
            if not maybe_posted:
                card.attempt_started_at = None
            detail = f"{card.board} attempt {card.attempts}: {error}"[:200]
            session.add(
                AuditEntry(
                    escalation_id=card.escalation_id,
                    actor="rightsbot",
                    action="delivery_failed",
                    detail=detail,
                )
            )
            return card

    # --- officers' actions ---

    def claim(self, escalation_id: int, officer_id: str) -> tuple[Escalation | None, bool]:
        """Claim an open escalation; returns the record and whether this call claimed it.
        First officer wins without locks: a conditional UPDATE and its row count."""
        with self._session() as session:
            claimed = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == Status.OPEN)
                .values(status=Status.CLAIMED, claimed_by=officer_id, claimed_at=utcnow())
            )
            changed = claimed.rowcount == 1  # type: ignore[attr-defined]
            if changed:
                session.add(AuditEntry(escalation_id=escalation_id, actor=officer_id, action="claimed"))
        return self.get(escalation_id), changed

    def resolve(self, escalation_id: int, officer_id: str) -> tuple[Escalation | None, bool]:
        with self._session() as session:
            resolved = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status != Status.RESOLVED)
                .values(status=Status.RESOLVED, resolved_by=officer_id, resolved_at=utcnow())
            )
            changed = resolved.rowcount == 1  # type: ignore[attr-defined]
            if changed:
                session.add(AuditEntry(escalation_id=escalation_id, actor=officer_id, action="resolved"))
        return self.get(escalation_id), changed

    def attach_thread(self, escalation_id: int, thread_id: str) -> Escalation:
        """For escalations that start without a thread (a slash command): the message that holds it."""
        with self._session() as session:
            row = session.get_one(Escalation, escalation_id)
            row.thread_id = row.message_id = thread_id
            return row

    def record(self, escalation_id: int, actor: str, action: str, detail: str = "") -> None:
        with self._session() as session:
            session.add(
                AuditEntry(escalation_id=escalation_id, actor=actor, action=action, detail=detail[:200])
            )

    def audit(self, escalation_id: int) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.escalation_id == escalation_id).order_by(AuditEntry.id)
        with self._session() as session:
            return list(session.scalars(query))

    # --- retention and subject access (bot/data_rights.py) ---

    categories = {
        "escalations": "cases handed to officers: the question and earlier turns, reason, status, dates, "
        "who claimed and resolved it, the draft answer, where it was asked",
        "escalation_cards": "where each case's card was posted for officers, and its delivery state",
        "escalation_audit": "who did what to a case and when (never message text)",
    }

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]:
        """Delete escalations whose last activity (resolved, else claimed, else opened) is before the
        `escalations` cutoff, with their cards and audit; rows deleted per table."""
        last_activity = func.coalesce(Escalation.resolved_at, Escalation.claimed_at, Escalation.created_at)
        with self._session() as session:
            ids = list(session.scalars(select(Escalation.id).where(last_activity < cutoffs.before("escalations"))))
            if not ids:
                return dict.fromkeys(self.categories, 0)
            audit = session.execute(delete(AuditEntry).where(AuditEntry.escalation_id.in_(ids)))
            cards = session.execute(delete(Card).where(Card.escalation_id.in_(ids)))
            session.execute(delete(Escalation).where(Escalation.id.in_(ids)))
            return {
                "escalations": len(ids),
                "escalation_cards": cards.rowcount or 0,  # type: ignore[attr-defined]
                "escalation_audit": audit.rowcount or 0,  # type: ignore[attr-defined]
            }

    def export_member(self, member: Member) -> dict[str, list[dict[str, Any]]]:
        """Escalations the member raised, their cards, and audit entries about them or by them."""
        theirs = or_(*(and_(Escalation.platform == p, Escalation.user_id == u) for p, u in member.accounts))
        with self._session() as session:
            rows = list(session.scalars(select(Escalation).where(theirs).order_by(Escalation.id)))
            ids = [row.id for row in rows]
            about = or_(AuditEntry.escalation_id.in_(ids), AuditEntry.actor.in_(member.account_keys))
            audit = list(session.scalars(select(AuditEntry).where(about).order_by(AuditEntry.id)))
            cards = list(session.scalars(select(Card).where(Card.escalation_id.in_(ids)).order_by(Card.id)))
        by_id = {row.id: row.reference for row in rows}
        return {
            "escalations": [escalation_export(row) for row in rows],
            "escalation_cards": [
                {"reference": by_id[c.escalation_id], "board": c.board, "state": c.delivery_state}
                for c in cards
            ],
            "escalation_audit": [
                {
                    "reference": by_id.get(a.escalation_id),
                    "at": iso(a.at),
                    "actor": a.actor,
                    "action": a.action,
                    "detail": a.detail,
                }
                for a in audit
            ],
        }


def escalation_export(row: Escalation) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "platform": row.platform,
        "user_id": row.user_id,
        "conversation_id": row.conversation_id,
        "thread_id": row.thread_id,
        "message_id": row.message_id,
        "question": row.question,
        "earlier_turns": [turn.model_dump() for turn in row.thread],
        "reason": row.reason,
        "status": row.status,
        "created_at": iso(row.created_at),
        "claimed_at": iso(row.claimed_at),
        "claimed_by": row.claimed_by,
        "resolved_at": iso(row.resolved_at),
        "resolved_by": row.resolved_by,
        "draft_answer": row.draft.answer if row.draft else None,
        "external": row.external,
    }
