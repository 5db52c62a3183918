"""With credentials, /api/messages is behind the SDK's JWT middleware: a request without a token,
with one signed by a key Bot Framework does not publish, or for another bot gets 401; a good token
gets its answer, sent with the bot's own token. /healthz needs none. Without credentials (and
without RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true) the command refuses to start, on one line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_connector import FakeConnector
from microsoft_agents.hosting.core import ConnectionManager
from signing import BOT_TOKEN, SDK_CONFIG, KeyServer, SigningKey, StaticTokenProvider, keys_served_locally
from teams_world import MEMBER, TeamsWorld, personal, teams_world

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.wiring import Services

BOT_FRAMEWORK_KEY = SigningKey(kid="bf-key-1")


@pytest.fixture
def secured(
    settings: Settings, services: Services, engine: ScriptedEngine, connector: FakeConnector
) -> Iterator[TeamsWorld]:
    settings.teams.allow_anonymous = False
    keys = KeyServer([BOT_FRAMEWORK_KEY]).start()
    connections = ConnectionManager(StaticTokenProvider, **SDK_CONFIG)
    try:
        with (
            keys_served_locally(keys),
            teams_world(settings, services, engine, connector, SDK_CONFIG, connections) as world,
        ):
            yield world
    finally:
        keys.stop()


def question(world: TeamsWorld) -> dict:
    return world.activity("What are my redundancy rights?", personal(MEMBER))


def test_a_request_without_a_token_is_refused(secured: TeamsWorld) -> None:
    assert secured.post(question(secured)).status == 401
    assert secured.engine.questions == []


def test_a_token_signed_by_an_unknown_key_is_refused(secured: TeamsWorld) -> None:
    stranger = SigningKey(kid="someone-elses-key")
    forged = SigningKey(kid=BOT_FRAMEWORK_KEY.kid)  # the right key id, the wrong key
    url = secured.connector.url
    assert secured.post(question(secured), token=stranger.token(service_url=url)).status == 401
    assert secured.post(question(secured), token=forged.token(service_url=url)).status == 401
    assert secured.engine.questions == []


def test_a_token_for_another_bot_is_refused(secured: TeamsWorld) -> None:
    token = BOT_FRAMEWORK_KEY.token(audience="some-other-bot", service_url=secured.connector.url)
    assert secured.post(question(secured), token=token).status == 401


def test_a_good_token_is_answered_with_the_bots_own_token(secured: TeamsWorld) -> None:
    token = BOT_FRAMEWORK_KEY.token(service_url=secured.connector.url)
    assert secured.post(question(secured), token=token).status == 202
    answer = secured.answer_in(personal(MEMBER))
    assert answer.authorization == f"Bearer {BOT_TOKEN}"


def test_health_needs_no_token(secured: TeamsWorld) -> None:
    assert secured.health() == 200


def test_refuses_to_start_without_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONNECTIONS__", "RIGHTSBOT_"))}
    env["RIGHTSBOT_DATA_DIR"] = str(tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "teams", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    for name in ("CLIENTID", "CLIENTSECRET", "TENANTID"):
        assert f"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__{name}" in lines[0]
    assert "RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true" in lines[0]
