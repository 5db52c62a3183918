"""Fixtures for the Slack tests: a fake Web API, the real app served over HTTP, a scripted engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_world import GROUP_OFFICER, SlackWorld, settings_for, slack_world

from bot.escalations import Backoff, EscalationStore
from bot.fakes import ScriptedEngine
from bot.feedback import FeedbackStore
from bot.settings import Settings
from bot.slack.fake_slack import FakeSlackApi
from bot.wiring import Stores, open_stores

FAST_BACKOFF = Backoff(base_seconds=0.05, max_seconds=1.0, lease_seconds=60.0)


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi(usergroups={"SOFFICERS": [GROUP_OFFICER]}).start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(tmp_path: Path, api: FakeSlackApi) -> Settings:
    return settings_for(tmp_path, api)


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def stores(settings: Settings) -> Stores:
    return open_stores(settings, backoff=FAST_BACKOFF)


@pytest.fixture
def escalations(stores: Stores) -> EscalationStore:
    return stores.escalations


@pytest.fixture
def feedback(stores: Stores) -> FeedbackStore:
    return stores.feedback


@pytest.fixture
def slack(
    settings: Settings, api: FakeSlackApi, engine: ScriptedEngine, stores: Stores
) -> Iterator[SlackWorld]:
    with slack_world(settings, api, engine, stores) as world:
        yield world
