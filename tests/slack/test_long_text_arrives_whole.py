"""Nothing an officer, a member or the engine writes is cut off: long text is split across blocks (or
messages) at line or sentence boundaries, within Slack's limits (the fake Slack refuses anything past them)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from slack_world import CHANNEL, MEMBER, OFFICER, OFFICERS, SlackWorld, slack_world
from test_member_gets_answer_in_thread import action_ids, texts

from bot.address import ConversationAddress
from bot.fakes import CITATIONS
from bot.reply import Question, Reply
from bot.settings import Settings
from bot.slack.blocks import answer_blocks, card_blocks, pages
from bot.slack.fake_slack import FakeSlackApi
from bot.slack.text import split
from bot.wiring import Stores

SENTENCE = "Your employer must follow the agreed procedure and consult you before any change is made. "


def words(text: str) -> list[str]:
    return text.split()


def relayed_to_member(slack: SlackWorld) -> list[dict]:
    calls = slack.api.wait_for(
        "chat.postMessage", lambda p: p["channel"] == CHANNEL and "national officer ·" in str(p.get("blocks"))
    )
    return calls[0].params["blocks"]


def escalated_card(slack: SlackWorld) -> str:
    slack.mention(MEMBER, "They want to dismiss me on Friday")
    return slack.card().response["ts"]


def test_an_officers_3500_character_reply_with_no_blank_line_reaches_the_member_whole(
    slack: SlackWorld,
) -> None:
    reply = (SENTENCE * 40)[:3500].rstrip() + "."
    card_ts = escalated_card(slack)

    slack.reply_in_card_thread(OFFICER, card_ts, reply)

    shown = [b["text"]["text"] for b in relayed_to_member(slack) if b["type"] == "section"]
    assert len(shown) == 2 and all(len(text) <= 3000 for text in shown)
    assert "".join(shown) == reply  # every character, none added
    assert shown[0].endswith("made. ")  # cut at a sentence end


def test_one_over_long_word_is_the_only_thing_cut_inside(slack: SlackWorld) -> None:
    link = "https://mip.org.uk/" + "a" * 3400
    reply = f"Read this first.\n{link}\nThen tell me."
    card_ts = escalated_card(slack)

    slack.reply_in_card_thread(OFFICER, card_ts, reply)

    shown = [b["text"]["text"] for b in relayed_to_member(slack) if b["type"] == "section"]
    assert re.sub(r"\s", "", "".join(shown)) == "Readthisfirst." + link + "Thentellme."
    assert link[:3000] in shown
    assert all(len(text) <= 3000 for text in shown)


def test_a_long_question_reaches_the_officers_card_whole(slack: SlackWorld) -> None:
    question = "They want to dismiss me. " + "Here is what happened at the meeting. " * 150

    slack.dm(MEMBER, question)

    card = slack.card()
    sections = [b["text"]["text"] for b in card.params["blocks"] if b["type"] == "section"]
    quoted = [text for text in sections if text.startswith(">")]
    assert words(" ".join(quoted).replace(">", " ")).count("meeting.") == 150
    assert len(quoted) >= 2 and all(line.startswith(">") for text in quoted for line in text.splitlines())


class LongEngine:
    """An answer with many long points and long quotes, longer than one Slack message holds."""

    def answer(self, question: Question) -> Reply:
        points = [f"Point {n}: " + SENTENCE * 12 for n in range(30)]
        quotes = [
            c.model_copy(update={"quote": SENTENCE * 100, "n": n + 1}) for n, c in enumerate(CITATIONS * 4)
        ]
        return Reply(
            answer=" ".join(points),
            lead="The short answer is yes [1].",
            points=points,
            citations=quotes,
            disclaimer="General information, not advice.",
            confidence=0.9,
        )


@pytest.fixture
def long_slack(settings: Settings, api: FakeSlackApi, stores: Stores) -> Iterator[SlackWorld]:
    with slack_world(settings, api, LongEngine(), stores) as world:  # type: ignore[arg-type]
        yield world


def test_an_answer_longer_than_one_message_is_posted_in_several_with_the_buttons_last(
    long_slack: SlackWorld,
) -> None:
    ts = long_slack.dm(MEMBER, "A long one please")

    posted = long_slack.api.wait_for("chat.postMessage", lambda p: p.get("thread_ts") == ts, count=2)
    long_slack.api.wait_for("assistant.threads.setStatus", lambda p: p["status"] == "")  # all posted

    messages = long_slack.api.calls_to("chat.postMessage", lambda p: p.get("thread_ts") == ts)
    shown = "\n".join(texts(m.params["blocks"]) for m in messages)
    for n in range(30):
        assert f"Point {n}: " in shown
    assert shown.count(SENTENCE.strip()) == 30 * 12 + 8 * 100
    assert action_ids(messages[-1].params["blocks"]) == ["answer_feedback", "ask_officer"]
    assert all(action_ids(m.params["blocks"]) == [] for m in messages[:-1]) and len(posted) >= 2


def random_text(rng: random.Random, size: int) -> str:
    pieces = ["word", "T&amp;Cs", "<https://x.org/a b|a link>", "\n", "\n\n", ". ", "x" * 120, "é", "  "]
    return "".join(rng.choice(pieces) + " " for _ in range(size))


@pytest.mark.parametrize("seed", range(25))
def test_split_keeps_every_character_and_every_token_whole(seed: int) -> None:
    rng = random.Random(seed)
    text, limit = random_text(rng, rng.randint(0, 800)), rng.randint(40, 3000)

    pieces = split(text, limit)

    assert all(0 < len(p) <= limit for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)
    for piece in pieces:  # no entity or link token cut in two
        assert not re.search(r"&(?:a|am|amp|l|lt|g|gt)?$", piece) or piece.endswith(("&amp;", "&lt;", "&gt;"))
        assert piece.count("<") == piece.count(">")


def test_rendering_never_clips_and_every_page_fits() -> None:
    reply = LongEngine().answer(Question(text="q"))

    answer_pages = pages(answer_blocks(reply, record_id=1, notice="Passed on.", files=("a.pdf",)))

    for page in answer_pages:
        assert len(page) <= 50
        assert sum(len(b["text"]) for b in page if b["type"] == "markdown") <= 12000
        assert "…" not in str(page)


def test_a_card_with_a_long_draft_fits_one_message(slack: SlackWorld) -> None:
    member = ConversationAddress(platform="slack", conversation_id=CHANNEL, thread_id="1.0", user_id=MEMBER)
    escalation = slack.desk.escalate(
        member,
        Question(text="Q " * 3000),
        LongEngine().answer(Question(text="q")),
        "high_stakes",
        message_id="1.0",
    )

    shown = card_blocks(slack.desk.card_view(escalation), permalink=None)

    assert len(shown) <= 50 and "…" not in str(shown)
    assert slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS)
