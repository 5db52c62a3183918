"""Rendering stays within Slack's limits and escapes what Slack would read as markup."""

from __future__ import annotations

from bot.fakes import CITATIONS, cited_answer
from bot.reply import Reply
from bot.slack.blocks import MAX_BLOCKS, SECTION_LIMIT, answer_blocks, escape


def section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_a_long_answer_is_split_into_sections_within_the_limit() -> None:
    long = "\n\n".join(["A paragraph of advice. " * 60] * 6)

    blocks = answer_blocks(Reply(answer=long), record_id=1)

    assert len(section_texts(blocks)) > 1
    assert all(len(text) <= SECTION_LIMIT for text in section_texts(blocks))


def test_many_sources_never_pass_fifty_blocks_and_keep_the_buttons() -> None:
    reply = cited_answer().model_copy(update={"citations": CITATIONS * 40, "points": ["point [1]."] * 10})

    blocks = answer_blocks(reply, record_id=1)

    assert len(blocks) <= MAX_BLOCKS and blocks[-1]["type"] == "actions"


def test_markup_from_the_engine_is_escaped() -> None:
    assert escape("<@U123> & <!channel>") == "&lt;@U123&gt; &amp; &lt;!channel&gt;"
