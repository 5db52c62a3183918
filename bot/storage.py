"""The one SQL database behind escalations, feedback and channel de-duplication.

Every table is declared on `Base`; the schema is changed only by the Alembic migrations shipped in
`bot/migrations/`, which run when a store opens (so an operator never has to remember a command).
SQLite by default, PostgreSQL when RIGHTSBOT_DATABASE_URL says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from bot.settings import StoreSettings


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    """Naive UTC, because SQLite drops time zones and both backends must compare alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str, timeouts: StoreSettings | None = None) -> Engine:
    """One engine per store; SQLite gets its folder created and a patient lock timeout. A server
    database gets a bound on connecting, on every statement and on waiting for a pooled connection,
    so a stuck server costs a member seconds, not a worker thread for ever; pre-ping replaces the
    connections a server restart broke before a request meets them."""
    timeouts = timeouts or StoreSettings()
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": timeouts.sqlite_busy_timeout_seconds})
        event.listen(engine, "connect", write_ahead_log)
        return engine
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        statement_ms = int(timeouts.database_statement_timeout_seconds * 1000)
        connect_args = {
            "connect_timeout": timeouts.database_connect_timeout_seconds,
            "options": f"-c statement_timeout={statement_ms}",
        }
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_timeout=timeouts.database_pool_timeout_seconds,
        connect_args=connect_args,
    )


def write_ahead_log(connection: Any, _record: object) -> None:
    """SQLite's write-ahead log: a commit appends to the log (one sync) instead of rewriting the
    database file, and readers never block the writer. Every Slack event records its id before the
    ack, so under a burst the rollback journal's several syncs per commit queued acks on the write
    lock (60 events at once on a loaded 2-core machine: ack p95 2.4-3.3 s before, 1.5 s after).
    synchronous stays FULL: an escalation committed survives a power cut. Same host only, as SQLite."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


_migrating = threading.Lock()  # stores opened together in one process migrate one at a time


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (a no-op costing one query when it is already there)."""
    from bot.migrations import upgrade

    with _migrating:
        upgrade(engine)


class SqlStore:
    """One database, migrated when opened, used in short transactions."""

    def __init__(self, url: str, timeouts: StoreSettings | None = None) -> None:
        self.engine = make_engine(url, timeouts)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session
