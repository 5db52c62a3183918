"""Logs carry event types, ids and timings; never what members or officers wrote, nor tokens."""

from __future__ import annotations

import json
import logging
import sys
import time
from urllib.parse import urlencode

import pytest
from slack_world import MEMBER, OFFICER, SECRET, SlackWorld

from bot.slack.fake_slack import TEAM, is_relay

FORM = "application/x-www-form-urlencoded"

SECRET_WORDS = "my manager bullied me about my cancer treatment"


def test_no_log_line_contains_a_question_an_officer_reply_or_a_token(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    asked = slack.dm(MEMBER, f"{SECRET_WORDS}, can they dismiss me?")
    slack.answer_in("D" + MEMBER, asked)
    card = slack.card()
    slack.reply_in_card_thread(OFFICER, card.response["ts"], f"Re {SECRET_WORDS}: call me")
    slack.api.wait_for("chat.postMessage", is_relay)
    slack.dm(MEMBER, f"More: {SECRET_WORDS}", thread_ts=asked)  # goes under the officers' card
    slack.api.wait_for("chat.postMessage", lambda p: p["text"].startswith("I've added this"))
    slack.answer_in("D" + MEMBER, slack.dm(MEMBER, f"{SECRET_WORDS} and now it will crash"))
    slack.app.listener_runner.listener_executor.shutdown(wait=True)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "slack request kind=message" in logged and "answered dm=True" in logged
    assert "answer failed error=RuntimeError" in logged
    for private in (SECRET_WORDS, "xoxb-test", SECRET):
        assert private not in logged


PLANTED = "PLANTED they cut my hours after my miscarriage"
REFUSED = {
    "stale": {"timestamp": int(time.time()) - 5 * 60 - 30},  # a server clock five minutes out
    "wrong secret": {"secret": "not-the-signing-secret"},
}


@pytest.mark.parametrize("how", list(REFUSED))
@pytest.mark.parametrize("kind", ["event", "slash command"])
def test_a_request_refused_for_its_signature_is_not_logged_with_its_body(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], how: str, kind: str
) -> None:
    """slack-bolt logs a refused request at INFO with its whole body; at DEBUG, with a handler that
    writes everything to stderr, the member's words still appear nowhere."""
    caplog.set_level(logging.DEBUG)
    everything = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(everything)
    try:
        if kind == "event":
            event = {"type": "message", "channel_type": "im", "channel": "D" + MEMBER, "user": MEMBER}
            body = json.dumps({"type": "event_callback", "team_id": TEAM, "event": {**event, "text": PLANTED}})
            sent = slack.sender.post(body, "application/json", **REFUSED[how])  # type: ignore[arg-type]
        else:
            fields = {"command": "/rights", "text": PLANTED, "user_id": MEMBER, "team_id": TEAM}
            sent = slack.sender.post(urlencode(fields), FORM, **REFUSED[how])  # type: ignore[arg-type]
    finally:
        logging.getLogger().removeHandler(everything)

    assert sent.status == 401
    out, err = capfd.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /slack/events 401" in logged  # the refusal is logged, without its body
    for where in (logged, out, err, sent.body):
        assert "PLANTED" not in where and "miscarriage" not in where.replace("+", " ")
    assert slack.engine.questions == []
