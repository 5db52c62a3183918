"""How close in meaning a sentence or heading is to the question, for choosing what to quote.

Vectors are made at question time, a dozen short texts in one batch, and kept in a bounded cache:
the knowledge base's sentences and headings recur from question to question."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from knowledge.embedder import Embedder


class Meaning:
    def __init__(self, embedder: Embedder, cache_size: int = 50_000) -> None:
        self._embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def query_vector(self, text: str) -> np.ndarray:
        return self._embedder.embed_query(text)

    def similarities(self, query: np.ndarray, texts: Sequence[str]) -> list[float]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self._embedder.embed(missing), strict=True):
                self._remember(text, vector)
        return [float(np.dot(query, self._cache[t])) for t in texts]

    def warm(self, texts: Sequence[str], batch: int = 64) -> None:
        """Embed texts ahead of time (e.g. every heading at start-up) so first questions are fast too."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache][: self._cache_size // 2]
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            for text, vector in zip(chunk, self._embedder.embed(chunk), strict=True):
                self._remember(text, vector)

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        self._cache.move_to_end(text)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
