"""The officers' desk, channel-neutral: escalations, claims, relays and card delivery.

Public face: `Desk` (and its results), the interfaces channels implement (`MemberChannel`,
`OfficerBoard`, with the `CardView` boards render and the `DeliveryError` they raise), the
`OfficerDirectory`, the `DeliveryWorker`, and the address and identity types.
"""

from bot.address import ConversationAddress, OfficerIdentity, Platform, account, split_account
from bot.desk.desk import Desk, is_note
from bot.desk.officers import GroupMembers, OfficerDirectory
from bot.desk.ports import CardView, DeliveryError, MemberChannel, OfficerBoard
from bot.desk.results import AskResult, ClaimResult, Relay, RelayResult, ResolveResult, Retention
from bot.desk.worker import DeliveryWorker

__all__ = [
    "AskResult",
    "CardView",
    "ClaimResult",
    "ConversationAddress",
    "DeliveryError",
    "DeliveryWorker",
    "Desk",
    "GroupMembers",
    "MemberChannel",
    "OfficerBoard",
    "OfficerDirectory",
    "OfficerIdentity",
    "Platform",
    "Relay",
    "RelayResult",
    "ResolveResult",
    "Retention",
    "account",
    "is_note",
    "split_account",
]
