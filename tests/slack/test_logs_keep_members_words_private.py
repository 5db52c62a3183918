"""Logs carry event types, ids and timings; never what members or officers wrote, nor tokens."""

from __future__ import annotations

import logging

import pytest
from fake_slack_api import is_relay
from slack_world import MEMBER, OFFICER, SECRET, SlackWorld

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
