"""Adaptive Cards (schema 1.5) and Teams message extras for replies and officers' cards. Pure: data
in, dicts out.

An answer is one message: an Adaptive Card with the answer (its `[n]` markers kept), the sources,
the date caveat, the general-information line and an "Ask an officer" button; plus Teams' message
entity (the AI-generated label and one citation per source, `position` = the `[n]` it backs) and
`channelData.feedbackLoop` for Teams' own thumbs up/down. Limits from Teams' AI-content docs:
citation name 80 characters, abstract 160, at most 3 keywords of 28.
"""

from __future__ import annotations

from typing import Any

from bot.address import OfficerIdentity
from bot.desk import texts
from bot.desk.ports import CardView
from bot.reply import Citation, Reply

Json = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
ACTION = "rightsbot"  # the key in an Action.Submit's data that says which of our buttons it was
ASK_OFFICER, CLAIM, RESOLVE = "ask_officer", "claim", "resolve"
MAX_SOURCES = 8
QUOTE_LIMIT = 300



def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_block(text: str, **style: Any) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def adaptive_card(body: list[Json], actions: list[Json] | None = None) -> Json:
    card: Json = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    return card


def attachment(card: Json) -> Json:
    return {"contentType": CARD_TYPE, "content": card}


def submit(title: str, action: str, style: str | None = None, **data: str) -> Json:
    button: Json = {"type": "Action.Submit", "title": title, "data": {ACTION: action, **data}}
    if style:
        button["style"] = style
    return button


# --- answers ---


def answer_text(reply: Reply) -> str:
    """The lead and the key points as Markdown, or the plain answer when the engine gave no structure."""
    if not reply.lead and not reply.points:
        return reply.answer
    bullets = "\n".join(f"- {point}" for point in reply.points)
    return "\n\n".join(part for part in (reply.lead, bullets) if part)


def source_line(citation: Citation) -> str:
    name = citation.label or citation.title
    return f"[{citation.n}] [{name}]({citation.url})" if citation.url else f"[{citation.n}] {name}"


def source_blocks(citations: list[Citation]) -> list[Json]:
    if not citations:
        return []
    blocks = [text_block("Sources", weight="Bolder", spacing="Medium")]
    for citation in citations[:MAX_SOURCES]:
        blocks.append(text_block(source_line(citation), size="Small", spacing="Small"))
        quote = clip(citation.quote, QUOTE_LIMIT)
        blocks.append(text_block(f"“{quote}”", size="Small", isSubtle=True, spacing="None"))
    return blocks


def answer_card(reply: Reply, answer_id: int | None, notice: str | None = None) -> Json:
    """The whole answer; "Ask an officer" only when it has an answer record and was not handed over
    already (`notice` is then the hand-over line with the reference)."""
    body = [text_block(answer_text(reply))]
    body += source_blocks(reply.citations)
    if reply.date_caveat:
        body.append(text_block(f"⚠ {reply.date_caveat}", color="Warning", spacing="Medium"))
    if notice:
        body.append(text_block(notice, weight="Bolder", spacing="Medium"))
    if reply.disclaimer:
        body.append(text_block(reply.disclaimer, size="Small", isSubtle=True, spacing="Medium"))
    actions = []
    if answer_id is not None and notice is None:
        actions.append(submit("Ask an officer", ASK_OFFICER, style="positive", answer_id=str(answer_id)))
    return adaptive_card(body, actions)


def citation_claim(citation: Citation) -> Json:
    appearance: Json = {
        "@type": "DigitalDocument",
        "name": clip(citation.title or citation.label, 80),
        "abstract": clip(citation.quote, 160),
    }
    if citation.url:
        appearance["url"] = citation.url
    if citation.publication:
        appearance["keywords"] = [clip(citation.publication, 28)]
    return {"@type": "Claim", "position": citation.n, "appearance": appearance}


def message_entity(citations: list[Citation]) -> Json:
    """Teams' AI-generated label, with one citation per source; Teams links `[n]` to position n."""
    entity: Json = {
        "type": "https://schema.org/Message",
        "@type": "Message",
        "@context": "https://schema.org",
        "additionalType": ["AIGeneratedContent"],
    }
    if citations:
        entity["citation"] = [citation_claim(c) for c in citations[:MAX_SOURCES]]
    return entity


def answer_message(reply: Reply, answer_id: int | None, notice: str | None = None) -> Json:
    """The activity fields of an answer: card, entities, feedback buttons, and a notification summary."""
    return {
        "type": "message",
        "summary": clip(reply.lead or reply.answer, 200),
        "attachments": [attachment(answer_card(reply, answer_id, notice))],
        "entities": [message_entity(reply.citations)],
        "channelData": {"feedbackLoop": {"type": "default"}},
    }


def handed_over_note(reference: str, note: str | None = None) -> str:
    told = note or "I have passed your question to a national officer."
    return f"{told} A national officer will pick it up here. Reference: {reference}"


def apology(reference: str | None) -> str:
    if reference is None:
        return (
            "Sorry, something went wrong on my side and I could not pass your question on. "
            "Please try again in a few minutes, or email MemberAdvice@miphealth.org.uk."
        )
    return (
        "Sorry, something went wrong on my side while answering. I have passed your question to a "
        f"national officer, who will reply here. Reference: {reference}"
    )


# --- officers' cards ---


def person(officer: OfficerIdentity | None) -> str:
    if officer is None:
        return "a national officer"
    return officer.name or officer.officer_id


def status_line(card: CardView) -> str:
    if card.status == "resolved":
        return f"✅ Resolved by {person(card.resolved_by)}"
    if card.status == "claimed":
        return f"👀 Claimed by {person(card.claimed_by)}"
    return "🔴 Open: waiting for an officer"


def reason_text(reason: str) -> str:
    return texts.reason_text(reason)


def officer_card(card: CardView) -> Json:
    facts = [
        {"title": "From", "value": f"a member in {card.member.platform.title()}"},
        {"title": "Reason", "value": reason_text(card.reason)},
        {"title": "Status", "value": status_line(card)},
    ]
    body = [
        text_block(f"Escalation {card.reference}", size="Large", weight="Bolder"),
        {"type": "FactSet", "facts": facts},
        text_block("Question", weight="Bolder", spacing="Medium"),
        text_block(clip(card.question, 2500)),
        *draft_blocks(card.draft),
    ]
    if card.external:
        body.append(text_block("People outside the union can see this conversation.", color="Attention"))
    body.append(
        text_block(
            "Your replies in this card's thread go to the member. Start a reply with note: to keep it here.",
            size="Small",
            isSubtle=True,
        )
    )
    return adaptive_card(body, officer_actions(card))


def draft_blocks(draft: Reply | None) -> list[Json]:
    if draft is None:
        return [text_block("No draft answer.", isSubtle=True)]
    blocks = [
        text_block("Bot's draft answer", weight="Bolder", spacing="Medium"),
        text_block(clip(answer_text(draft), 2500)),
    ]
    lines = [source_line(c) for c in draft.citations[:MAX_SOURCES]]
    if lines:
        blocks.append(text_block("Sources: " + " · ".join(lines), size="Small", isSubtle=True))
    return blocks


def officer_actions(card: CardView) -> list[Json]:
    actions = []
    if card.status == "open":
        actions.append(submit("Claim", CLAIM, style="positive", reference=card.reference))
    if card.status != "resolved":
        actions.append(submit("Resolve", RESOLVE, reference=card.reference))
    return actions


def officer_message(card: CardView) -> Json:
    return {
        "type": "message",
        "summary": f"Escalation {card.reference} ({card.status})",
        "attachments": [attachment(officer_card(card))],
    }


def relay_text(text: str, officer: OfficerIdentity, reference: str) -> str:
    """An officer's reply as the member sees it: who, then their words."""
    return f"**{person(officer)}** · national officer · {reference}\n\n{text}"


def member_added_text(reference: str, author: str, text: str, attachments: tuple[str, ...] = ()) -> str:
    platform = author.partition(":")[0]
    unread = f"\n\n(Files not read by the bot: {', '.join(attachments)})" if attachments else ""
    return f"{reference}: the member (in {platform.title()}) added:\n\n{text}{unread}"
