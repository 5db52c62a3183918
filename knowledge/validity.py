"""When a rule applies: in force, scheduled or planned, from and until which day.

Officers write it as one line right under a factsheet heading (knowledge/README.md):

    Dates: in force until 2026-12-31; decided by the date of dismissal
    Dates: planned from 2027-01-01
    Dates: scheduled from 2027-04

Status words follow ../shared/law-changes-2026.md: *in force* (commenced), *scheduled* (commencement
regulations made, with a date), *planned* (a government roadmap date only, or unconfirmed). A planned
rule is never law, whatever today's date: only an officer who confirms it can change its status.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Literal

from pydantic import BaseModel

Status = Literal["in_force", "scheduled", "planned"]

_LINE = re.compile(r"^\s*dates\s*:\s*(?P<rest>.*)$", re.I)
_STATUS = re.compile(r"^(?P<status>in force|scheduled|planned)\b", re.I)
_BOUND = re.compile(r"\b(?P<which>from|until)\s+(?P<day>\d{4}(?:-\d{2}){0,2})\b", re.I)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
FORMAT = "Dates: in force|scheduled|planned [from YYYY-MM-DD] [until YYYY-MM-DD] [; decided by <event>]"


class Validity(BaseModel):
    """A rule's dates. `start` and `until` are ISO dates, as precise as known ("2027-01" = January
    2027); `until` is the last day the rule applies. `decided_by` names the event whose date decides
    which rule applies ("the date of dismissal")."""

    status: Status = "in_force"
    start: str | None = None
    until: str | None = None
    decided_by: str | None = None

    def applies_on(self, day: date) -> bool:
        """Law on `day`: in force or scheduled, started, and not past its last day."""
        if self.status == "planned":
            return False
        started = self.start is None or first_day(self.start) <= day
        return started and not self.expired_on(day)

    def expired_on(self, day: date) -> bool:
        return self.until is not None and last_day(self.until) < day

    def changes_within(self, day: date, days: int) -> bool:
        """Its last day, or its first day if it has not started, falls within `days` of `day`."""
        edges = [last_day(self.until)] if self.until else []
        if self.start and first_day(self.start) > day:
            edges.append(first_day(self.start))
        return any(0 <= (edge - day).days <= days for edge in edges)


class DatesLineError(ValueError):
    """A Dates line that cannot be read; the message quotes the expected form."""


def is_dates_line(line: str) -> bool:
    """Starts like a Dates line ("Dates: planned ..."); other text that begins "Dates:" is just text."""
    match = _LINE.match(line)
    return bool(match and _STATUS.match(match.group("rest").strip()))


def parse_dates_line(line: str) -> Validity:
    """`Dates: ...` -> Validity. Raises DatesLineError naming what is wrong."""
    match = _LINE.match(line)
    if not match:
        raise DatesLineError(f"not a Dates line; expected {FORMAT}")
    rest, _, decided = match.group("rest").partition(";")
    status = _STATUS.match(rest.strip())
    if not status:
        raise DatesLineError(f"'{line.strip()}' has no status; expected {FORMAT}")
    bounds = {m.group("which").lower(): m.group("day") for m in _BOUND.finditer(rest)}
    leftover = _BOUND.sub("", rest[status.end() :]).strip()
    if leftover:
        raise DatesLineError(f"'{line.strip()}': '{leftover}' not understood; expected {FORMAT}")
    for day in bounds.values():
        _checked(day, line)
    decided_by = re.sub(r"^\s*decided by\s+", "", decided, flags=re.I).strip() or None
    validity = Validity(
        status=status.group("status").lower().replace(" ", "_"),  # type: ignore[arg-type]
        start=bounds.get("from"),
        until=bounds.get("until"),
        decided_by=decided_by,
    )
    if validity.start and validity.until and last_day(validity.until) < first_day(validity.start):
        raise DatesLineError(f"'{line.strip()}': until is before from")
    return validity


def _checked(value: str, line: str) -> None:
    try:
        first_day(value)
    except ValueError as error:
        raise DatesLineError(f"'{line.strip()}': {value} is not a date (YYYY-MM-DD)") from error


def first_day(value: str) -> date:
    """The first day a partial ISO date can mean: "2027-01" -> 2027-01-01. Raises ValueError."""
    year, month, day = _parts(value)
    return date(year, month or 1, day or 1)


def last_day(value: str) -> date:
    """The last day a partial ISO date can mean: "2027-01" -> 2027-01-31. Raises ValueError."""
    year, month, day = _parts(value)
    month = month or 12
    return date(year, month, day or monthrange(year, month)[1])


def _parts(value: str) -> tuple[int, int | None, int | None]:
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not an ISO date")
    year, month, day = (int(g) if g else None for g in match.groups())
    return year or 0, month, day


def spoken(value: str) -> str:
    """How a member reads the date: "1 January 2027", "January 2027", "2027"."""
    year, month, day = _parts(value)
    if month is None:
        return str(year)
    if day is None:
        return first_day(value).strftime("%B %Y")
    return f"{day} {first_day(value).strftime('%B %Y')}"
