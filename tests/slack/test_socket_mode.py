"""`rightsbot slack --socket`: the real run path dials a fake Socket Mode server on 127.0.0.1, acks each
event envelope, answers in the thread through the fake Web API, and stops cleanly."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fake_socket_mode import FakeSocketMode
from pydantic import SecretStr
from slack_world import MEMBER, settings_for

from bot.fakes import ScriptedEngine
from bot.slack.fake_slack import BOT_USER, TEAM, FakeSlackApi
from bot.slack.run import run_slack


def dm_event(text: str, ts: str) -> dict:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + MEMBER,
        "user": MEMBER,
        "text": text,
        "ts": ts,
    }
    return {
        "type": "event_callback",
        "team_id": TEAM,
        "api_app_id": "A0RIGHTS",
        "event": event,
        "event_id": f"EvSOCKET{ts.replace('.', '')}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def test_a_dm_over_socket_mode_is_acked_answered_and_the_app_stops_cleanly(
    tmp_path: Path, api: FakeSlackApi
) -> None:
    base = settings_for(tmp_path, api)
    slack = base.slack.model_copy(update={"app_token": SecretStr("xapp-1-test"), "signing_secret": None})
    settings = base.model_copy(update={"slack": slack})
    engine, stop = ScriptedEngine(), threading.Event()
    with FakeSocketMode() as slack_socket:
        api.socket_url = slack_socket.url
        app = threading.Thread(
            target=run_slack,
            args=(settings, engine),
            kwargs={"socket": True, "port": 0, "stop": stop},
            daemon=True,
        )
        app.start()
        slack_socket.wait(lambda: slack_socket.connections == 1)

        ts = api.add_message("D" + MEMBER, MEMBER, "How much notice do I have to give?")
        envelope = slack_socket.push_event(dm_event("How much notice do I have to give?", ts))

        slack_socket.wait(lambda: slack_socket.acked(envelope))
        [answer] = api.wait_for("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)
        assert answer.params["thread_ts"] == ts
        assert engine.questions[0].text == "How much notice do I have to give?"
        assert api.calls_to("apps.connections.open")

        stop.set()
        app.join(timeout=15)
        assert not app.is_alive()
