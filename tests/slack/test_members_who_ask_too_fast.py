"""A member who asks faster than anyone reads is told kindly when they can ask again and how to reach
a person; an officer, or a member asking for one, is never held back."""

from __future__ import annotations

import pytest
from slack_world import MEMBER, OFFICER, OFFICERS, SlackWorld

from bot.settings import LimitsSettings, Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"limits": LimitsSettings(questions_per_minute=2)})


def ask(slack: SlackWorld, user: str, text: str, count: int) -> str:
    ts = slack.dm(user, text)
    return slack.api.wait_for("chat.postMessage", lambda p: p.get("thread_ts") == ts, count)[-1].params["text"]


def test_the_question_past_the_limit_gets_a_friendly_pause_not_silence(slack: SlackWorld) -> None:
    ask(slack, MEMBER, "What is my notice period?", 1)
    ask(slack, MEMBER, "And my holiday pay?", 1)
    said = ask(slack, MEMBER, "And sick pay?", 1)
    assert "You can ask me again in about a minute" in said
    assert "MemberAdvice@miphealth.org.uk" in said and "speak to an officer" in said
    assert [q.text for q in slack.engine.questions] == ["What is my notice period?", "And my holiday pay?"]


def test_a_limited_member_asking_for_an_officer_still_reaches_one(slack: SlackWorld) -> None:
    ask(slack, MEMBER, "What is my notice period?", 1)
    ask(slack, MEMBER, "And my holiday pay?", 1)
    ts = slack.dm(MEMBER, "Please can I speak to an officer")
    slack.answer_in("D" + MEMBER, ts)
    card = slack.card()
    assert card.params["channel"] == OFFICERS


def test_officers_are_never_limited(slack: SlackWorld) -> None:
    for n in range(4):
        said = ask(slack, OFFICER, f"What does the factsheet say about notice, part {n}?", 1)
        assert "ask me again" not in said
    assert len(slack.engine.questions) == 4
