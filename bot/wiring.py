"""The one place that builds everything from Settings. Channels and commands ask for what they need
here; tests pass their fakes (an embedder, an engine) through the same functions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.settings import Settings
from knowledge.embedder import Embedder, MiniLMEmbedder
from knowledge.store import KnowledgeStore, Rebuild, chroma_client, open_store


@dataclass
class Knowledge:
    store: KnowledgeStore
    embedder: Embedder


@cache
def default_embedder() -> MiniLMEmbedder:
    """One model per process: loading it takes seconds, so every command and channel shares it."""
    return MiniLMEmbedder()


def open_knowledge(settings: Settings, embedder: Embedder | None = None) -> Knowledge:
    embedder = embedder or default_embedder()
    client = chroma_client(settings.data_dir, settings.chroma_url)
    return Knowledge(open_store(client, settings.keyword_db, embedder.name), embedder)


def start_rebuild(settings: Settings, embedder: Embedder) -> Rebuild:
    client = chroma_client(settings.data_dir, settings.chroma_url)
    return Rebuild(client, settings.keyword_db, embedder.name)


def build_engine(settings: Settings, knowledge: Knowledge):  # noqa: ANN201 - bot.engine.AnswerEngine
    from bot.engine import AnswerEngine

    return AnswerEngine.from_settings(settings, knowledge.store, knowledge.embedder)
