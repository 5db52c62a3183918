"""Members' data rights: erasure after a retention period, and a subject access export.

Each SQL store answers for its own tables through two methods (`HoldsPersonalData`):
`purge_older_than(cutoffs) -> {table: rows deleted}` and `export_member(member) -> {table: [rows]}`,
plus `categories`, saying what each of its tables holds. `purge` and `member_data` only ask every
store, so a new table joins by giving its store those two methods and listing the store in
`bot.wiring.Stores.holding_personal_data`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

PLATFORMS = ("slack", "teams")
ExportRows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Cutoffs:
    """Rows whose time is before their category's cutoff go. Categories: `escalations` (with their
    cards and audit), `feedback`, `answers` (kept for their buttons, and Teams' follow-ups),
    `conversation_state` (de-duplication keys); a category not named gets `default`."""

    default: datetime
    by_category: Mapping[str, datetime] = field(default_factory=dict)

    def before(self, category: str) -> datetime:
        return self.by_category.get(category, self.default)

    @classmethod
    def older_than(cls, days: int, now: datetime) -> Cutoffs:
        """One period for everything (`rightsbot purge --older-than 180d`)."""
        return cls(now - timedelta(days=days))

    @classmethod
    def retention(cls, escalation_days: int, answer_days: int, now: datetime) -> Cutoffs:
        """The configured retention: escalations and feedback for RIGHTSBOT_ESCALATION_RETENTION_DAYS,
        everything else (answers, conversation state, new tables) for RIGHTSBOT_SLACK__ANSWER_RETENTION_DAYS."""
        long = now - timedelta(days=escalation_days)
        return cls(now - timedelta(days=answer_days), {"escalations": long, "feedback": long})


@dataclass(frozen=True)
class Member:
    """Whom a subject access request is about: `accounts` as (platform, user_id). `places` are the
    (platform, conversation_id, message_id) of their messages that stores found, for tables that
    hold no user id (de-duplication keys)."""

    asked_for: str
    accounts: tuple[tuple[str, str], ...]
    places: frozenset[tuple[str, str, str | None]] = frozenset()

    @classmethod
    def parse(cls, value: str) -> Member:
        """`slack:U123` or `teams:29:1abc` (one platform), or a bare id (every platform). Raises
        ValueError for an empty id, spaces, or an unknown platform prefix (`zoom:U1`)."""
        text = value.strip()
        prefix, sep, rest = text.partition(":")
        if not text or re.search(r"\s", text) or len(text) > 255:
            raise ValueError(
                f"a member id is one word, like slack:U123, teams:29:1abc or U123 (not {value!r})"
            )
        if sep and prefix in PLATFORMS:
            if not rest:
                raise ValueError(f"{value!r} has no user id after {prefix}:")
            return cls(text, ((prefix, rest),))
        if sep and re.fullmatch(r"[A-Za-z]+", prefix):  # looks like a platform we do not serve
            raise ValueError(f"unknown platform {prefix!r}: use slack:ID, teams:ID or a bare id")
        return cls(text, tuple((platform, text) for platform in PLATFORMS))

    @property
    def account_keys(self) -> list[str]:
        """`slack:U123`: how accounts are written in audit entries and Teams' feedback."""
        return [f"{platform}:{user_id}" for platform, user_id in self.accounts]

    @classmethod
    def parse_all(cls, values: Iterable[str]) -> Member:
        """One person's ids on several platforms (`slack:U123 teams:29:1abc`) as one member."""
        parsed = [cls.parse(value) for value in values]
        if not parsed:
            raise ValueError("name at least one member id")
        accounts = tuple(dict.fromkeys(a for member in parsed for a in member.accounts))
        return cls(" ".join(member.asked_for for member in parsed), accounts)

    def with_places(self, places: Iterable[tuple[str, str, str | None]]) -> Member:
        return replace(self, places=frozenset(places))


class HoldsPersonalData(Protocol):
    """A store with tables about people. `categories`: table -> what it holds, for the export."""

    @property
    def categories(self) -> Mapping[str, str]: ...

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]: ...

    def export_member(self, member: Member) -> ExportRows: ...


def purge(stores: Iterable[HoldsPersonalData], cutoffs: Cutoffs) -> dict[str, int]:
    """Ask every store to delete what is past its cutoff; rows deleted per table."""
    deleted: dict[str, int] = {}
    for store in stores:
        for table, count in store.purge_older_than(cutoffs).items():
            deleted[table] = deleted.get(table, 0) + count
    return deleted


def member_data(stores: Iterable[HoldsPersonalData], member: Member, now: datetime) -> dict[str, Any]:
    """Everything stored about one member, as JSON-ready data. Asked twice: the first answers give
    the conversations and messages that tables without a user id (de-duplication keys) are searched by."""
    stores = list(stores)
    first = export(stores, member)
    member = member.with_places(places_in(first))
    found = export(stores, member)
    return {
        "member": member.asked_for,
        "accounts_searched": member.account_keys,
        "generated_at": now.isoformat(timespec="seconds") + "Z",
        "searched": {table: what for store in stores for table, what in store.categories.items()},
        "not_stored": NOT_STORED,
        "found": {table: len(rows) for table, rows in found.items()},
        "data": found,
    }


NOT_STORED = [
    "officers' replies relayed to the member: passed on, not kept (the audit records that a reply was relayed)",
    "messages a member adds to a case after escalation: shown to officers, not kept (the audit records it)",
    "names, emails or profiles: the bot never stores them",
    "the knowledge base (Chroma and the keyword index) holds only the union's documents",
    "logs: people's ids appear only as keyed hashes, never with message text",
]


def export(stores: Iterable[HoldsPersonalData], member: Member) -> ExportRows:
    rows: ExportRows = {}
    for store in stores:
        for table, found in store.export_member(member).items():
            rows.setdefault(table, []).extend(found)
    return rows


def places_in(rows: ExportRows) -> set[tuple[str, str, str | None]]:
    return {
        (row["platform"], row["conversation_id"], row.get("message_id"))
        for table in rows.values()
        for row in table
        if row.get("platform") and row.get("conversation_id")
    }


def iso(when: datetime | None) -> str | None:
    """Stored times are naive UTC (bot.storage.utcnow)."""
    return None if when is None else when.isoformat(timespec="seconds") + "Z"
