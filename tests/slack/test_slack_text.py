"""Slack text in and out (bot/slack/text.py): what Slack sends read as a person reads it, and plain
text written back escaped exactly once."""

from __future__ import annotations

import pytest

from bot.slack.model import plain_text, strip_mentions
from bot.slack.text import decode, escape, split


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("T&amp;Cs", "T&Cs"),
        ("3 &lt; 5 &gt; 4", "3 < 5 > 4"),
        ("they typed &amp;lt; literally", "they typed &lt; literally"),  # decoded once, not twice
        ("<mailto:hr@trust.nhs.uk|hr@trust.nhs.uk>", "hr@trust.nhs.uk"),
        ("<mailto:hr@trust.nhs.uk|HR team>", "HR team (hr@trust.nhs.uk)"),
        ("<https://a.org/x?a=1&amp;b=2|T&amp;Cs>", "T&Cs (https://a.org/x?a=1&b=2)"),
        ("<https://a.org/x>", "https://a.org/x"),
        ("<https://a.org|https://a.org>", "https://a.org"),
        ("<#C0HR|hr-news> and <#C0HR>", "#hr-news and #C0HR"),
        ("<@U1|sam> and <@U2>", "@sam and @U2"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!subteam^S01|@officers>", "@officers"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"),
        ("", ""),
    ],
)
def test_slack_text_is_read_as_a_person_sees_it(sent: str, read: str) -> None:
    assert decode(sent) == read


@pytest.mark.parametrize("typed", ["T&Cs", "3 < 5", "a &amp; b", "<not a link>", "&&<<>>", "plain"])
def test_escaping_what_was_decoded_gives_back_what_slack_sent(typed: str) -> None:
    sent = escape(typed)  # what Slack sends for what the person typed

    assert decode(sent) == typed and escape(decode(sent)) == sent


def test_mentions_are_dropped_and_paragraphs_kept() -> None:
    sent = "<@UBOT>  Dear HR,\n\n\n\nMy T&amp;Cs   say <@U2>:\nthree days."

    assert plain_text(sent) == "Dear HR,\n\nMy T&Cs say :\nthree days."
    assert strip_mentions(sent) == "Dear HR, My T&Cs say : three days."


def test_split_prefers_paragraphs_then_lines_then_sentences() -> None:
    text = "First para.\n\n" + "Line one is here.\n" * 3 + "A sentence. Another one. " * 3

    assert split(text, 40)[0] == "First para.\n\n"
    assert split("One. Two. Three.", 10) == ["One. Two. ", "Three."]
    assert "".join(split(text, 40)) == text.strip()
    assert split("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    with pytest.raises(ValueError):
        split("x", 0)
