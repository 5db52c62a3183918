"""The knowledge store: passages with their vectors (Chroma) and their words (SQLite FTS5), kept in
step behind one small interface. Chroma and langchain types never leave this module."""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import numpy as np

from knowledge.keyword_index import KeywordIndex, pack, unpack
from knowledge.passage import Passage

log = logging.getLogger("rightsbot")

COLLECTION = "rightsbot-passages"
STAGING = "rightsbot-passages-rebuild"
_BATCH = 1000  # Chroma rejects very large single writes


class StoreError(Exception):
    """A store problem a person can act on (wrong embedder, unreachable server)."""


class StoreUnavailable(StoreError):
    """A search could not be answered now: the Chroma server is down, frozen or too slow, or the
    keyword index cannot be read. The engine tells the member it can't look that up right now."""


class _Breaker:
    """After a failed search, fail fast for `retry_after` seconds instead of making each member wait
    out the timeout (with a frozen server, eight worker threads stuck for 3 s each stall everyone);
    then let searches try the store again, so answers resume without a restart."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self._open_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        with self._lock:
            if time.monotonic() < self._open_until:
                raise StoreUnavailable("the knowledge store failed moments ago; not retried yet")

    def trip(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.retry_after


@dataclass(frozen=True)
class SourceSummary:
    """One indexed document as `rightsbot sources` lists it. `publisher`: "MiP" for the union's own
    content, else the publication's name, None if unknown; `undated`: no date says when it was true."""

    source_id: str
    kind: str
    title: str
    publication: str | None
    date: str | None
    passages: int
    publisher: str | None = None
    undated: bool = False


class KnowledgeStore:
    def __init__(
        self, collection, keywords: KeywordIndex, retry_after_seconds: float = 5.0  # noqa: ANN001 - Chroma's
    ) -> None:
        self._collection = collection
        self.keywords = keywords
        self._breaker = _Breaker(retry_after_seconds)
        if keywords.generation != self._generation() or keywords.count() != collection.count():
            # A crash between the two writes, another machine's ingest into a shared Chroma server,
            # or a fresh data dir: Chroma is the truth, rebuild the keyword side from it.
            self._rebuild_keywords_from_chroma()

    def _generation(self) -> str | None:
        return (self._collection.metadata or {}).get("generation")

    def mark_written(self) -> None:
        """After an ingest changed something: both halves carry the same new generation stamp."""
        generation = uuid.uuid4().hex
        metadata = {**(self._collection.metadata or {}), "generation": generation}
        self._collection.modify(metadata=metadata)
        self.keywords.stamp(generation)

    # -- writing --------------------------------------------------------------------------------
    def add(
        self,
        passages: Sequence[Passage],
        vectors: np.ndarray,
        parts: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """Passages with their vectors and, optionally, their heading and sentence vectors."""
        for start in range(0, len(passages), _BATCH):
            batch = passages[start : start + _BATCH]
            batch_parts = parts[start : start + _BATCH] if parts is not None else [None] * len(batch)
            self._collection.upsert(
                ids=[p.id for p in batch],
                embeddings=vectors[start : start + _BATCH],
                documents=[p.text for p in batch],
                metadatas=[_metadata(p, v) for p, v in zip(batch, batch_parts, strict=True)],
            )
        self.keywords.add(passages, parts)

    def parts(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return self.keywords.parts(ids)

    def remove(self, ids: Collection[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            self._collection.delete(ids=ids[start : start + _BATCH])
        self.keywords.remove(ids)

    # -- reading --------------------------------------------------------------------------------
    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(passage id, cosine similarity), best first."""
        if k <= 0:  # an empty collection answers with no ids; counting first cost 8 ms at 50,000 passages
            return []
        with self._searching():
            found = self._collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0], strict=True)]

    def keyword_search(self, query: str, k: int) -> list[tuple[str, float]]:
        with self._searching():
            return self.keywords.search(query, k)

    @contextmanager
    def _searching(self) -> Iterator[None]:
        """Raises StoreUnavailable for any failure of a search: a timeout, a refused connection, a
        proxy's 502 (which chromadb raises as a bare Exception), an unreadable index."""
        self._breaker.check()
        try:
            yield
        except Exception as error:
            self._breaker.trip()
            # The type only: an FTS5 error message can quote the member's words.
            log.warning("knowledge store search failed (%s); retrying in %g s", type(error).__name__,
                        self._breaker.retry_after)
            raise StoreUnavailable(f"the knowledge store did not answer ({type(error).__name__})") from error

    def get(self, ids: Sequence[str]) -> list[Passage]:
        return self.keywords.get(ids)

    def document(self, source_id: str) -> list[Passage]:
        return self.keywords.document(source_id)

    def ids(self) -> set[str]:
        return self.keywords.ids()

    def count(self) -> int:
        return self._collection.count()

    def sources(self) -> list[SourceSummary]:
        summaries: dict[str, SourceSummary] = {}
        for p in self.keywords.all():
            seen = summaries.get(p.source_id)
            count = seen.passages + 1 if seen else 1
            summaries[p.source_id] = SourceSummary(
                p.source_id, p.kind, p.title, p.publication, p.date, count, p.publisher, not (p.date or p.issue)
            )
        return sorted(summaries.values(), key=lambda s: s.source_id)

    def _rebuild_keywords_from_chroma(self) -> None:
        self.keywords.clear()
        total = self._collection.count()
        for offset in range(0, total, _BATCH):
            got = self._collection.get(limit=_BATCH, offset=offset, include=["documents", "metadatas"])
            metas = got["metadatas"]
            passages = [
                Passage.model_validate({**json.loads(meta["record"]), "text": text})
                for text, meta in zip(got["documents"], metas, strict=True)
            ]
            parts = [unpack(base64.b64decode(m["parts"])) if m.get("parts") else None for m in metas]
            self.keywords.add(passages, parts)
        self.keywords.stamp(self._generation() or "")


def _metadata(p: Passage, parts: np.ndarray | None) -> dict[str, str | int]:
    # Chroma metadata cannot hold None; the whole record travels as JSON, the rest is for filtering.
    # Sentence vectors travel too (base64), so a keyword index rebuilt from Chroma keeps them.
    record = p.model_dump_json(exclude={"text"})
    meta: dict[str, str | int] = {
        "source_id": p.source_id,
        "kind": p.kind,
        "position": p.position,
        "record": record,
    }
    if (packed := pack(parts)) is not None:
        meta["parts"] = base64.b64encode(packed).decode("ascii")
    return meta


# -- opening ------------------------------------------------------------------------------------


def chroma_client(data_dir: Path, chroma_url: str | None, timeout_seconds: float = 3.0):  # noqa: ANN201
    """Chroma on a server when `chroma_url` is given, else embedded under data_dir. Every request to
    a server is bounded by `timeout_seconds`; an unreachable server is a StoreError saying where."""
    if chroma_url:
        _check_reachable(chroma_url, timeout_seconds)  # before importing chromadb, which takes seconds
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        client = chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
        # chromadb 1.5 builds its httpx session with timeout=None and offers no setting for it
        # (chroma-core/chroma#5805): without this, a frozen server holds a member's question for ever.
        # Clients of one server share one session in a process, so the last timeout set applies.
        client._server._session.timeout = httpx.Timeout(timeout_seconds)  # type: ignore[attr-defined]
        return client
    data_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=chroma_settings)


def _check_reachable(chroma_url: str, timeout_seconds: float) -> None:
    """The client's first request (made while it is built) has no timeout: ask the heartbeat first."""
    heartbeat = chroma_url.rstrip("/") + "/api/v2/heartbeat"
    try:
        httpx.get(heartbeat, timeout=timeout_seconds).raise_for_status()
    except httpx.HTTPError as error:
        raise StoreError(
            f"the Chroma server at {chroma_url} did not answer within {timeout_seconds:g} s "
            f"({type(error).__name__}): is it running (RIGHTSBOT_CHROMA_URL)?"
        ) from error


def open_store(
    client,  # noqa: ANN001
    keyword_path: Path | str,
    embedder_name: str,
    name: str = COLLECTION,
    retry_after_seconds: float = 5.0,
    keyword_timeout_seconds: float = 30.0,
) -> KnowledgeStore:
    collection = client.get_or_create_collection(
        name,
        embedding_function=None,  # Chroma's default would download a model: we always pass vectors
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder_name},
    )
    stored = (collection.metadata or {}).get("embedder")
    if stored != embedder_name:
        raise StoreError(
            f"the index was built with embedder {stored!r}, not {embedder_name!r}: run ingest with --rebuild"
        )
    keywords = KeywordIndex(keyword_path, keyword_timeout_seconds)
    return KnowledgeStore(collection, keywords, retry_after_seconds)


class Rebuild:
    """Build a fresh index beside the live one and swap it in only when complete, so a crash
    mid-rebuild leaves the previous index usable."""

    def __init__(self, client, keyword_path: Path, embedder_name: str) -> None:  # noqa: ANN001
        self._client = client
        self._live_keywords = Path(keyword_path)
        self._staged_keywords = self._live_keywords.with_suffix(".rebuild.sqlite3")
        _drop_collection(client, STAGING)
        _remove_sqlite(self._staged_keywords)
        self.store = open_store(client, self._staged_keywords, embedder_name, STAGING)

    def commit(self) -> None:
        self.store.keywords.close()
        _drop_collection(self._client, COLLECTION)
        self._client.get_collection(STAGING).modify(name=COLLECTION)
        _remove_sqlite(self._live_keywords)
        os.replace(self._staged_keywords, self._live_keywords)


def _drop_collection(client, name: str) -> None:  # noqa: ANN001
    if name in {c.name if hasattr(c, "name") else c for c in client.list_collections()}:
        client.delete_collection(name)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        if target.exists():
            target.unlink()
