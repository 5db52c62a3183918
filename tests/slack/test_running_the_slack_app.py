"""`rightsbot slack`: clear one-line errors for missing settings, and an HTTP server with a health check
that finishes the answers in flight when it is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pydantic import SecretStr
from slack_world import MEMBER, OFFICERS, SECRET, SignedSender, SlackWorld, settings_for

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.slow
def test_slack_http_as_an_operator_runs_it_finishes_answers_in_flight_on_sigterm(
    tmp_path: Path, api: FakeSlackApi
) -> None:
    """`rightsbot slack --http --port N` in its own process (the real model loads): a question acked,
    then SIGTERM at once; the member is still answered and the process exits 0."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RIGHTSBOT_", "SLACK_"))}
    env.update(
        RIGHTSBOT_DATA_DIR=str(tmp_path / "data"),
        RIGHTSBOT_SLACK__HTTP_HOST="127.0.0.1",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api.url,
        RIGHTSBOT_OFFICERS_CHANNEL=OFFICERS,
    )
    command = [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(port)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while not healthy(f"http://127.0.0.1:{port}/healthz"):
            assert child.poll() is None, child.stdout.read() if child.stdout else ""
            assert time.monotonic() < deadline, "rightsbot slack did not come up"
            time.sleep(0.2)
        event = {"type": "message", "channel_type": "im", "channel": "D" + MEMBER, "user": MEMBER}
        event |= {"text": "How much notice do I have to give?", "ts": api.next_ts()}

        sent = SignedSender(f"http://127.0.0.1:{port}/slack/events", SECRET).event(event)
        child.send_signal(signal.SIGTERM)

        assert sent.status == 200
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert api.calls_to("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)
    output = child.stdout.read() if child.stdout else ""
    assert "listening on http://127.0.0.1" in output and "notice" not in output
