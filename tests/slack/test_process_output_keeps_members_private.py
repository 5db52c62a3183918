"""Everything `rightsbot slack --http` writes, at RIGHTSBOT_LOG_LEVEL=DEBUG, is read back and searched
for what members and officers wrote, a member's name, and the tokens: none of it may appear, and people's
ids appear only hashed. The app runs as a real process and is spoken to only over HTTP, so this holds
whichever HTTP server and libraries it uses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from slack_world import OFFICERS, SignedSender

from bot.logs import id_key, pseudonym
from bot.settings import Settings
from bot.slack.fake_slack import FakeSlackApi

pytestmark = pytest.mark.slow

TOKEN, SIGNING_SECRET = "xoxb-planted-bot-token-4242", "planted-signing-secret-9191"
MEMBER, OFFICER = "UPLANTEDMEMBER", "UPLANTEDOFFICER"
WORDS = "my line manager Zebedee-Quartz mocked my chemotherapy"
NAME = "Priyanka Featherstonehaugh"
OFFICER_WORDS = "Officer-only advice: Grimsdottir clause"
STALE_WORDS = "stale words Brackenridge"
FORGED_WORDS = "forged words Ottoline"
SLASH_WORDS = "slash words Wolstenholme"
PLANTED = (
    TOKEN,
    SIGNING_SECRET,
    "Zebedee",
    "chemotherapy",
    NAME,
    "Featherstonehaugh",
    "Grimsdottir",
    "Brackenridge",
    "Ottoline",
    "Wolstenholme",
    MEMBER,
    OFFICER,
)


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    sender: SignedSender
    data_dir: Path
    stdout: Path
    stderr: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(root: str, process: subprocess.Popen[bytes], stderr: Path) -> None:
    deadline = time.monotonic() + 120  # the model loads first
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"rightsbot exited {process.returncode}: {stderr.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(root + "/healthz", timeout=2) as health:
                if health.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("rightsbot never answered /healthz")


@pytest.fixture
def running(tmp_path: Path, api: FakeSlackApi) -> Iterator[Running]:
    port, data_dir = free_port(), tmp_path / "data"
    env = {
        **os.environ,
        "RIGHTSBOT_DATA_DIR": str(data_dir),
        "RIGHTSBOT_LOG_LEVEL": "DEBUG",
        "RIGHTSBOT_TODAY": "2026-12-01",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
        "RIGHTSBOT_OFFICERS_CHANNEL": OFFICERS,
        "RIGHTSBOT_OFFICER_IDS": OFFICER,
        "RIGHTSBOT_SLACK__HTTP_HOST": "127.0.0.1",
    }
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "slack", "--http", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=err,
            cwd=tmp_path,
        )
    try:
        root = f"http://127.0.0.1:{port}"
        wait_until_healthy(root, process, stderr)
        yield Running(process, SignedSender(f"{root}/slack/events", SIGNING_SECRET), data_dir, stdout, stderr)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=180)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def dm(running: Running, api: FakeSlackApi, text: str, thread_ts: str | None = None, **sent: object) -> str:
    """A member's direct message, with the profile Slack attaches to message events."""
    ts = api.add_message("D" + MEMBER, MEMBER, text, thread_ts)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + MEMBER,
        "user": MEMBER,
        "text": text,
        "ts": ts,
        "user_profile": {"real_name": NAME, "display_name": NAME, "name": "priyanka"},
        **({"thread_ts": thread_ts} if thread_ts else {}),
    }
    running.sender.event(event, **sent)  # type: ignore[arg-type]
    return ts


def is_card_of(params: dict, reference: str) -> bool:
    payload = (params.get("metadata") or {}).get("event_payload") or {}
    return params.get("channel") == OFFICERS and payload.get("reference") == reference


def wait_for_line(running: Running, words: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while words not in running.stderr.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"the app never logged {words!r}"
        time.sleep(0.05)


def everything_written(running: Running) -> str:
    """stdout, stderr and every file under the data dir but the databases (SQLite, Chroma)."""
    texts = [running.stdout.read_text(errors="replace"), running.stderr.read_text(errors="replace")]
    for path in running.data_dir.rglob("*"):
        databases = "chroma" in path.relative_to(running.data_dir).parts or ".sqlite3" in path.name
        if path.is_file() and not databases:
            texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def test_nothing_the_process_writes_holds_words_names_tokens_or_raw_ids(
    running: Running, api: FakeSlackApi
) -> None:
    asked = dm(running, api, f"{WORDS}, can they dismiss me?")
    api.wait_for("chat.postMessage", lambda p: p.get("thread_ts") == asked, timeout=180)
    stale = running.sender.post(
        json.dumps({"type": "event_callback", "event": {"type": "message", "text": STALE_WORDS}}),
        "application/json",
        timestamp=int(time.time()) - 600,  # a server clock ten minutes out
    )
    forged = running.sender.post(
        json.dumps({"type": "event_callback", "event": {"type": "message", "text": FORGED_WORDS}}),
        "application/json",
        secret="not-the-signing-secret",
    )
    handed = dm(running, api, f"I want to speak to a person about {WORDS}")
    card = api.wait_for("chat.postMessage", lambda p: is_card_of(p, "MIP-2026-0002"), timeout=180)[-1]
    # an officer answers a card the desk has recorded (seconds later in life; here, wait for it)
    wait_for_line(running, "escalation card delivered id=2")
    ts = api.add_message(OFFICERS, OFFICER, OFFICER_WORDS, card.response["ts"])
    running.sender.event(
        {
            "type": "message",
            "channel_type": "channel",
            "channel": OFFICERS,
            "user": OFFICER,
            "text": OFFICER_WORDS,
            "ts": ts,
            "thread_ts": card.response["ts"],
        }
    )
    api.wait_for("chat.postMessage", lambda p: OFFICER_WORDS in (p.get("text") or ""), timeout=180)
    dm(running, api, f"More about {WORDS}", thread_ts=handed)
    slash = {
        "command": "/rights",
        "text": f"{SLASH_WORDS} holiday pay",
        "user_id": MEMBER,
        "user_name": NAME,
        "channel_id": "CGENERAL",
        "team_id": "T0MIP",
        "response_url": api.response_url("slash"),
        "trigger_id": "trigger",
    }
    running.sender.form(slash)
    api.wait_for("response_url", timeout=180)
    time.sleep(1.0)  # let the lazy work log what it logs
    running.process.send_signal(signal.SIGTERM)
    running.process.wait(timeout=180)

    assert (stale.status, forged.status) == (401, 401)
    written = everything_written(running)
    leaked = [planted for planted in PLANTED if planted in written]
    assert leaked == []
    key = id_key(Settings(slack_signing_secret=SIGNING_SECRET))
    assert f'"user": "{pseudonym(key, MEMBER)}"' in written  # the member's trail, hashed
    for line in running.stderr.read_text().splitlines():
        json.loads(line)  # every line a JSON object
