"""What the Slack handlers need, built once in app.py and handed to each handler module."""

from __future__ import annotations

from dataclasses import dataclass

from bot.escalations import EscalationStore
from bot.feedback import FeedbackStore
from bot.reply import Engine
from bot.slack.desk import EscalationDesk
from bot.slack.officers_directory import OfficerDirectory


@dataclass(frozen=True)
class SlackDeps:
    engine: Engine
    escalations: EscalationStore
    feedback: FeedbackStore
    desk: EscalationDesk
    officers: OfficerDirectory
    officers_channel: str | None
    answer_retention_days: int = 30
    retention_days: int = 365
