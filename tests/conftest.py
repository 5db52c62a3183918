"""Shared fixtures: the real corpus (skipped or required), stores on temp folders, the real model once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bot.settings import Settings
from bot.wiring import Knowledge, default_embedder, open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder, MiniLMEmbedder

REPO = Path(__file__).resolve().parents[1]

# Property-based tests: a modest number of examples keeps the suite fast; HYPOTHESIS_PROFILE=thorough
# for a long hunt. No deadline: a shared two-core machine makes per-example timings meaningless.
hypothesis_settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _corpus_path() -> Path:
    return Path(os.environ.get("RIGHTSBOT_CORPUS_DIR") or REPO.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real documents in ../shared/corpus. CI sets RIGHTSBOT_REQUIRE_CORPUS=1: missing is a failure there."""
    path = _corpus_path()
    if not (path / "sources.yaml").is_file():
        message = f"the shared corpus is not at {path} (set RIGHTSBOT_CORPUS_DIR)"
        if os.environ.get("RIGHTSBOT_REQUIRE_CORPUS") == "1":
            pytest.fail(message + " and RIGHTSBOT_REQUIRE_CORPUS=1")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    return default_embedder()  # the same instance the CLI uses in-process: the model loads once


@pytest.fixture
def hashing() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def real_knowledge(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder, corpus_dir: Path
) -> Knowledge:
    """The bundled factsheets and the real corpus, embedded with the real model: built once per run."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("real-knowledge"))
    knowledge = open_knowledge(settings, minilm)
    ingest([REPO / "knowledge", corpus_dir], knowledge.store, minilm)
    return knowledge
