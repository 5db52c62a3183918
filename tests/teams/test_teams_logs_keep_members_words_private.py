"""Nothing a member writes reaches the logs, at any level: not from our handlers, and not from the
Agents SDK, which logs an unrouted message's text and a failed turn's exception text."""

from __future__ import annotations

import logging

import pytest
from teams_world import MEMBER, TeamsWorld, personal

SECRET_WORDS = "my manager Priya Zebedee-Quartz"


def test_members_words_never_reach_the_logs(teams: TeamsWorld, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    teams.dm(f"Can they make me redundant? {SECRET_WORDS} says so")
    teams.answer_in(personal(MEMBER))
    teams.dm(f"this will crash: {SECRET_WORDS}")
    teams.messages_in(personal(MEMBER), count=2)
    teams.dm(f"I'm being dismissed by {SECRET_WORDS}")
    teams.teams_card()

    assert "Zebedee" not in caplog.text
    assert any(record.name.startswith("rightsbot") for record in caplog.records)  # logging did happen
