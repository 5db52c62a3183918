"""Several replicas behind a load balancer share one PostgreSQL: Slack's retry of an event, landing on
another replica while the first is still working, is acknowledged there and answered once in all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from slack_world import MEMBER, SlackWorld, settings_for, slack_world

from bot.dedupe import SeenKeys
from bot.fakes import ScriptedEngine
from bot.slack.fake_slack import FakeSlackApi
from bot.wiring import open_stores

pytestmark = pytest.mark.postgres


@pytest.fixture
def replicas(tmp_path: Path, api: FakeSlackApi, postgres_url: str) -> Iterator[list[SlackWorld]]:
    """Two apps built as `rightsbot slack --http` builds them, each with its own engine, connection
    pool and HTTP port, on the same PostgreSQL database."""
    with ExitStack() as running:
        worlds = []
        for n in range(2):
            settings = settings_for(tmp_path / f"replica-{n}", api).model_copy(
                update={"database_url": postgres_url}
            )
            stores = open_stores(settings)
            worlds.append(running.enter_context(slack_world(settings, api, ScriptedEngine(), stores)))
        yield worlds


def at_once(*calls: object) -> None:
    threads = [threading.Thread(target=call) for call in calls]  # type: ignore[arg-type]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def drain(worlds: list[SlackWorld]) -> None:
    for world in worlds:
        world.app.listener_runner.listener_executor.shutdown(wait=True)


def test_a_retry_landing_on_the_other_replica_is_answered_once(
    replicas: list[SlackWorld], api: FakeSlackApi
) -> None:
    first, second = replicas
    ts = api.add_message("D" + MEMBER, MEMBER, "can they make me redundant?")
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + MEMBER,
        "user": MEMBER,
        "text": "can they make me redundant?",
        "ts": ts,
    }
    sent: list[int] = []

    at_once(
        lambda: sent.append(first.sender.event(event, event_id="EvReplicated").status),
        lambda: sent.append(second.sender.event(event, event_id="EvReplicated", retry_num=1).status),
    )
    first.answer_in("D" + MEMBER, ts)
    drain(replicas)

    assert sent == [200, 200]
    assert len(first.engine.questions) + len(second.engine.questions) == 1
    assert len(api.calls_to("chat.postMessage")) == 1


def test_many_deliveries_of_many_events_across_replicas_each_answered_once(
    replicas: list[SlackWorld], api: FakeSlackApi
) -> None:
    events = []
    for n in range(6):
        ts = api.add_message("D" + MEMBER, MEMBER, f"question {n} about my notice period")
        events.append(
            (
                f"EvMany{n}",
                {
                    "type": "message",
                    "channel_type": "im",
                    "channel": "D" + MEMBER,
                    "user": MEMBER,
                    "text": f"question {n} about my notice period",
                    "ts": ts,
                },
            )
        )

    at_once(
        *(
            lambda world=world, event_id=event_id, event=event, retry=retry: world.sender.event(
                event, event_id=event_id, retry_num=retry
            )
            for event_id, event in events
            for world, retry in ((replicas[0], None), (replicas[1], 1), (replicas[0], 2))
        )
    )
    for _, event in events:
        replicas[0].answer_in("D" + MEMBER, event["ts"])
    drain(replicas)

    assert len(replicas[0].engine.questions) + len(replicas[1].engine.questions) == len(events)
    assert len(api.calls_to("chat.postMessage")) == len(events)


def test_seen_keys_have_one_winner_per_key_under_concurrent_replicas(postgres_url: str) -> None:
    """Four stores (four connection pools, as four processes have) race for the same 40 keys."""
    stores = [SeenKeys(postgres_url) for _ in range(4)]
    wins: list[str] = []
    lock = threading.Lock()

    def claim_all(seen: SeenKeys) -> None:
        for n in range(40):
            if seen.first_sighting("slack", f"event:EvRace{n}"):
                with lock:
                    wins.append(f"EvRace{n}")

    at_once(*(lambda seen=seen: claim_all(seen) for seen in stores))

    assert sorted(wins) == sorted(f"EvRace{n}" for n in range(40))
    for seen in stores:
        seen.engine.dispose()
