"""Fixtures for the Slack tests: a fake Web API, the real app served over HTTP, a scripted engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack_api import FakeSlackApi
from slack_world import GROUP_OFFICER, SlackWorld, settings_for, slack_world

from bot.escalations import Backoff, EscalationStore
from bot.fakes import ScriptedEngine
from bot.feedback import FeedbackStore
from bot.settings import Settings

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
def escalations(settings: Settings) -> EscalationStore:
    return EscalationStore(settings.sqlalchemy_url, backoff=FAST_BACKOFF)


@pytest.fixture
def feedback(settings: Settings) -> FeedbackStore:
    return FeedbackStore(settings.sqlalchemy_url)


@pytest.fixture
def slack(
    settings: Settings,
    api: FakeSlackApi,
    engine: ScriptedEngine,
    escalations: EscalationStore,
    feedback: FeedbackStore,
) -> Iterator[SlackWorld]:
    with slack_world(settings, api, engine, escalations, feedback) as world:
        yield world
