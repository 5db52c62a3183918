"""A member asks in a 1:1 chat or by @mentioning the bot in a channel; the answer arrives as an
Adaptive Card with citations, Teams' AI label and feedback buttons, from the background."""

from __future__ import annotations

import re
import time

from teams_world import GENERAL, MEMBER, TeamsWorld, personal


def test_answer_is_an_adaptive_card_with_citations(teams: TeamsWorld) -> None:
    response = teams.dm("Can they make me redundant first because I'm on a fixed-term contract?")
    assert response.status in (200, 202)

    answer = teams.answer_in(personal(MEMBER))
    card = answer.card
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    texts = [block.get("text", "") for block in card["body"]]
    assert "fixed-term" in texts[0] and "[1]" in texts[0] and "[2]" in texts[0]
    assert any(text.startswith("[1] [MiP factsheet") for text in texts)  # sources, with the link
    assert any("general information" in text for text in texts)
    assert card["actions"][0]["title"] == "Ask an officer"

    entity = answer.activity["entities"][0]
    assert entity["type"] == "https://schema.org/Message" and entity["@type"] == "Message"
    assert entity["additionalType"] == ["AIGeneratedContent"]
    positions = [claim["position"] for claim in entity["citation"]]
    markers = sorted({int(n) for n in re.findall(r"\[(\d+)\]", texts[0])})
    assert positions == markers == [1, 2]
    assert all(len(claim["appearance"]["abstract"]) <= 160 for claim in entity["citation"])
    assert answer.activity["channelData"] == {"feedbackLoop": {"type": "default"}}


def test_typing_shows_before_the_answer(teams: TeamsWorld) -> None:
    teams.dm("What are my redundancy rights?")
    answer = teams.answer_in(personal(MEMBER))
    typing = teams.connector.sent(lambda s: s.activity.get("type") == "typing")
    assert typing and typing[0].at <= answer.at


def test_a_mention_in_a_channel_is_answered_in_its_thread_without_the_mention(teams: TeamsWorld) -> None:
    teams.mention("What are my redundancy rights?", thread_root="7001")
    thread = f"{GENERAL};messageid=7001"
    assert teams.answer_in(thread).card is not None
    assert teams.engine.questions[-1].text == "What are my redundancy rights?"


def test_small_talk_and_refusals_are_plain_text(teams: TeamsWorld) -> None:
    teams.dm("hello")
    hello = teams.messages_in(personal(MEMBER))[0]
    assert hello.card is None and hello.text.startswith("Hello!")
    teams.dm("what's the weather like?")
    refusal = teams.messages_in(personal(MEMBER), count=2)[1]
    assert refusal.card is None and "employment rights" in refusal.text


def test_the_request_returns_before_a_slow_answer(teams: TeamsWorld) -> None:
    teams.engine.delay_seconds = 1.5
    response = teams.dm("What are my redundancy rights?")
    assert response.seconds < 0.5, f"the turn held the request for {response.seconds:.2f}s"
    answer = teams.answer_in(personal(MEMBER))
    assert answer.card is not None


def test_health_is_served_without_a_token(teams: TeamsWorld) -> None:
    assert teams.health() == 200


def test_a_message_delivered_twice_is_answered_once(teams: TeamsWorld) -> None:
    question = teams.activity("What are my redundancy rights?", personal(MEMBER))
    teams.post(question)
    teams.post(question)
    teams.answer_in(personal(MEMBER))
    time.sleep(0.3)
    assert len(teams.engine.questions) == 1
