"""Slack's side of the conversation for end-to-end tests: signed requests to the real app over HTTP,
plus the fake Web API that records what the app did in return."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt import App

from bot.desk import Desk
from bot.escalations import EscalationStore
from bot.fakes import ScriptedEngine
from bot.feedback import FeedbackStore
from bot.settings import Settings
from bot.slack.app import build_slack_app
from bot.slack.fake_slack import BOT_USER, TEAM, Call, FakeSlackApi, Sent, SignedSender
from bot.slack.server import make_server
from bot.wiring import Services, Stores, build_services

SECRET = "test-signing-secret"
OFFICERS = "COFFICERS"
OFFICER, GROUP_OFFICER, MEMBER, REP = "UOFFICER1", "UOFFICER2", "UMEMBER1", "UREP1"
CHANNEL = "CGENERAL"


@dataclass
class SlackWorld:
    """One running app over HTTP, the services it was built with, and the fake Slack it talks to."""

    api: FakeSlackApi
    sender: SignedSender
    engine: ScriptedEngine
    services: Services
    app: App
    sent: Sent | None = None  # the HTTP response to the last event sent

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def desk(self) -> Desk:
        return self.services.desk

    @property
    def escalations(self) -> EscalationStore:
        return self.services.stores.escalations

    @property
    def feedback(self) -> FeedbackStore:
        return self.services.stores.feedback

    # --- people doing things in Slack ---

    def dm(
        self, user: str, text: str, thread_ts: str | None = None, fields: dict | None = None, **sent: Any
    ) -> str:
        """A direct message; `fields` adds to the event (a subtype, files, attachments)."""
        return self._message(user, "D" + user, "im", text, thread_ts, fields, **sent)

    def mention(
        self,
        user: str,
        text: str,
        channel: str = CHANNEL,
        thread_ts: str | None = None,
        user_team: str | None = None,
        shared: bool = False,
    ) -> str:
        """@rightsbot in a channel; `user_team` and `shared` as Slack sends them in Slack Connect."""
        said = f"<@{BOT_USER}> {text}"
        ts = self.api.add_message(channel, user, said, thread_ts)
        event = {"type": "app_mention", "channel": channel, "user": user, "text": said, "ts": ts}
        if thread_ts:
            event["thread_ts"] = thread_ts
        if user_team:
            event |= {"user_team": user_team, "source_team": user_team, "team": user_team}
        envelope = {"is_ext_shared_channel": True} if shared else None
        self.sent = self.sender.event(event, envelope=envelope)
        return ts

    def say_in_thread(
        self, user: str, thread_ts: str, text: str, channel: str = CHANNEL, fields: dict | None = None
    ) -> str:
        """A plain reply in a channel thread, without @mentioning the bot."""
        return self._message(user, channel, "channel", text, thread_ts, fields)

    def _message(
        self,
        user: str,
        channel: str,
        channel_type: str,
        text: str,
        thread_ts: str | None,
        fields: dict | None = None,
        **sent: Any,
    ) -> str:
        ts = self.api.add_message(channel, user, text, thread_ts)
        event = {
            "type": "message",
            "channel_type": channel_type,
            "channel": channel,
            "user": user,
            "text": text,
            **(fields or {}),
        }
        self.sent = self.sender.event(
            {**event, "ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}, **sent
        )
        return ts

    def reply_in_card_thread(self, user: str, card_ts: str, text: str, fields: dict | None = None) -> str:
        return self.say_in_thread(user, card_ts, text, channel=OFFICERS, fields=fields)

    def click(
        self,
        presser: str,
        action_id: str,
        value: str,
        channel: str,
        message_ts: str,
        thread_ts: str | None = None,
        response_url: str | None = None,
        user: dict[str, str] | None = None,
        team: str = TEAM,
    ) -> Sent:
        """A button press; `user` replaces the payload's user object (to give its team_id); `team` is
        the workspace it came from."""
        payload = {
            "type": "block_actions",
            "user": user or {"id": presser},
            "team": {"id": team},
            "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel, "message_ts": message_ts},
            "message": {"ts": message_ts, **({"thread_ts": thread_ts} if thread_ts else {})},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
            "response_url": response_url or self.api.response_url(f"click-{message_ts}"),
            "trigger_id": "trigger",
        }
        return self.sender.form({"payload": json.dumps(payload)})

    def slash(
        self, user: str, text: str, channel: str = CHANNEL, name: str = "slash", team: str = TEAM
    ) -> Sent:
        fields = {
            "command": "/rights",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": team,
            "response_url": self.api.response_url(name),
            "trigger_id": "trigger",
        }
        return self.sender.form(fields)

    # --- what the app did, waited for ---

    def answer_in(self, channel: str, thread_ts: str, count: int = 1) -> Call:
        """The bot's reply carrying answer buttons, in a member's thread."""
        return self.api.wait_for(
            "chat.postMessage", lambda p: p["channel"] == channel and p.get("thread_ts") == thread_ts, count
        )[count - 1]

    def card(self, count: int = 1) -> Call:
        """The officers' card, once the app has also recorded it as delivered (officers can act on it)."""
        card = self.api.wait_for("chat.postMessage", lambda p: p["channel"] == OFFICERS, count)[count - 1]
        eventually(lambda: self.escalations.find_by_card("slack", card.response["ts"]) is not None)
        return card


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a condition the lazy work will make true (its Slack call can land before its database write)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout}s")
        time.sleep(0.01)


def settings_for(tmp_path: Any, api: FakeSlackApi) -> Settings:
    return Settings(
        data_dir=tmp_path,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=api.url,
        officers_channel=OFFICERS,
        officer_ids=OFFICER,
        officer_group="SOFFICERS",
    )


@contextmanager
def serving(app: App) -> Iterator[str]:
    """The real HTTP server from run.py (waitress over Bolt's WSGI adapter) on an ephemeral port;
    lazy work is drained on the way out."""
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/slack/events"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        app.listener_runner.listener_executor.shutdown(wait=True)


@contextmanager
def slack_world(
    settings: Settings, api: FakeSlackApi, engine: ScriptedEngine, stores: Stores
) -> Iterator[SlackWorld]:
    """The app as `rightsbot slack` builds it (bot/wiring.py), over the given stores."""
    services = build_services(settings, engine, stores)
    app = build_slack_app(services)
    with serving(app) as url:
        yield SlackWorld(api, SignedSender(url, SECRET), engine, services, app)
