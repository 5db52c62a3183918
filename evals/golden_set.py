"""Eval cases: load golden.yaml (or a `rightsbot feedback export` file) and check each case makes sense
before anything is measured, so a typo in the set shows up as a clear message, not as a bad score."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from bot.reply import EscalationReason, Question, Turn
from knowledge.store import KnowledgeStore

Category = Literal[
    "answerable", "follow-up", "must-escalate", "out-of-scope", "smalltalk", "adversarial", "from-feedback"
]
NO_SOURCES = {"out-of-scope", "smalltalk"}


class CaseError(ValueError):
    """The case file cannot be used as it is; the message names the case and the problem."""


class Case(BaseModel):
    id: str
    question: str
    thread: list[Turn] = Field(default_factory=list)
    category: Category
    expected_sources: list[str] = Field(default_factory=list)  # ANY of them answers the question
    source_prefix: bool = False
    evidence: list[str] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)  # each inner list: acceptable phrasings of one fact
    escalate: bool | None = (
        None  # None: not yet judged (fresh feedback exports); left out of escalation metrics
    )
    escalation_reason: EscalationReason | None = None
    old_source: bool = False
    notes: str | None = ""
    # Law-on-a-date cases: the day the bot must treat as today, and phrases a right answer never holds
    # on that day (a replaced figure, a planned rule stated as law).
    today: date | None = None
    forbidden: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        for problem in _problems(self):
            raise ValueError(problem)
        return self

    def as_question(self) -> Question:
        return Question(text=self.question, thread=self.thread)


def _problems(case: Case) -> list[str]:
    problems = []
    if not case.question.strip() and case.category != "adversarial":
        problems.append("question is empty")
    if any(not phrasings or not all(p.strip() for p in phrasings) for phrasings in case.facts):
        problems.append("every fact needs at least one non-empty phrasing")
    if case.escalation_reason is not None and case.escalate is not True:
        problems.append("escalation_reason is set but escalate is not true")
    if case.category == "must-escalate" and case.escalate is not True:
        problems.append("a must-escalate case must have escalate: true")
    if case.category == "follow-up" and not case.thread:
        problems.append("a follow-up case needs the earlier turns in thread")
    if case.category in NO_SOURCES and (case.expected_sources or case.facts):
        problems.append(f"a {case.category} case cannot expect sources or facts")
    if any(not p.strip() for p in case.forbidden):
        problems.append("a forbidden phrase is empty")
    if case.old_source and not case.expected_sources:
        problems.append("old_source needs the expected_sources it refers to")
    return problems


def load_cases(path: Path, only: str | None = None) -> list[Case]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CaseError(f"cannot read {path}: {error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise CaseError(f"{path} is not valid YAML: {error}") from error
    cases = parse_cases(raw if raw is not None else [], str(path))
    return [c for c in cases if only is None or c.category == only]


def parse_cases(raw: object, where: str = "cases") -> list[Case]:
    if not isinstance(raw, list):
        raise CaseError(f"{where} must be a YAML list of cases")
    cases = [_parse_case(item, n, where) for n, item in enumerate(raw, 1)]
    duplicates = sorted({c.id for c in cases if sum(1 for o in cases if o.id == c.id) > 1})
    if duplicates:
        raise CaseError(f"{where}: duplicate case ids: {', '.join(duplicates)}")
    return cases


def _parse_case(item: object, number: int, where: str) -> Case:
    name = item.get("id", f"#{number}") if isinstance(item, dict) else f"#{number}"
    try:
        return Case.model_validate(item)
    except ValidationError as error:
        details = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}" for e in error.errors())
        raise CaseError(f"{where}: case {name}: {details}") from error


def source_matches(source_id: str, expected: Sequence[str], prefix: bool) -> bool:
    return any(source_id.startswith(e) if prefix else source_id == e for e in expected)


def set_problems(cases: Sequence[Case], store: KnowledgeStore) -> list[str]:
    """Expected sources missing from the index, and evidence or facts that none of a case's sources
    contain: typos in the set, or a missing document. Reported beside the scores, because otherwise
    they only look like retrieval misses or missing facts."""
    indexed = sorted({s.source_id for s in store.sources()})
    problems: list[str] = []
    for case in cases:
        sources = [s for s in indexed if source_matches(s, case.expected_sources, case.source_prefix)]
        problems.extend(
            f"{case.id}: {e} is not in the index"
            for e in case.expected_sources
            if not any(source_matches(s, [e], case.source_prefix) for s in indexed)
        )
        if sources:
            text = normalise(" ".join(p.text for s in sources for p in store.document(s)))
            # Evidence phrases are alternatives (a passage holding any one is relevant): only a case
            # whose sources hold none of them is a problem.
            problems.extend(
                f"{case.id}: no evidence phrase (such as {e!r}) is in its sources"
                for e in _phrases_missing([case.evidence] if case.evidence else [], text)
            )
            problems.extend(
                f"{case.id}: fact {f!r} is in none of its sources" for f in _phrases_missing(case.facts, text)
            )
    return problems


def _phrases_missing(alternatives: list[list[str]], text: str) -> list[str]:
    return [a[0] for a in alternatives if not any(normalise(p) in text for p in a)]


def normalise(text: str) -> str:
    """Lower case, single spaces: how phrases are compared with passages and answers."""
    return " ".join(text.lower().split())
