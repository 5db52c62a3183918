"""Block Kit rendering of replies, escalation cards, queues. Pure functions: data in, dicts out.

Slack limits kept here: 3000 characters per section text, 10 elements per context block, 75 per
button label, 2000 per button value, 50 blocks per message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk.ports import CardView
from bot.escalations import Status, utcnow
from bot.reply import Citation, EscalationReason, Reply

Block = dict[str, Any]

SECTION_LIMIT = 3000
MAX_BLOCKS = 50
MAX_SOURCES = 8
QUOTE_LIMIT = 300

HELPFUL, NOT_HELPFUL, ASK_OFFICER, SHARE = (
    "feedback_helpful",
    "feedback_not_helpful",
    "ask_officer",
    "share_answer",
)
CLAIM, RESOLVE = "escalation_claim", "escalation_resolve"

REASONS = {
    EscalationReason.LOW_CONFIDENCE: "Low confidence: the guidance may not cover this",
    EscalationReason.HIGH_STAKES: "High stakes (dismissal, disciplinary, discrimination, settlement...)",
    EscalationReason.URGENT: "Urgent: a hearing or deadline is close",
    EscalationReason.ASKED_FOR_PERSON: "The member asked for a person",
    EscalationReason.MEMBER_REQUEST: "The member pressed “Ask an officer”",
    EscalationReason.FAILURE: "The bot failed while answering",
}


# --- small builders ---


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(t, 2000)} for t in texts[:10]]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(label, 75), "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def fit(blocks: list[Block]) -> list[Block]:
    """Keep the last block (the buttons) when a message would pass Slack's block limit."""
    return blocks if len(blocks) <= MAX_BLOCKS else [*blocks[: MAX_BLOCKS - 1], blocks[-1]]


def sections(text: str) -> list[Block]:
    """Split long text into sections at paragraph breaks, each within Slack's limit."""
    chunks: list[str] = []
    for paragraph in text.split("\n\n"):
        if chunks and len(chunks[-1]) + len(paragraph) + 2 <= SECTION_LIMIT:
            chunks[-1] += "\n\n" + paragraph
        else:
            chunks.append(paragraph)
    return [section(chunk) for chunk in chunks if chunk.strip()]


# --- answers ---


def answer_body(reply: Reply) -> str:
    """The lead and the key points, or the plain answer when the engine gave no structure."""
    if not reply.lead and not reply.points:
        return escape(reply.answer)
    bullets = [f"• {escape(point)}" for point in reply.points]
    return "\n\n".join(part for part in [escape(reply.lead), "\n".join(bullets)] if part)


def source_line(citation: Citation) -> str:
    name = escape(citation.label or citation.title)
    if citation.url:
        name = f"<{citation.url}|{name.replace('|', '-')}>"
    return f"[{citation.n}] {name}"


def source_blocks(citations: list[Citation]) -> list[Block]:
    if not citations:
        return []
    blocks = [context("*Sources*")]
    for citation in citations[:MAX_SOURCES]:
        blocks.append(context(f"{source_line(citation)}\n“{escape(clip(citation.quote, QUOTE_LIMIT))}”"))
    return blocks


def answer_blocks(reply: Reply, record_id: int | None, notice: str | None = None) -> list[Block]:
    """The full answer in a member's thread; buttons only when the answer can be acted on.

    `notice` is the hand-over line when the question went to an officer (then no "Ask an officer")."""
    blocks = sections(answer_body(reply))
    if reply.kind == "answer":
        blocks += source_blocks(reply.citations)
        if reply.date_caveat:
            blocks.append(context(f":warning: {escape(reply.date_caveat)}"))
    if reply.disclaimer:
        blocks.append(context(escape(reply.disclaimer)))
    if notice:
        blocks.append(section(notice))
    buttons = answer_buttons(reply, record_id, offer_officer=notice is None)
    return fit(blocks + ([buttons] if buttons else []))


def answer_buttons(reply: Reply, record_id: int | None, offer_officer: bool) -> Block | None:
    if record_id is None or reply.kind in ("smalltalk", "invalid_input"):
        return None
    value = str(record_id)
    elements = []
    if reply.kind == "answer":
        elements += [
            button(":thumbsup: Helpful", HELPFUL, value),
            button(":thumbsdown: Not helpful", NOT_HELPFUL, value),
        ]
    if offer_officer:
        elements.append(button("Ask an officer", ASK_OFFICER, value, style="primary"))
    return actions("answer_actions", *elements) if elements else None


def escalation_note(reference: str, note: str | None = None) -> str:
    told = escape(note) if note else "I have passed your question to a national officer."
    return (
        f":raising_hand: {told} "
        f"A national officer will pick it up here in this thread. Reference: *{reference}*"
    )


def apology_text(reference: str) -> str:
    return (
        "Sorry, something went wrong on my side while answering. I have passed your question to a national "
        f"officer, who will reply here in this thread. Reference: *{reference}*"
    )


# --- the /rights quick answer and sharing it ---


def quick_answer_blocks(reply: Reply, record_id: int | None) -> list[Block]:
    """Short and private: the rule and its top citation, plus a button to share it."""
    rule = reply.lead or (reply.points[0] if reply.points else reply.answer)
    blocks = [section(escape(rule))]
    if reply.citations:
        top = reply.citations[0]
        blocks.append(context(f"{source_line(top)}\n“{escape(clip(top.quote, QUOTE_LIMIT))}”"))
    if reply.disclaimer:
        blocks.append(context(escape(reply.disclaimer)))
    if record_id is not None and reply.kind == "answer":
        blocks.append(actions("quick_actions", button("Share in channel", SHARE, str(record_id))))
    return blocks


def shared_answer_blocks(reply: Reply, question: str, sharer: str) -> list[Block]:
    blocks = [context(f"Shared by <@{sharer}> · _{escape(clip(question, 300))}_")]
    blocks += quick_answer_blocks(reply, record_id=None)
    return blocks


# --- officers: cards and the queue ---


def person(officer: OfficerIdentity | None, fallback: str = "a national officer") -> str:
    """An officer as Slack shows them: a mention when they have a Slack account, else their name."""
    if officer is None:
        return fallback
    user_id = officer.user_id_on("slack")
    if user_id:
        return f"<@{user_id}>"
    return escape(officer.name or fallback)


def member(address: ConversationAddress) -> str:
    if address.platform == "slack":
        return f"<@{address.user_id}>"
    return f"a member in {address.platform.title()}"


def status_line(card: CardView) -> str:
    if card.status == Status.RESOLVED:
        return f":white_check_mark: Resolved by {person(card.resolved_by)}"
    if card.status == Status.CLAIMED:
        return f":eyes: Claimed by {person(card.claimed_by)}"
    return ":red_circle: Open: waiting for an officer"


def reason_text(reason: str) -> str:
    try:
        return REASONS[EscalationReason(reason)]
    except ValueError:
        return reason


EXTERNAL = (
    ":warning: *External*: people from another organisation are in this conversation (Slack Connect). "
    "Keep the member's details out of it."
)


def card_blocks(card: CardView, permalink: str | None) -> list[Block]:
    link = f"<{permalink}|open the member's thread>" if permalink else "(thread link unavailable)"
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Escalation {card.reference}"}},
        section(f"*From* {member(card.member)} · {link}\n*Reason* {reason_text(card.reason)}"),
        *([section(EXTERNAL)] if card.external else []),
        section(f"*Question*\n>{escape(clip(card.question, 2500)).replace(chr(10), chr(10) + '>')}"),
        *draft_blocks(card.draft),
        section(status_line(card)),
        context(
            "Your replies in this card's thread go to the member. Start a reply with `note:` to keep it here."
        ),
    ]
    buttons = card_buttons(card)
    return fit(blocks + ([buttons] if buttons else []))


def draft_blocks(draft: Reply | None) -> list[Block]:
    if draft is None:
        return [context("No draft answer.")]
    blocks = [section(f"*Bot's draft answer*\n{clip(answer_body(draft), 2500)}")]
    lines = [source_line(citation) for citation in draft.citations[:MAX_SOURCES]]
    if lines:
        blocks.append(context("*Sources* " + " · ".join(lines)))
    return blocks


def card_buttons(card: CardView) -> Block | None:
    """Claim and Resolve carry the escalation's reference."""
    elements = []
    if card.status == Status.OPEN:
        elements.append(button("Claim", CLAIM, card.reference, style="primary"))
    if card.status != Status.RESOLVED:
        elements.append(button("Resolve", RESOLVE, card.reference))
    return actions("card_actions", *elements) if elements else None


def card_text(card: CardView) -> str:
    external = ", external" if card.external else ""
    return f"Escalation {card.reference} ({card.status}{external})"


def age(created_at: datetime, now: datetime | None = None) -> str:
    minutes = int(((now or utcnow()) - created_at).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def queue_line(card: CardView, now: datetime | None = None) -> str:
    who = f"claimed by {person(card.claimed_by)}" if card.claimed_by else "unclaimed"
    return (
        f"*{card.reference}* · {age(card.created_at, now)} old · {who} · "
        f"{reason_text(card.reason)} · from {member(card.member)}"
    )


def queue_blocks(cards: list[CardView], now: datetime | None = None) -> list[Block]:
    if not cards:
        return [section("No open escalations. :tada:")]
    blocks = [section(f"*Open escalations: {len(cards)}* (oldest first)")]
    blocks += [section(queue_line(card, now)) for card in cards[:40]]
    if len(cards) > 40:
        blocks.append(context(f"…and {len(cards) - 40} more."))
    return blocks
