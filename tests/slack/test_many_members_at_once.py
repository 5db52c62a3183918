"""Many members asking at once, against `rightsbot slack --http` in its own process on the bundled
knowledge (the smoke version of the load run in `make bench`, evals/load.py): every question is
answered exactly once, with no errors. No timings are asserted here; the bench reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.load import run_load


@pytest.mark.slow
def test_twenty_questions_from_five_members_are_each_answered_exactly_once(tmp_path: Path) -> None:
    report = run_load(tmp_path, questions=20, members=5)
    assert report.errors == []
    assert report.answered_once == 20
