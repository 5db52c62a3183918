"""Channel de-duplication: "have we handled this already?", answered atomically by the database.

A key is claimed by inserting it; the primary key makes the second insert fail, so exactly one
process (of any number of replicas sharing the database) wins. Keys are namespaced by platform:
Slack uses `event:<event_id>` for retried deliveries and `message:<channel>:<ts>` for one answer per
member message (an edited message comes back with a new event id but the same channel and ts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import Base, SqlStore, utcnow


class SeenKey(Base):
    __tablename__ = "channel_dedupe"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SeenKeys(SqlStore):
    def first_sighting(self, platform: str, key: str) -> bool:
        """True the first time (platform, key) is claimed, False ever after (across restarts and
        replicas) until purged."""
        try:
            with self._session() as session:
                session.add(SeenKey(platform=platform, key=key))
            return True
        except IntegrityError:
            return False

    def purge_older_than(self, older_than: timedelta) -> int:
        with self._session() as session:
            gone = session.execute(delete(SeenKey).where(SeenKey.seen_at < utcnow() - older_than))
            return gone.rowcount or 0  # type: ignore[attr-defined]
