"""`make bench`: how fast ingest and answering are, on the real corpus and on a synthetic 50,000-passage
knowledge base; prints the results and writes evals/bench.md.

Embedding 50,000 passages with MiniLM takes about twenty minutes on two cores, so by default the
synthetic corpus is ingested with the hashing embedder (what the pipeline and the stores cost) and the
model's own speed is measured on a sample to project the real time. --full runs the model on all of it."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.reply import Question
from bot.settings import Settings
from bot.wiring import Knowledge, build_engine, open_knowledge
from evals import synthetic
from evals.load import LoadReport, run_load
from evals.metrics import percentile
from evals.run import REPO, EvalError, knowledge_paths
from ingest.chunker import embedding_text
from ingest.pipeline import EMBED_BATCH, IngestReport, ingest
from knowledge.embedder import Embedder, HashingEmbedder, MiniLMEmbedder

MODEL_SAMPLE = 2_000
WARM_UP_QUESTIONS = 5


@dataclass
class Bench:
    """The measurements so far, in the order they are shown."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (measurement, value, note)

    def add(self, measurement: str, value: str, note: str = "") -> None:
        self.rows.append((measurement, value, note))
        print(f"  {measurement}: {value}" + (f"  ({note})" if note else ""), file=sys.stderr, flush=True)

    def section(self, title: str) -> None:
        self.rows.append((f"**{title}**", "", ""))
        print(f"\n{title}", file=sys.stderr, flush=True)


# -- measuring ----------------------------------------------------------------------------------------


def timed_ingest(paths: Sequence[Path], knowledge: Knowledge, label: str) -> IngestReport:
    return ingest(paths, knowledge.store, knowledge.embedder, _progress(label))


def _progress(label: str) -> Callable[[int, int], None]:
    started = time.perf_counter()
    shown = [0]

    def show(done: int, total: int) -> None:
        if done == total or done - shown[0] >= max(EMBED_BATCH, total // 10):
            shown[0] = done
            elapsed = time.perf_counter() - started
            print(
                f"    {label}: {done:,}/{total:,} passages stored, {elapsed:.0f}s",
                file=sys.stderr,
                flush=True,
            )

    return show


def embedding_floor(embedder: Embedder, texts: Sequence[str]) -> float:
    """Seconds the embedder alone needs for these texts, in the pipeline's batches."""
    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        embedder.embed(texts[start : start + EMBED_BATCH])
    return time.perf_counter() - started


def passage_texts(knowledge: Knowledge, limit: int | None = None) -> list[str]:
    passages = knowledge.store.keywords.all()
    return [embedding_text(p) for p in list(passages)[:limit]]


def answer_latencies(knowledge: Knowledge, questions: Sequence[str], warm_up: Sequence[str]) -> list[float]:
    """Warm latency without a language model: model loaded and stores open, but every measured
    question embedded afresh (the query cache is emptied after the warm-up)."""
    engine = build_engine(Settings(), knowledge)
    for text in warm_up:
        engine.answer(Question(text=text))
    clear = getattr(knowledge.embedder.embed_query, "cache_clear", None)  # type: ignore[attr-defined]
    if clear:
        clear()
    return [engine.answer(Question(text=text)).latency_ms for text in questions]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# -- the real corpus ----------------------------------------------------------------------------------


def bench_real(workdir: Path, model: MiniLMEmbedder, bench: Bench, questions: Sequence[str]) -> None:
    bench.section("Real corpus: knowledge/ and ../shared/corpus, all-MiniLM-L6-v2")
    started = time.perf_counter()
    model.embed(["load the model"])
    bench.add(
        "model load", f"{time.perf_counter() - started:.1f} s", "once per process; not in the ingest times"
    )
    knowledge = open_knowledge(Settings(data_dir=workdir / "real"), model)
    paths = knowledge_paths()
    first = timed_ingest(paths, knowledge, "real ingest")
    bench.add("ingest", _rate(first), f"{first.documents} documents into a fresh data dir")
    rerun = timed_ingest(paths, knowledge, "no-change re-run")
    bench.add(
        "no-change re-run", f"{rerun.seconds:.2f} s", f"{rerun.unchanged:,} unchanged, {rerun.added} added"
    )
    texts = passage_texts(knowledge)
    floor = embedding_floor(model, texts)
    bench.add("embedding floor", f"{len(texts) / floor:,.1f} passages/s", _overhead(first.seconds, floor))
    _latency(bench, knowledge, questions, "answer latency, real corpus")
    bench.add("peak memory so far", f"{peak_memory_mb():,.0f} MB")


# -- many members at once ----------------------------------------------------------------------------


def bench_load(workdir: Path, bench: Bench, questions: int, members: int) -> LoadReport:
    bench.section(
        f"Load: {questions} questions from {members} members at once, `rightsbot slack --http` "
        "on the bundled knowledge (evals/load.py)"
    )
    report = run_load(workdir / "load", questions, members)
    once = f"{report.answered_once} of {report.questions}"
    bench.add("answered exactly once", once, "chat.postMessage per member thread, counted at the fake Slack")
    bench.add("errors", "; ".join(report.errors) or "none", "non-200 acks, no answer, apologies, tracebacks")
    bench.add("ack latency", f"p50 {report.ack(50):.0f} ms, p95 {report.ack(95):.0f} ms", "POST to HTTP 200")
    bench.add(
        "answer latency",
        f"p50 {report.answer(50):.0f} ms, p95 {report.answer(95):.0f} ms",
        "POST to the answer reaching the fake Slack; each member waits for one answer before the next",
    )
    bench.add("throughput", f"{report.questions / report.seconds:.1f} questions/s", f"{report.seconds:.0f} s")
    bench.add("app peak memory", f"{report.peak_rss_mb:,.0f} MB", "VmHWM of the app process")
    return report


# -- the synthetic corpus -----------------------------------------------------------------------------


def bench_synthetic(
    workdir: Path, model: MiniLMEmbedder, bench: Bench, size: int, full: bool, questions: Sequence[str]
) -> None:
    folder = workdir / "synthetic"
    started = time.perf_counter()
    written = synthetic.generate(folder, size)
    bench.section(f"Synthetic corpus: {written:,} passages of about 110 words (evals/synthetic.py)")
    bench.add("generate files", f"{time.perf_counter() - started:.1f} s")
    hashed, overhead = _bench_hashing(workdir, folder, bench)
    rate = _bench_model_sample(model, hashed, bench)
    _latency(bench, hashed, questions, "answer latency, hashing embedder (passages and questions)")
    priced = Knowledge(hashed.store, ModelPricedQuestions(hashed.embedder, model))
    _latency(bench, priced, questions, "answer latency, MiniLM question embedding")
    if full:
        _bench_full(workdir, folder, model, bench, questions)
    else:
        projected = overhead + hashed.store.count() / rate
        bench.add(
            "projected MiniLM ingest",
            f"{projected / 60:.1f} min",
            "pipeline overhead + passages / model rate",
        )
    bench.add("peak memory so far", f"{peak_memory_mb():,.0f} MB")


def _bench_hashing(workdir: Path, folder: Path, bench: Bench) -> tuple[Knowledge, float]:
    """Ingest with the hashing embedder: returns the store and the pipeline's own seconds (no model)."""
    knowledge = open_knowledge(Settings(data_dir=workdir / "synthetic-hashing"), HashingEmbedder())
    first = timed_ingest([folder], knowledge, "hashing ingest")
    bench.add("ingest, hashing embedder", _rate(first), "pipeline and store cost: not the model's speed")
    floor = embedding_floor(knowledge.embedder, passage_texts(knowledge))
    bench.add("hashing embedder alone", f"{floor:.1f} s", "subtracted to give the pipeline overhead")
    rerun = timed_ingest([folder], knowledge, "no-change re-run")
    bench.add(
        "no-change re-run", f"{rerun.seconds:.1f} s", f"{rerun.unchanged:,} unchanged, {rerun.added} added"
    )
    return knowledge, first.seconds - floor


def _bench_model_sample(model: MiniLMEmbedder, knowledge: Knowledge, bench: Bench) -> float:
    texts = passage_texts(knowledge, MODEL_SAMPLE)
    rate = len(texts) / embedding_floor(model, texts)
    bench.add("MiniLM embedding floor", f"{rate:,.1f} passages/s", f"on a {len(texts):,}-passage sample")
    return rate


def _bench_full(
    workdir: Path, folder: Path, model: MiniLMEmbedder, bench: Bench, questions: Sequence[str]
) -> None:
    knowledge = open_knowledge(Settings(data_dir=workdir / "synthetic-minilm"), model)
    first = timed_ingest([folder], knowledge, "MiniLM ingest")
    bench.add("ingest, MiniLM", _rate(first), f"{first.seconds / 60:.1f} min")
    rerun = timed_ingest([folder], knowledge, "no-change re-run")
    bench.add("no-change re-run, MiniLM store", f"{rerun.seconds:.1f} s")
    _latency(bench, knowledge, questions, "answer latency, MiniLM")


class ModelPricedQuestions:
    """Pays for a real MiniLM embedding of every question, then searches the hashing store with the
    hashing vector: the 50,000-passage latency a member would see, without 25 minutes of MiniLM ingest."""

    def __init__(self, hashing: Embedder, model: MiniLMEmbedder) -> None:
        self.hashing, self.model = hashing, model
        self.name, self.dimension = hashing.name, hashing.dimension
        self.embed_query = lru_cache(maxsize=1024)(self._priced_query)  # cached per question, as MiniLM's is

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.hashing.embed(texts)

    def _priced_query(self, text: str) -> np.ndarray:
        self.model.embed([text])
        return self.hashing.embed_query(text)

    def embed_with_parts(
        self, texts: Sequence[str], parts: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        return self.hashing.embed_with_parts(texts, parts)


# -- output -------------------------------------------------------------------------------------------


def _rate(report: IngestReport) -> str:
    rate = report.passages / report.seconds if report.seconds else 0.0
    return f"{rate:,.1f} passages/s ({report.passages:,} in {report.seconds:.1f} s)"


def _overhead(ingest_seconds: float, floor_seconds: float) -> str:
    share = 1 - floor_seconds / ingest_seconds if ingest_seconds else 0.0
    return f"the model alone; reading, chunking and storing add {share:.0%} of ingest time"


def _latency(bench: Bench, knowledge: Knowledge, questions: Sequence[str], label: str) -> None:
    warm_up = synthetic.sample_questions(WARM_UP_QUESTIONS, seed=1)
    latencies = answer_latencies(knowledge, questions, warm_up)
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    bench.add(label, f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", f"{len(latencies)} questions, no LLM")


def markdown(bench: Bench, seconds: float, full: bool) -> str:
    mode = "--full (MiniLM on everything)" if full else "default (synthetic ingest with the hashing embedder)"
    lines = [
        "# Benchmarks",
        "",
        f"{date.today().isoformat()}, {mode}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.machine()}; whole run {seconds / 60:.1f} min; load average over the last 15 min "
        f"{os.getloadavg()[2]:.1f} (others' work on the machine slows every figure). Generated by `make bench` "
        "(`python -m evals.bench`); do not edit by hand.",
        "",
        "| measurement | value | notes |",
        "|---|---|---|",
        *(f"| {m} | {v} | {n} |" for m, v, n in bench.rows),
        "",
        f"Peak memory of the whole run (ru_maxrss): {peak_memory_mb():,.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__)
    parser.add_argument(
        "--full", action="store_true", help="embed the whole synthetic corpus with MiniLM (slow)"
    )
    parser.add_argument("--passages", type=int, default=50_000, help="synthetic corpus size (default 50,000)")
    parser.add_argument("--questions", type=int, default=60, help="questions per latency run (default 60)")
    parser.add_argument("--load-questions", type=int, default=200, help="load run questions (default 200)")
    parser.add_argument("--load-members", type=int, default=20, help="load run members at once (default 20)")
    parser.add_argument("--only-load", action="store_true", help="run only the load run")
    parser.add_argument(
        "--out", type=Path, help="where the report goes (default evals/bench.md; --only-load: printed only)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    bench = Bench()
    questions = synthetic.sample_questions(args.questions)
    try:
        with tempfile.TemporaryDirectory(prefix="rightsbot-bench-", ignore_cleanup_errors=True) as tmp:
            model = None if args.only_load else MiniLMEmbedder()
            if model:
                bench_real(Path(tmp), model, bench, questions)
            load = bench_load(Path(tmp), bench, args.load_questions, args.load_members)
            if model:
                bench_synthetic(Path(tmp), model, bench, args.passages, args.full, questions)
    except EvalError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    report = markdown(bench, time.perf_counter() - started, args.full)
    out = args.out or (None if args.only_load else REPO / "evals" / "bench.md")
    if out:
        out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if load.answered_once == load.questions and not load.errors else 1  # a dropped answer fails


if __name__ == "__main__":
    raise SystemExit(main())
