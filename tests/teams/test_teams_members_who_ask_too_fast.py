"""In Teams too (the same check, in the same shared database): past the limit a member is told when
they can ask again and how to reach a person, and a request for an officer still reaches one."""

from __future__ import annotations

import pytest
from teams_world import MEMBER, TeamsWorld, personal

from bot.settings import LimitsSettings, Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"limits": LimitsSettings(questions_per_minute=2)})


def test_the_question_past_the_limit_gets_a_friendly_pause(teams: TeamsWorld) -> None:
    teams.dm("What is my notice period?")
    teams.answer_in(personal(MEMBER))
    teams.dm("And my holiday pay?")
    teams.answer_in(personal(MEMBER), count=2)
    teams.dm("And sick pay?")
    paused = teams.messages_in(personal(MEMBER), count=3)[-1]
    assert paused.card is None
    assert "You can ask me again in about a minute" in paused.text
    assert "MemberAdvice@miphealth.org.uk" in paused.text
    assert len(teams.engine.questions) == 2


def test_a_limited_member_asking_for_an_officer_still_reaches_one(teams: TeamsWorld) -> None:
    for n, text in enumerate(["What is my notice period?", "And my holiday pay?"], 1):
        teams.dm(text)
        teams.answer_in(personal(MEMBER), count=n)
    teams.dm("Please can I speak to an officer")
    assert teams.teams_card() is not None
    assert teams.engine.questions[-1].text == "Please can I speak to an officer"
