"""`rightsbot review`: the officers' maintenance list, read from the store members are served from and
dated by the one clock. Exit 1 means "something is overdue" to a scheduled job; 2 means bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.review import build_review, render_review
from bot.settings import Settings
from bot.wiring import Knowledge, open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder

REPO = Path(__file__).resolve().parents[1]
ITEM_FIELDS = {
    "source_id",
    "kind",
    "title",
    "date",
    "section",
    "status",
    "from",
    "until",
    "decided_by",
    "reason",
}
REVIEW_FIELDS = {"today", "within_days", "changing", "overdue", "not_reviewed", "undated"}

DATED = """\
---
title: "Unfair dismissal"
last_reviewed: 2026-11-26
---
Unfair dismissal is a statutory right for employees who meet the qualifying conditions.

## How long must I have worked to claim?
Dates: in force until 2026-12-31; decided by the date of dismissal
Until 31 December 2026, an employee needs two years' continuous employment to claim unfair dismissal.

An employee dismissed for a reason such as whistleblowing needs no qualifying period at all.

## What is planned to change?
Dates: planned from 2027-01-01

The government plans to cut the qualifying period to six months from 1 January 2027, but this is not yet law.

## Getting help
Email MemberAdvice@miphealth.org.uk or ask the bot to pass your question to a national officer.
"""

STALE = """\
---
title: "Sickness absence"
last_reviewed: 2025-10-01
---
Sick pay for NHS staff depends on length of service under Section 14 of the Handbook.
"""

UNDATED_PAGE = """<html><head><title>Holiday pay explained</title></head>
<body><h1>Holiday pay explained</h1><p>Full-time workers get at least 5.6 weeks of paid holiday a year.</p>
</body></html>
"""


def _folder(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def knowledge(settings: Settings, hashing: HashingEmbedder) -> Knowledge:
    return open_knowledge(settings, hashing)


def _store(knowledge: Knowledge, folder: Path):  # noqa: ANN202 - KnowledgeStore
    report = ingest([folder], knowledge.store, knowledge.embedder)
    assert not report.skipped
    return knowledge.store


# -- the list itself (pure: a store and a day in) ---------------------------------------------------


def test_sections_ending_or_starting_within_the_window_are_listed_once_each(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    store = _store(knowledge, _folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}))
    review = build_review(store, date(2026, 12, 1), 60)
    # The in-force section has two passages: one row per section, not per passage.
    assert [(i.section, i.status, i.start, i.until) for i in review.changing] == [
        ("How long must I have worked to claim?", "in_force", None, "2026-12-31"),
        ("What is planned to change?", "planned", "2027-01-01", None),
    ]
    assert review.changing[0].decided_by == "the date of dismissal"
    assert "not law until confirmed" in review.changing[1].reason
    assert review.overdue == review.not_reviewed == review.undated == []


def test_a_rule_known_only_to_the_month_starts_on_its_first_day(knowledge: Knowledge, tmp_path: Path) -> None:
    scheduled = DATED.replace("Dates: planned from 2027-01-01", "Dates: scheduled from 2027-04")
    store = _store(knowledge, _folder(tmp_path, "factsheets", {"unfair-dismissal.md": scheduled}))
    (item,) = build_review(store, date(2027, 1, 5), 90).changing
    assert (item.status, item.start) == ("scheduled", "2027-04")
    assert item.reason == "Starts in April 2027 (in 86 days)."
    (_, started) = build_review(store, date(2027, 4, 1), 90).overdue
    assert "Scheduled to start in April 2027; that date has come" in started.reason


def test_a_short_window_leaves_later_changes_out(knowledge: Knowledge, tmp_path: Path) -> None:
    store = _store(knowledge, _folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}))
    review = build_review(store, date(2026, 12, 1), 30)
    assert [i.until for i in review.changing] == ["2026-12-31"]  # 30 days; the plan starts in 31
    assert build_review(store, date(2026, 12, 1), 0).changing == []


def test_past_its_last_day_and_a_plan_whose_day_has_passed_are_overdue(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    store = _store(knowledge, _folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}))
    review = build_review(store, date(2027, 1, 5), 60)
    assert review.changing == []
    expired, planned = review.overdue
    assert (expired.status, expired.until) == (
        "in_force",
        "2026-12-31",
    ) and "Past its last day" in expired.reason
    assert (planned.status, planned.start) == ("planned", "2027-01-01")
    assert "Confirm whether it is now law" in planned.reason


def test_a_factsheet_not_reviewed_for_twelve_months_is_overdue_and_undated_documents_are_listed(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, "mixed", {"sickness.md": STALE, "holiday.html": UNDATED_PAGE})
    review = build_review(_store(knowledge, folder), date(2026, 12, 1), 60)
    assert [(i.source_id, i.date) for i in review.not_reviewed] == [("mixed/sickness.md", "2025-10-01")]
    assert review.overdue == review.not_reviewed
    assert [(i.source_id, i.kind, i.date) for i in review.undated] == [("mixed/holiday.html", "web", None)]


def test_twelve_months_to_the_day_is_due() -> None:
    from bot.review import _stale_reason
    from knowledge.store import SourceSummary

    sheet = SourceSummary("f.md", "factsheet", "F", None, "2025-12-01", 1)
    assert _stale_reason(sheet, date(2025, 12, 1), date(2026, 11, 30)) is None
    assert "12 months" in (_stale_reason(sheet, date(2025, 12, 1), date(2026, 12, 1)) or "")
    assert "future" in (_stale_reason(sheet, date(2025, 12, 1), date(2025, 11, 1)) or "")
    assert "No last_reviewed" in (_stale_reason(sheet, None, date(2026, 12, 1)) or "")


def test_plain_text_speaks_dates_and_groups_by_what_to_do(knowledge: Knowledge, tmp_path: Path) -> None:
    store = _store(knowledge, _folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}))
    text = render_review(build_review(store, date(2026, 12, 1), 60))
    assert "Knowledge base review on 1 December 2026" in text
    assert "Changing within 60 days: 2" in text and "Overdue: none" in text
    assert "in force until 31 December 2026; decided by the date of dismissal" in text
    assert "planned from 1 January 2027" in text and text.endswith("Nothing overdue.")


def test_a_negative_window_is_refused(knowledge: Knowledge) -> None:
    with pytest.raises(ValueError):
        build_review(knowledge.store, date(2026, 12, 1), -1)


# -- the command: exit codes and the JSON contract --------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minilm) -> Path:  # noqa: ANN001
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _ingest(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(folder), "--json"]) == 0
    capsys.readouterr()


def _review(args: list[str], today: str, monkeypatch, capsys) -> tuple[int, dict]:  # noqa: ANN001
    monkeypatch.setenv("RIGHTSBOT_TODAY", today)
    code = main(["review", *args, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert set(report) == REVIEW_FIELDS
    assert all(
        set(item) == ITEM_FIELDS for key in REVIEW_FIELDS - {"today", "within_days"} for item in report[key]
    )
    return code, report


def test_review_lists_changes_within_the_window_and_exits_0(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch,
    capsys,  # noqa: ANN001
) -> None:
    _ingest(_folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}), capsys)
    code, report = _review(["--within", "60"], "2026-12-01", monkeypatch, capsys)
    assert code == 0 and (report["today"], report["within_days"]) == ("2026-12-01", 60)
    assert [(i["status"], i["from"], i["until"]) for i in report["changing"]] == [
        ("in_force", None, "2026-12-31"),
        ("planned", "2027-01-01", None),
    ]
    assert report["changing"][0]["decided_by"] == "the date of dismissal"
    assert report["changing"][0]["source_id"] == "factsheets/unfair-dismissal.md"
    assert report["overdue"] == report["not_reviewed"] == report["undated"] == []


def test_review_exits_1_when_the_dates_have_passed(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch,
    capsys,  # noqa: ANN001
) -> None:
    _ingest(_folder(tmp_path, "factsheets", {"unfair-dismissal.md": DATED}), capsys)
    code, report = _review(["--within", "60"], "2027-01-05", monkeypatch, capsys)
    assert code == 1 and report["changing"] == []
    assert [(i["status"], i["from"], i["until"]) for i in report["overdue"]] == [
        ("in_force", None, "2026-12-31"),
        ("planned", "2027-01-01", None),
    ]
    monkeypatch.delenv("RIGHTSBOT_TODAY")
    monkeypatch.setenv("RIGHTSBOT_TODAY", "2027-01-05")
    assert main(["review", "--within", "60"]) == 1  # plain output: the same exit code
    out = capsys.readouterr().out
    assert "Overdue: 2" in out and "31 December 2026" in out and "2 overdue" in out


def test_review_lists_stale_factsheets_as_overdue_and_undated_pages(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch,
    capsys,  # noqa: ANN001
) -> None:
    _ingest(_folder(tmp_path, "mixed", {"sickness.md": STALE, "holiday.html": UNDATED_PAGE}), capsys)
    code, report = _review([], "2026-12-01", monkeypatch, capsys)
    assert code == 1 and report["within_days"] == 90  # the change-notice window by default
    assert [i["source_id"] for i in report["not_reviewed"]] == ["mixed/sickness.md"]
    assert report["not_reviewed"][0]["date"] == "2025-10-01"
    assert [i["source_id"] for i in report["overdue"]] == ["mixed/sickness.md"]
    assert [(i["source_id"], i["kind"], i["date"]) for i in report["undated"]] == [
        ("mixed/holiday.html", "web", None)
    ]


@pytest.mark.parametrize("within", ["-3", "abc", "1.5", ""])
def test_a_bad_window_is_a_one_line_usage_error(within: str, data_dir: Path, capsys) -> None:  # noqa: ANN001
    assert main(["review", "--within", within]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--within" in err and "Traceback" not in err


def test_no_store_says_to_ingest_first(data_dir: Path, capsys) -> None:  # noqa: ANN001
    assert main(["review"]) == 2
    err = capsys.readouterr().err
    assert "rightsbot ingest" in err and err.count("\n") == 1
    assert not data_dir.exists()  # looking did not create an empty store


def test_an_empty_store_says_to_ingest_first(
    data_dir: Path,
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    main(["ingest", str(empty)])  # creates the store, adds nothing
    capsys.readouterr()
    assert main(["review", "--json"]) == 2
    captured = capsys.readouterr()
    assert "is empty" in captured.err and "rightsbot ingest" in captured.err and captured.out == ""


def test_an_unreadable_store_is_a_usage_error_not_an_alert(data_dir: Path, capsys) -> None:  # noqa: ANN001
    (data_dir / "chroma").mkdir(parents=True)
    (data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    assert main(["review"]) == 2  # never 1: a scheduled job reads 1 as "overdue"
    assert "rightsbot ingest" in capsys.readouterr().err


@pytest.mark.corpus
def test_the_real_knowledge_base_gives_a_valid_list(real_knowledge: Knowledge) -> None:
    # Factsheet content is being rewritten: only the contract is checked here, not what is listed.
    review = build_review(real_knowledge.store, date(2026, 12, 1), 60)
    report = json.loads(json.dumps(review.as_json()))
    assert set(report) == REVIEW_FIELDS and report["today"] == "2026-12-01" and report["within_days"] == 60
    for key in REVIEW_FIELDS - {"today", "within_days"}:
        assert all(set(item) == ITEM_FIELDS and item["source_id"] for item in report[key])
    assert render_review(review)


def test_review_of_the_bundled_knowledge_prints_valid_json(
    data_dir: Path,
    monkeypatch,
    capsys,  # noqa: ANN001
) -> None:
    _ingest(REPO / "knowledge", capsys)
    code, report = _review(["--within", "60"], "2026-12-01", monkeypatch, capsys)
    assert code == (1 if report["overdue"] else 0) and report["today"] == "2026-12-01"


def test_a_bad_clock_setting_is_one_line_naming_the_variable(monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("RIGHTSBOT_TODAY", "1st December")
    assert main(["review"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rightsbot: bad setting RIGHTSBOT_TODAY") and err.count("\n") == 1
