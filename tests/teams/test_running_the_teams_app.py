"""`rightsbot serve` as an operator runs it: Slack and Teams in one process, from another working
directory with an absolute data folder; both health checks answer, a Teams question is answered,
and SIGTERM stops it cleanly. Loads the real model in the child process, so it takes a few seconds."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fake_connector import FakeConnector

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))

from bot.slack.fake_slack import FakeSlackApi  # noqa: E402

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return None


def test_serve_runs_slack_and_teams_in_one_process(tmp_path: Path, connector: FakeConnector) -> None:
    api = FakeSlackApi().start()
    slack_port, teams_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONNECTIONS__", "RIGHTSBOT_", "SLACK_"))}
    env.update(
        RIGHTSBOT_DATA_DIR=str(tmp_path / "data"),
        RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS="true",
        RIGHTSBOT_TEAMS__HTTP_HOST="127.0.0.1",
        RIGHTSBOT_SLACK__HTTP_HOST="127.0.0.1",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=api.url,
        RIGHTSBOT_OFFICERS_CHANNEL="COFFICERS",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["serve", "--slack-port", str(slack_port), "--teams-port", str(teams_port)]
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while (
            get(f"http://127.0.0.1:{teams_port}/healthz") != 200
            or get(f"http://127.0.0.1:{slack_port}/healthz") != 200
        ):
            assert child.poll() is None, child.stdout.read() if child.stdout else ""
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)

        activity = {
            "type": "message",
            "id": "1",
            "channelId": "msteams",
            "serviceUrl": connector.url,
            "text": "hello",
            "from": {"id": "29:m", "aadObjectId": "m"},
            "recipient": {"id": "28:bot"},
            "conversation": {"id": "a:chat", "conversationType": "personal"},
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{teams_port}/api/messages",
            data=json.dumps(activity).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 202
        reply = connector.wait_for(lambda s: s.activity.get("type") == "message", timeout=30)[0]
        assert reply.text.startswith("Hello!")

        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
        api.stop()
    output = child.stdout.read() if child.stdout else ""
    assert "RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true" in output  # the loud warning
    assert "hello" not in output.lower()  # no member text in the logs
