"""The eval's numbers, checked by hand on tiny inputs: no model, no store."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.golden_set import Case, CaseError, load_cases, parse_cases
from evals.metrics import (
    Outcome,
    escalation_scores,
    facts_found,
    failures,
    is_relevant,
    percentile,
    quote_verified,
    recall_at,
    reciprocal_rank,
    summarise,
)

GOLDEN = Path(__file__).resolve().parents[1] / "evals" / "golden.yaml"


def case(**fields: object) -> Case:
    defaults: dict[str, object] = {
        "id": "c",
        "question": "Can they make me redundant first?",
        "category": "answerable",
    }
    return Case.model_validate({**defaults, **fields})


# -- retrieval ----------------------------------------------------------------------------------------


def test_recall_at_k_counts_a_relevant_passage_within_the_first_k() -> None:
    ranked = [False, False, True, False]
    assert [recall_at(ranked, k) for k in (1, 2, 3, 5)] == [0.0, 0.0, 1.0, 1.0]
    assert recall_at([], 5) == 0.0


def test_reciprocal_rank_is_one_over_the_first_relevant_rank() -> None:
    assert reciprocal_rank([False, True, True]) == 0.5
    assert reciprocal_rank([True]) == 1.0
    assert reciprocal_rank([False, False]) == 0.0


def test_a_relevant_passage_comes_from_an_expected_source_and_holds_evidence() -> None:
    c = case(expected_sources=["corpus/hm-67.txt#legal-eye"], evidence=["Less favourably"])
    assert is_relevant("corpus/hm-67.txt#legal-eye", "They may be treated  less\nfavourably.", c)
    assert not is_relevant("corpus/hm-67.txt#legal-eye", "Nothing on point here.", c)
    assert not is_relevant("corpus/hm-33.txt#legal-eye", "treated less favourably", c)


def test_prefix_sources_match_any_article_of_the_issue_and_no_evidence_means_any_passage() -> None:
    c = case(expected_sources=["corpus/hm-67.txt"], source_prefix=True)
    assert is_relevant("corpus/hm-67.txt#news-3", "anything at all", c)
    assert not is_relevant("corpus/hm-6.txt#news-3", "anything at all", c)


# -- answers ------------------------------------------------------------------------------------------


def test_fact_recall_accepts_any_phrasing_ignoring_case_and_spacing() -> None:
    facts = [["objectively justified", "objective justification"], ["less favourabl"], ["21 days"]]
    answer = "Unless there is an Objective\n justification, that is less favourable treatment."
    assert facts_found(answer, facts) == [True, True, False]


def test_a_quote_of_one_sentence_in_a_passage_is_verified() -> None:
    passages = ["First rule here.  The employer must consult for 45 days. Other text."]
    assert quote_verified("The employer must consult for 45 days.", passages)
    assert not quote_verified("The employer must consult for 30 days.", passages)
    assert not quote_verified("", passages)


def test_a_quote_joining_sentences_from_two_passages_of_the_source_is_verified() -> None:
    passages = ["You can appeal within 5 days. More.", "Ask for written reasons. Then wait."]
    assert quote_verified("You can appeal within 5 days. Ask for written reasons.", passages)
    assert not quote_verified("You can appeal within 5 days. Ask for a pay rise.", passages)


def test_a_quote_joining_a_sentence_without_a_full_stop_to_an_earlier_one_is_verified() -> None:
    # The composer orders sentences by score, so a last line without a full stop can come first.
    passages = ["Keep a timeline of events. Bring your contract and payslips"]
    assert quote_verified("Bring your contract and payslips Keep a timeline of events.", passages)
    assert not quote_verified("Bring your contract Keep a timeline of events.", passages)


# -- escalation and aggregation -----------------------------------------------------------------------


def test_escalation_precision_recall_and_f1() -> None:
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    scores = escalation_scores(pairs)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_escalation_scores_are_undefined_without_positives() -> None:
    scores = escalation_scores([(False, False)])
    assert scores.precision is None and scores.recall is None and scores.f1 is None


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([], 50) is None


def test_summary_over_a_tiny_run() -> None:
    answerable = case(id="a", expected_sources=["s"], facts=[["x"], ["y"]], old_source=True)
    must = case(id="m", category="must-escalate", escalate=True, escalation_reason="high_stakes")
    chat = case(id="o", category="out-of-scope", escalate=False)
    outcomes = [
        Outcome(
            answerable,
            relevant=[False, True],
            facts_found=[True, False],
            quotes_verified=[True, False],
            date_caveat=True,
            latency_ms=10.0,
        ),
        Outcome(must, escalated=True, escalation_reason="high_stakes", latency_ms=30.0),
        Outcome(chat, kind="out_of_scope", latency_ms=20.0),
    ]
    metrics = summarise(outcomes)
    assert metrics["recall@1"] == 0.0 and metrics["recall@3"] == 1.0 and metrics["mrr"] == 0.5
    assert metrics["fact_recall"] == 0.5
    assert metrics["citation_precision"] == 0.5
    assert metrics["must_escalate_recall"] == 1.0 and metrics["over_escalation_rate"] == 0.0
    assert metrics["out_of_scope_invention_rate"] == 0.0
    assert metrics["dated_caveat_rate"] == 1.0
    assert metrics["latency_p50_ms"] == 20.0


def test_an_escalation_without_quotes_is_not_an_invented_answer_but_citations_are() -> None:
    chat = case(category="out-of-scope", escalate=False)
    handed_over = summarise([Outcome(chat, escalated=True, escalation_reason="low_confidence")])
    assert handed_over["out_of_scope_invention_rate"] == 0.0
    assert handed_over["over_escalation_rate"] == 1.0
    assert summarise([Outcome(chat, cited=True)])["out_of_scope_invention_rate"] == 1.0


def test_an_answer_without_any_of_the_facts_and_without_a_hand_over_is_unhelpful() -> None:
    answerable = case(facts=[["four weeks"], ["not entitled"]], escalate=False)
    wrong_passage = Outcome(answerable, facts_found=[False, False])
    handed_over = Outcome(answerable, facts_found=[False, False], escalated=True)
    half_right = Outcome(answerable, facts_found=[True, False])
    assert summarise([wrong_passage])["unhelpful_answer_rate"] == 1.0
    assert summarise([handed_over, half_right])["unhelpful_answer_rate"] == 0.0


def test_failures_say_what_went_wrong_in_a_few_words() -> None:
    c = case(expected_sources=["s"], facts=[["21 days"]], escalate=False, old_source=True)
    problems = failures(
        Outcome(c, relevant=[False], facts_found=[False], escalated=True, escalation_reason="high_stakes")
    )
    assert problems == [
        "retrieval miss",
        "missing facts: '21 days'",
        "wrong escalation: expected no escalation, got high_stakes",
        "missing caveat",
    ]


# -- the case file ------------------------------------------------------------------------------------


def test_cases_load_with_defaults_for_feedback_exports(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "- id: feedback-1\n  question: can they cut my hours\n  thread: [{role: member, text: hi}]\n"
        "  category: from-feedback\n  expected_sources: []\n  facts: []\n  escalate: null\n  notes: x\n"
    )
    [loaded] = load_cases(path)
    assert loaded.escalate is None and loaded.thread[0].role == "member"


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"category": "must-escalate", "escalate": False}, "must-escalate case must have escalate: true"),
        ({"category": "follow-up"}, "follow-up case needs the earlier turns"),
        ({"facts": [[]]}, "at least one non-empty phrasing"),
        ({"escalation_reason": "urgent", "escalate": False}, "escalation_reason is set"),
        ({"category": "out-of-scope", "expected_sources": ["s"]}, "cannot expect sources"),
        ({"category": "opinion"}, "category"),
    ],
)
def test_inconsistent_cases_are_refused_with_the_case_id(fields: dict, complaint: str) -> None:
    raw = [{"id": "bad-case", "question": "q?", "category": "answerable", **fields}]
    with pytest.raises(CaseError, match="bad-case") as error:
        parse_cases(raw)
    assert complaint in str(error.value)


def test_duplicate_ids_are_refused() -> None:
    raw = [{"id": "same", "question": "q?", "category": "smalltalk"}] * 2
    with pytest.raises(CaseError, match="duplicate case ids: same"):
        parse_cases(raw)


def test_the_golden_and_held_out_sets_are_valid_and_do_not_overlap() -> None:
    golden, held_out = load_cases(GOLDEN), load_cases(GOLDEN.with_name("golden_heldout.yaml"))
    assert len(golden) >= 80 and len(held_out) >= 20
    for cases in (golden, held_out):
        assert {"answerable", "must-escalate", "out-of-scope"} <= {c.category for c in cases}
    assert not {c.id for c in golden} & {c.id for c in held_out}
    assert not {c.question for c in golden} & {c.question for c in held_out}


def test_evidence_phrases_are_alternatives_so_one_found_is_no_problem() -> None:
    from types import SimpleNamespace

    from evals.golden_set import set_problems

    class OneSource:
        def sources(self) -> list[SimpleNamespace]:
            return [SimpleNamespace(source_id="knowledge/factsheets/carers.md")]

        def document(self, source_id: str) -> list[SimpleNamespace]:
            return [SimpleNamespace(text="Up to one week of unpaid carer's leave.")]

    found = case(expected_sources=["knowledge/factsheets/carers.md"], evidence=["carer's leave", "carers leave"])
    missing = case(id="m", expected_sources=["knowledge/factsheets/carers.md"], evidence=["adoption leave"])
    assert set_problems([found, missing], OneSource()) == [  # type: ignore[arg-type]
        "m: no evidence phrase (such as 'adoption leave') is in its sources"
    ]
