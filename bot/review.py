"""The officers' maintenance list behind `rightsbot review`: rules that end or start soon, rules and
factsheets that are overdue for an officer's attention, and documents with no date.

Pure: the knowledge store members are served from and a day in, a Review out. The day is the one
clock (Settings.current_date, RIGHTSBOT_TODAY); the store, not the Markdown files, because what the
store holds is what members are quoted. Dates follow knowledge/validity.py: ISO, as precise as known.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from knowledge.passage import Passage
from knowledge.store import SourceSummary
from knowledge.validity import Status, Validity, first_day, last_day, spoken

REVIEW_MONTHS = 12  # a factsheet not checked against the law for this long is overdue


class Shelf(Protocol):
    """What the review reads; KnowledgeStore is one."""

    def sources(self) -> list[SourceSummary]: ...

    def document(self, source_id: str) -> list[Passage]: ...


@dataclass(frozen=True)
class Item:
    """One row of the list: a section of a document (section and dates set) or a whole document."""

    source_id: str
    kind: str
    title: str
    date: str | None  # the document's date; a factsheet's is its last_reviewed
    reason: str  # what is due, in words an officer acts on
    section: str | None = None
    status: Status | None = None
    start: str | None = None
    until: str | None = None
    decided_by: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "kind": self.kind,
            "title": self.title,
            "date": self.date,
            "section": self.section,
            "status": self.status,
            "from": self.start,
            "until": self.until,
            "decided_by": self.decided_by,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Review:
    """`overdue` raises the alert; `not_reviewed` is the part of it that is whole factsheets."""

    today: date
    within_days: int
    changing: list[Item]  # a section that ends, or starts, within `within_days` of today
    overdue: list[Item]  # past its last day, a planned/scheduled start that has passed, a stale factsheet
    not_reviewed: list[Item]  # factsheets not reviewed for REVIEW_MONTHS (also in overdue)
    undated: list[Item]  # documents with no usable date: members see them cited as undated

    def as_json(self) -> dict[str, Any]:
        """The `review --json` contract: keep these fields stable; add, never rename."""
        return {
            "today": self.today.isoformat(),
            "within_days": self.within_days,
            "changing": [i.as_json() for i in self.changing],
            "overdue": [i.as_json() for i in self.overdue],
            "not_reviewed": [i.as_json() for i in self.not_reviewed],
            "undated": [i.as_json() for i in self.undated],
        }


def build_review(shelf: Shelf, today: date, within_days: int) -> Review:
    """Everything in `shelf` an officer must act on, as of `today`. Raises ValueError if within_days < 0."""
    if within_days < 0:
        raise ValueError(f"within_days must be 0 or more, not {within_days}")
    changing: list[tuple[date, Item]] = []
    overdue_sections: list[tuple[date, Item]] = []
    not_reviewed: list[Item] = []
    undated: list[Item] = []
    for summary in shelf.sources():
        dated = _dated(summary)
        if dated is None:
            undated.append(_document_item(summary, _undated_reason(summary)))
        if summary.kind == "factsheet" and (stale := _stale_reason(summary, dated, today)):
            not_reviewed.append(_document_item(summary, stale))
        for section, validity in _sections(shelf.document(summary.source_id)):
            if due := _overdue(validity, today):
                overdue_sections.append((due[0], _section_item(summary, section, validity, due[1])))
            elif validity.changes_within(today, within_days):
                edge, reason = _change(validity, today)
                changing.append((edge, _section_item(summary, section, validity, reason)))
    return Review(
        today=today,
        within_days=within_days,
        changing=_by_date(changing),
        overdue=_by_date(overdue_sections) + not_reviewed,
        not_reviewed=not_reviewed,
        undated=undated,
    )


def _sections(passages: list[Passage]) -> list[tuple[str | None, Validity]]:
    """Each dated section once, in reading order: a section's passages all carry its Dates line."""
    seen: list[tuple[str | None, Validity]] = []
    for p in passages:
        if p.validity is not None and (p.section, p.validity) not in seen:
            seen.append((p.section, p.validity))
    return seen


def _overdue(validity: Validity, today: date) -> tuple[date, str] | None:
    if validity.expired_on(today):
        assert validity.until is not None  # expired_on says so
        return last_day(validity.until), (
            f"Past its last day ({spoken(validity.until)}): never quoted now. "
            "Remove the section, or update its rule and Dates line."
        )
    if validity.status != "in_force" and validity.start and first_day(validity.start) <= today:
        return first_day(validity.start), (
            f"{_STATUS_WORDS[validity.status].capitalize()} to start {_on(validity.start)}; that date has come. "
            "Confirm whether it is now law and change its status."
        )
    return None


def _change(validity: Validity, today: date) -> tuple[date, str]:
    """The first edge within reach and what happens there (changes_within has said there is one)."""
    if validity.start and first_day(validity.start) > today:
        start = first_day(validity.start)
        text = f"Starts {_on(validity.start)} ({_in_days(start, today)})"
        if validity.status == "planned":
            text = (
                f"Planned to start {_on(validity.start)} ({_in_days(start, today)}); not law until confirmed"
            )
        return start, text + "."
    assert validity.until is not None
    end = last_day(validity.until)
    return end, f"Ends {_on(validity.until)} ({_in_days(end, today)}): check what applies after it."


def _dated(summary: SourceSummary) -> date | None:
    try:
        return first_day(summary.date) if summary.date else None
    except ValueError:
        return None


def _undated_reason(summary: SourceSummary) -> str:
    if summary.date:
        return f"Its date '{summary.date}' is not an ISO date (YYYY-MM-DD), so it is cited as undated."
    return "No date: it is cited as undated. Add its date if known."


def _stale_reason(summary: SourceSummary, reviewed: date | None, today: date) -> str | None:
    if reviewed is None:
        return "No last_reviewed date: check it against the law in force and set last_reviewed."
    if reviewed > today:
        return f"last_reviewed {summary.date} is in the future: correct it."
    if _months_later(reviewed, REVIEW_MONTHS) <= today:
        return (
            f"Not reviewed for {REVIEW_MONTHS} months (last reviewed {spoken(summary.date or '')}): "
            "check it against the law in force and update last_reviewed."
        )
    return None


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))  # 29 February -> 28 February


def _document_item(summary: SourceSummary, reason: str) -> Item:
    return Item(summary.source_id, summary.kind, summary.title, summary.date, reason)


def _section_item(summary: SourceSummary, section: str | None, validity: Validity, reason: str) -> Item:
    return Item(
        summary.source_id,
        summary.kind,
        summary.title,
        summary.date,
        reason,
        section=section,
        status=validity.status,
        start=validity.start,
        until=validity.until,
        decided_by=validity.decided_by,
    )


def _by_date(rows: list[tuple[date, Item]]) -> list[Item]:
    return [
        item for _, item in sorted(rows, key=lambda row: (row[0], row[1].source_id, row[1].section or ""))
    ]


_STATUS_WORDS: dict[str, str] = {"in_force": "in force", "scheduled": "scheduled", "planned": "planned"}


def _on(value: str) -> str:
    """ "on 1 January 2027", or "in April 2027" for a date known only to the month or year."""
    return f"{'on' if len(value) == 10 else 'in'} {spoken(value)}"


def _in_days(day: date, today: date) -> str:
    days = (day - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


# -- plain text, for an officer at a terminal or in a scheduled job's e-mail ------------------------


def render_review(review: Review) -> str:
    """Grouped, dates spoken; the last line says whether anything is overdue."""
    lines = [f"Knowledge base review on {spoken(review.today.isoformat())}"]
    groups = [
        ("Overdue", review.overdue),
        (f"Changing within {review.within_days} days", review.changing),
        ("Undated documents", review.undated),
    ]
    for heading, items in groups:
        lines += ["", f"{heading}: {len(items) or 'none'}"]
        for item in items:
            lines += _item_lines(item)
    count = len(review.overdue)
    lines += ["", f"{count} overdue: an officer must act." if count else "Nothing overdue."]
    return "\n".join(lines)


def _item_lines(item: Item) -> list[str]:
    name = f"{item.title}: {item.section}" if item.section and item.section != item.title else item.title
    if item.kind != "factsheet":
        name += f" ({item.kind})"
    lines = [f"- {name}"]
    if item.status:
        lines.append(f"  {_dates_words(item)}")
    elif item.kind == "factsheet" and item.date:
        lines.append(f"  last reviewed {_spoken_or_raw(item.date)}")
    return lines + [f"  {item.reason}", f"  {item.source_id}"]


def _dates_words(item: Item) -> str:
    """ "planned from 1 January 2027", "in force until 31 December 2026; decided by the date of dismissal" """
    words = [_STATUS_WORDS[item.status or "in_force"]]
    if item.start:
        words.append(f"from {spoken(item.start)}")
    if item.until:
        words.append(f"until {spoken(item.until)}")
    text = " ".join(words)
    return f"{text}; decided by {item.decided_by}" if item.decided_by else text


def _spoken_or_raw(value: str) -> str:
    try:
        return spoken(value)
    except ValueError:
        return value
