"""Slack's HTTP mode: Bolt's own WSGI adapter under waitress, with POST /slack/events and GET /healthz.

Meant to sit behind a reverse proxy that terminates TLS. waitress parses HTTP (a listen backlog of
`BACKLOG`, a pool of request threads, a body cap that also holds for chunked bodies, and a 400 for a
Content-Length that is not a number). Acks run in those threads; the slow work runs in Bolt's lazy
pool. What Bolt would raise on before it checks the signature (bytes that are not UTF-8, JSON that
does not parse, a `payload` field that is not a JSON object, a timestamp that is not a number) gets
a 400 instead, so a stranger's malformed POST never reaches a traceback. Logs carry method, path,
status, time and a short reason: never the body.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from waitress.server import BaseWSGIServer, create_server

from bot.slack.privacy import log_failure, quiet_libraries

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger("rightsbot.slack.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few KB; anything near this is not Slack
BACKLOG = 1024  # connections the kernel queues while every thread is busy (http.server's was 5)
CONNECTION_LIMIT = 500  # open connections at once; beyond it waitress stops accepting, the backlog waits
CHANNEL_TIMEOUT_SECONDS = 30  # an idle or stalled client's connection is closed after this
STOP_TIMEOUT_SECONDS = 10.0  # how long a stop waits for requests in flight


MAX_LOGGED_PATH = 100  # a stranger's 100 KB URL must not become a 100 KB log line


class Rejected(Exception):
    """A request Bolt must not see; `reason` is a short fixed word for the log, never request text."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class BoltHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, except that a body Bolt cannot build a request from (JSON that does not
    parse, a `payload` that is not JSON, a list where Bolt expects an object, a number where it
    expects a team) is refused with a 400: Bolt parses and reads ids before it checks the signature,
    so without this any stranger could make it raise."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        except Exception:  # ValueError, TypeError, AttributeError: the message would echo the input
            raise Rejected(400, "unparsable") from None
        if not well_shaped(bolt_request.body):
            raise Rejected(400, "malformed")  # Bolt's own middleware would raise on it, signed or not
        return self.app.dispatch(bolt_request)


def well_shaped(body: object) -> bool:
    """An envelope whose `event` (when there is one) is an object, and whose `type`s are strings."""
    if not isinstance(body, dict):
        return False
    if "event" in body and not isinstance(body["event"], dict):
        return False
    parts = [body, body.get("event") or {}]
    return all(isinstance(part.get("type", ""), str) for part in parts)


class SlackEvents:
    """The WSGI application: health check, checks on the body, then Bolt's own WSGI adapter."""

    def __init__(self, app: App) -> None:
        self.bolt = BoltHandler(app, path=EVENTS_PATH)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        status, reason = ["-"], ""

        def recording(line: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            status[0] = line.split(" ", 1)[0]
            return start_response(line, headers, *rest)

        try:
            if method in ("GET", "HEAD") and path == HEALTH_PATH:
                return plain(recording, 200, "ok")
            if method == "POST" and path == EVENTS_PATH:
                environ = checked(environ)
            return self.bolt(environ, recording)  # type: ignore[arg-type]
        except Rejected as rejected:
            reason = rejected.reason
            return plain(recording, rejected.status, reason)
        except Exception as error:  # waitress would log the traceback, whose message may echo input
            log_failure("slack http request", error)
            reason = "failed"
            return plain(recording, 500, reason)
        finally:
            elapsed = (time.monotonic() - started) * 1000
            log.info(
                "%s %s %s %.1fms%s",
                method,
                path[:MAX_LOGGED_PATH],
                status[0],
                elapsed,
                f" reason={reason}" if reason else "",
            )


def checked(environ: WSGIEnvironment) -> WSGIEnvironment:
    """The environ again, its body read (waitress has already capped it) and checked for what would
    make Bolt or slack_sdk raise before the signature is checked. Raises Rejected otherwise."""
    length = int(environ.get("CONTENT_LENGTH") or 0)  # waitress sends 400 for one that is not digits
    raw = environ["wsgi.input"].read(length)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "not-utf-8") from None
    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "0")
    if not stamp.isascii() or not stamp.isdigit():  # slack_sdk's verifier would raise on int()
        raise Rejected(400, "bad-timestamp")
    if not environ.get("HTTP_X_SLACK_SIGNATURE", "").isascii():  # hmac.compare_digest raises on it
        raise Rejected(401, "bad-signature")
    return {**environ, "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}


def plain(start_response: Callable[..., Any], status: int, text: str) -> list[bytes]:
    payload = text.encode("utf-8")
    phrases = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 500: "Internal Server Error"}
    start_response(
        f"{status} {phrases.get(status, '')}".strip(),
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


class SlackHTTPServer:
    """waitress serving `SlackEvents`, bound on creation. `serve_forever()` blocks; `shutdown()` (from
    any thread) stops accepting, lets the requests in flight finish and returns once it has stopped."""

    def __init__(self, app: App, host: str, port: int, threads: int = 16) -> None:
        quiet_libraries()  # waitress's loggers too
        self.server: BaseWSGIServer = create_server(
            SlackEvents(app),
            host=host,
            port=port,
            threads=threads,
            backlog=BACKLOG,
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=CHANNEL_TIMEOUT_SECONDS,
            max_request_body_size=MAX_BODY_BYTES,
            ident="rightsbot",
            expose_tracebacks=False,
        )
        self.stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server.effective_port)  # type: ignore[attr-defined]

    def serve_forever(self) -> None:
        try:
            self.server.run()
        finally:
            self.server.task_dispatcher.shutdown(cancel_pending=False, timeout=STOP_TIMEOUT_SECONDS)
            self.stopped.set()

    def shutdown(self) -> None:
        """waitress has no graceful stop of its own: close the listening socket, wait until no
        connection has a request or unsent bytes, then close the rest, which ends run()."""
        self.in_loop(self.stop_accepting)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.in_loop(self.close_everything)
        self.stopped.wait(STOP_TIMEOUT_SECONDS)

    def in_loop(self, thunk: Callable[[], None]) -> None:
        """Run `thunk` in the server's own thread: its socket map is not thread-safe."""
        done = threading.Event()

        def run() -> None:
            try:
                thunk()
            finally:
                done.set()

        self.server.trigger.pull_trigger(run)
        done.wait(STOP_TIMEOUT_SECONDS)

    def stop_accepting(self) -> None:
        self.server.accepting = False
        self.server.del_channel()
        self.server.socket.close()

    def busy(self) -> bool:
        channels = list(self.server.active_channels.values())
        return any(channel.requests or channel.total_outbufs_len for channel in channels)

    def server_close(self) -> None:
        """Once serve_forever has returned (or if it never ran): close whatever is still open."""
        self.close_everything()

    def close_everything(self) -> None:
        for channel in list(self.server.active_channels.values()):
            channel.handle_close()
        self.server.close()  # the trigger too: with the map empty, run() returns


def make_server(app: App, host: str, port: int, threads: int = 16) -> SlackHTTPServer:
    """Bound and ready; call serve_forever() (tests run it in a thread on port 0)."""
    return SlackHTTPServer(app, host, port, threads)
