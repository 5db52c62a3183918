"""When the knowledge store stops answering (a Chroma server frozen with SIGSTOP) a member hears "I can't
look that up right now" within seconds and an officer gets the question; other members are not held
up; answers come back when the server does, with no restart. And a PostgreSQL restart mid-run costs
nothing: the next answer and escalation go through."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from chroma_process import ChromaProcess
from slack_world import MEMBER, OFFICERS, SlackWorld, settings_for, slack_world

from bot.fakes import ScriptedEngine
from bot.settings import Settings, StoreSettings
from bot.slack.fake_slack import FakeSlackApi
from bot.wiring import build_engine, open_knowledge, open_stores
from ingest.pipeline import ingest
from knowledge.bundled import FACTSHEETS_DIR
from knowledge.embedder import HashingEmbedder

CANT_LOOK_UP = "I can't look that up right now"
QUESTION = "How much notice of redundancy must my employer give me?"
QUICK = StoreSettings(chroma_timeout_seconds=1.5, retry_after_seconds=1.0)


@pytest.fixture
def slack_on_chroma_server(
    tmp_path: Path, api: FakeSlackApi, own_chroma_server: ChromaProcess
) -> Iterator[SlackWorld]:
    """The app with the real engine, its passages on a Chroma server of this test's own."""
    settings = settings_for(tmp_path, api).model_copy(
        update={"chroma_url": own_chroma_server.url, "stores": QUICK}
    )
    embedder = HashingEmbedder()
    knowledge = open_knowledge(settings, embedder, ingesting=True)
    ingest([FACTSHEETS_DIR], knowledge.store, embedder)
    engine = build_engine(settings, open_knowledge(settings, embedder))
    with slack_world(settings, api, engine, open_stores(settings)) as world:  # type: ignore[arg-type]
        yield world


def posted_text(world: SlackWorld, user: str, ts: str) -> tuple[str, float]:
    """What the member was told in reply to message `ts`, and when (time.monotonic())."""
    call = world.answer_in("D" + user, ts)
    return json.dumps(call.params), call.at


def ask(world: SlackWorld, user: str, text: str) -> tuple[str, float]:
    """A member's question and how many seconds until the app posted its reply."""
    sent_at = time.monotonic()
    ts = world.dm(user, text)
    said, at = posted_text(world, user, ts)
    return said, at - sent_at


def test_a_frozen_chroma_server_gets_a_clear_reply_and_an_escalation_within_seconds(
    slack_on_chroma_server: SlackWorld, own_chroma_server: ChromaProcess
) -> None:
    slack = slack_on_chroma_server
    before, _ = ask(slack, MEMBER, QUESTION)
    assert CANT_LOOK_UP not in before

    own_chroma_server.freeze()
    said, seconds = ask(slack, "UMEMBER2", QUESTION)

    assert CANT_LOOK_UP in said and seconds < 5
    card = slack.card()
    assert "could not be searched" in json.dumps(card.params)


def test_other_members_are_not_held_up_while_it_is_frozen(
    slack_on_chroma_server: SlackWorld, own_chroma_server: ChromaProcess
) -> None:
    slack = slack_on_chroma_server
    own_chroma_server.freeze()
    took: dict[str, float] = {}
    members = [f"UMEMBER{n}" for n in range(10, 22)]  # more than the app's worker threads

    def one(user: str) -> None:
        said, seconds = ask(slack, user, f"{QUESTION} ({user})")
        took[user] = seconds if CANT_LOOK_UP in said else float("inf")

    threads = [threading.Thread(target=one, args=(user,)) for user in members]
    for thread in threads:
        thread.start()
    hello, greeting_seconds = ask(slack, "UMEMBER30", "hello")
    for thread in threads:
        thread.join()

    assert sorted(took) == sorted(members) and max(took.values()) < 6
    assert "automated assistant" in hello and greeting_seconds < 6


def test_answers_resume_when_the_server_comes_back_without_a_restart(
    slack_on_chroma_server: SlackWorld, own_chroma_server: ChromaProcess
) -> None:
    slack = slack_on_chroma_server
    own_chroma_server.freeze()
    said, _ = ask(slack, MEMBER, QUESTION)
    assert CANT_LOOK_UP in said

    own_chroma_server.thaw()
    time.sleep(QUICK.retry_after_seconds)
    again, seconds = ask(slack, "UMEMBER2", QUESTION)

    assert CANT_LOOK_UP not in again
    assert "[1]" in again and seconds < 5  # an answer quoting the knowledge base again


@pytest.mark.postgres
def test_a_postgresql_restart_mid_run_costs_no_answer_and_no_escalation(
    tmp_path: Path, api: FakeSlackApi, postgres_url: str, restart_postgres: Callable[[], None]
) -> None:
    settings: Settings = settings_for(tmp_path, api).model_copy(update={"database_url": postgres_url})
    engine = ScriptedEngine()
    with slack_world(settings, api, engine, open_stores(settings)) as slack:
        ts = slack.dm(MEMBER, "I'm being dismissed on Friday")
        slack.answer_in("D" + MEMBER, ts)
        slack.card()

        restart_postgres()
        started = time.monotonic()
        ts = slack.dm("UMEMBER2", "I'm being dismissed next week")
        slack.answer_in("DUMEMBER2", ts)
        card = slack.card(count=2)

    assert card.params["channel"] == OFFICERS and time.monotonic() - started < 10
    assert len(slack.escalations.open_queue()) == 2
