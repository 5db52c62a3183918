"""`make eval`: the golden set through the engine and two baselines (dense only, keyword only) over the
same knowledge store; writes evals/report.md and evals/report.png and prints the summary.

It is a report, not a gate: it exits 0 whatever the scores, unless --check is given (then 1 when a
must-escalate case was answered without escalating, or an out-of-scope question got an answer)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot import dated
from bot.engine import MIN_CONFIDENCE, AnswerEngine, contextual_query
from bot.reply import Question
from bot.retrieval import Hit, Mode, Retriever
from bot.settings import RetrievalSettings, Settings
from bot.wiring import Knowledge, build_engine, open_knowledge
from evals.golden_set import Case, CaseError, load_cases, set_problems
from evals.metrics import (
    Outcome,
    facts_found,
    failures,
    forbidden_found,
    is_relevant,
    quote_verified,
    spread,
    summarise,
)
from knowledge.store import KnowledgeStore

REPO = Path(__file__).resolve().parents[1]
RETRIEVAL_K = 5
HELD_OUT = REPO / "evals" / "golden_heldout.yaml"
# The day every case is asked on unless it sets its own `today` (or RIGHTSBOT_TODAY says otherwise):
# fixed, so that "the law in force" and dated caveats read the same in every run.
EVAL_TODAY = date(2026, 12, 1)


@dataclass(frozen=True)
class CaseSet:
    name: str
    path: Path
    about: str


# Reported beside the golden set, never tuned on case by case.
EXTRA_SETS = [
    CaseSet(
        "held-out",
        HELD_OUT,
        "written after the engine's choices were made and never used to make them: the figures to expect "
        "on questions nobody has seen.",
    ),
    CaseSet(
        "members' words",
        REPO / "evals" / "members_words.yaml",
        "worded the way members write (shorthand, feelings, their own words for legal ideas), written "
        "blind by someone who had not read the engine's code.",
    ),
    CaseSet(
        "members' words 2",
        REPO / "evals" / "members_words_2.yaml",
        "a second blind set of the same kinds, written in session 5 by a helper who had not read the "
        "engine; its first run found kinds the engine had not generalised to (other subjects' rights, "
        "harm after speaking up, deadlines in other words), which were then fixed as kinds.",
    ),
    CaseSet(
        "law on a date",
        REPO / "evals" / "law_on_date.yaml",
        "each case sets the day it is asked on: the answer must give the law in force that day, call a "
        "planned change a plan, and never say a replaced rule (`forbidden`).",
    ),
]
SYSTEMS: dict[str, RetrievalSettings] = {
    "engine": RetrievalSettings(),
    "dense-only": RetrievalSettings(mode="dense"),
    "keyword-only": RetrievalSettings(mode="keyword"),
}
METRIC_LABELS = {
    "recall@1": "passage recall@1",
    "recall@3": "passage recall@3",
    "recall@5": "passage recall@5",
    "mrr": "MRR",
    "fact_recall": "answer fact recall",
    "citation_precision": "citation precision (quotes verbatim)",
    "escalation_precision": "escalation precision",
    "escalation_recall": "escalation recall",
    "escalation_f1": "escalation F1",
    "must_escalate_recall": "must-escalate recall",
    "over_escalation_rate": "over-escalation rate (lower is better)",
    "out_of_scope_invention_rate": "out-of-scope invention rate (lower is better)",
    "unhelpful_answer_rate": "unhelpful answer, no hand-over (lower is better)",
    "pass_rate": "cases passing every check",
    "dated_caveat_rate": "dated caveat on old sources",
    "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
}
CHART_METRICS = {  # metric: short label under its bars
    "recall@1": "passage\nrecall@1",
    "recall@5": "passage\nrecall@5",
    "mrr": "MRR",
    "fact_recall": "answer\nfact recall",
    "citation_precision": "citation\nprecision",
    "escalation_f1": "escalation\nF1",
    "must_escalate_recall": "must-escalate\nrecall",
    "dated_caveat_rate": "dated caveat\n(old sources)",
}
CATEGORY_METRICS = [
    "recall@5",
    "mrr",
    "fact_recall",
    "citation_precision",
    "escalation_recall",
    "over_escalation_rate",
    "out_of_scope_invention_rate",
    "unhelpful_answer_rate",
    "dated_caveat_rate",
    "latency_p50_ms",
]

READING_NOTES = [
    "- *passage recall and MRR*: over the passages the engine may quote on the case's day; a rule past "
    "its last day, or a planned one, is found but not counted (it is only ever named as a change).",
    "- *citation precision*: share of citations whose quote is the cited source's own words (each sentence "
    "verbatim in one of its passages, spacing ignored).",
    "- *out-of-scope invention*: an out-of-scope or small-talk message that got citations, or an answer "
    "without a hand-over; a hand-over that quotes nothing counts as over-escalation instead.",
    "- *unhelpful answer*: an answerable question whose reply holds none of the facts that answer it and "
    'does not hand over to an officer either (a wrong passage quoted, or "not an employment question").',
    "- *keyword-only*: the engine's confidence rests on dense similarity, which BM25-only hits do not have, "
    "so this baseline hands over nearly everything; compare it on the retrieval rows.",
    "- *latency*: in-process time of `AnswerEngine.answer` (no LLM), query embedding included, on this "
    "machine while other work may be running; `make bench` measures it under control.",
]


class EvalError(Exception):
    """The eval cannot run as asked (no corpus, a bad case file); printed as one line."""


@dataclass
class Run:
    """Everything one `make eval` measured, ready to print, chart or dump as JSON."""

    cases: list[Case]
    outcomes: dict[str, list[Outcome]]  # per system, in case order
    passages: int
    problems: list[str]  # golden-set entries that do not match the index
    chunk_words: int | None = None
    others: dict[str, Run] = field(default_factory=dict)  # the EXTRA_SETS that were run, by name

    def metrics(self) -> dict[str, dict[str, float | None]]:
        return {name: summarise(outcomes) for name, outcomes in self.outcomes.items()}

    def by_category(self) -> dict[str, dict[str, float | None]]:
        engine = self.outcomes["engine"]
        categories = dict.fromkeys(c.category for c in self.cases)
        return {c: summarise([o for o in engine if o.case.category == c]) for c in categories}

    def confidence(self) -> dict[str, tuple[float, float, float] | None]:
        engine = self.outcomes["engine"]
        groups = {
            "answerable": lambda c: c.category in ("answerable", "follow-up"),
            "must-escalate (low_confidence)": lambda c: c.escalation_reason == "low_confidence",
            "out-of-scope": lambda c: c.category == "out-of-scope",
        }
        return {name: spread([o.confidence for o in engine if test(o.case)]) for name, test in groups.items()}

    def failed(self) -> list[tuple[Case, list[str]]]:
        return [(o.case, problems) for o in self.outcomes["engine"] if (problems := failures(o))]


# -- the knowledge store ------------------------------------------------------------------------------


def corpus_dir() -> Path:
    return Path(os.environ.get("RIGHTSBOT_CORPUS_DIR") or REPO.parent / "shared" / "corpus")


def knowledge_paths() -> list[Path]:
    corpus = corpus_dir()
    if not corpus.is_dir():
        raise EvalError(
            f"corpus folder not found at {corpus}: the golden set cites it. Put the corpus there "
            "or set RIGHTSBOT_CORPUS_DIR."
        )
    if corpus.resolve().name != "corpus":
        _say(
            f"warning: corpus folder is named {corpus.name!r}, so its source ids will not start with 'corpus/'"
        )
    return [REPO / "knowledge", corpus]


def prepare_knowledge(data_dir: Path, chunk_words: int | None) -> Knowledge:
    """Open (or build) the eval store; re-running ingest over unchanged files writes nothing."""
    from ingest.chunker import TARGET_WORDS
    from ingest.pipeline import ingest

    paths = knowledge_paths()
    knowledge = open_knowledge(Settings(data_dir=data_dir))
    _say(f"ingesting {', '.join(str(p) for p in paths)} into {data_dir} ...")
    report = ingest(paths, knowledge.store, knowledge.embedder, target_words=chunk_words or TARGET_WORDS)
    for skip in report.skipped:
        _say(f"  skipped {skip.path}: {skip.reason}")
    _say(
        f"  {report.passages} passages ({report.added} added, {report.unchanged} unchanged) in {report.seconds}s"
    )
    return knowledge


class RecordingRetriever(Retriever):
    """The engine's retriever, remembering what the engine itself searched for: the eval measures
    retrieval on the very query the engine used (cleaned, read with the thread for follow-ups)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.searched: list[tuple[str, list[Hit]]] = []

    def search(self, query: str, k: int | None = None, mode: Mode | None = None) -> list[Hit]:
        hits = super().search(query, k, mode)
        self.searched.append((query, hits))
        return hits


def run_systems(
    cases: Sequence[Case], knowledge: Knowledge, systems: Sequence[str] = tuple(SYSTEMS)
) -> dict[str, list[Outcome]]:
    outcomes: dict[str, list[Outcome]] = {}
    for name, retrieval in ((n, SYSTEMS[n]) for n in systems):
        _say(f"running {name} over {len(cases)} cases ...")
        outcomes[name] = run_system(Settings(retrieval=retrieval), knowledge, cases)
    return outcomes


def run_system(settings: Settings, knowledge: Knowledge, cases: Sequence[Case]) -> list[Outcome]:
    engine = build_engine(settings, knowledge)
    recorder = engine.retriever = RecordingRetriever(knowledge.store, knowledge.embedder, settings.retrieval)
    _start_cold(engine)
    texts = SourceTexts(knowledge.store)
    return [evaluate(engine, recorder, texts, case) for case in cases]


def _start_cold(engine: AnswerEngine) -> None:
    """Each system pays for its own query embeddings (the embedder, and its cache, are shared), but
    not for loading the model: one unrelated question first."""
    engine.answer(Question(text="How much annual leave do I get?"))
    clear = getattr(engine.retriever.embedder.embed_query, "cache_clear", None)  # type: ignore[attr-defined]
    if clear:
        clear()


def evaluate(engine: AnswerEngine, recorder: RecordingRetriever, texts: SourceTexts, case: Case) -> Outcome:
    recorder.searched.clear()
    engine.today = case.today or _eval_today()
    reply = engine.answer(case.as_question())
    # Small talk and refusals never search; their retrieval is measured on the question as asked.
    query, hits = (
        recorder.searched[0] if recorder.searched else (contextual_query(case.question, case.thread), [])
    )
    confidence = reply.confidence
    # What the engine can quote on the case's day: a rule past its last day or a planned one is
    # found but never cited as the law, so it does not count as retrieved.
    found = recorder.search(query, RETRIEVAL_K * 2)
    top = [h for h in found if dated.applies(h.passage, engine.today or _eval_today())][:RETRIEVAL_K]
    return Outcome(
        case=case,
        relevant=[is_relevant(h.passage.source_id, h.passage.text, case) for h in top],
        facts_found=facts_found(reply.answer, case.facts),
        forbidden_found=forbidden_found(reply.answer, case.forbidden),
        quotes_verified=[quote_verified(c.quote, texts(c.source_id)) for c in reply.citations],
        escalated=reply.escalate,
        escalation_reason=reply.escalation_reason.value if reply.escalation_reason else None,
        kind=reply.kind,
        cited=bool(reply.citations),
        date_caveat=reply.date_caveat is not None,
        confidence=confidence,
        latency_ms=reply.latency_ms,
    )


class SourceTexts:
    """Passage texts of a source, read once: replies cite the same few sources again and again."""

    def __init__(self, store: KnowledgeStore) -> None:
        self._store = store
        self._texts: dict[str, list[str]] = {}

    def __call__(self, source_id: str) -> list[str]:
        if source_id not in self._texts:
            self._texts[source_id] = [p.text for p in self._store.document(source_id)]
        return self._texts[source_id]


# -- the report ---------------------------------------------------------------------------------------


def _fmt(value: float | None, metric: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if metric.endswith("_ms") else f"{value:.2f}"


def comparison_table(metrics: dict[str, dict[str, float | None]]) -> str:
    systems = list(metrics)
    lines = ["| metric | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for key, label in METRIC_LABELS.items():
        lines.append(f"| {label} | " + " | ".join(_fmt(metrics[s][key], key) for s in systems) + " |")
    return "\n".join(lines)


def category_table(run: Run) -> str:
    counts = {c: sum(1 for case in run.cases if case.category == c) for c in run.by_category()}
    head = (
        "| category | cases | " + " | ".join(METRIC_LABELS[m].split(" (")[0] for m in CATEGORY_METRICS) + " |"
    )
    lines = [head, "|---|---:|" + "---:|" * len(CATEGORY_METRICS)]
    for category, metrics in run.by_category().items():
        cells = " | ".join(_fmt(metrics[m], m) for m in CATEGORY_METRICS)
        lines.append(f"| {category} | {counts[category]} | {cells} |")
    return "\n".join(lines)


def confidence_lines(run: Run) -> list[str]:
    lines = [
        f"Engine confidence before any decision (MIN_CONFIDENCE = {MIN_CONFIDENCE}): min / median / max",
        "",
    ]
    for group, values in run.confidence().items():
        text = " / ".join(f"{v:.3f}" for v in values) if values else "no cases"
        lines.append(f"- {group}: {text}")
    return lines


def failure_lines(run: Run) -> list[str]:
    failed = run.failed()
    lines = [f"{len(failed)} of {len(run.cases)} cases failed at least one check.", ""]
    lines.extend(f"- `{case.id}` ({case.category}): {'; '.join(problems)}" for case, problems in failed)
    return lines


def markdown_report(run: Run, chart: Path | None) -> str:
    size = f", passages of about {run.chunk_words} words" if run.chunk_words else ""
    parts = [
        "# Eval report",
        f"{date.today().isoformat()}: {len(run.cases)} cases, {run.passages} passages indexed{size}. "
        "Generated by `make eval` (`python -m evals.run`); do not edit by hand.",
        "## Systems compared",
        "Same cases, same store and answer engine; only retrieval differs. *engine*: hybrid (dense + BM25, "
        "fused, re-scored); *dense-only*: MiniLM vectors only; *keyword-only*: BM25 only. Passage recall and "
        f"MRR use the top {RETRIEVAL_K} passages; a passage counts when it comes from an expected source and "
        "holds one of the case's evidence phrases.",
        comparison_table(run.metrics()),
    ]
    parts.append("\n".join(READING_NOTES))
    if chart:
        parts.append(f"![main metrics]({chart.name})")
    parts += ["## Engine by category", category_table(run), "## Confidence", "\n".join(confidence_lines(run))]
    parts += ["## Failed cases (engine)", "\n".join(failure_lines(run))]
    for case_set in EXTRA_SETS:
        if other := run.others.get(case_set.name):
            parts += [
                f"## {case_set.name[0].upper()}{case_set.name[1:]} set",
                f"{len(other.cases)} cases in `{case_set.path.relative_to(REPO)}`, {case_set.about}",
                comparison_table(other.metrics()),
                "Failed cases (engine):",
                "\n".join(failure_lines(other)),
            ]
    problems = run.problems + [p for other in run.others.values() for p in other.problems]
    if problems:
        parts += ["## Golden-set entries that do not match the index", "\n".join(f"- {p}" for p in problems)]
    return "\n\n".join(parts) + "\n"


def write_chart(metrics: dict[str, dict[str, float | None]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width = 0.8 / len(metrics)
    figure, axes = plt.subplots(figsize=(11, 4.5))
    for n, (system, values) in enumerate(metrics.items()):
        heights = [values[m] or 0.0 for m in CHART_METRICS]
        axes.bar([i + n * width for i in range(len(CHART_METRICS))], heights, width, label=system)
    axes.set_xticks([i + width * (len(metrics) - 1) / 2 for i in range(len(CHART_METRICS))])
    axes.set_xticklabels(list(CHART_METRICS.values()), fontsize=9)
    axes.set_ylim(0, 1.15)
    axes.set_title("rightsbot eval: engine vs baselines (higher is better; n/a shown as 0)")
    axes.legend(ncol=len(metrics), loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def as_json(run: Run) -> str:
    data = {
        "cases": len(run.cases),
        "passages": run.passages,
        "systems": run.metrics(),
        "engine_by_category": run.by_category(),
        "confidence": {"min_confidence": MIN_CONFIDENCE, **run.confidence()},
        "failed": {case.id: problems for case, problems in run.failed()},
        "set_problems": run.problems,
    }
    for name, other in run.others.items():
        data[name.replace("'", "").replace(" ", "_").replace("-", "_")] = {
            "cases": len(other.cases),
            "systems": other.metrics(),
            "failed": {case.id: problems for case, problems in other.failed()},
            "set_problems": other.problems,
        }
    return json.dumps(data, indent=2)


def check_failed(run: Run) -> list[str]:
    """The two things that must never happen: a case that needs an officer answered by the bot alone,
    and an invented answer to something outside the knowledge base."""
    reasons = []
    for name, each in [("", run), *((f"{n} set: ", r) for n, r in run.others.items())]:
        engine = each.metrics()["engine"]
        if (recall := engine.get("must_escalate_recall")) is not None and recall < 1.0:
            reasons.append(f"{name}must-escalate recall is {recall:.2f}, not 1.00")
        if (invention := engine.get("out_of_scope_invention_rate")) is not None and invention > 0:
            reasons.append(f"{name}out-of-scope invention rate is {invention:.2f}, not 0")
    return reasons


# -- command line -------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="eval knowledge store (default data/eval)")
    parser.add_argument("--cases", type=Path, default=REPO / "evals" / "golden.yaml")
    parser.add_argument(
        "--no-held-out", action="store_true", help=f"skip the held-out set ({HELD_OUT.relative_to(REPO)})"
    )
    parser.add_argument(
        "--main-only", action="store_true", help="run only --cases, none of the sets reported beside it"
    )
    parser.add_argument(
        "--set", action="append", metavar="NAME", help="run only these sets (golden, held-out, members' words, ...)"
    )
    parser.add_argument(
        "--engine-only", action="store_true", help="skip the baselines (a quick look while working)"
    )
    parser.add_argument("--only", metavar="CATEGORY", help="run the cases of one category")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON instead of the table")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 on a missed must-escalate or an invention"
    )
    parser.add_argument(
        "--chunk-words", type=int, metavar="N", help="re-ingest with passages of about N words"
    )
    parser.add_argument("--report", type=Path, help="where to write the report (default evals/report.md)")
    return parser


def _default_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    suffix = f"-chunk{args.chunk_words}" if args.chunk_words else ""
    data_dir = args.data_dir or REPO / "data" / f"eval{suffix}"
    report = args.report or REPO / "evals" / f"report{suffix}.md"
    return data_dir, report


def evaluate_all(args: argparse.Namespace, data_dir: Path) -> Run:
    cases = load_cases(args.cases, args.only)
    if not cases:
        raise EvalError(
            f"no cases to run in {args.cases}" + (f" for category {args.only!r}" if args.only else "")
        )
    knowledge = prepare_knowledge(data_dir, args.chunk_words)
    systems = ["engine"] if args.engine_only else list(SYSTEMS)
    wanted = set(args.set or [])
    main = cases if not wanted or "golden" in wanted else cases[:1]
    run = _run(main, knowledge, args.chunk_words, systems)
    for case_set in [] if args.main_only else EXTRA_SETS:
        if (args.no_held_out and case_set.path == HELD_OUT) or not case_set.path.is_file():
            continue
        if wanted and case_set.name not in wanted:
            continue
        if other := load_cases(case_set.path, args.only):
            _say(f"{case_set.name} set:")
            run.others[case_set.name] = _run(other, knowledge, args.chunk_words, systems)
    return run


def _run(
    cases: list[Case], knowledge: Knowledge, chunk_words: int | None, systems: Sequence[str] = tuple(SYSTEMS)
) -> Run:
    problems = set_problems(cases, knowledge.store)
    for problem in problems:
        _say(f"golden set: {problem}")
    return Run(cases, run_systems(cases, knowledge, systems), knowledge.store.count(), problems, chunk_words)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir, report = _default_paths(args)
    try:
        run = evaluate_all(args, data_dir)
    except (EvalError, CaseError) as error:
        print(f"eval: {error}", file=sys.stderr)
        return 2
    chart = report.with_suffix(".png")
    report.parent.mkdir(parents=True, exist_ok=True)
    write_chart(run.metrics(), chart)
    report.write_text(markdown_report(run, chart), encoding="utf-8")
    print(as_json(run) if args.json else _summary(run, report))
    reasons = check_failed(run) if args.check else []
    for reason in reasons:
        print(f"eval --check: {reason}", file=sys.stderr)
    return 1 if reasons else 0


def _summary(run: Run, report: Path) -> str:
    lines = [comparison_table(run.metrics())]
    for name, other in run.others.items():
        lines += ["", f"{name} set ({len(other.cases)} cases):", comparison_table(other.metrics())]
    lines += [
        "",
        *confidence_lines(run),
        "",
        f"{len(run.failed())} engine cases failed a check; details in {report}",
    ]
    return "\n".join(lines)


def _eval_today() -> date:
    configured = os.environ.get("RIGHTSBOT_TODAY")
    return date.fromisoformat(configured) if configured else EVAL_TODAY


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
