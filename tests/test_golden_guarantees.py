"""The two promises of the eval, kept by every change: each must-escalate question reaches an officer,
and nothing outside employment rights gets an invented answer. Both question sets, the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import AnswerEngine
from bot.settings import Settings
from evals.golden_set import Case, load_cases
from evals.metrics import Outcome, invented

EVALS = Path(__file__).resolve().parents[1] / "evals"
CASES = [c for name in ("golden.yaml", "golden_heldout.yaml") for c in load_cases(EVALS / name)]


@pytest.fixture(scope="module")
def engine(real_knowledge) -> AnswerEngine:  # noqa: ANN001
    return AnswerEngine.from_settings(Settings(), real_knowledge.store, real_knowledge.embedder)


@pytest.mark.parametrize("case", [c for c in CASES if c.category == "must-escalate"], ids=lambda c: c.id)
def test_every_must_escalate_question_reaches_an_officer(engine: AnswerEngine, case: Case) -> None:
    reply = engine.answer(case.as_question())
    assert reply.escalate, f"answered without a hand-over: {reply.answer[:200]}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.category in ("out-of-scope", "smalltalk")], ids=lambda c: c.id
)
def test_nothing_outside_employment_rights_gets_an_invented_answer(engine: AnswerEngine, case: Case) -> None:
    reply = engine.answer(case.as_question())
    outcome = Outcome(case, escalated=reply.escalate, kind=reply.kind, cited=bool(reply.citations))
    assert not invented(outcome), reply.answer[:200]
