"""What the desk says, as plain text: no channel's markup (no Slack mentions, no Markdown).

A channel escapes these for its own format; officers are named by their display name from the
officers' settings, never by a platform mention.
"""

from __future__ import annotations

from bot.address import OfficerIdentity
from bot.reply import EscalationReason

# --- why a case reached the officers, as every board shows it ---

REASONS = {
    EscalationReason.LOW_CONFIDENCE: "Low confidence: the guidance may not cover this",
    EscalationReason.HIGH_STAKES: "High stakes (dismissal, disciplinary, discrimination, settlement...)",
    EscalationReason.URGENT: "Urgent: a hearing or deadline is close",
    EscalationReason.ASKED_FOR_PERSON: "The member asked for a person",
    EscalationReason.MEMBER_REQUEST: "The member pressed “Ask an officer”",
    EscalationReason.FAILURE: "The bot failed while answering",
    EscalationReason.LOOKUP_UNAVAILABLE: "The knowledge base could not be searched (store down or too slow)",
}


def reason_text(reason: str) -> str:
    """The officers' wording for a stored reason; an unknown one is shown as stored (plain text)."""
    try:
        return REASONS[EscalationReason(reason)]
    except ValueError:
        return reason

# --- to the person who pressed or wrote something (shown privately) ---

NOT_AN_OFFICER = "Sorry, only national officers can do that."
NOT_RELAYED = "Only national officers' replies are sent to the member; yours stayed here."
RELAY_FAILED = "That reply did not reach the member (their channel refused it). Please send it again."
UNKNOWN_ESCALATION = (
    "Sorry, I cannot find that escalation: it may have been deleted under the retention rules."
)
EXPIRED = "Sorry, that answer is too old for its buttons to work. Please ask your question again."
ONLY_THE_ASKER = (
    "Only the member who asked can pass this question to an officer. "
    "Ask me your own question and you can do the same."
)


QUESTION_NOT_KEPT = "(The member's question was not kept; see their conversation.)"


def already_with_officer(reference: str) -> str:
    return f"This question is already with a national officer (reference {reference})."


def already_taken(reference: str, claimed_by: OfficerIdentity | None, you: OfficerIdentity) -> str:
    if claimed_by is None:
        return f"{reference} is already resolved."
    if claimed_by.officer_id == you.officer_id:
        return f"You have already claimed {reference}."
    return f"{reference} is already taken: claimed by {claimed_by.name or 'another national officer'}."


# --- to the member, in their conversation ---


def handed_over(reference: str) -> str:
    """The same words as the hand-over under an answer: who has it, where they reply, the reference."""
    return (
        "I have passed your question to a national officer, who will reply here in this thread. "
        f"Your reference is {reference}."
    )


def answer_not_delivered(reference: str) -> str:
    """When the answer could not be posted here at all (after every retry, or a refusal for good)."""
    return (
        "Sorry, I could not post my answer here. I have passed your question to a national officer, "
        f"who will reply here. Your reference is {reference}."
    )


def picked_up(reference: str, officer: OfficerIdentity) -> str:
    who = f"A national officer, {officer.name}," if officer.name else "A national officer"
    return f"{who} has picked up your question ({reference}) and will reply here."


def closed(reference: str) -> str:
    return (
        f"A national officer has closed your question ({reference}). If you need more help, just ask again."
    )


def added(reference: str, claimed_by: OfficerIdentity | None) -> str:
    if claimed_by is None:
        who = "the national officer who picks it up"
    else:
        who = claimed_by.name or "the national officer who has it"
    return f"I've added this to your question ({reference}) for {who}."


def attachments_not_read(attachments: tuple[str, ...]) -> str:
    return (
        f"I can't read attachments, so I have not read {', '.join(attachments)}. If it matters to "
        "your question, paste the relevant part here as a message."
    )
