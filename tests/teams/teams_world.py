"""Teams' side of the conversation for end-to-end tests: real activities POSTed over HTTP to the
running app, and the fake connector (the activities' serviceUrl) that records what the bot sent."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fake_connector import FakeConnector, Sent

from bot.escalations import Backoff
from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.teams.server import TeamsRuntime, TeamsServer, build_teams
from bot.wiring import Services

BOT = {"id": "28:rightsbot", "name": "rightsbot"}
TENANT = "tenant-mip"
MEMBER, OTHER_MEMBER, OFFICER = "aad-member-1", "aad-member-2", "aad-officer-1"
OFFICERS_CHANNEL = "19:officers@thread.tacv2"
GENERAL = "19:general@thread.tacv2"
_ids = itertools.count(1)
FAST_BACKOFF = Backoff(base_seconds=0.05, max_seconds=1.0, lease_seconds=60.0)

Json = dict[str, Any]


@dataclass
class Response:
    status: int
    body: str
    seconds: float

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def personal(user: str) -> str:
    return f"a:1-personal-chat-with-{user}"


@dataclass
class TeamsWorld:
    url: str
    connector: FakeConnector
    engine: ScriptedEngine
    services: Services
    runtime: TeamsRuntime
    settings: Settings

    # --- sending activities as Teams does ---

    def post(
        self, activity: Json, token: str | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            self.url + "/api/messages", data=json.dumps(activity).encode(), headers=sent, method="POST"
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return Response(response.status, response.read().decode(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(), time.monotonic() - started)

    def activity(
        self,
        text: str | None,
        conversation: str,
        user: str = MEMBER,
        *,
        channel: str | None = None,
        value: Json | None = None,
        kind: str = "message",
        name: str | None = None,
        reply_to: str | None = None,
    ) -> Json:
        mention = channel is not None and text is not None
        said = f"<at>{BOT['name']}</at> {text}" if mention else text
        activity: Json = {
            "type": kind,
            "id": f"{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": {"id": f"29:{user}", "name": user, "aadObjectId": user},
            "recipient": BOT,
            "conversation": {
                "id": conversation,
                "tenantId": TENANT,
                "conversationType": "channel" if channel else "personal",
                **({"isGroup": True} if channel else {}),
            },
            "channelData": {"tenant": {"id": TENANT}, **({"channel": {"id": channel}} if channel else {})},
        }
        if said is not None:
            activity["text"] = said
        if mention:
            activity["entities"] = [{"type": "mention", "mentioned": BOT, "text": f"<at>{BOT['name']}</at>"}]
        if value is not None:
            activity["value"] = value
        if name:
            activity["name"] = name
        if reply_to:
            activity["replyToId"] = reply_to
        return activity

    def dm(self, text: str, user: str = MEMBER, **sent: Any) -> Response:
        return self.post(self.activity(text, personal(user), user), **sent)

    def mention(self, text: str, thread_root: str, user: str = MEMBER, channel: str = GENERAL) -> Response:
        """@rightsbot in a team channel; the thread is the channel's id plus the root post's id."""
        return self.post(self.activity(text, f"{channel};messageid={thread_root}", user, channel=channel))

    def press(
        self, value: Json, conversation: str, user: str = MEMBER, channel: str | None = None
    ) -> Response:
        """An Action.Submit on a card: Teams sends a message whose value is the button's data."""
        return self.post(self.activity(None, conversation, user, channel=channel, value=value))

    def rate(self, answer: Sent, reaction: str, user: str = MEMBER) -> Response:
        value = {
            "actionName": "feedback",
            "actionValue": {"reaction": reaction, "feedback": '{"feedbackText":""}'},
        }
        activity = self.activity(
            None,
            answer.conversation,
            user,
            value=value,
            kind="invoke",
            name="message/submitAction",
            reply_to=answer.id,
        )
        return self.post(activity)

    def officer_replies(self, card: Sent, text: str, user: str = OFFICER) -> Response:
        return self.post(self.activity(text, card.conversation, user, channel=OFFICERS_CHANNEL))

    def health(self) -> int:
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
            return response.status

    # --- what the bot sent, waited for ---

    def messages_in(self, conversation: str, count: int = 1) -> list[Sent]:
        return self.connector.wait_for(
            lambda s: (
                s.kind == "send" and s.conversation == conversation and s.activity.get("type") == "message"
            ),
            count,
        )

    def answer_in(self, conversation: str, count: int = 1) -> Sent:
        return self.connector.wait_for(
            lambda s: s.conversation == conversation and s.card is not None, count
        )[count - 1]

    def recorded(self, answer: Sent, timeout: float = 10.0) -> Sent:
        """The answer once its message id is stored (just after the connector took it)."""
        history = self.runtime.handlers.deps.history
        deadline = time.monotonic() + timeout
        while history.answer_for(answer.conversation, answer.id) is None:
            assert time.monotonic() < deadline, "the answer's message id was never stored"
            time.sleep(0.01)
        return answer

    def teams_card(self, count: int = 1) -> Sent:
        return self.connector.wait_for(lambda s: s.kind == "create" and s.card is not None, count)[count - 1]


@contextmanager
def teams_world(
    settings: Settings,
    services: Services,
    engine: ScriptedEngine,
    connector: FakeConnector,
    sdk_config: Json | None = None,
    connections: Any = None,
) -> Iterator[TeamsWorld]:
    runtime = build_teams(settings, services, sdk_config or {}, connections)
    server = TeamsServer(runtime.web_app, "127.0.0.1", 0).start()
    services.start_up()  # as `rightsbot teams` does once listening: cards left undelivered go now
    try:
        yield TeamsWorld(f"http://127.0.0.1:{server.port}", connector, engine, services, runtime, settings)
    finally:
        server.stop()
