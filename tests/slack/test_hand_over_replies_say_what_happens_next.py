"""A hand-over says what happens next once (an officer will reply in this thread, and the reference),
and every reply carries only the buttons that make sense for it."""

from __future__ import annotations

import re

import pytest
from slack_world import MEMBER, SlackWorld
from test_member_gets_answer_in_thread import action_ids, texts

from bot.fakes import cited_answer, escalating_answer, handover_only
from bot.reply import EscalationReason, Reply
from bot.slack.blocks import answer_blocks, escalation_note


def sentences(shown: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", shown) if len(s.strip()) > 12]


def test_asking_for_a_person_gets_one_hand_over_and_nothing_to_rate(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "I want to speak to a person")

    reply = slack.answer_in("D" + MEMBER, ts)

    [escalation] = slack.escalations.open_queue()
    shown = texts(reply.params["blocks"])
    assert shown.count(escalation.reference) == 1
    assert shown.count("reply here in this thread") == 1
    assert shown.count("You asked to speak to a person") == 1
    assert "MemberAdvice" not in shown  # the contact line is not needed: a person is on the way
    assert action_ids(reply.params["blocks"]) == []  # nothing to rate, and already with an officer
    assert len(slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)) == 1
    assert slack.feedback.answer_record(1) is None  # no buttons, so nothing kept for them


def test_an_answer_handed_over_keeps_rating_for_the_answer_and_says_next_steps_once(
    slack: SlackWorld,
) -> None:
    ts = slack.dm(MEMBER, "Can an officer check my redundancy selection?")

    reply = slack.answer_in("D" + MEMBER, ts)

    [escalation] = slack.escalations.open_queue()
    shown = texts(reply.params["blocks"])
    assert "not a fair reason on its own" in shown
    assert shown.count(escalation.reference) == 1 and shown.count("reply here in this thread") == 1
    assert action_ids(reply.params["blocks"]) == ["answer_feedback"]  # no "Ask an officer": it is with one


NOTE = escalation_note("MIP-2026-0001", "I have passed your question on.")


@pytest.mark.parametrize(
    ("reply", "notice", "buttons"),
    [
        pytest.param(cited_answer(), None, ["answer_feedback", "ask_officer"], id="answer"),
        pytest.param(
            escalating_answer(EscalationReason.HIGH_STAKES), NOTE, ["answer_feedback"], id="answer+hand-over"
        ),
        pytest.param(handover_only(EscalationReason.ASKED_FOR_PERSON), NOTE, [], id="hand-over only"),
        pytest.param(
            Reply(kind="smalltalk", answer="Hello! Ask me.", lead="Hello! Ask me."), None, [], id="small talk"
        ),
        pytest.param(
            Reply(
                kind="out_of_scope",
                answer="I can only help with rights at work.",
                lead="I can only help with rights at work.",
            ),
            None,
            ["ask_officer"],
            id="out of scope",
        ),
        pytest.param(
            Reply(
                kind="invalid_input",
                answer="Please write your question as text.",
                lead="Please write your question as text.",
            ),
            None,
            [],
            id="invalid input",
        ),
    ],
)
def test_no_reply_says_anything_twice_or_offers_a_button_that_makes_no_sense(
    reply: Reply, notice: str | None, buttons: list[str]
) -> None:
    shown = answer_blocks(reply, record_id=7, notice=notice)

    said = sentences(texts(shown))
    assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]
    assert action_ids(shown) == buttons


def test_a_rights_lookup_asking_for_a_person_says_where_to_go_once(slack: SlackWorld) -> None:
    slack.slash(MEMBER, "I want to speak to a person")

    shown = slack.api.wait_for("response_url", lambda p: p["response_url"] == "slash" and "blocks" in p)[0]

    said = texts(shown.params["blocks"])
    assert said.count("national officer") == 1 and "MemberAdvice" not in said
    assert action_ids(shown.params["blocks"]) == []


def test_pressing_ask_an_officer_tells_the_member_next_steps_once(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "Can they make me redundant first because I'm fixed-term?")
    answer = slack.answer_in("D" + MEMBER, ts)
    record_id = answer.params["blocks"][-1]["elements"][0]["value"]

    slack.click(MEMBER, "ask_officer", record_id, "D" + MEMBER, answer.response["ts"], thread_ts=ts)

    slack.card()
    [escalation] = slack.escalations.open_queue()
    told = slack.api.wait_for("chat.postMessage", lambda p: escalation.reference in p["text"])[0].params[
        "text"
    ]
    assert told.count(escalation.reference) == 1 and told.count("reply here in this thread") == 1
