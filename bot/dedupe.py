"""Channel de-duplication: "have we handled this already?", answered atomically by the database.

A key is claimed by inserting it; the primary key makes the second insert fail, so exactly one
process (of any number of replicas sharing the database) wins. Keys are namespaced by platform:
Slack uses `event:<event_id>` for retried deliveries and `message:<channel>:<ts>` for one answer per
member message (an edited message comes back with a new event id but the same channel and ts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.data_rights import Cutoffs, Member, iso
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

    # --- retention and subject access (bot/data_rights.py) ---

    categories = {
        "conversation_state": "de-duplication keys: the ids of events and messages already handled "
        "(no user id, no text), so a retried delivery is answered once",
    }

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]:
        before = cutoffs.before("conversation_state")
        with self._session() as session:
            gone = session.execute(delete(SeenKey).where(SeenKey.seen_at < before))
            return {"conversation_state": gone.rowcount or 0}  # type: ignore[attr-defined]

    def export_member(self, member: Member) -> dict[str, list[dict[str, Any]]]:
        """Keys hold no user id: the member's are those of messages other stores know as theirs
        (`message:<conversation>:<message id>`), and any key in a Slack direct message with them."""
        exact = [(p, f"message:{c}:{m}") for p, c, m in member.places if m]
        direct = [(p, f"message:{c}:") for p, c, _ in member.places if p == "slack" and c.startswith("D")]
        if not exact and not direct:
            return {"conversation_state": []}
        match = or_(
            *(and_(SeenKey.platform == p, SeenKey.key == k) for p, k in exact),
            *(and_(SeenKey.platform == p, SeenKey.key.startswith(k, autoescape=True)) for p, k in direct),
        )
        with self._session() as session:
            keys = list(session.scalars(select(SeenKey).where(match).order_by(SeenKey.seen_at)))
        return {
            "conversation_state": [
                {"platform": k.platform, "key": k.key, "seen_at": iso(k.seen_at)} for k in keys
            ]
        }
