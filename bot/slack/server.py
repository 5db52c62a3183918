"""A small threaded HTTP server for the Events API: POST /slack/events and GET /healthz.

Meant to sit behind a reverse proxy that terminates TLS. One thread per request (acks are instant,
the slow work runs in Bolt's lazy pool), a socket timeout so a stalled client cannot pin a thread,
a body-size cap, and logs of method, path, status and time only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger("rightsbot.slack.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few KB; anything near this is not Slack


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: App, host: str, port: int) -> None:
        self.app = app
        super().__init__((host, port), SlackRequestHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class SlackRequestHandler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    timeout = 30  # seconds of socket silence before the connection is dropped
    server_version = "rightsbot"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if urlsplit(self.path).path == HEALTH_PATH:
            self.send_text(200, "ok")
        else:
            self.send_text(404, "not found")

    def do_POST(self) -> None:  # noqa: N802
        started = time.monotonic()
        url = urlsplit(self.path)
        if url.path != EVENTS_PATH:
            self.send_text(404, "not found")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.send_text(413, "too large")
            return
        body = self.rfile.read(length).decode("utf-8")
        headers: dict[str, str | Sequence[str]] = dict(self.headers.items())
        response = self.server.app.dispatch(BoltRequest(body=body, query=url.query, headers=headers))
        self.send_bolt(response)
        log.info("POST %s %s %.1fms", url.path, response.status, (time.monotonic() - started) * 1000)

    def send_bolt(self, response: BoltResponse) -> None:
        payload = (response.body or "").encode("utf-8")
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() != "content-length":
                for value in values:
                    self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def send_text(self, status: int, text: str) -> None:
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """http.server writes every request line to stderr; our own line above is enough."""


def make_server(app: App, host: str, port: int) -> SlackHTTPServer:
    """Bound and ready; call serve_forever() (tests run it in a thread on port 0)."""
    return SlackHTTPServer(app, host, port)
