"""A document's own date: read from what it declares, never guessed from a figure in its text.

A page that says "currently £15,750 (from April 2019)" is not dated April 2019; only a line that
states when the document itself was published, updated or reviewed dates it ("Published 3 May 2024",
"Last updated 12 March 2025", "Updated: April 2024"). Dates come out as ISO text, as precise as the
source: "2024-05-03" or "2024-04".
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
_DATE_FORMS = [  # each anchored at the start of the value
    re.compile(r"(?P<year>\d{4})-(?P<month_n>\d{2})(?:-(?P<day>\d{2}))?(?![\d-])"),  # ISO, as in metadata
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I),  # 3 May 2024
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",\s+(?P<year>\d{4})\b", re.I),  # May 3, 2024
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})\b", re.I),  # April 2024
    re.compile(r"(?P<day>\d{1,2})[/.](?P<month_n>\d{1,2})[/.](?P<year>\d{4})\b"),  # 12/03/2025: UK order
]
# A line that states the document's own date: "Last updated 12 March 2025", "Published: 3 May 2024",
# "Page last reviewed: 2 June 2024", "Date: 8 June 2021". The word starts the line (a sentence such as
# "the report published in May 2019 said..." dates the report, not this document).
_UPDATED = r"(?:page\s+)?(?:last\s+)?(?:updated|reviewed|revised|modified)(?:\s+on)?"
_PUBLISHED = r"(?:first\s+)?published(?:\s+on)?|date(?=\s*:)"
_STATED = re.compile(
    rf"^[ \t>*_#•-]*(?:(?P<updated>{_UPDATED})|(?P<published>{_PUBLISHED}))[ \t*_]*:?[ \t*_]*\n?[ \t*_]*(?P<rest>.+)$",
    re.I | re.M,
)


def iso_date(value: str | None) -> str | None:
    """'2017-08-14T09:30:00+01:00' -> '2017-08-14', '3 May 2024' -> '2024-05-03', 'April 2024' ->
    '2024-04'; None for anything that does not start with a real date."""
    text = (value or "").strip()
    for form in _DATE_FORMS:
        if (match := form.match(text)) and (iso := _iso(match)):
            return iso
    return None


def stated_date(text: str) -> str | None:
    """The date a text states for itself: the first "updated" or "reviewed" line (what was last
    checked is what counts), else the first "published" line; None when it states none."""
    found: dict[str, str] = {}
    for match in _STATED.finditer(text):
        which = "updated" if match.group("updated") else "published"
        if which not in found and (iso := iso_date(match.group("rest"))):
            found[which] = iso
    return found.get("updated") or found.get("published")


def _iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = int(parts["year"])
    month = int(parts["month_n"]) if parts.get("month_n") else _MONTHS[parts["month"].lower()]
    day = int(parts["day"]) if parts.get("day") else None
    try:
        dt.date(year, month, day or 1)  # no 31 April, no month 13
    except ValueError:
        return None
    if not 1900 <= year <= 2100:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"
