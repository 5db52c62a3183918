"""The ingest job: files in, passages (with vectors) in the knowledge store, repeatably.

Passage ids are document id plus content hash, so a re-run embeds only what changed, replaces
what was edited and removes what disappeared; a run over unchanged files writes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunker import TARGET_WORDS, chunk_document, embedding_text, part_spans
from ingest.loaders import SUPPORTED_SUFFIXES, SkippedFile, load_file
from ingest.sources import MANIFEST, SourceMeta, read_manifest
from knowledge.embedder import Embedder
from knowledge.passage import Passage
from knowledge.store import KnowledgeStore

# Files that live beside knowledge content but are not knowledge: code and folder documentation.
_NOT_CONTENT = {MANIFEST, "README.md", "__init__.py"}
_NOT_CONTENT_SUFFIXES = {".py", ".pyc", ".yaml", ".yml"}
EMBED_BATCH = 64


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source_id: str
    root: Path


@dataclass
class Skip:
    path: str
    reason: str


@dataclass
class IngestReport:
    documents: int = 0
    passages: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    seconds: float = 0.0


def ingest(
    paths: Sequence[Path],
    store: KnowledgeStore,
    embedder: Embedder,
    progress: Callable[[int, int], None] | None = None,
    target_words: int = TARGET_WORDS,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    passages = _read_passages(paths, report, target_words)
    stored = store.ids()
    stale, fresh = _diff(stored, passages, _scopes(paths))
    _count_changes(report, stored, fresh, stale, passages)
    _embed_and_add(store, embedder, fresh, progress)
    store.remove(stale)  # only after the new passages are in: a crash leaves a usable index
    if fresh or stale:
        store.mark_written()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _read_passages(paths: Sequence[Path], report: IngestReport, target_words: int) -> list[Passage]:
    passages: list[Passage] = []
    manifests: dict[Path, dict[str, SourceMeta]] = {}  # one sources.yaml read per folder, not per file
    for source in discover(paths, report):
        folder = source.path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        try:
            documents = load_file(source.path, source.source_id, manifests[folder].get(source.path.name))
        except SkippedFile as skipped:
            report.skipped.append(Skip(str(source.path), skipped.reason))
            continue
        chunks = [chunk_document(d, target_words) for d in documents]
        if not any(chunks):
            report.skipped.append(Skip(str(source.path), "no text to index"))
            continue
        report.documents += sum(1 for c in chunks if c)
        passages.extend(p for c in chunks for p in c)
    report.passages = len(passages)
    return passages


def discover(paths: Sequence[Path], report: IngestReport) -> list[SourceFile]:
    found: list[SourceFile] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path, report))
        elif path.is_file():
            found.append(SourceFile(path, _source_id(path, path.parent), path.parent))
        else:
            report.skipped.append(Skip(str(path), "no such file or folder"))
    return found


def _walk(root: Path, report: IngestReport) -> Iterable[SourceFile]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith((".", "__")) for part in relative.parts):
            continue
        if path.name in _NOT_CONTENT or path.suffix.lower() in _NOT_CONTENT_SUFFIXES:
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.skipped.append(Skip(str(path), f"unsupported file type {path.suffix or '(none)'}"))
            continue
        yield SourceFile(path, _source_id(path, root), root)


def _source_id(path: Path, root: Path) -> str:
    # The folder's own name keeps ids readable and distinct: knowledge/factsheets/redundancy.md
    return f"{root.resolve().name}/{path.resolve().relative_to(root.resolve()).as_posix()}"


def _scopes(paths: Sequence[Path]) -> list[str]:
    """Which stored source ids this run speaks for: only those can be removed as disappeared."""
    return [
        f"{p.resolve().name}/" if p.is_dir() else _source_id(p, p.parent)
        for p in paths
        if p.is_dir() or p.is_file() or p.parent.is_dir()
    ]


def _in_scope(passage_id_: str, scopes: list[str]) -> bool:
    source = passage_id_.rsplit("@", 1)[0]
    return any(source.startswith(s) if s.endswith("/") else source.split("#")[0] == s for s in scopes)


def _diff(stored: set[str], passages: list[Passage], scopes: list[str]) -> tuple[set[str], list[Passage]]:
    wanted = {p.id for p in passages}
    stale = {i for i in stored if i not in wanted and _in_scope(i, scopes)}
    fresh = [p for p in passages if p.id not in stored]
    return stale, fresh


def _count_changes(
    report: IngestReport, stored: set[str], fresh: list[Passage], stale: set[str], passages: list[Passage]
) -> None:
    stored_sources = {i.rsplit("@", 1)[0] for i in stored}
    report.updated = sum(1 for p in fresh if p.source_id in stored_sources)
    report.added = len(fresh) - report.updated
    report.unchanged = len(passages) - len(fresh)
    report.removed = len(stale)


def _embed_and_add(
    store: KnowledgeStore,
    embedder: Embedder,
    fresh: list[Passage],
    progress: Callable[[int, int], None] | None,
) -> None:
    for start in range(0, len(fresh), EMBED_BATCH):
        batch = fresh[start : start + EMBED_BATCH]
        vectors, parts = embedder.embed_with_parts(
            [embedding_text(p) for p in batch], [part_spans(p) for p in batch]
        )
        store.add(batch, vectors, parts)
        if progress:
            progress(min(start + EMBED_BATCH, len(fresh)), len(fresh))
