"""What the desk's actions return to a channel, which renders them: the escalation acted on, and a
`notice` (plain text) to show privately to the person who acted, when there is something to say."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.escalations import Escalation


@dataclass(frozen=True)
class ClaimResult:
    """claimed: this call claimed it. notice: what to tell the officer privately (None: nothing)."""

    claimed: bool
    escalation: Escalation | None = None
    notice: str | None = None


@dataclass(frozen=True)
class ResolveResult:
    resolved: bool
    escalation: Escalation | None = None
    notice: str | None = None


class Relay(StrEnum):
    RELAYED = "relayed"  # the member has it
    NOTE = "note"  # "note: ..." stays among officers
    NOT_A_CARD = "not_a_card"  # a reply under something that is not an escalation card
    NOT_AN_OFFICER = "not_an_officer"  # kept on the board; the writer is told privately
    FAILED = "failed"  # the member's channel refused it; the officer should send it again


@dataclass(frozen=True)
class RelayResult:
    outcome: Relay
    escalation: Escalation | None = None
    notice: str | None = None


@dataclass(frozen=True)
class AskResult:
    """created: a new escalation was opened (the member has been told, the card sent)."""

    created: bool
    escalation: Escalation | None = None
    notice: str | None = None


@dataclass(frozen=True)
class Retention:
    escalation_days: int = 365  # escalations (after their last activity) and feedback
    answer_days: int = 30  # answer records, kept so their buttons work
