"""Keyword side of hybrid retrieval: SQLite FTS5 with BM25 ranking and Porter stemming.

It also keeps every passage's full record, so a search can return passages without a round trip
to Chroma. Chroma stays the source of truth: this index can always be rebuilt from it."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np

from knowledge.passage import Passage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, source_id TEXT NOT NULL,
    position INTEGER NOT NULL, record TEXT NOT NULL, parts BLOB);
CREATE INDEX IF NOT EXISTS passages_by_source ON passages (source_id, position);
CREATE TABLE IF NOT EXISTS stamp (generation TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    id UNINDEXED, text, title, section, tokenize = 'porter unicode61');
"""

SCHEMA_VERSION = 2
MIN_TERMS = 3
COMMON_SHARE = 0.05
ROW_BUDGET = 5_000  # passages BM25 may score for the common words; about 10 ms on two cores

# Words that carry no meaning for matching a question to a passage.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "im",
        "ive",
        "id",
        "dont",
        "cant",
        "wont",
        "get",
        "got",
        "getting",
        "been",
        "am",
        "please",
        "thanks",
        "hi",
        "hello",
        "know",
        "want",
        "tell",
        "say",
        "said",
        "also",
        "still",
        "really",
        "thing",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def query_terms(text: str) -> list[str]:
    """The meaningful words of a question, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        token = token.split("'")[0]
        if len(token) > 1 and token not in STOPWORDS:
            seen.setdefault(token, None)
    return list(seen)


class KeywordIndex:
    def __init__(self, path: Path | str, timeout_seconds: float = 30.0) -> None:
        """`timeout_seconds`: how long a call waits for another process's write lock (an ingest)."""
        self._lock = threading.Lock()
        self._df_cache: dict[tuple[str | None, int, str], int] = {}  # per index state: counts change with it
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # a first ingest into a Chroma server
        self._db = sqlite3.connect(
            str(path), timeout=timeout_seconds, check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            # An index from an older release: drop it; the store rebuilds it from Chroma.
            self._db.executescript(
                "DROP TABLE IF EXISTS passages; DROP TABLE IF EXISTS passages_fts; DROP TABLE IF EXISTS stamp;"
            )
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._db.executescript(_SCHEMA)

    def add(self, passages: Sequence[Passage], parts: Sequence[np.ndarray | None] | None = None) -> None:
        # A passage id is a hash of its whole record, so a stored id never needs rewriting. The
        # full-text rows share the passages table's rowid: found by key, never by a table scan.
        blobs = [pack(v) for v in parts] if parts is not None else [None] * len(passages)
        with self._lock, self._transaction():
            for p, blob in zip(passages, blobs, strict=True):
                added = self._db.execute(
                    "INSERT OR IGNORE INTO passages VALUES (?, ?, ?, ?, ?)",
                    (p.id, p.source_id, p.position, p.model_dump_json(), blob),
                )
                if added.rowcount:
                    self._db.execute(
                        "INSERT INTO passages_fts (rowid, id, text, title, section) VALUES (?, ?, ?, ?, ?)",
                        (added.lastrowid, p.id, p.text, p.title, p.section or ""),
                    )

    def remove(self, ids: Iterable[str]) -> None:
        keys = [(i,) for i in ids]
        with self._lock, self._transaction():
            self._db.executemany(
                "DELETE FROM passages_fts WHERE rowid = (SELECT rowid FROM passages WHERE id = ?)", keys
            )
            self._db.executemany("DELETE FROM passages WHERE id = ?", keys)

    def clear(self) -> None:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM passages")
            self._db.execute("DELETE FROM passages_fts")

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        terms = self._discriminating(query_terms(query))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        sql = (
            "SELECT id, -bm25(passages_fts, 0, 1.0, 0.6, 0.6) AS score FROM passages_fts "
            "WHERE passages_fts MATCH ? ORDER BY score DESC LIMIT ?"
        )
        with self._lock:
            return [(row[0], float(row[1])) for row in self._db.execute(sql, (match, k))]

    def _discriminating(self, terms: list[str]) -> list[str]:
        """The question's rarer words. A word in a large share of passages adds almost nothing to
        BM25 but makes it score every passage holding it: at 50,000 passages that was most of the
        answer time. Keeps every word in under 5% of passages, and up to the three rarest as long as
        together they match no more than ROW_BUDGET passages (always the rarest one)."""
        total = max(1, self.count())
        if len(terms) <= MIN_TERMS and total <= ROW_BUDGET:
            return terms
        found = sorted((self._document_frequency(t, total), t) for t in terms)
        rows = list(accumulate(df for df, _ in found))
        return [
            t
            for i, (df, t) in enumerate(found)
            if df <= COMMON_SHARE * total or i == 0 or (i < MIN_TERMS and rows[i] <= ROW_BUDGET)
        ]

    def _document_frequency(self, term: str, total: int) -> int:
        key = (self.generation, total, term)
        if key not in self._df_cache:
            with self._lock:
                sql = "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?"
                self._df_cache[key] = int(self._db.execute(sql, (f'"{term}"',)).fetchone()[0])
        return self._df_cache[key]

    def get(self, ids: Sequence[str]) -> list[Passage]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(f"SELECT id, record FROM passages WHERE id IN ({marks})", list(ids))
            found = {row[0]: Passage.model_validate_json(row[1]) for row in rows}
        return [found[i] for i in ids if i in found]

    def parts(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Heading and sentence vectors of these passages (row 0 the heading), where stored."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, parts FROM passages WHERE id IN ({marks}) AND parts IS NOT NULL"
        with self._lock:
            return {row[0]: unpack(row[1]) for row in self._db.execute(sql, list(ids))}

    def document(self, source_id: str) -> list[Passage]:
        """All passages of one document, in reading order."""
        sql = "SELECT record FROM passages WHERE source_id = ? ORDER BY position"
        with self._lock:
            return [Passage.model_validate_json(r[0]) for r in self._db.execute(sql, (source_id,))]

    def ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM passages")}

    def all(self) -> list[Passage]:
        with self._lock:
            rows = self._db.execute("SELECT record FROM passages ORDER BY source_id, position").fetchall()
        return [Passage.model_validate_json(r[0]) for r in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM passages").fetchone()[0])

    @property
    def generation(self) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT generation FROM stamp").fetchone()
        return (row[0] or None) if row else None

    def stamp(self, generation: str) -> None:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM stamp")
            self._db.execute("INSERT INTO stamp VALUES (?)", (generation,))

    def close(self) -> None:
        self._db.close()

    def _transaction(self):  # noqa: ANN202
        return _Transaction(self._db)


def pack(vectors: np.ndarray | None) -> bytes | None:
    """Rows count (2 bytes), then float16 values: half the size, similarities move by under 0.001."""
    if vectors is None:
        return None
    return len(vectors).to_bytes(2, "little") + np.asarray(vectors, dtype=np.float16).tobytes()


def unpack(blob: bytes) -> np.ndarray:
    rows = max(1, int.from_bytes(blob[:2], "little"))
    return np.frombuffer(blob[2:], dtype=np.float16).reshape(rows, -1).astype(np.float32)


class _Transaction:
    """BEGIN/COMMIT, or ROLLBACK on error: a crash mid-write leaves the last committed index."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, exc_type, *_: object) -> None:  # noqa: ANN001
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
