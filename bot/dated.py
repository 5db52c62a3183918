"""The law on a date: which passages state the law today, which rules are about to change, and which
date decides. Pure functions over passages and "today" (the one clock, Settings.today).

How answers treat dates (../shared/law-changes-2026.md): state only in-force law as the law; give
scheduled changes with their date; call planned changes plans; the date that decides is the event's
(dismissal, first day of sickness, expected week of childbirth), not the day the member asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from knowledge.passage import Passage
from knowledge.sentences import split_sentences
from knowledge.validity import Validity, first_day, last_day, spoken

_MONTHS = {
    m: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
_MONTH_YEAR = re.compile(rf"\b(?:in\s+|from\s+|by\s+|until\s+|end of\s+)?({_MONTH})\.?\s+(\d{{4}})\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
# Money and rates in a quote: figures that go out of date.
_MONEY_OR_RATE = re.compile(r"£\s?\d|\b\d+(\.\d+)?\s?(%|per ?cent)|\b(an hour|a week|per (hour|week))\b", re.I)


def applies(passage: Passage, today: date) -> bool:
    """Can this passage be stated as the law today? Undated sections are in force as of their
    document's date; a planned section never is, and a section past its last day no longer is."""
    return passage.validity is None or passage.validity.applies_on(today)


def expired(passage: Passage, today: date) -> bool:
    return passage.validity is not None and passage.validity.expired_on(today)


def successor(passage: Passage, document: Iterable[Passage], today: date) -> Passage | None:
    """The section of the same document that takes over when `passage`'s rule ends: the earliest
    one that does not apply today and starts after the passage's own start."""
    own = passage.validity
    if own is None:
        return None
    later = [
        p
        for p in document
        if p.validity and p.validity.start and not applies(p, today) and p.section != passage.section
    ]
    if own.until:
        later = [p for p in later if first_day(p.validity.start) > last_day(own.until) - timedelta(days=1)]  # type: ignore[union-attr,arg-type]
    later.sort(key=lambda p: (first_day(p.validity.start), p.position))  # type: ignore[union-attr,arg-type]
    return later[0] if later else None


def change_label(validity: Validity, today: date) -> str:
    """How a not-yet-law rule is introduced: "planned for 1 January 2027, not yet law"."""
    when = spoken(validity.start) if validity.start else None
    if validity.status == "planned":
        if when and first_day(validity.start) <= today:  # type: ignore[arg-type]
            return f"planned for {when}, not confirmed in force"
        return f"planned for {when}, not yet law" if when else "planned, no date set, not yet law"
    return f"scheduled from {when}" if when else "scheduled"


def lead_sentence(passage: Passage) -> str:
    sentences = split_sentences(passage.text)
    return sentences[0] if sentences else passage.text


def changes_soon(passage: Passage, today: date, days: int) -> bool:
    return passage.validity is not None and passage.validity.changes_within(today, days)


def change_dates(passages: Iterable[Passage]) -> list[date]:
    """The days on which the rules of these passages start or stop applying."""
    edges = []
    for p in passages:
        if p.validity and p.validity.until:
            edges.append(last_day(p.validity.until) + timedelta(days=1))
        if p.validity and p.validity.start:
            edges.append(first_day(p.validity.start))
    return edges


def deciding_events(passages: Iterable[Passage]) -> list[str]:
    """The events whose date decides which rule applies ("the date of dismissal"), once each."""
    return list(dict.fromkeys(p.validity.decided_by for p in passages if p.validity and p.validity.decided_by))


def mentioned_dates(text: str, today: date) -> list[date]:
    """Dates the member gives ("dismissed on 4 January", "due in March 2027", "20/01/2027"). A date
    without a year is read as the occurrence nearest to today."""
    found: list[date] = []
    for match in _DAY_MONTH.finditer(text):
        found += _day(int(match.group(1)), match.group(2), match.group(3), today)
    for match in _MONTH_DAY.finditer(text):
        found += _day(int(match.group(2)), match.group(1), match.group(3), today)
    for match in _MONTH_YEAR.finditer(text):
        found += _day(1, match.group(1), match.group(2), today)
    for match in _NUMERIC.finditer(text):
        d, m, y = (match.group(1), match.group(2), match.group(3)) if match.group(1) else match.group(6, 5, 4)
        year = int(y) + (2000 if len(y) == 2 else 0)
        found += _valid(year, int(m), int(d))
    return sorted(set(found))


def _day(day: int, month_name: str, year: str | None, today: date) -> list[date]:
    month = _MONTHS[month_name.lower().rstrip(".")]
    if year:
        return _valid(int(year), month, day)
    options = [d for y in (today.year - 1, today.year, today.year + 1) for d in _valid(y, month, day)]
    return [min(options, key=lambda d: abs((d - today).days))] if options else []


def _valid(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def near_a_change(event_dates: Iterable[date], edges: Iterable[date], today: date, days: int) -> bool:
    """An event within `days` of a change, either side, or after a change still to come: which rule
    applies then needs a person."""
    edges = list(edges)
    return any(
        abs((event - edge).days) <= days or (edge > today and event >= edge)
        for event in event_dates
        for edge in edges
    )


def quotes_money_or_rates(text: str) -> bool:
    return bool(_MONEY_OR_RATE.search(text))
