"""What the Slack handlers need, built once in app.py from the shared Services and handed to each module."""

from __future__ import annotations

from dataclasses import dataclass

from bot.address import OfficerIdentity
from bot.dedupe import SeenKeys
from bot.desk import Desk
from bot.feedback import FeedbackStore
from bot.limits import QuestionLimits
from bot.reply import Engine
from bot.settings import SlackSettings
from bot.slack.member_teams import MemberTeams

PLATFORM = "slack"


@dataclass(frozen=True)
class SlackDeps:
    engine: Engine
    desk: Desk
    feedback: FeedbackStore
    seen: SeenKeys
    member_teams: MemberTeams
    slack: SlackSettings
    limits: QuestionLimits
    retention_days: int = 365

    @property
    def officers_channel(self) -> str | None:
        return self.slack.officers_channel

    @property
    def answer_retention_days(self) -> int:
        return self.slack.answer_retention_days

    def person(self, user_id: str) -> OfficerIdentity:
        """A Slack user as the desk knows them (an officer identity, or just their account)."""
        return self.desk.identify(PLATFORM, user_id)

    def first_time(self, key: str) -> bool:
        """Claim a Slack key (an event id, a message) in the shared database: exactly one replica wins."""
        return self.seen.first_sighting(PLATFORM, key)
