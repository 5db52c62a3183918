"""A fake Bot Framework connector service on 127.0.0.1: the `serviceUrl` the test's activities name.

It records every call the bot makes (method, path, conversation id, activity JSON, Authorization
header), answers like the connector does (an id for each posted activity; `channel;messageid=<id>`
for a new channel thread), and can be told to fail the next N calls of a kind with a status (and a
Retry-After header, as the connector sends with a 429).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

Json = dict[str, Any]


@dataclass
class Sent:
    """One call to the connector. kind: "send" (new activity in a conversation), "update" or "create"."""

    kind: str
    conversation: str
    activity: Json
    authorization: str | None
    id: str
    at: float = field(default_factory=time.monotonic)

    @property
    def card(self) -> Json | None:
        attachments = self.activity.get("attachments") or []
        return attachments[0]["content"] if attachments else None

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""


@dataclass
class FakeConnector:
    calls: list[Sent] = field(default_factory=list)
    refused: list[tuple[str, int, float]] = field(default_factory=list)  # (kind, status, monotonic)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self._failures: list[list[Any]] = []  # [kind, status, times, retry_after, when]
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> FakeConnector:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def fail_next(
        self,
        kind: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        when: Callable[[Json], bool] = lambda activity: True,
    ) -> None:
        """Refuse the next `times` calls of `kind` whose activity matches `when` with `status`."""
        with self._lock:
            self._failures.append([kind, status, times, retry_after, when])

    def recover(self) -> None:
        with self._lock:
            self._failures.clear()

    def sent(self, where: Callable[[Sent], bool] = lambda s: True) -> list[Sent]:
        with self._lock:
            return [s for s in self.calls if where(s)]

    def wait_for(self, where: Callable[[Sent], bool], count: int = 1, timeout: float = 15.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(where)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        seen = [(s.kind, s.activity.get("type"), s.conversation[:30]) for s in self.sent()]
        raise AssertionError(f"no {count} matching connector calls within {timeout}s; calls: {seen}")

    # --- serving ---

    def handle(
        self, method: str, path: str, body: Json, authorization: str | None
    ) -> tuple[int, Json, dict[str, str]]:
        """(status, body, headers); refusals are recorded as `refused`."""
        parts = [unquote(p) for p in urlsplit(path).path.strip("/").split("/")]
        kind = {"POST": "send", "PUT": "update"}.get(method, method.lower())
        if parts == ["v3", "conversations"]:
            kind = "create"
        failure = self._take_failure(kind, body.get("activity") or body)
        if failure:
            status, retry_after = failure
            self.refused.append((kind, status, time.monotonic()))
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return status, {"error": {"code": "ServiceError"}}, headers
        new_id = str(next(self._ids))
        if kind == "create":
            channel = ((body.get("channelData") or {}).get("channel") or {}).get("id", "19:unknown")
            conversation = f"{channel};messageid={new_id}"
            self._record(Sent(kind, conversation, body.get("activity") or {}, authorization, new_id))
            return 201, {"id": conversation, "activityId": new_id}, {}
        conversation = parts[2] if len(parts) > 2 else ""
        activity_id = parts[4] if kind == "update" and len(parts) > 4 else new_id
        self._record(Sent(kind, conversation, body, authorization, activity_id))
        return 200, {"id": activity_id}, {}

    def _take_failure(self, kind: str, activity: Json) -> tuple[int, int | None] | None:
        with self._lock:
            for failure in self._failures:
                if failure[0] == kind and failure[2] > 0 and failure[4](activity):
                    failure[2] -= 1
                    return int(failure[1]), failure[3]
        return None

    def _record(self, sent: Sent) -> None:
        with self._lock:
            self.calls.append(sent)


def handler_for(connector: FakeConnector) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.answer("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self.answer("PUT")

        def answer(self, method: str) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw or b"{}")
            status, reply, headers = connector.handle(
                method, self.path, body, self.headers.get("Authorization")
            )
            send_json(self, status, reply, headers)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def send_json(
    handler: BaseHTTPRequestHandler, status: int, body: object, headers: dict[str, str] | None = None
) -> None:
    """Answer a request of a fake service on 127.0.0.1 with a JSON body."""
    payload = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
