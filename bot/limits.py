"""Per-member question limits, shared by every channel and every replica.

A member may ask `questions_per_minute` questions in any minute and `questions_per_day` in any 24
hours (RIGHTSBOT_LIMITS__*). Past either, they are told kindly when they can ask again and how to
reach a person; never silence. The count lives in the shared SQL database, so replicas behind a load
balancer count together. What is stored is the account and the time of each question, nothing else,
and only for a day.

Never limited: officers; a member's words to an officer in a thread that is with one (the channels
pass those to the desk before asking here); and a message whose words alone show a reason to hand
over (asking for a person, an urgent or high-stakes situation of their own), because a member in
trouble must reach an officer however many questions they have asked. Those go on to the engine,
which escalates them.

Two replicas counting the same member at the same instant can each let one more through: the limit
is a courtesy brake on runaway clients and floods, not a security boundary, so no lock is taken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs, Member, iso
from bot.settings import LimitsSettings
from bot.storage import Base, SqlStore, utcnow
from bot.triage import escalation_reason

log = logging.getLogger("rightsbot.limits")

MEMBER_ADVICE = "MemberAdvice@miphealth.org.uk"
KEEP = timedelta(days=1)  # the longest window: older times count for nothing


class QuestionAsked(Base):
    __tablename__ = "member_questions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Text, index=True)  # platform:user_id
    asked_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC


@dataclass(frozen=True)
class Window:
    span: timedelta
    limit: int


class QuestionLog(SqlStore):
    """When each member asked, for the limits (account + naive UTC time per question)."""

    def record_within(self, account: str, windows: list[Window], now: datetime) -> datetime | None:
        """Records a question asked `now` and returns None when the account is within every window;
        otherwise records nothing and returns when it may ask again (naive UTC)."""
        with self._session() as session:
            session.execute(
                delete(QuestionAsked).where(
                    QuestionAsked.account == account, QuestionAsked.asked_at < now - KEEP
                )
            )
            for window in windows:
                recent = select(QuestionAsked.asked_at).where(
                    QuestionAsked.account == account, QuestionAsked.asked_at > now - window.span
                )
                times = sorted(session.scalars(recent))
                if len(times) >= window.limit:
                    # free again when enough of these have left the window to make room for one more
                    return times[len(times) - window.limit] + window.span
            session.add(QuestionAsked(account=account, asked_at=now))
        return None

    categories = {
        "member_questions": "when each member asked a question (account and time, no text), for the limits; kept a day"
    }

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]:
        """Deletes records past the cutoff, and always those older than a day (they count for nothing)."""
        before = max(cutoffs.before("member_questions"), utcnow() - KEEP)
        with self._session() as session:
            gone = session.execute(delete(QuestionAsked).where(QuestionAsked.asked_at < before))
            return {"member_questions": gone.rowcount or 0}  # type: ignore[attr-defined]

    def export_member(self, member: Member) -> dict[str, list[dict[str, Any]]]:
        """When each of the member's accounts asked, for a subject access request."""
        accounts = member.account_keys
        query = (
            select(QuestionAsked).where(QuestionAsked.account.in_(accounts)).order_by(QuestionAsked.asked_at)
        )
        with self._session() as session:
            rows = list(session.scalars(query))
        return {"member_questions": [{"account": r.account, "asked_at": iso(r.asked_at)} for r in rows]}


class QuestionLimits:
    """The one check every channel makes before answering a member's new question."""

    def __init__(
        self,
        questions: QuestionLog,
        settings: LimitsSettings,
        is_officer: Callable[[ConversationAddress], bool],
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.questions, self.is_officer, self.now = questions, is_officer, now
        self.windows = [
            Window(timedelta(minutes=1), settings.questions_per_minute),
            Window(timedelta(days=1), settings.questions_per_day),
        ]

    def check(self, address: ConversationAddress, text: str) -> str | None:
        """None: go on and answer. Otherwise what to tell the member instead (when they can ask again,
        how to reach a person). A failing database never stops an answer."""
        if escalation_reason(text) is not None or self.is_officer(address):
            return None
        now = self.now()
        try:
            free_at = self.questions.record_within(address.account, self.windows, now)
        except SQLAlchemyError as error:
            log.warning("question limits unavailable, answering anyway: %s", type(error).__name__)
            return None
        if free_at is None:
            return None
        log.info("question limit reached platform=%s", address.platform)
        return paused_text(free_at - now)


def paused_text(wait: timedelta) -> str:
    return (
        "You've asked me a lot of questions in a short time, so I'm taking a short pause. "
        f"You can ask me again {how_long(wait)}. If you need a person now, just say you'd like to speak "
        f"to an officer and I'll pass it on straight away, or email {MEMBER_ADVICE}."
    )


def how_long(wait: timedelta) -> str:
    """A wait as a member would say it: "in about a minute", "in 40 minutes", "in about 3 hours"."""
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes == 1:
        return "in about a minute"
    if minutes < 90:
        return f"in {minutes} minutes"
    return f"in about {round(minutes / 60)} hours"
