"""Teams behaves as Slack does when the knowledge store is frozen, with no Teams code of its own: the
core's hand-over reply ("I can't look that up right now") reaches the member within seconds and the
officers' card is posted."""

from __future__ import annotations

import json
import time

import pytest
from chroma_process import ChromaProcess
from teams_world import MEMBER, TeamsWorld, personal

from bot.engine import AnswerEngine
from bot.settings import Settings, StoreSettings
from bot.wiring import build_engine, open_knowledge
from ingest.pipeline import ingest
from knowledge.bundled import FACTSHEETS_DIR
from knowledge.embedder import HashingEmbedder

QUICK = StoreSettings(chroma_timeout_seconds=1.5, retry_after_seconds=1.0)


@pytest.fixture
def engine(settings: Settings, own_chroma_server: ChromaProcess) -> AnswerEngine:
    """The real engine, its passages on a Chroma server of this test's own."""
    settings = settings.model_copy(update={"chroma_url": own_chroma_server.url, "stores": QUICK})
    embedder = HashingEmbedder()
    ingest([FACTSHEETS_DIR], open_knowledge(settings, embedder, ingesting=True).store, embedder)
    return build_engine(settings, open_knowledge(settings, embedder))


def test_a_frozen_store_gets_the_teams_member_a_clear_reply_and_officers_a_card(
    teams: TeamsWorld, own_chroma_server: ChromaProcess
) -> None:
    own_chroma_server.freeze()
    started = time.monotonic()
    teams.dm("How much notice of redundancy must my employer give me?")

    reply = teams.answer_in(personal(MEMBER))
    assert "I can't look that up right now" in json.dumps(reply.activity)
    assert reply.at - started < 5
    assert "could not be searched" in json.dumps(teams.teams_card().activity)
