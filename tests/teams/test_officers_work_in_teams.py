"""Escalations from Teams reach the officers' board in a Teams channel: a card with Claim and
Resolve, officers' replies in its thread relayed to the member by proactive message."""

from __future__ import annotations

import re

from fake_connector import Sent
from teams_world import MEMBER, OFFICER, OFFICERS_CHANNEL, OTHER_MEMBER, TeamsWorld, personal

from bot.desk import texts

REFERENCE = re.compile(r"MIP-\d{4}-\d{4}")


def card_texts(sent: Sent) -> str:
    return " ".join(block.get("text", "") for block in sent.card["body"])


def escalate(teams: TeamsWorld) -> tuple[Sent, Sent, str]:
    teams.dm("I've been told I'm being dismissed on Friday, what can I do?")
    answer = teams.answer_in(personal(MEMBER))
    card = teams.teams_card()
    reference = REFERENCE.search(card_texts(answer)).group(0)
    return answer, card, reference


def test_a_high_stakes_question_gets_a_reference_and_a_card(teams: TeamsWorld) -> None:
    answer, card, reference = escalate(teams)
    assert reference in card_texts(card)
    assert "actions" not in answer.card  # handed over already: no "Ask an officer"
    assert [a["title"] for a in card.card["actions"]] == ["Claim", "Resolve"]
    assert card.conversation == f"{OFFICERS_CHANNEL};messageid={card.id}"


def test_officer_claims_replies_and_resolves(teams: TeamsWorld) -> None:
    _, card, reference = escalate(teams)
    chat = personal(MEMBER)

    teams.press({"rightsbot": "claim", "reference": reference}, card.conversation, OFFICER, OFFICERS_CHANNEL)
    told = teams.messages_in(chat, count=2)[1]
    assert "Jane Smith" in told.text and reference in told.text
    refreshed = teams.connector.wait_for(lambda s: s.kind == "update")[0]
    assert "Claimed by Jane Smith" in " ".join(f.get("value", "") for f in refreshed.card["body"][1]["facts"])

    teams.officer_replies(card, "You have the right to be accompanied at the hearing.")
    relayed = teams.messages_in(chat, count=3)[2]
    assert relayed.text.startswith("**Jane Smith** · national officer · " + reference)
    assert "right to be accompanied" in relayed.text
    assert teams.messages_in(card.conversation)[0].text.startswith("✉")

    teams.press(
        {"rightsbot": "resolve", "reference": reference}, card.conversation, OFFICER, OFFICERS_CHANNEL
    )
    closed = teams.messages_in(chat, count=4)[3]
    assert closed.text == texts.closed(reference)


def test_notes_stay_with_officers_and_strangers_cannot_claim(teams: TeamsWorld) -> None:
    _, card, reference = escalate(teams)
    teams.officer_replies(card, "note: checking the policy first")
    teams.press(
        {"rightsbot": "claim", "reference": reference}, card.conversation, OTHER_MEMBER, OFFICERS_CHANNEL
    )
    refused = teams.messages_in(card.conversation)[0]
    assert refused.text == texts.NOT_AN_OFFICER
    chat = teams.connector.sent(
        lambda s: s.conversation == personal(MEMBER) and s.activity["type"] == "message"
    )
    assert len(chat) == 1  # only the answer: no relay of the note, no claim


def test_ask_an_officer_hands_over_once_and_only_for_the_asker(teams: TeamsWorld) -> None:
    teams.dm("What are my redundancy rights?")
    answer = teams.answer_in(personal(MEMBER))
    press = answer.card["actions"][0]["data"]

    teams.press(press, personal(OTHER_MEMBER), OTHER_MEMBER)
    assert teams.messages_in(personal(OTHER_MEMBER))[0].text == texts.ONLY_THE_ASKER

    teams.press(press, personal(MEMBER), MEMBER)
    told = teams.messages_in(personal(MEMBER), count=2)[1]
    reference = REFERENCE.search(told.text).group(0)
    assert reference in card_texts(teams.teams_card())

    teams.press(press, personal(MEMBER), MEMBER)
    again = teams.messages_in(personal(MEMBER), count=3)[2]
    assert again.text == texts.already_with_officer(reference)


def test_the_members_later_words_go_under_the_card(teams: TeamsWorld) -> None:
    _, card, reference = escalate(teams)
    teams.dm("The hearing was moved to Thursday.")
    under = teams.messages_in(card.conversation)[0]
    assert reference in under.text and "moved to Thursday" in under.text
    told = teams.messages_in(personal(MEMBER), count=2)[1]
    assert told.text.startswith(f"I've added this to your question ({reference})")
    assert len(teams.engine.questions) == 1  # the bot did not answer it


def test_a_failure_is_apologised_for_and_escalated(teams: TeamsWorld) -> None:
    teams.dm("this will crash the engine")
    apology = teams.messages_in(personal(MEMBER))[0]
    reference = REFERENCE.search(apology.text).group(0)
    assert "went wrong" in apology.text and "crash" not in apology.text.lower().replace("crash the", "")
    assert reference in card_texts(teams.teams_card())


def test_an_officer_listed_by_teams_user_id_may_claim(teams: TeamsWorld) -> None:
    _, card, reference = escalate(teams)
    teams.press(
        {"rightsbot": "claim", "reference": reference}, card.conversation, "aad-officer-2", OFFICERS_CHANNEL
    )
    told = teams.messages_in(personal(MEMBER), count=2)[1]
    assert "Sam Patel" in told.text
