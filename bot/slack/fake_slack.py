"""Slack's side, for tests and the load bench: a fake Slack Web API on 127.0.0.1 (after bolt-python's
tests/mock_web_api_server), and a sender that posts signed requests to the app as Slack does.

It records every call (method + params), keeps the messages posted to it (with their `metadata`) so
conversations.replies and conversations.history answer like Slack would (`oldest`, `latest`,
`inclusive`, `limit`; metadata only with `include_all_metadata`), serves response_url posts under
/response/<id>, and can be told to answer 429 (with Retry-After) or 500 for the next N calls of a
method, optionally after doing the work (a reply lost on its way back), or to refuse one (HTTP 200
with ok: false, as Slack does for a missing scope). Message ts are the wall clock, as Slack's are.
Like Slack, it refuses blocks that break Block Kit's limits and AI-app calls without their required
arguments, so every test checks those too.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

BOT_USER, BOT_ID, TEAM = "UBOT", "BBOT", "T0MIP"
JSON_FIELDS = ("blocks", "metadata", "view", "attachments")

Params = dict[str, Any]


@dataclass
class Call:
    method: str
    params: Params
    at: float  # time.monotonic() when it arrived
    status: int = 200
    response: Params = field(default_factory=dict)


@dataclass
class Failure:
    method: str
    status: int
    times: int
    retry_after: int | None
    when: Callable[[Params], bool]
    error: str | None = None  # with status 200: Slack's ok: false refusal
    after_doing_it: bool = False  # the call takes effect (a message is posted), then the failure


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the burst tests post many answers at once; http.server's default is 5


@dataclass
class FakeSlackApi:
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    messages: list[Params] = field(default_factory=list)
    socket_url: str | None = None  # what apps.connections.open hands out (a FakeSocketMode's address)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[Failure] = []
        self._last_ts = 0.0
        self._server = FakeServer(("127.0.0.1", 0), handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    # --- lifecycle and addresses ---

    def start(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.root}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.root}/response/{name}"

    # --- what tests do to it ---

    def fail_next(
        self,
        method: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        when: Callable[[Params], bool] = lambda params: True,
        after_doing_it: bool = False,
    ) -> None:
        """Answer `status` to the next `times` calls of `method` matching `when`; with
        `after_doing_it` the call still takes effect first (Slack posted, the reply was lost)."""
        with self._lock:
            self._failures.append(Failure(method, status, times, retry_after, when, None, after_doing_it))

    def refuse(self, method: str, error: str, times: int = 1_000_000) -> None:
        """Answer ok: false with `error` (HTTP 200), as Slack does for a missing scope or feature."""
        with self._lock:
            self._failures.append(Failure(method, 200, times, None, lambda params: True, error))

    def next_ts(self) -> str:
        """The wall clock, as Slack's ts are, one microsecond apart at least so each is unique."""
        with self._lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def add_message(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> str:
        """What a person posting in Slack leaves behind, so thread history can be read back."""
        ts = self.next_ts()
        message = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.messages.append(message)
        return ts

    def posted_to(self, channel: str, where: Callable[[Params], bool] = lambda m: True) -> list[Params]:
        """The messages the bot posted in a channel (what Slack holds, whatever its replies said)."""
        with self._lock:
            return [
                dict(m)
                for m in self.messages
                if m["channel"] == channel and m.get("bot_id") == BOT_ID and where(m)
            ]

    def calls_to(self, method: str, where: Callable[[Params], bool] = lambda p: True) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method and c.status == 200 and c.response.get("ok") and where(c.params)
            ]

    def wait_for(
        self,
        method: str,
        where: Callable[[Params], bool] = lambda p: True,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Poll until `count` successful calls match (the app works lazily); fail loudly on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method, where)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        seen = [(c.method, c.status) for c in self.calls]
        raise AssertionError(f"no {count} x {method} within {timeout}s; calls so far: {seen}")

    # --- serving ---

    def handle(self, method: str, params: Params) -> tuple[int, dict[str, str], Params]:
        failure = self._take_failure(method, params)
        if failure and failure.after_doing_it:
            self._answer(method, params)
        if failure:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            kind = failure.error or ("ratelimited" if failure.status == 429 else "internal_error")
            error = {"ok": False, "error": kind}
            self._record(Call(method, params, time.monotonic(), failure.status, error))
            return failure.status, headers, error
        answer = self._answer(method, params)
        self._record(Call(method, params, time.monotonic(), 200, answer))
        return 200, {}, answer

    def _take_failure(self, method: str, params: Params) -> Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.method == method and failure.times > 0 and failure.when(params):
                    failure.times -= 1
                    return failure
        return None

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _answer(self, method: str, params: Params) -> Params:
        problem = block_kit_problem(params)
        if problem:
            return {"ok": False, "error": "invalid_blocks", "problem": problem}
        answer = ANSWERS.get(method)
        return answer(self, params) if answer else {"ok": True}

    def _post(self, params: Params) -> Params:
        ts = self.next_ts()
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts, **params}
        with self._lock:
            self.messages.append(message)
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}

    def _replies(self, params: Params) -> Params:
        """A thread, oldest first, within oldest/latest."""
        root, channel = params["ts"], params["channel"]
        with self._lock:
            thread = [
                m
                for m in self.messages
                if m["channel"] == channel and (m["ts"] == root or m.get("thread_ts") == root)
            ]
        found = sorted(within(thread, params), key=lambda m: float(m["ts"]))
        return {"ok": True, "messages": shown(found, params), "has_more": False}

    def _history(self, params: Params) -> Params:
        """A channel's top-level messages, newest first, within oldest/latest, at most `limit`."""
        channel = params["channel"]
        with self._lock:
            top = [
                m for m in self.messages if m["channel"] == channel and m.get("thread_ts") in (None, m["ts"])
            ]
        found = sorted(within(top, params), key=lambda m: float(m["ts"]), reverse=True)
        limit = int(params.get("limit") or 100)
        return {"ok": True, "messages": shown(found[:limit], params), "has_more": len(found) > limit}


def truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true")


def within(messages: list[Params], params: Params) -> list[Params]:
    """Slack's oldest/latest bounds (exclusive unless `inclusive`)."""
    oldest, latest = float(params.get("oldest") or 0), float(params.get("latest") or "inf")
    inclusive = truthy(params.get("inclusive"))
    return [
        m
        for m in messages
        if (float(m["ts"]) >= oldest if inclusive else float(m["ts"]) > oldest)
        and (float(m["ts"]) <= latest if inclusive else float(m["ts"]) < latest)
    ]


def shown(messages: list[Params], params: Params) -> list[Params]:
    """Copies, with `metadata` only when include_all_metadata asks for it (as Slack does)."""
    with_metadata = truthy(params.get("include_all_metadata"))
    return [{k: v for k, v in m.items() if with_metadata or k != "metadata"} for m in messages]


def is_relay(params: Params) -> bool:
    """An officer's reply relayed to a member (marked by its metadata, as bot/slack/member_channel.py does)."""
    return (params.get("metadata") or {}).get("event_type") == "rightsbot_officer_reply"


def needs(*names: str) -> Callable[[FakeSlackApi, Params], Params]:
    """A method that only checks its required arguments are there (invalid_arguments otherwise)."""
    return lambda api, p: (
        {"ok": True}
        if all(p.get(n) is not None for n in names)
        else {"ok": False, "error": "invalid_arguments"}
    )


def suggested_prompts(api: FakeSlackApi, params: Params) -> Params:
    prompts = params.get("prompts") or []
    well_formed = 0 < len(prompts) <= 4 and all(p.get("title") and p.get("message") for p in prompts)
    if not params.get("channel_id") or not well_formed:
        return {"ok": False, "error": "invalid_arguments"}
    return {"ok": True}


# Block Kit limits (docs.slack.dev/reference/block-kit): blocks per message, text per block type.
TEXT_LIMITS = {"section": 3000, "header": 150}
CONTEXT_ELEMENT_LIMIT, CONTEXT_ELEMENTS, MARKDOWN_TOTAL, MESSAGE_TEXT = 2000, 10, 12000, 40000


def block_kit_problem(params: Params) -> str | None:
    """What Slack would refuse in a message's or a view's blocks, or None."""
    view: Params = params["view"] if isinstance(params.get("view"), dict) else {}
    blocks = params.get("blocks") or view.get("blocks") or []
    if len(blocks) > (100 if view else 50):
        return f"{len(blocks)} blocks"
    if len(params.get("text") or "") > MESSAGE_TEXT:
        return "text too long"
    markdown = sum(len(b.get("text", "")) for b in blocks if b.get("type") == "markdown")
    if markdown > MARKDOWN_TOTAL:
        return f"{markdown} characters of markdown"
    for block in blocks:
        if problem := block_problem(block):
            return problem
    return None


def block_problem(block: Params) -> str | None:
    kind = block.get("type")
    text = (block.get("text") or {}).get("text", "") if isinstance(block.get("text"), dict) else ""
    if kind in TEXT_LIMITS and not 0 < len(text) <= TEXT_LIMITS[kind]:
        return f"{kind} text of {len(text)} characters"
    if kind == "context":
        elements = block.get("elements") or []
        if not 0 < len(elements) <= CONTEXT_ELEMENTS:
            return f"context with {len(elements)} elements"
        if any(len(e.get("text", "")) > CONTEXT_ELEMENT_LIMIT for e in elements):
            return "context element too long"
    if kind == "context_actions" and not 0 < len(block.get("elements") or []) <= 5:
        return "context_actions elements"
    return None


ANSWERS: dict[str, Callable[[FakeSlackApi, Params], Params]] = {
    "apps.connections.open": lambda api, p: (
        {"ok": True, "url": api.socket_url}
        if api.socket_url
        else {"ok": False, "error": "not_allowed_token_type"}
    ),
    "assistant.threads.setStatus": needs("channel_id", "thread_ts", "status"),
    "assistant.threads.setSuggestedPrompts": suggested_prompts,
    "auth.test": lambda api, p: {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM},
    "chat.postMessage": lambda api, p: api._post(p),
    "chat.update": lambda api, p: {"ok": True, "channel": p["channel"], "ts": p["ts"]},
    "chat.postEphemeral": lambda api, p: {"ok": True, "message_ts": api.next_ts()},
    "chat.getPermalink": lambda api, p: {
        "ok": True,
        "permalink": f"https://mip.slack.com/archives/{p['channel']}/p{p['message_ts'].replace('.', '')}",
    },
    "conversations.replies": lambda api, p: api._replies(p),
    "conversations.history": lambda api, p: api._history(p),
    "conversations.open": lambda api, p: {"ok": True, "channel": {"id": "D" + p["users"]}},
    "usergroups.users.list": lambda api, p: {"ok": True, "users": api.usergroups.get(p["usergroup"], [])},
}


def parse_body(raw: bytes, content_type: str) -> Params:
    if "json" in content_type:
        return json.loads(raw or b"{}")
    params: Params = dict(parse_qsl(raw.decode("utf-8")))
    for name in JSON_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


def handler_for(api: FakeSlackApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            params = parse_body(raw, self.headers.get("Content-Type", ""))
            if self.path.startswith("/response/"):
                params["response_url"] = self.path.rsplit("/", 1)[-1]
                status, headers, body = api.handle("response_url", params)
            else:
                status, headers, body = api.handle(self.path.removeprefix("/api/"), params)
            self.reply(status, headers, body)

        def reply(self, status: int, headers: dict[str, str], body: Params) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


# --- Slack's side of the app's endpoint: signed requests, as Slack sends them ---

_event_ids = itertools.count(1)


@dataclass
class Sent:
    status: int
    body: str
    seconds: float


def sign(secret: str, timestamp: int, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SignedSender:
    """Posts to the app the way Slack does: X-Slack-Request-Timestamp and an HMAC-SHA256 signature."""

    def __init__(self, url: str, secret: str) -> None:
        self.url, self.secret = url, secret

    def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> Sent:
        stamp = timestamp if timestamp is not None else int(time.time())
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(secret or self.secret, stamp, body),
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body.encode(), headers=signed, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Sent(response.status, response.read().decode(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Sent(error.code, error.read().decode(), time.monotonic() - started)

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int | None = None,
        envelope: dict[str, Any] | None = None,
    ) -> Sent:
        """An Events API delivery; `envelope` adds outer fields (is_ext_shared_channel, ...)."""
        wrapped = {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0RIGHTS",
            "event": event,
            "event_id": event_id or f"Ev{next(_event_ids):06d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            **(envelope or {}),
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        )
        return self.post(json.dumps(wrapped), "application/json", headers)

    def form(self, fields: dict[str, str]) -> Sent:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded")
