"""The core, for every channel: when the knowledge store cannot be searched (a Chroma server frozen
with SIGSTOP), the engine answers at once with a hand-over saying it can't look that up right now;
after the first timeout it does not wait again until it is time to retry; then answers resume."""

from __future__ import annotations

import time

import pytest
from chroma_process import ChromaProcess

from bot.engine import AnswerEngine
from bot.reply import EscalationReason, Question, Reply
from bot.settings import Settings, StoreSettings
from bot.wiring import build_engine, open_knowledge
from ingest.pipeline import ingest
from knowledge.bundled import FACTSHEETS_DIR
from knowledge.embedder import HashingEmbedder

QUESTION = Question(text="How much notice of redundancy must my employer give me?")
QUICK = StoreSettings(chroma_timeout_seconds=1.0, retry_after_seconds=1.0)


@pytest.fixture
def engine(settings: Settings, own_chroma_server: ChromaProcess) -> AnswerEngine:
    settings = settings.model_copy(update={"chroma_url": own_chroma_server.url, "stores": QUICK})
    embedder = HashingEmbedder()
    ingest([FACTSHEETS_DIR], open_knowledge(settings, embedder, ingesting=True).store, embedder)
    return build_engine(settings, open_knowledge(settings, embedder))


def timed(engine: AnswerEngine) -> tuple[Reply, float]:
    started = time.monotonic()
    reply = engine.answer(QUESTION)
    return reply, time.monotonic() - started


def test_a_frozen_store_gets_a_hand_over_saying_so_then_answers_resume(
    engine: AnswerEngine, own_chroma_server: ChromaProcess
) -> None:
    own_chroma_server.freeze()
    first, waited = timed(engine)
    second, again = timed(engine)

    for reply in (first, second):
        assert reply.escalate and reply.escalation_reason == EscalationReason.LOOKUP_UNAVAILABLE
        assert reply.answer.startswith("I can't look that up right now")
        assert reply.citations == []
    assert waited < QUICK.chroma_timeout_seconds + 1.5 and again < 0.5  # the second does not wait

    own_chroma_server.thaw()
    time.sleep(QUICK.retry_after_seconds)
    back, _ = timed(engine)
    assert back.escalation_reason != EscalationReason.LOOKUP_UNAVAILABLE and back.citations
