"""Block Kit rendering of replies, escalation cards, queues. Pure functions: data in, dicts out.

Text arrives here as plain text and is escaped once (`text.escape`), except Slack mrkdwn we pass
through unchanged (an officer's reply). Slack's limits (docs.slack.dev/reference/block-kit): 3,000
characters per section text, 2,000 per context element and 10 elements per context block, 12,000 for
all markdown blocks of one message together, 75 per button label, 2,000 per button value, 50 blocks
per message, 40,000 for a message's `text`. Long text is split across blocks (`text.split`), and
blocks across messages (`pages`); nothing anyone wrote is cut.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk import texts
from bot.desk.ports import CardView
from bot.escalations import Status, utcnow
from bot.reply import Citation, Reply
from bot.slack.text import clip, escape, split

__all__ = ["clip", "escape"]  # the text helpers handlers use, re-exported beside the blocks

Block = dict[str, Any]

SECTION_LIMIT = 3000
CONTEXT_LIMIT = 2000
MARKDOWN_LIMIT = 12000  # all markdown blocks of one message together
TEXT_LIMIT = 40000  # a message's `text`; Slack truncates beyond it
MAX_BLOCKS = 50
MAX_SOURCES = 8

HELPFUL, NOT_HELPFUL, ASK_OFFICER, SHARE = (
    "feedback_helpful",  # the buttons before native feedback buttons; kept so older answers still work
    "feedback_not_helpful",
    "ask_officer",
    "share_answer",
)
FEEDBACK = "answer_feedback"  # Slack's native feedback_buttons under an answer
CLAIM, RESOLVE = "escalation_claim", "escalation_resolve"



# --- small builders ---


def section(text: str) -> Block:
    """One section of short mrkdwn we wrote ourselves; anything longer goes through `sections`."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def sections(mrkdwn: str) -> list[Block]:
    """Long mrkdwn as as many sections as it needs, cut at paragraph, line or sentence boundaries."""
    return [section(piece) for piece in split(mrkdwn, SECTION_LIMIT)]


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(t, CONTEXT_LIMIT)} for t in texts[:10]],
    }


def contexts(mrkdwn: str) -> list[Block]:
    """Long small print (a source's quote) as as many context blocks as it needs."""
    return [context(piece) for piece in split(mrkdwn, CONTEXT_LIMIT)]


def markdown(text: str) -> Block:
    """Standard markdown, which Slack renders itself: the block Slack made for AI apps' answers."""
    return {"type": "markdown", "text": text}


def plain_text(text: str, limit: int) -> dict[str, Any]:
    """plain_text is shown as written: no mrkdwn, no escaping; labels are short by design."""
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain_text(label, 75),
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def feedback_buttons(record_id: int) -> Block:
    """Slack's native thumbs under an answer; the pressed button's value says which, and which answer."""

    def choice(label: str, vote: str) -> dict[str, Any]:
        return {"text": plain_text(label, 75), "value": f"{vote}:{record_id}", "accessibility_label": label}

    return {
        "type": "context_actions",
        "block_id": "answer_feedback",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": FEEDBACK,
                "positive_button": choice("Helpful", "helpful"),
                "negative_button": choice("Not helpful", "not_helpful"),
            }
        ],
    }


def fit(blocks: list[Block]) -> list[Block]:
    """Keep the last block (the buttons) when a message that cannot be split would pass 50 blocks."""
    return blocks if len(blocks) <= MAX_BLOCKS else [*blocks[: MAX_BLOCKS - 1], blocks[-1]]


def pages(blocks: list[Block]) -> list[list[Block]]:
    """Blocks cut, in order, into messages Slack accepts: at most 50 blocks and 12,000 characters of
    markdown each. The buttons at the end travel with the last message."""
    found: list[list[Block]] = [[]]
    markdown_chars = 0
    for block in blocks:
        size = len(block["text"]) if block["type"] == "markdown" else 0
        if len(found[-1]) >= MAX_BLOCKS or (found[-1] and markdown_chars + size > MARKDOWN_LIMIT):
            found.append([])
            markdown_chars = 0
        found[-1].append(block)
        markdown_chars += size
    return found


def fallback(blocks: list[Block]) -> str:
    """A message's `text` (notifications, screen readers, thread history): its main text, already mrkdwn."""
    main = [b["text"] if b["type"] == "markdown" else b["text"]["text"] for b in blocks if _is_main(b)]
    small = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    return clip("\n\n".join(main or small), TEXT_LIMIT)


def _is_main(block: Block) -> bool:
    return block["type"] == "markdown" or (block["type"] == "section" and "text" in block)


# --- answers ---


def has_information(reply: Reply) -> bool:
    """Whether the reply says something of its own, beyond handing over (the thing worth rating)."""
    if reply.kind != "answer":
        return True
    return bool(reply.lead or reply.points or not reply.escalate)


def answer_body(reply: Reply) -> str:
    """The lead and the key points as mrkdwn, or the plain answer when the engine gave no structure."""
    if not reply.lead and not reply.points:
        return escape(reply.answer)
    bullets = [f"• {escape(point)}" for point in reply.points]
    return "\n\n".join(part for part in [escape(reply.lead), "\n".join(bullets)] if part)


def answer_markdown(reply: Reply) -> str:
    """The lead and the key points as standard markdown (a real list), for the markdown block.

    &, < and > are written as entities: Slack still reads its own <...> tokens inside a markdown
    block, and shows the entities as the characters (measured by others against a real workspace,
    github.com/PostHog/posthog/pull/95054). No links go in here: an entity in a link's address is
    not decoded."""
    bullets = [f"- {escape(point)}" for point in reply.points]
    return "\n\n".join(part for part in [escape(reply.lead), "\n".join(bullets)] if part)


def body_blocks(reply: Reply) -> list[Block]:
    if not has_information(reply):
        return []  # a hand-over with nothing found: the hand-over notice says it all
    if reply.kind == "answer" and (reply.lead or reply.points):
        text = answer_markdown(reply)
        if len(text) <= MARKDOWN_LIMIT:
            return [markdown(text)]
    return sections(answer_body(reply))


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
        blocks += contexts(f"{source_line(citation)}\n“{escape(citation.quote)}”")
    return blocks


def answer_blocks(
    reply: Reply, record_id: int | None, notice: str | None = None, files: tuple[str, ...] = ()
) -> list[Block]:
    """The full answer in a member's thread, with what happens next said once, and buttons only when
    they make sense: rating when there is an answer to rate, "Ask an officer" when it is not with one.

    `notice` is the hand-over line when the question went to an officer; `files` are attachments
    that came with the question, which the bot did not read. May pass 50 blocks: post with `pages`."""
    blocks = body_blocks(reply)
    if reply.kind == "answer":
        blocks += source_blocks(reply.citations)
        if reply.date_caveat:
            blocks += contexts(f":warning: {escape(reply.date_caveat)}")
    if reply.disclaimer and has_information(reply):
        blocks += contexts(escape(reply.disclaimer))
    if notice:
        blocks += sections(notice)
    if files:
        blocks += contexts(files_not_read(files))
    return blocks + answer_buttons(reply, record_id, offer_officer=notice is None)


def answer_buttons(reply: Reply, record_id: int | None, offer_officer: bool) -> list[Block]:
    if record_id is None or reply.kind in ("smalltalk", "invalid_input"):
        return []
    buttons: list[Block] = []
    if reply.kind == "answer" and has_information(reply):
        buttons.append(feedback_buttons(record_id))
    if offer_officer:
        buttons.append(
            actions("answer_actions", button("Ask an officer", ASK_OFFICER, str(record_id), style="primary"))
        )
    return buttons


def escalation_note(reference: str, note: str | None = None) -> str:
    """What happens next, said once: who has the question, where they will reply, the reference."""
    told = (
        f"{escape(note)} They will reply here in this thread."
        if note
        else "I have passed your question to a national officer, who will reply here in this thread."
    )
    return f":raising_hand: {told} Your reference is *{reference}*."


def apology_text(reference: str) -> str:
    return (
        "Sorry, something went wrong on my side while answering. I have passed your question to a national "
        f"officer, who will reply here in this thread. Reference: *{reference}*"
    )


# --- attachments the bot cannot read ---


def _names(files: tuple[str, ...]) -> str:
    return ", ".join(f"_{escape(name)}_" for name in files)


def files_not_read(files: tuple[str, ...]) -> str:
    return (
        f":paperclip: I can't read attachments, so I have not read {_names(files)}. If it matters to "
        "your question, paste the relevant part here as a message."
    )


def files_not_relayed(files: tuple[str, ...]) -> str:
    return (
        f":paperclip: {_names(files)} stayed here: attachments are not sent to the member. "
        "Paste the part they need into a reply."
    )


FILES_ONLY = (
    "I can't read attachments or shared messages, so I have not read {names}. To get an answer, paste "
    "the relevant text here as a message (leave out anything personal that isn't needed), or ask "
    "me your question in your own words."
)
OFFER_OFFICER = " If you would rather a national officer looked at it, press “Ask an officer”."


def files_only_text(files: tuple[str, ...], offer_officer: bool = True) -> str:
    """The whole reply to a message that is only attachments, as plain text (for the stores)."""
    return FILES_ONLY.format(names=", ".join(files)) + (OFFER_OFFICER if offer_officer else "")


def files_only_blocks(files: tuple[str, ...], record_id: int | None) -> list[Block]:
    """The "Ask an officer" button (and the sentence offering it) only with an answer record."""
    said = FILES_ONLY.format(names=_names(files)) + (OFFER_OFFICER if record_id is not None else "")
    blocks = [section(":paperclip: " + said)]
    if record_id is not None:
        blocks.append(
            actions("answer_actions", button("Ask an officer", ASK_OFFICER, str(record_id), style="primary"))
        )
    return blocks


# --- the /rights quick answer and sharing it ---


def quick_answer_blocks(reply: Reply, record_id: int | None) -> list[Block]:
    """Short and private: the rule and its top citation, plus a button to share it. A hand-over with
    nothing found shows nothing here: the caller says where to go instead."""
    if not has_information(reply):
        return []
    rule = reply.lead or (reply.points[0] if reply.points else reply.answer)
    blocks = sections(escape(rule))
    if reply.citations:
        top = reply.citations[0]
        blocks += contexts(f"{source_line(top)}\n“{escape(top.quote)}”")
    if reply.disclaimer:
        blocks += contexts(escape(reply.disclaimer))
    if record_id is not None and reply.kind == "answer":
        blocks.append(actions("quick_actions", button("Share in channel", SHARE, str(record_id))))
    return blocks


def shared_answer_blocks(reply: Reply, question: str, sharer: str) -> list[Block]:
    blocks = contexts(f"Shared by <@{sharer}> · _{escape(question)}_")
    blocks += quick_answer_blocks(reply, record_id=None)
    return blocks


def shared_answer_text(reply: Reply, sharer: str) -> str:
    return clip(f"Shared by <@{sharer}>: {escape(reply.lead or reply.answer)}", TEXT_LIMIT)


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
    return escape(texts.reason_text(reason))


EXTERNAL = (
    ":warning: *External*: people from another organisation are in this conversation (Slack Connect). "
    "Keep the member's details out of it."
)


def card_blocks(card: CardView, permalink: str | None) -> list[Block]:
    link = f"<{permalink}|open the member's thread>" if permalink else "(thread link unavailable)"
    blocks: list[Block] = [
        {"type": "header", "text": plain_text(f"Escalation {card.reference}", 150)},
        section(f"*From* {member(card.member)} · {link}\n*Reason* {reason_text(card.reason)}"),
        *([section(EXTERNAL)] if card.external else []),
        section("*Question*"),
        *[section(quoted(piece)) for piece in split(escape(card.question), SECTION_LIMIT // 2)],
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
    blocks = sections(f"*Bot's draft answer*\n{answer_body(draft)}")
    lines = [source_line(citation) for citation in draft.citations[:MAX_SOURCES]]
    if lines:
        blocks += contexts("*Sources* " + " · ".join(lines))
    return blocks


def quoted(mrkdwn: str) -> str:
    """Mrkdwn as a block quote, every line of it (at most doubles its length: keep pieces short)."""
    return "\n".join(">" + line for line in mrkdwn.splitlines() or [""])


def member_added_text(reference: str, who: str, text: str, files: tuple[str, ...]) -> str:
    """`who` is mrkdwn already (a mention); `text` is plain, escaped here once."""
    return clip(f"{reference}: {who} added: {escape(text) or '(attachments only)'}", TEXT_LIMIT)


def member_added_blocks(reference: str, who: str, text: str, files: tuple[str, ...]) -> list[Block]:
    """What a member adds in an escalated thread, under the card: their words, and any attachments
    named (the bot cannot pass files on, so the officer knows to ask for the text). `who` is mrkdwn
    already (a mention); `text` is plain, escaped here once."""
    blocks = [context(f"{reference} · {who} added in their thread")]
    blocks += sections(escape(text))
    if files:
        blocks += contexts(f":paperclip: They also attached {_names(files)}, which I cannot pass on.")
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
