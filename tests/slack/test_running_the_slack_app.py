"""`rightsbot slack`: clear one-line errors for missing settings, and an HTTP server with a health check."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pydantic import SecretStr
from slack_world import SlackWorld, settings_for

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.slack.fake_slack import FakeSlackApi
from bot.slack.run import SlackConfigError, check_config, run_slack


def test_health_check_says_ok_and_other_paths_are_not_found(slack: SlackWorld) -> None:
    root = slack.sender.url.removesuffix("/slack/events")

    with urllib.request.urlopen(root + "/healthz", timeout=5) as health:
        assert (health.status, health.read()) == (200, b"ok")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(root + "/admin", timeout=5)
    assert missing.value.code == 404


@pytest.mark.parametrize(
    ("unset", "socket", "named"),
    [
        ("bot_token", False, "SLACK_BOT_TOKEN"),
        ("signing_secret", False, "SLACK_SIGNING_SECRET"),
        ("app_token", True, "SLACK_APP_TOKEN"),
        ("officers_channel", False, "RIGHTSBOT_OFFICERS_CHANNEL"),
    ],
)
def test_a_missing_setting_is_one_clear_line(
    tmp_path: Path, api: FakeSlackApi, unset: str, socket: bool, named: str
) -> None:
    settings = without(settings_for(tmp_path, api), unset)

    with pytest.raises(SlackConfigError) as error:
        run_slack(settings, ScriptedEngine(), socket=socket, port=0)

    assert str(error.value).startswith(f"{named} is not set:") and "\n" not in str(error.value)


def without(settings: Settings, *names: str, **values: object) -> Settings:
    """The same settings with some Slack ones unset (or set to `values`)."""
    changed = settings.slack.model_copy(update={**dict.fromkeys(names), **values})
    return settings.model_copy(update={"slack": changed})


def test_socket_mode_does_not_need_the_signing_secret(tmp_path: Path, api: FakeSlackApi) -> None:
    settings = without(settings_for(tmp_path, api), "signing_secret", app_token=SecretStr("xapp-1"))

    check_config(settings, socket=True)


def test_a_rejected_token_is_one_clear_line(tmp_path: Path, api: FakeSlackApi) -> None:
    api.fail_next("auth.test", 500, times=3)

    with pytest.raises(SlackConfigError) as error:
        run_slack(settings_for(tmp_path, api), ScriptedEngine(), socket=False, port=0)

    assert "SLACK_BOT_TOKEN" in str(error.value)
