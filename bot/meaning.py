"""How close in meaning a sentence or heading is to the question, for choosing what to quote.

Vectors are made at question time, a dozen short texts in one batch, and kept in a bounded cache:
the knowledge base's sentences and headings recur from question to question."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from knowledge.embedder import Embedder


class Meaning:
    def __init__(self, embedder: Embedder, cache_size: int = 50_000) -> None:
        self._embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # Slack answers in several threads at once

    def query_vector(self, text: str) -> np.ndarray:
        return self._embedder.embed_query(text)

    def similarities(self, query: np.ndarray, texts: Sequence[str]) -> list[float]:
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            vectors = self._embedder.embed(missing)
            known.update(zip(missing, vectors, strict=True))
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._remember(text, vector)
        return [float(np.dot(query, known[t])) for t in texts]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        self._cache.move_to_end(text)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
