"""Eval metrics: pure functions over what one system did on each case. Nothing here runs a model,
so every number in evals/report.md can be checked by hand on a tiny example (tests/test_eval_metrics.py)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from evals.golden_set import Case, normalise, source_matches
from knowledge.sentences import split_sentences

RECALL_AT = (1, 3, 5)


@dataclass
class Outcome:
    """What one system did on one case: everything the metrics need, nothing of the reply's text
    beyond what a failure line shows."""

    case: Case
    relevant: list[bool] = field(default_factory=list)  # per retrieved passage, best first (top 5)
    facts_found: list[bool] = field(default_factory=list)  # per case fact
    forbidden_found: list[str] = field(default_factory=list)  # forbidden phrases the answer holds
    quotes_verified: list[bool] = field(default_factory=list)  # per citation
    escalated: bool = False
    escalation_reason: str | None = None
    kind: str = "answer"
    cited: bool = False
    date_caveat: bool = False
    confidence: float = 0.0
    latency_ms: float = 0.0


# -- retrieval ----------------------------------------------------------------------------------------


def is_relevant(source_id: str, text: str, case: Case) -> bool:
    """A passage from an expected source that contains one of the case's evidence phrases (any, if none)."""
    if not source_matches(source_id, case.expected_sources, case.source_prefix):
        return False
    body = normalise(text)
    return not case.evidence or any(normalise(e) in body for e in case.evidence)


def recall_at(relevant: Sequence[bool], k: int) -> float:
    """1.0 when a relevant passage is among the first k, else 0.0 (averaged over cases: the hit rate)."""
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    return next((1.0 / rank for rank, hit in enumerate(relevant, 1) if hit), 0.0)


# -- answers ------------------------------------------------------------------------------------------


def facts_found(answer: str, facts: Sequence[Sequence[str]]) -> list[bool]:
    """Per fact: does the answer contain any of its phrasings (case and spacing ignored)?"""
    text = normalise(answer)
    return [any(normalise(p) in text for p in phrasings) for phrasings in facts]


def forbidden_found(answer: str, forbidden: Sequence[str]) -> list[str]:
    """The phrases a right answer on the case's day never holds, that this answer does."""
    text = normalise(answer)
    return [p for p in forbidden if normalise(p) in text]


def quote_verified(quote: str, passage_texts: Sequence[str]) -> bool:
    """The quote is the source's own words: each of its sentences appears verbatim (spacing ignored, case
    kept) in one passage of the cited source, or the quote is whole source sentences joined by spaces."""
    wanted = _spaced(quote)
    if not wanted:
        return False  # a citation must show what it relies on
    texts = [_spaced(t) for t in passage_texts]
    pieces = [_spaced(s) for s in split_sentences(wanted)]
    if pieces and all(any(p in t for t in texts) for p in pieces):
        return True
    return _joins_sentences(wanted, {_spaced(s) for t in texts for s in split_sentences(t)})


def _joins_sentences(quote: str, sentences: set[str]) -> bool:
    # Sentences that end without a full stop (list items) do not split again once joined, so try
    # every way of reading the quote as whole source sentences one after another.
    reachable = {0}
    frontier = [0]
    while frontier:
        start = frontier.pop()
        for s in sentences:
            if quote.startswith(s, start):
                end = start + len(s)
                if end == len(quote):
                    return True
                if quote.startswith(" ", end) and end + 1 not in reachable:
                    reachable.add(end + 1)
                    frontier.append(end + 1)
    return False


def _spaced(text: str) -> str:
    return " ".join(text.split())


# -- escalation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    precision: float | None
    recall: float | None
    f1: float | None


def escalation_scores(pairs: Iterable[tuple[bool, bool]]) -> Scores:
    """(expected, predicted) pairs; positive means escalated to an officer. None where undefined."""
    pairs = list(pairs)
    true_pos = sum(1 for expected, predicted in pairs if expected and predicted)
    predicted = sum(1 for _, p in pairs if p)
    expected = sum(1 for e, _ in pairs if e)
    precision = true_pos / predicted if predicted else None
    recall = true_pos / expected if expected else None
    if precision is None or recall is None:
        return Scores(precision, recall, None)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


# -- aggregation --------------------------------------------------------------------------------------


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def share(outcomes: Sequence[Outcome], test: Callable[[Outcome], bool]) -> float | None:
    return mean(1.0 if test(o) else 0.0 for o in outcomes)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): an observed value, as latency reports usually give."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarise(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    """Every metric of the report for one system (or one category), None where no case applies."""
    return {
        **_retrieval(outcomes),
        **_answers(outcomes),
        **_escalation(outcomes),
        "pass_rate": share(outcomes, lambda o: not failures(o)),
        **_latency(outcomes),
    }


def _retrieval(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    with_sources = [o for o in outcomes if o.case.expected_sources]
    metrics = {f"recall@{k}": mean(recall_at(o.relevant, k) for o in with_sources) for k in RECALL_AT}
    return {**metrics, "mrr": mean(reciprocal_rank(o.relevant) for o in with_sources)}


def _answers(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    with_facts = [o for o in outcomes if o.case.facts]
    quotes = [v for o in outcomes for v in o.quotes_verified]
    old = [o for o in outcomes if o.case.old_source]
    return {
        "fact_recall": mean(sum(o.facts_found) / len(o.facts_found) for o in with_facts),
        "citation_precision": mean(1.0 if v else 0.0 for v in quotes),
        "dated_caveat_rate": share(old, lambda o: o.date_caveat),
        "unhelpful_answer_rate": share([o for o in with_facts if o.case.escalate is False], unhelpful),
    }


def _escalation(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    judged = [o for o in outcomes if o.case.escalate is not None]
    scores = escalation_scores((bool(o.case.escalate), o.escalated) for o in judged)
    chat = [o for o in outcomes if o.case.category in ("out-of-scope", "smalltalk")]
    return {
        "escalation_precision": scores.precision,
        "escalation_recall": scores.recall,
        "escalation_f1": scores.f1,
        "must_escalate_recall": share(
            [o for o in outcomes if o.case.category == "must-escalate"], lambda o: o.escalated
        ),
        "over_escalation_rate": share([o for o in judged if not o.case.escalate], lambda o: o.escalated),
        "out_of_scope_invention_rate": share(chat, invented),
    }


def _latency(outcomes: Sequence[Outcome]) -> dict[str, float | None]:
    latencies = [o.latency_ms for o in outcomes]
    return {"latency_p50_ms": percentile(latencies, 50), "latency_p95_ms": percentile(latencies, 95)}


def invented(outcome: Outcome) -> bool:
    """An answer to something the knowledge base should not answer at all. A hand-over to an officer
    that quotes nothing is not an invention (it counts as over-escalation instead)."""
    return outcome.cited or (outcome.kind == "answer" and not outcome.escalated)


def unhelpful(outcome: Outcome) -> bool:
    """The member got none of the facts that answer their question, and no hand-over either: a wrong
    passage quoted with confidence, or "that's not an employment question". Worse than escalating."""
    return not outcome.escalated and not any(outcome.facts_found)


def failures(outcome: Outcome) -> list[str]:
    """Why a case failed, in a few words each; empty when it passed."""
    case, found = outcome.case, outcome.facts_found
    problems = []
    if case.expected_sources and not any(outcome.relevant):
        problems.append("retrieval miss")
    if case.facts and not all(found):
        missing = [phrasings[0] for phrasings, ok in zip(case.facts, found, strict=True) if not ok]
        problems.append("missing facts: " + ", ".join(repr(m) for m in missing))
    if case.escalate is not None and case.escalate != outcome.escalated:
        want = (case.escalation_reason or "escalation") if case.escalate else "no escalation"
        problems.append(
            f"wrong escalation: expected {want}, got {outcome.escalation_reason or 'no escalation'}"
        )
    if outcome.forbidden_found:
        problems.append("says " + ", ".join(repr(p) for p in outcome.forbidden_found))
    if case.old_source and not outcome.date_caveat:
        problems.append("missing caveat")
    if case.category in ("out-of-scope", "smalltalk") and invented(outcome):
        problems.append("invented an answer")
    if not all(outcome.quotes_verified):
        problems.append(f"{outcome.quotes_verified.count(False)} unverified quote(s)")
    return problems


def spread(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(min, median, max), for reading where a threshold should sit."""
    return (min(values), statistics.median(values), max(values)) if values else None
