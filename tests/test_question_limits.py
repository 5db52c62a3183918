"""The per-member question limits on their own: counted in the shared database (so replicas count
together), officers and members in trouble never limited, a clear "when" in the message, only an
account and times stored, and old rows purged."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs, Member
from bot.limits import QuestionAsked, QuestionLimits, QuestionLog, how_long
from bot.settings import LimitsSettings
from bot.storage import utcnow

START = datetime(2026, 12, 1, 9, 0, 0)
MEMBER = ConversationAddress(platform="slack", conversation_id="DU1", user_id="U1")
OTHER = ConversationAddress(platform="teams", conversation_id="a:1", user_id="29:other")
OFFICER = ConversationAddress(platform="slack", conversation_id="DU9", user_id="UOFFICER")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **by: float) -> None:
        self.now += timedelta(**by)


@pytest.fixture
def url(database_url: str) -> str:
    """SQLite, and a real PostgreSQL where one is given (the limits are shared by replicas there)."""
    return database_url


@pytest.fixture
def clock() -> Clock:
    return Clock()


def limits(url: str, clock: Clock, per_minute: int = 3, per_day: int = 5) -> QuestionLimits:
    settings = LimitsSettings(questions_per_minute=per_minute, questions_per_day=per_day)
    return QuestionLimits(QuestionLog(url), settings, lambda a: a == OFFICER, now=clock)


def test_the_question_past_the_minute_limit_is_paused_until_the_first_leaves_the_minute(
    url: str, clock: Clock
) -> None:
    check = limits(url, clock)
    for _ in range(3):
        assert check.check(MEMBER, "what is my notice period?") is None
        clock.advance(seconds=10)
    paused = check.check(MEMBER, "and my holiday?")
    assert paused is not None
    assert "in about a minute" in paused and "MemberAdvice@miphealth.org.uk" in paused
    assert "speak to an officer" in paused
    clock.advance(seconds=31)  # the first question is now more than a minute old
    assert check.check(MEMBER, "and my holiday?") is None


def test_the_day_limit_says_how_many_hours(url: str, clock: Clock) -> None:
    check = limits(url, clock, per_minute=10, per_day=5)
    for _ in range(5):
        assert check.check(MEMBER, "a question") is None
        clock.advance(minutes=30)
    paused = check.check(MEMBER, "a question")
    assert paused is not None and "in about 22 hours" in paused


def test_replicas_on_one_database_count_together(url: str, clock: Clock) -> None:
    one, two = limits(url, clock), limits(url, clock)
    assert one.check(MEMBER, "q1") is None
    assert two.check(MEMBER, "q2") is None
    assert one.check(MEMBER, "q3") is None
    assert two.check(MEMBER, "q4") is not None


def test_each_member_has_their_own_count(url: str, clock: Clock) -> None:
    check = limits(url, clock, per_minute=1)
    assert check.check(MEMBER, "q") is None
    assert check.check(MEMBER, "q") is not None
    assert check.check(OTHER, "q") is None


def test_officers_are_never_limited(url: str, clock: Clock) -> None:
    check = limits(url, clock, per_minute=1)
    assert all(check.check(OFFICER, "what does the factsheet say?") is None for _ in range(20))


@pytest.mark.parametrize(
    "text",
    [
        "I need to speak to an officer please",
        "I've been dismissed today and the appeal deadline is tomorrow",
        "can someone call me back",
    ],
)
def test_a_member_in_trouble_or_asking_for_a_person_always_gets_through(
    url: str, clock: Clock, text: str
) -> None:
    check = limits(url, clock, per_minute=1)
    check.check(MEMBER, "q")
    assert check.check(MEMBER, "another question") is not None
    assert check.check(MEMBER, text) is None


def test_a_broken_database_never_stops_an_answer(tmp_path: Path, clock: Clock) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    check = limits(url, clock)
    check.questions.engine.dispose()
    Path(url.removeprefix("sqlite:///")).unlink()
    Path(url.removeprefix("sqlite:///")).mkdir()  # the database file is now a folder: every query fails
    assert check.check(MEMBER, "q") is None


def test_only_an_account_and_times_are_stored(url: str, clock: Clock) -> None:
    check = limits(url, clock)
    check.check(MEMBER, "how much annual leave do I get?")
    assert set(QuestionAsked.__table__.columns.keys()) == {"id", "account", "asked_at"}
    assert asked_at(check.questions, "slack:U1") == ["2026-12-01T09:00:00Z"]
    assert asked_at(check.questions, "slack:U2") == []


def test_old_rows_are_purged(url: str, clock: Clock) -> None:
    log = QuestionLog(url)
    now = utcnow()
    log.record_within("slack:U1", [], now - timedelta(days=3))  # a member who never came back
    log.record_within("teams:29:x", [], now)
    # a day is all the limits need, whatever the retention period says
    assert log.purge_older_than(Cutoffs.older_than(30, now)) == {"member_questions": 1}
    assert asked_at(log, "slack:U1") == []
    assert len(asked_at(log, "teams:29:x")) == 1


def test_a_members_own_day_old_rows_go_as_they_ask_again(url: str, clock: Clock) -> None:
    check = limits(url, clock)
    check.check(MEMBER, "q")
    clock.advance(days=2)
    check.check(MEMBER, "q")
    assert len(asked_at(check.questions, "slack:U1")) == 1


def asked_at(log: QuestionLog, account: str) -> list[str | None]:
    """What a subject access request shows of one account's questions: their times."""
    return [row["asked_at"] for row in log.export_member(Member.parse(account))["member_questions"]]


def test_waits_read_as_a_member_would_say_them() -> None:
    assert how_long(timedelta(seconds=20)) == "in about a minute"
    assert how_long(timedelta(minutes=40)) == "in 40 minutes"
    assert how_long(timedelta(hours=5, minutes=10)) == "in about 5 hours"
