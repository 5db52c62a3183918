"""Members' first questions arrive together: the embedding model loads once, not once per worker
thread (the load bench saw eight copies loading at once in a fresh process)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from knowledge.embedder import MiniLMEmbedder


class CountingLoads(MiniLMEmbedder):
    """The real adapter's loading logic, with a stand-in for the weights that counts each read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.lock = threading.Lock()

    def _read_model(self) -> object:
        with self.lock:
            self.reads += 1
        time.sleep(0.2)  # reading the weights takes seconds: long enough for every thread to arrive
        return object()


def test_concurrent_first_questions_load_the_model_once() -> None:
    embedder = CountingLoads()
    with ThreadPoolExecutor(max_workers=8) as pool:
        models = list(pool.map(lambda _: embedder._load(), range(8)))
    assert embedder.reads == 1
    assert all(model is models[0] for model in models)
