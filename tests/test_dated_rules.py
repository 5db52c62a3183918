"""Rules with dates: officers write one Dates line under a factsheet heading; ingest carries it to
every passage of the section, and a misread line never lets a planned rule pass for law."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.chunker import chunk_document
from ingest.loaders import SkippedFile, load_file
from knowledge.validity import DatesLineError, Validity, parse_dates_line, spoken

DATED = """\
---
title: "Unfair dismissal"
last_reviewed: 2026-12-01
---
Unfair dismissal is a statutory right for employees who meet the qualifying conditions.

## How long must I have worked to claim?
Dates: in force until 2026-12-31; decided by the date of dismissal
Until at least 31 December 2026, an employee needs two years' continuous employment to claim.

## What is planned to change?
Dates: planned from 2027-01-01

The government plans to cut the qualifying period to six months from 1 January 2027, but this is not yet law.
"""


def _passages(tmp_path: Path, text: str):  # noqa: ANN202
    path = tmp_path / "dated.md"
    path.write_text(text, encoding="utf-8")
    return chunk_document(load_file(path, "knowledge/factsheets/dated.md", None)[0])


def test_each_section_carries_its_dates_and_the_line_is_not_quoted(tmp_path: Path) -> None:
    summary, current, planned = _passages(tmp_path, DATED)
    assert summary.validity is None
    assert current.validity == Validity(until="2026-12-31", decided_by="the date of dismissal")
    assert planned.validity == Validity(status="planned", start="2027-01-01")
    assert not any("Dates:" in p.text for p in (summary, current, planned))


@pytest.mark.parametrize(
    "line",
    [
        "Dates: in force from 2026-13-01",  # no such month
        "Dates: planned from next year",
        "Dates: in force until 2026-12-31 or so",
        "Dates: in force from 2027-01-01 until 2026-12-31",
    ],
)
def test_a_dates_line_that_cannot_be_read_skips_the_file_with_the_reason(tmp_path: Path, line: str) -> None:
    with pytest.raises(SkippedFile, match="Dates|date|until"):
        _passages(tmp_path, DATED.replace("Dates: planned from 2027-01-01", line))


def test_a_dates_line_away_from_its_heading_is_refused_not_quoted(tmp_path: Path) -> None:
    misplaced = DATED.replace("Dates: planned from 2027-01-01\n\n", "").replace(
        "but this is not yet law.", "but this is not yet law.\n\nDates: planned from 2027-01-01"
    )
    with pytest.raises(SkippedFile, match="first line under"):
        _passages(tmp_path, misplaced)


def test_planned_is_never_law_and_until_is_the_last_day() -> None:
    planned = parse_dates_line("Dates: planned from 2027-01-01")
    current = parse_dates_line("Dates: in force until 2026-12-31")
    assert not planned.applies_on(date(2027, 6, 1))
    assert current.applies_on(date(2026, 12, 31)) and not current.applies_on(date(2027, 1, 1))
    assert current.changes_within(date(2026, 12, 1), 60) and not current.changes_within(date(2026, 9, 1), 60)
    month = parse_dates_line("Dates: scheduled from 2027-04")
    assert not month.applies_on(date(2027, 3, 31)) and month.applies_on(date(2027, 4, 1))
    assert spoken("2027-01-01") == "1 January 2027" and spoken("2027-04") == "April 2027"


def test_text_that_merely_starts_with_dates_is_text() -> None:
    with pytest.raises(DatesLineError):
        parse_dates_line("Dates: sometime")
