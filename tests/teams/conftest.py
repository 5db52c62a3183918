"""Fixtures for the Teams tests: a fake connector, the real app served over HTTP (anonymous local
mode unless a test signs its own tokens), shared services and a scripted engine."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_connector import FakeConnector  # noqa: E402
from teams_world import FAST_BACKOFF, OFFICER, OFFICERS_CHANNEL, TeamsWorld, teams_world  # noqa: E402

from bot.fakes import ScriptedEngine  # noqa: E402
from bot.settings import OfficerSettings, OfficersSettings, Settings, TeamsSettings  # noqa: E402
from bot.wiring import Services, build_services, open_stores  # noqa: E402

JANE = OfficerSettings(officer_id="jane", name="Jane Smith", accounts=[f"teams:{OFFICER}", "slack:UOFFICER1"])
SAM = OfficerSettings(
    officer_id="sam", name="Sam Patel", accounts=["teams:29:aad-officer-2"]
)  # by Teams user id


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector().start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(tmp_path: Path, connector: FakeConnector) -> Settings:
    return Settings(
        data_dir=tmp_path,
        teams=TeamsSettings(
            allow_anonymous=True, officers_channel=OFFICERS_CHANNEL, service_url=connector.url
        ),
        officers=OfficersSettings(people=[JANE, SAM]),
    )


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def services(settings: Settings, engine: ScriptedEngine) -> Services:
    return build_services(settings, engine, open_stores(settings, FAST_BACKOFF))


@pytest.fixture
def teams(
    settings: Settings, services: Services, engine: ScriptedEngine, connector: FakeConnector
) -> Iterator[TeamsWorld]:
    with teams_world(settings, services, engine, connector) as world:
        yield world
