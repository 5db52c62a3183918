"""Issue 12, fault 3: malformed POSTs to /slack/events (a body that is not JSON, bytes that are not
UTF-8, a Content-Length that is not a number or is negative, a body over the cap, chunked or not, an
interactivity `payload` that is not JSON) each get a 4xx, signed or not, with no traceback and no
request text in the logs, and the app keeps serving. Sent over raw sockets, as a stranger could."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from slack_world import MEMBER, SECRET, SlackWorld

from bot.slack.fake_slack import BOT_USER, TEAM
from bot.slack.server import MAX_BODY_BYTES

PLANTED = "PLANTED my manager shouted at me about my diagnosis"


def raw_post(url: str, head: dict[str, str], body: bytes = b"", chunks: list[bytes] | None = None) -> int:
    """POST exactly these bytes; the status code of the answer (a reset before it, or no status, fails).
    The answer is read while sending: a server that refuses a body closes before taking all of it."""
    parts = urlsplit(url)
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in head.items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        answer = Reader(conn)
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        if chunks is not None:
            send_chunked(conn, chunks)
        answer.join(10)
    status_line = b"".join(answer.data).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    return int(status_line.split()[1])


class Reader(threading.Thread):
    """Everything the server sends on `conn`, until it closes (a reset after the answer is fine)."""

    def __init__(self, conn: socket.socket) -> None:
        super().__init__(daemon=True)
        self.conn, self.data = conn, list[bytes]()
        self.start()

    def run(self) -> None:
        try:
            while chunk := self.conn.recv(65536):
                self.data.append(chunk)
        except OSError:
            pass


def send_chunked(conn: socket.socket, chunks: list[bytes]) -> None:
    try:
        for chunk in chunks:
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.sendall(b"0\r\n\r\n")
    except OSError:  # the server has already answered and closed: it read no further
        pass


def signed(body: bytes, content_type: str = "application/json", secret: str = SECRET) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + signature,
    }


def unsigned(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    return {"Content-Type": content_type, "Content-Length": str(len(body))}


FORM = "application/x-www-form-urlencoded"
BODIES = {
    "half a JSON object": (b"{", "application/json"),
    "JSON that breaks off": (b'{"event": {"text": "' + PLANTED.encode(), "application/json"),
    "bytes that are not UTF-8": (b'{"text": "\xff\xfe' + PLANTED.encode() + b'"}', "application/json"),
    "JSON that is not an object": (b'["' + PLANTED.encode() + b'"]', "application/json"),
    "ids of the wrong type": (
        b'{"team": 5, "user": 7, "channel": [1], "event": "' + PLANTED.encode() + b'"}',
        "application/json",
    ),
    "an action of the wrong shape": (b"payload=%7B%22team%22%3A5%2C%22actions%22%3A3%7D", FORM),
    "a payload field that is not JSON": (b"payload=%7B" + PLANTED.replace(" ", "+").encode(), FORM),
    "a payload field that is not an object": (b"payload=%5B1%5D", FORM),
}


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_quiet(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    out, err = capfd.readouterr()
    logged = "\n".join(r.getMessage() for r in caplog.records) + "".join(
        r.exc_text or "" for r in caplog.records
    )
    assert "Traceback" not in err + out + logged
    assert "PLANTED" not in err + out + logged
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def still_serving(slack: SlackWorld) -> None:
    health = slack.sender.url.removesuffix("/slack/events") + "/healthz"
    with urllib.request.urlopen(health, timeout=5) as answer:
        assert answer.status == 200
    assert slack.engine.questions == []


@pytest.mark.parametrize("sign", [signed, unsigned], ids=["signed", "unsigned"])
@pytest.mark.parametrize("kind", list(BODIES))
def test_a_body_bolt_cannot_parse_gets_400(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], kind: str, sign
) -> None:
    body, content_type = BODIES[kind]

    status = raw_post(slack.sender.url, sign(body, content_type), body)

    assert status == 400
    still_serving(slack)
    assert_quiet(quiet, capfd)


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", " 12"])
def test_a_content_length_that_is_not_a_count_gets_400(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], length: str
) -> None:
    body = b'{"event": {"text": "' + PLANTED.encode() + b'"}}'

    status = raw_post(slack.sender.url, {**signed(body), "Content-Length": length}, body)

    assert status == 400
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_body_over_the_cap_is_refused_before_it_is_sent(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    status = raw_post(slack.sender.url, unsigned(b"x" * (MAX_BODY_BYTES + 1)))  # the header alone

    assert status == 413
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_chunked_body_over_the_cap_is_refused(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    chunks = [b"x" * 65536] * (MAX_BODY_BYTES // 65536 + 4)

    status = raw_post(slack.sender.url, head, chunks=chunks)

    assert status == 413
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_timestamp_that_is_not_a_number_gets_400(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    body = b'{"type": "event_callback", "event": {"text": "' + PLANTED.encode() + b'"}}'

    status = raw_post(slack.sender.url, {**signed(body), "X-Slack-Request-Timestamp": "soon"}, body)

    assert status == 400
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_signed_question_sent_chunked_is_answered(slack: SlackWorld) -> None:
    """The cap does not turn away Slack's own deliveries, however they are framed."""
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + MEMBER,
        "user": MEMBER,
        "text": "How much notice do I have to give?",
        "ts": "1700000000.000100",
    }
    envelope = {
        "type": "event_callback",
        "team_id": TEAM,
        "api_app_id": "A0RIGHTS",
        "event": event,
        "event_id": "EvCHUNKED",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }
    body = json.dumps(envelope).encode()
    head = {**signed(body), "Transfer-Encoding": "chunked"}
    del head["Content-Length"]

    status = raw_post(slack.sender.url, head, chunks=[body[:100], body[100:]])

    assert status == 200
    slack.answer_in("D" + MEMBER, "1700000000.000100")


@pytest.mark.parametrize(
    "event",
    [b'"' + PLANTED.encode() + b'"', b"[1]", b"7", b'{"type": ["' + PLANTED.encode() + b'"]}'],
    ids=["a string", "a list", "a number", "a type that is a list"],
)
def test_a_signed_event_of_the_wrong_shape_gets_400(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], event: bytes
) -> None:
    body = b'{"type": "event_callback", "team_id": "' + TEAM.encode() + b'", "event": ' + event + b"}"

    status = raw_post(slack.sender.url, signed(body), body)

    assert status == 400
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_signature_that_is_not_ascii_gets_401(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    body = b'{"type": "event_callback", "event": {"text": "' + PLANTED.encode() + b'"}}'

    status = raw_post(slack.sender.url, {**signed(body), "X-Slack-Signature": "v0=\u00e9"}, body)

    assert status == 401
    still_serving(slack)
    assert_quiet(quiet, capfd)


def test_a_load_balancer_may_ask_for_health_with_head(slack: SlackWorld) -> None:
    health = slack.sender.url.removesuffix("/slack/events") + "/healthz"
    with urllib.request.urlopen(urllib.request.Request(health, method="HEAD"), timeout=5) as answer:
        assert answer.status == 200


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "event_callback", "team_id": "TEAM", "event": {"type": "message", "text": 5, "user": ["'
        + PLANTED.encode()
        + b'"], "channel": {"id": 1}, "ts": []}}',
        b'{"type": "event_callback", "team_id": "TEAM", "event": {"type": "app_mention", "text": {"t": "'
        + PLANTED.encode()
        + b'"}, "blocks": "x", "files": 3}}',
    ],
    ids=["ids of the wrong type inside a message", "text that is an object in a mention"],
)
def test_a_signed_event_with_fields_of_the_wrong_type_is_refused_or_ignored_quietly(
    slack: SlackWorld, quiet: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], body: bytes
) -> None:
    body = body.replace(b"TEAM", TEAM.encode())

    status = raw_post(slack.sender.url, signed(body), body)

    assert status in (200, 400)
    still_serving(slack)
    assert_quiet(quiet, capfd)
