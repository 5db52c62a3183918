"""Escalations to national officers, kept in SQL so that nothing is lost across restarts.

An escalation is written here FIRST; posting its card to the officers' channel comes after and is
retried from the delivery state (pending/failed, attempts, next_attempt_at) until it succeeds.
The same database remembers which Slack event ids were already handled, so a retried event is never
answered twice. SQLite by default, PostgreSQL when RIGHTSBOT_DATABASE_URL says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import (
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bot.reply import Reply, Turn


class Status(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Delivery(StrEnum):
    PENDING = "pending"  # not tried yet (or being tried right now)
    DELIVERED = "delivered"
    FAILED = "failed"  # the last try failed; tried again at next_attempt_at


def utcnow() -> datetime:
    """Naive UTC, because SQLite drops time zones and both backends must compare alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    """One engine per store; SQLite gets its folder created and a patient lock timeout."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


class Base(DeclarativeBase):
    pass


class Escalation(Base):
    __tablename__ = "escalations"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(32), default=None)
    member_user: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    question_ts: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(Text)
    thread_json: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str] = mapped_column(String(32))
    draft_json: Mapped[str | None] = mapped_column(Text, default=None)
    card_channel: Mapped[str | None] = mapped_column(String(32), default=None)
    card_ts: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    delivery_state: Mapped[str] = mapped_column(String(16), default=Delivery.PENDING, index=True)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)

    @property
    def draft(self) -> Reply | None:
        return Reply.model_validate_json(self.draft_json) if self.draft_json else None

    @property
    def thread(self) -> list[Turn]:
        return [Turn.model_validate(turn) for turn in json.loads(self.thread_json or "[]")]

    @property
    def is_open(self) -> bool:
        return self.status != Status.RESOLVED


class AuditEntry(Base):
    """Who did what to an escalation, and when. Never the text of a message."""

    __tablename__ = "escalation_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200), default="")


class ReferenceCounter(Base):
    __tablename__ = "escalation_reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class SeenEvent(Base):
    """Slack event ids already handled: Slack retries the same event_id when an ack looked late."""

    __tablename__ = "slack_seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


@dataclass(frozen=True)
class NewEscalation:
    member_user: str
    channel: str
    thread_ts: str
    question_ts: str
    question: str
    reason: str
    draft: Reply | None = None
    thread: list[Turn] = field(default_factory=list)


@dataclass(frozen=True)
class Backoff:
    """When to try a failed delivery again: doubling from base, capped, never sooner than Retry-After."""

    base_seconds: float = 5.0
    max_seconds: float = 900.0
    lease_seconds: float = 120.0  # how long one deliverer owns a record before another may try

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        doubling = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        return timedelta(seconds=max(doubling, retry_after or 0.0))


class SqlStore:
    """One database with its tables created at start-up, used in short transactions."""

    def __init__(self, url: str, metadata: MetaData) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        metadata.create_all(self.engine)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session


class EscalationStore(SqlStore):
    def __init__(self, url: str, backoff: Backoff | None = None) -> None:
        super().__init__(url, Base.metadata)
        self.backoff = backoff or Backoff()

    # --- creating and finding ---

    def open(self, new: NewEscalation) -> Escalation:
        """Write the escalation, leased to the caller, who delivers its card straight away."""
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
                member_user=new.member_user,
                channel=new.channel,
                thread_ts=new.thread_ts,
                question_ts=new.question_ts,
                question=new.question,
                thread_json=json.dumps([turn.model_dump() for turn in new.thread]),
                reason=new.reason,
                draft_json=new.draft.model_dump_json() if new.draft else None,
                created_at=now,
                next_attempt_at=now + timedelta(seconds=self.backoff.lease_seconds),
            )
            session.add(row)
            session.flush()
            session.add(
                AuditEntry(escalation_id=row.id, actor=new.member_user, action="created", detail=new.reason)
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

    def find_by_card(self, channel: str, card_ts: str) -> Escalation | None:
        query = select(Escalation).where(Escalation.card_channel == channel, Escalation.card_ts == card_ts)
        return self._first(query)

    def find_open_for_question(self, channel: str, question_ts: str) -> Escalation | None:
        query = select(Escalation).where(
            Escalation.channel == channel,
            Escalation.question_ts == question_ts,
            Escalation.status != Status.RESOLVED,
        )
        return self._first(query)

    def find_open_for_thread(self, channel: str, thread_ts: str) -> Escalation | None:
        """The member's thread is with an officer until they resolve it: later messages belong to it."""
        query = (
            select(Escalation)
            .where(
                Escalation.channel == channel,
                Escalation.thread_ts == thread_ts,
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

    # --- delivery of the officers' card ---

    def due_for_delivery(self, due_before: datetime) -> list[int]:
        query = select(Escalation.id).where(
            Escalation.delivery_state != Delivery.DELIVERED, Escalation.next_attempt_at <= due_before
        )
        with self._session() as session:
            return list(session.scalars(query.order_by(Escalation.id)))

    def lease(self, escalation_id: int, due_before: datetime) -> bool:
        """Take one undelivered record for delivery; False if delivered or someone else holds it."""
        with self._session() as session:
            taken = session.execute(
                update(Escalation)
                .where(
                    Escalation.id == escalation_id,
                    Escalation.delivery_state != Delivery.DELIVERED,
                    Escalation.next_attempt_at <= due_before,
                )
                .values(next_attempt_at=utcnow() + timedelta(seconds=self.backoff.lease_seconds))
            )
            return taken.rowcount == 1  # type: ignore[attr-defined]

    def mark_delivered(self, escalation_id: int, card_channel: str, card_ts: str) -> None:
        with self._session() as session:
            row = session.get_one(Escalation, escalation_id)
            row.delivery_state, row.card_channel, row.card_ts = Delivery.DELIVERED, card_channel, card_ts
            row.delivery_attempts += 1
            row.last_error = None
            session.add(AuditEntry(escalation_id=row.id, actor="rightsbot", action="delivered"))

    def mark_failed(self, escalation_id: int, error: str, retry_after: float | None = None) -> Escalation:
        with self._session() as session:
            row = session.get_one(Escalation, escalation_id)
            row.delivery_state = Delivery.FAILED
            row.delivery_attempts += 1
            row.last_error = error[:200]
            row.next_attempt_at = utcnow() + self.backoff.delay(row.delivery_attempts, retry_after)
            detail = f"attempt {row.delivery_attempts}: {error}"[:200]
            session.add(
                AuditEntry(escalation_id=row.id, actor="rightsbot", action="delivery_failed", detail=detail)
            )
            return row

    # --- officers' actions ---

    def claim(self, escalation_id: int, officer: str) -> tuple[Escalation | None, bool]:
        """Claim an open escalation; returns the record and whether this call claimed it."""
        with self._session() as session:
            claimed = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == Status.OPEN)
                .values(status=Status.CLAIMED, claimed_by=officer, claimed_at=utcnow())
            )
            changed = claimed.rowcount == 1  # type: ignore[attr-defined]
            if changed:
                session.add(AuditEntry(escalation_id=escalation_id, actor=officer, action="claimed"))
        return self.get(escalation_id), changed

    def resolve(self, escalation_id: int, officer: str) -> tuple[Escalation | None, bool]:
        with self._session() as session:
            resolved = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status != Status.RESOLVED)
                .values(status=Status.RESOLVED, resolved_by=officer, resolved_at=utcnow())
            )
            changed = resolved.rowcount == 1  # type: ignore[attr-defined]
            if changed:
                session.add(AuditEntry(escalation_id=escalation_id, actor=officer, action="resolved"))
        return self.get(escalation_id), changed

    def attach_thread(self, escalation_id: int, thread_ts: str) -> None:
        """For escalations that start without a thread (a slash command): the DM message that holds it."""
        with self._session() as session:
            row = session.get_one(Escalation, escalation_id)
            row.thread_ts = row.question_ts = thread_ts

    def record(self, escalation_id: int, actor: str, action: str, detail: str = "") -> None:
        with self._session() as session:
            session.add(
                AuditEntry(escalation_id=escalation_id, actor=actor, action=action, detail=detail[:200])
            )

    def audit(self, escalation_id: int) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.escalation_id == escalation_id).order_by(AuditEntry.id)
        with self._session() as session:
            return list(session.scalars(query))

    # --- Slack event de-duplication ---

    def first_sighting(self, event_id: str) -> bool:
        """True the first time an event id is seen, False for every retry of it (even after a restart)."""
        try:
            with self._session() as session:
                session.add(SeenEvent(event_id=event_id))
            return True
        except IntegrityError:
            return False

    # --- retention ---

    def purge_older_than(self, days: int) -> int:
        """Delete escalations whose last activity is older than the retention period; returns how many."""
        cutoff = utcnow() - timedelta(days=days)
        last_activity = func.coalesce(Escalation.resolved_at, Escalation.created_at)
        with self._session() as session:
            ids = list(session.scalars(select(Escalation.id).where(last_activity < cutoff)))
            if ids:
                session.execute(delete(AuditEntry).where(AuditEntry.escalation_id.in_(ids)))
                session.execute(delete(Escalation).where(Escalation.id.in_(ids)))
            return len(ids)

    def purge_seen_events(self, older_than: timedelta = timedelta(days=2)) -> int:
        """Slack stops retrying within minutes; two days of event ids is plenty."""
        with self._session() as session:
            gone = session.execute(delete(SeenEvent).where(SeenEvent.seen_at < utcnow() - older_than))
            return gone.rowcount or 0  # type: ignore[attr-defined]
