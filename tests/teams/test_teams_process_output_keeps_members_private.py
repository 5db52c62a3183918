"""Everything `rightsbot teams` writes, at RIGHTSBOT_LOG_LEVEL=DEBUG, is read back and searched for
what a member and an officer wrote, the member's display name, and their ids: none of it may appear
(ids only hashed). The app runs as a real process, spoken to only over HTTP (local anonymous mode)."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fake_connector import FakeConnector
from pydantic import SecretStr

from bot.logs import id_key, pseudonym
from bot.settings import Settings

pytestmark = pytest.mark.slow

LOG_ID_KEY = "planted-log-id-key-5150"
MEMBER, OFFICER = "aad-planted-member", "aad-planted-officer"
CHAT = "a:1-personal-chat-with-planted-member"
OFFICERS_CHANNEL = "19:officers@thread.tacv2"
WORDS = "my line manager Zebedee-Quartz mocked my chemotherapy"
NAME = "Priyanka Featherstonehaugh"
OFFICER_WORDS = "Officer-only advice: Grimsdottir clause"
PLANTED = (LOG_ID_KEY, "Zebedee", "chemotherapy", "Featherstonehaugh", "Grimsdottir", MEMBER, OFFICER, CHAT)
_ids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def activity(
    connector: FakeConnector, text: str, conversation: str, user: str, name: str, **more: Any
) -> dict:
    return {
        "type": "message",
        "id": f"planted-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "from": {"id": f"29:{user}", "name": name, "aadObjectId": user},
        "recipient": {"id": "28:rightsbot", "name": "rightsbot"},
        "conversation": {"id": conversation, "tenantId": "tenant-mip", "conversationType": "personal"},
        "channelData": {"tenant": {"id": "tenant-mip"}},
        "text": text,
        **more,
    }


def post(port: int, sent: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/messages",
        data=json.dumps(sent).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def officer_reply(connector: FakeConnector, card_conversation: str) -> dict:
    said = activity(
        connector, f"<at>rightsbot</at> {OFFICER_WORDS}", card_conversation, OFFICER, "Jane Officer"
    )
    said["conversation"] = {"id": card_conversation, "tenantId": "tenant-mip", "conversationType": "channel"}
    said["conversation"]["isGroup"] = True
    said["channelData"]["channel"] = {"id": OFFICERS_CHANNEL}
    mention = {"type": "mention", "mentioned": said["recipient"], "text": "<at>rightsbot</at>"}
    said["entities"] = [mention]
    return said


def test_nothing_the_teams_process_writes_holds_words_names_or_raw_ids(
    tmp_path: Path, connector: FakeConnector
) -> None:
    port, data_dir = free_port(), tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONNECTIONS__", "RIGHTSBOT_", "SLACK_"))}
    env.update(
        RIGHTSBOT_DATA_DIR=str(data_dir),
        RIGHTSBOT_LOG_LEVEL="DEBUG",
        RIGHTSBOT_LOG_ID_KEY=LOG_ID_KEY,
        RIGHTSBOT_TODAY="2026-12-01",
        RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS="true",
        RIGHTSBOT_TEAMS__HTTP_HOST="127.0.0.1",
        RIGHTSBOT_TEAMS__OFFICERS_CHANNEL=OFFICERS_CHANNEL,
        RIGHTSBOT_TEAMS__SERVICE_URL=connector.url,
        RIGHTSBOT_OFFICERS__PEOPLE=json.dumps(
            [{"officer_id": "jane", "name": "Jane Officer", "accounts": [f"teams:29:{OFFICER}"]}]
        ),
    )
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "teams", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=err,
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + 120
        while not healthy(port):
            assert child.poll() is None, stderr.read_text()[-2000:]
            assert time.monotonic() < deadline, "rightsbot teams did not come up"
            time.sleep(0.2)

        assert post(port, activity(connector, f"{WORDS}, can they dismiss me?", CHAT, MEMBER, NAME)) < 300
        connector.wait_for(
            lambda s: s.conversation == CHAT and s.activity.get("type") == "message", timeout=180
        )
        assert (
            post(port, activity(connector, f"I want to speak to a person about {WORDS}", CHAT, MEMBER, NAME))
            < 300
        )
        card = connector.wait_for(lambda s: s.kind == "create" and s.card is not None, timeout=180)[0]
        # An officer reply in the moment between the connector posting a card and the desk recording
        # it is not relayed (a known limit, see the issue 12 note); no person replies that fast, but a
        # loaded test machine can record late, so reply as a person would, a little after.
        time.sleep(2.0)
        assert post(port, officer_reply(connector, card.conversation)) < 300
        connector.wait_for(lambda s: s.conversation == CHAT and OFFICER_WORDS in s.text, timeout=180)
        time.sleep(1.0)  # let the background work log what it logs
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    texts = [stdout.read_text(errors="replace"), stderr.read_text(errors="replace")]
    for path in data_dir.rglob("*"):
        if (
            path.is_file()
            and "chroma" not in path.relative_to(data_dir).parts
            and ".sqlite3" not in path.name
        ):
            texts.append(path.read_text(errors="replace"))
    written = "\n".join(texts)
    assert [planted for planted in PLANTED if planted in written] == []
    key = id_key(Settings(log_id_key=SecretStr(LOG_ID_KEY)))
    assert f'"user": "{pseudonym(key, MEMBER)}"' in written  # the member (by AAD object id), hashed
    for line in stderr.read_text().splitlines():
        json.loads(line)
