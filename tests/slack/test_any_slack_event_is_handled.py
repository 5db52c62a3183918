"""Whatever Slack sends (any text, any shape of message event), parsing never raises and the text a
member reads survives the round trip through our escaping; long text splits into pieces that fit and
lose nothing; any reply renders as messages within Block Kit's limits. Property-based (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.reply import Citation, Reply
from bot.slack.blocks import answer_blocks, fallback, pages
from bot.slack.fake_slack import block_kit_problem
from bot.slack.model import asked_from_event, officer_reply_from_event, plain_text
from bot.slack.text import clip, decode, escape, split

ids = st.text(st.characters(codec="ascii", categories=("Lu", "Nd")), min_size=1, max_size=12)
slack_text = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["<@U1>", "<!here>", "<#C1|hr>", "<https://x.org|link>", "&amp;", "&lt;", "<", ">", "\n", " "])
        | st.text(max_size=8)
    ).map("".join),
)
files = st.lists(st.fixed_dictionaries({}, optional={"name": st.text(), "title": st.text()}), max_size=3)
MESSAGE_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "user": ids,
    "channel": ids,
    "ts": ids,
    "thread_ts": ids,
    "text": st.none() | slack_text,
    "subtype": st.sampled_from([None, "file_share", "message_changed", "bot_message", "thread_broadcast"]),
    "bot_id": st.none() | ids,
    "channel_type": st.sampled_from(["im", "channel", "group", "mpim"]),
    "files": files,
    "attachments": st.lists(st.fixed_dictionaries({}, optional={"from_url": st.text()}), max_size=2),
    "team": st.none() | ids,
    "user_team": ids,
}
events = st.fixed_dictionaries({"type": st.sampled_from(["message", "app_mention"])}, optional=MESSAGE_KEYS)
bodies = st.none() | st.fixed_dictionaries({}, optional={"is_ext_shared_channel": st.booleans()})


@given(events, bodies)
def test_any_message_event_parses_to_a_question_or_to_nothing(event: dict[str, Any], body: Any) -> None:
    asked = asked_from_event(event, body)
    if asked is not None:
        assert asked.text or asked.files
        assert asked.address.platform == "slack"


def test_a_message_without_its_ts_or_channel_is_nothing_to_answer() -> None:
    """Found by hypothesis: a KeyError inside the listener (and so a failure log) instead of nothing."""
    assert asked_from_event({"type": "message", "user": "0", "files": [{}]}) is None
    assert asked_from_event({"type": "message", "user": "U1", "ts": "1.0", "text": "hi"}) is None
    assert officer_reply_from_event({"type": "message", "user": "U1", "thread_ts": "1.0", "text": "hi"}) is None


@given(events)
def test_any_event_in_the_officers_channel_parses_to_a_reply_or_to_nothing(event: dict[str, Any]) -> None:
    officer_reply_from_event(event)


@given(st.text())
def test_what_we_send_reads_back_as_written(text: str) -> None:
    assert decode(escape(text)) == text


@given(slack_text)
def test_any_slack_text_decodes_to_plain_text(text: str) -> None:
    assert isinstance(decode(text), str)
    assert "\n\n\n" not in plain_text(text)


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_long_text_splits_into_pieces_that_fit_and_lose_nothing(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_a_clipped_label_fits(text: str, limit: int) -> None:
    assert len(clip(text, limit)) <= limit


citations = st.lists(
    st.builds(
        Citation,
        n=st.integers(1, 9),
        source_id=st.text(min_size=1, max_size=40),
        title=st.text(max_size=200),
        quote=st.text(max_size=600),
        label=st.text(max_size=300),
        url=st.none() | st.just("https://www.miphealth.org.uk/factsheet"),
    ),
    max_size=8,
)
replies = st.builds(
    Reply,
    kind=st.sampled_from(["answer", "smalltalk", "out_of_scope", "invalid_input"]),
    answer=st.text(min_size=1, max_size=6000),
    lead=st.text(max_size=600),
    points=st.lists(st.text(max_size=600), max_size=8),
    citations=citations,
    date_caveat=st.none() | st.text(max_size=400),
    disclaimer=st.text(max_size=300),
)


@given(replies, st.none() | st.integers(1, 10_000), st.none() | st.text(max_size=500), st.lists(st.text(max_size=80), max_size=3))
def test_any_reply_renders_as_messages_slack_accepts(
    reply: Reply, record_id: int | None, notice: str | None, files: list[str]
) -> None:
    for page in pages(answer_blocks(reply, record_id, notice, tuple(files))):
        assert block_kit_problem({"blocks": page, "text": fallback(page)}) is None
