"""Slack sends &, < and > as &amp;, &lt; and &gt;: the bot reads them as the characters and writes
them back escaped exactly once, wherever text is shown (answers, cards, relays, /rights, App Home)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_world import CHANNEL, MEMBER, OFFICER, OFFICERS, SlackWorld, slack_world
from test_member_gets_answer_in_thread import texts

from bot.reply import Question, Reply
from bot.settings import Settings
from bot.slack.fake_slack import BOT_USER, FakeSlackApi
from bot.wiring import Stores

TANDC = "I want to speak to a person about my T&amp;Cs"  # as Slack sends "... my T&Cs"


def wire(call_params: dict) -> str:
    """Everything the app sent in one call, as Slack receives it."""
    return json.dumps(call_params, ensure_ascii=False)


def test_an_ampersand_reaches_the_officers_card_escaped_once(slack: SlackWorld) -> None:
    slack.dm(MEMBER, TANDC)

    card = slack.card()

    assert slack.engine.questions[0].text == "I want to speak to a person about my T&Cs"
    assert "T&amp;Cs" in texts(card.params["blocks"])
    assert "&amp;amp;" not in wire(card.params)
    assert slack.escalations.open_queue()[0].question.endswith("T&Cs")


def test_links_mentions_and_channels_reach_the_engine_as_readable_text(slack: SlackWorld) -> None:
    said = (
        f"<@{BOT_USER}> My <https://trust.nhs.uk/c?a=1&amp;b=2|T&amp;Cs> say 3 &lt; 5 days; "
        "HR (<mailto:hr@trust.nhs.uk|hr@trust.nhs.uk>) posted in <#C0HR|hr-news>, cc <!here>"
    )
    ts = slack.api.add_message(CHANNEL, MEMBER, said)
    slack.sender.event({"type": "app_mention", "channel": CHANNEL, "user": MEMBER, "text": said, "ts": ts})

    slack.answer_in(CHANNEL, ts)

    assert slack.engine.questions[0].text == (
        "My T&Cs (https://trust.nhs.uk/c?a=1&b=2) say 3 < 5 days; "
        "HR (hr@trust.nhs.uk) posted in #hr-news, cc @here"
    )


class EchoEngine:
    """Answers with the member's own words, so what they wrote is shown back to them."""

    def answer(self, question: Question) -> Reply:
        said = f"You asked: {question.text}"
        return Reply(answer=said, lead=said, points=[f"Point about {question.text}"], confidence=0.9)


@pytest.fixture
def echo(settings: Settings, api: FakeSlackApi, stores: Stores) -> Iterator[SlackWorld]:
    with slack_world(settings, api, EchoEngine(), stores) as world:  # type: ignore[arg-type]
        yield world


def test_an_answer_shows_the_members_characters_escaped_once(echo: SlackWorld) -> None:
    ts = echo.dm(MEMBER, "Is 3 &lt; 5 in my T&amp;Cs &amp;amp; pay?")  # they typed "3 < 5 ... T&Cs &amp; pay"

    answer = echo.answer_in("D" + MEMBER, ts)

    body = answer.params["blocks"][0]["text"]
    assert body.startswith("You asked: Is 3 &lt; 5 in my T&amp;Cs &amp;amp; pay?")
    assert "&amp;amp;amp;" not in wire(answer.params) and "&amp;lt;" not in wire(answer.params)
    assert answer.params["text"].startswith("You asked: Is 3 &lt; 5 in my T&amp;Cs")


def test_a_relayed_officer_reply_keeps_its_links_and_is_not_escaped_again(slack: SlackWorld) -> None:
    slack.mention(MEMBER, "They want to dismiss me on Friday")
    card = slack.card()
    said = "See your T&amp;Cs <https://mip.org.uk/tc?a=1&amp;b=2|here>, <@UMEMBER1>. 2 &lt; 3."

    slack.reply_in_card_thread(OFFICER, card.response["ts"], said)

    relayed = slack.api.wait_for(
        "chat.postMessage",
        lambda p: p["channel"] == CHANNEL and "blocks" in p and "national officer ·" in str(p["blocks"]),
    )[0]
    assert said in texts(relayed.params["blocks"])
    assert "&amp;amp;" not in wire(relayed.params)


def test_what_a_member_adds_to_a_case_reaches_the_card_thread_escaped_once(slack: SlackWorld) -> None:
    root = slack.mention(MEMBER, "They want to dismiss me on Friday")
    slack.card()

    slack.say_in_thread(MEMBER, root, "My T&amp;Cs say &lt;5 days")

    added = slack.api.wait_for("chat.postMessage", lambda p: p["channel"] == OFFICERS, count=2)[1]
    assert "My T&amp;Cs say &lt;5 days" in texts(added.params["blocks"])
    assert "&amp;amp;" not in wire(added.params) and "&amp;lt;" not in wire(added.params)


def test_a_rights_lookup_reads_and_writes_the_characters_once(echo: SlackWorld) -> None:
    echo.slash(MEMBER, "notice for T&amp;Cs")

    shown = echo.api.wait_for("response_url", lambda p: p["response_url"] == "slash" and "blocks" in p)[0]

    assert "You asked: notice for T&amp;Cs" in texts(shown.params["blocks"])
    assert "&amp;amp;" not in wire(shown.params)


def test_the_app_home_and_rights_help_show_their_angle_brackets(slack: SlackWorld) -> None:
    slack.sender.event({"type": "app_home_opened", "user": OFFICER, "channel": "D" + OFFICER, "tab": "home"})
    slack.slash(MEMBER, "help")

    view = slack.api.wait_for("views.publish")[0].params["view"]
    usage = slack.api.wait_for("response_url", lambda p: p["response_url"] == "slash")[0].params["text"]

    assert "/rights &lt;question&gt;" in texts(view["blocks"])  # not read as a <link>
    assert "/rights &lt;your question&gt;" in usage
