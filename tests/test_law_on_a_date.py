"""The law on the day the member asks (RIGHTSBOT_TODAY, the one clock): a rule past its last day is
never quoted, a coming change is named in one dated line, a planned change is never stated as law, the
date that decides is said, and a member's event near a change goes to an officer."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import AnswerEngine
from bot.reply import EscalationReason, Question, Reply
from bot.retrieval import Retriever
from bot.settings import Settings
from bot.wiring import open_knowledge
from ingest.pipeline import ingest

FACTSHEET = """\
---
title: "Qualifying for unfair dismissal"
last_reviewed: 2026-12-01
---
Unfair dismissal protects employees who are dismissed without a fair reason or a fair procedure.

## How long must I have worked to claim unfair dismissal?
Dates: in force until 2026-12-31; decided by the date of dismissal

Until at least 31 December 2026, an employee needs two years' continuous employment to claim unfair dismissal. Until at least 31 December 2026, the qualifying period is counted up to the effective date of termination.

## What is planned to change from 1 January 2027?
Dates: planned from 2027-01-01; decided by the date of dismissal

The government plans to cut the qualifying period for unfair dismissal to six months from 1 January 2027, but this is not yet law. The plan has not been confirmed by commencement regulations.
"""

UNDATED = """\
---
title: "Old pay notes"
kind: web
publication: Some website
---
The allowance for managers on call is currently £15,750 a year (from April 2019), paid monthly with salary.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, minilm) -> AnswerEngine:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("dated-kb")
    (folder / "factsheets").mkdir()
    (folder / "factsheets" / "qualifying.md").write_text(FACTSHEET, encoding="utf-8")
    (folder / "old-pay-notes.md").write_text(UNDATED, encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("dated-data"))
    knowledge = open_knowledge(settings, minilm)
    ingest([folder], knowledge.store, minilm)
    retriever = Retriever(knowledge.store, minilm, settings.retrieval)
    return AnswerEngine(retriever, settings.answer)


def ask(engine: AnswerEngine, text: str, today: date) -> Reply:
    engine.today = today
    return engine.answer(Question(text=text))


def test_before_the_change_the_rule_in_force_leads_and_the_plan_is_named_as_a_plan(engine: AnswerEngine) -> None:
    reply = ask(engine, "how long do I need to work somewhere to claim unfair dismissal?", date(2026, 12, 1))
    assert "two years" in reply.lead
    assert reply.date_caveat and "planned for 1 January 2027, not yet law" in reply.date_caveat
    assert "six months" not in reply.lead + " ".join(reply.points)  # the plan is never a point of law
    assert "depends on the date of dismissal" in reply.date_caveat


def test_far_from_the_change_no_change_line_is_added(engine: AnswerEngine) -> None:
    reply = ask(engine, "how long do I need to work somewhere to claim unfair dismissal?", date(2026, 6, 1))
    assert "two years" in reply.lead
    assert "Change ahead" not in (reply.date_caveat or "")


def test_after_the_last_day_the_old_rule_is_never_quoted_and_an_officer_confirms(engine: AnswerEngine) -> None:
    reply = ask(engine, "how long do I need to work somewhere to claim unfair dismissal?", date(2027, 1, 2))
    assert "two years" not in reply.answer
    assert reply.escalate and reply.escalation_reason == EscalationReason.LOW_CONFIDENCE
    assert "not confirmed in force" in reply.answer  # the plan is named, and called a plan


def test_an_event_after_a_coming_change_goes_to_an_officer(engine: AnswerEngine) -> None:
    reply = ask(
        engine,
        "a colleague's notice ends on 20 January 2027, does she have enough service to claim unfair dismissal?",
        date(2026, 12, 1),
    )
    assert reply.escalate


def test_figures_from_an_undated_document_carry_a_caveat(engine: AnswerEngine) -> None:
    reply = ask(engine, "how much is the on call allowance for managers?", date(2026, 12, 1))
    assert "£15,750" in reply.answer
    assert reply.date_caveat and "no date" in reply.date_caveat


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("question", "today", "must", "never"),
    [
        ("what is the most a tribunal can award if they didn't consult on redundancies?", "2026-12-01", "180 days", "up to 90 days"),
        ("do I get statutory sick pay from the first day I'm off?", "2026-12-01", "first day", "waiting days apply"),
        ("What is the qualifying period for unfair dismissal?", "2026-12-01", "two years", "six months' service is the"),
    ],
)
def test_the_real_knowledge_base_states_the_law_in_force(
    real_knowledge, question: str, today: str, must: str, never: str  # noqa: ANN001
) -> None:
    settings = Settings()
    engine = AnswerEngine(Retriever(real_knowledge.store, real_knowledge.embedder, settings.retrieval), settings.answer)
    reply = ask(engine, question, date.fromisoformat(today))
    assert must in reply.answer.lower() and never not in reply.answer.lower()


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("question", "ended"),
    [
        # The time limit is in force; the qualifying period that ranks beside it has ended.
        ("what is the time limit for bringing an unfair dismissal claim?", False),
        # The rule asked about (fire and rehire) ended on 31 December 2026; its successor is only planned.
        ("is fire and rehire still allowed or has it been banned now?", True),
        ("how long do you have to work somewhere before you can claim unfair dismissal?", True),
    ],
)
def test_an_ended_rule_hands_over_only_when_it_is_what_was_asked(
    real_knowledge, question: str, ended: bool  # noqa: ANN001
) -> None:
    settings = Settings()
    engine = AnswerEngine(Retriever(real_knowledge.store, real_knowledge.embedder, settings.retrieval), settings.answer)
    reply = ask(engine, question, date(2027, 1, 2))
    assert reply.escalate is ended
    if not ended:
        assert "three months less one day" in reply.lead


@pytest.mark.corpus
def test_after_an_ended_rule_the_hand_over_quotes_its_own_guidance_and_names_the_matching_plan(
    real_knowledge,  # noqa: ANN001
) -> None:
    """On 2 January 2027 the compensatory award cap has ended and its removal is only planned: the
    member hears what the unfair dismissal factsheet says now, and the one planned change that is
    about the cap (a planned section may list several), not another subject's rule."""
    settings = Settings()
    engine = AnswerEngine(Retriever(real_knowledge.store, real_knowledge.embedder, settings.retrieval), settings.answer)
    reply = ask(engine, "is there still a limit on how much compensation a tribunal can give for unfair dismissal?", date(2027, 1, 2))
    assert reply.escalate and reply.escalation_reason == EscalationReason.LOW_CONFIDENCE
    assert {c.source_id for c in reply.citations} == {"knowledge/factsheets/unfair-dismissal.md"}
    assert reply.date_caveat and "cap on the compensatory award" in reply.date_caveat
    assert "not yet law" in reply.date_caveat
