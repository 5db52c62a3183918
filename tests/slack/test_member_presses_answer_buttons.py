"""Helpful, Not helpful (Slack's native feedback buttons) and Ask an officer under an answer."""

from __future__ import annotations

import io

import yaml
from slack_world import MEMBER, OFFICERS, REP, SlackWorld
from test_member_gets_answer_in_thread import feedback_values

from bot.escalations import Status
from bot.feedback import export_not_helpful
from bot.slack.fake_slack import Call

QUESTION = "Can they make me redundant first because I'm fixed-term?"


def ask_and_get_answer(slack: SlackWorld) -> tuple[str, Call, str]:
    ts = slack.dm(MEMBER, QUESTION)
    answer = slack.answer_in("D" + MEMBER, ts)
    record_id = answer.params["blocks"][-1]["elements"][0]["value"]
    return ts, answer, record_id


def press(slack: SlackWorld, user: str, action_id: str, record_id: str, answer: Call) -> None:
    sent = slack.click(
        user,
        action_id,
        record_id,
        answer.params["channel"],
        answer.response["ts"],
        thread_ts=answer.params["thread_ts"],
    )
    assert sent.status == 200


def ephemeral_to(slack: SlackWorld, user: str, count: int = 1) -> str:
    return slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == user, count)[count - 1].params[
        "text"
    ]


def test_helpful_is_recorded_with_question_answer_and_citations(slack: SlackWorld) -> None:
    _, answer, record_id = ask_and_get_answer(slack)
    helpful, _ = feedback_values(answer.params["blocks"])

    press(slack, MEMBER, "answer_feedback", helpful, answer)

    assert "Thanks" in ephemeral_to(slack, MEMBER)
    [vote] = slack.feedback.all()
    assert vote.helpful and vote.user == MEMBER and vote.question == QUESTION
    assert vote.cited_sources == ["factsheet-redundancy", "legal-eye-67"]
    assert helpful == f"helpful:{record_id}"


def test_not_helpful_changes_the_vote_and_is_exported_as_an_eval_case(slack: SlackWorld) -> None:
    _, answer, _ = ask_and_get_answer(slack)
    helpful, not_helpful = feedback_values(answer.params["blocks"])
    press(slack, MEMBER, "answer_feedback", helpful, answer)
    ephemeral_to(slack, MEMBER)

    press(slack, MEMBER, "answer_feedback", not_helpful, answer)

    assert "Ask an officer" in ephemeral_to(slack, MEMBER, count=2)
    out = io.StringIO()
    assert export_not_helpful(slack.feedback, out) == 1
    [case] = yaml.safe_load(out.getvalue())
    assert case["id"].startswith("feedback-") and case["question"] == QUESTION
    assert case["category"] == "from-feedback" and case["escalate"] is None
    assert case["expected_sources"] == [] and case["facts"] == [] and case["thread"] == []
    assert "(cited: factsheet-redundancy, legal-eye-67)" in case["notes"]


def test_the_buttons_on_answers_from_before_native_feedback_still_count(slack: SlackWorld) -> None:
    _, answer, record_id = ask_and_get_answer(slack)

    press(slack, MEMBER, "feedback_not_helpful", record_id, answer)

    assert "Ask an officer" in ephemeral_to(slack, MEMBER)
    assert [vote.helpful for vote in slack.feedback.all()] == [False]


def test_a_feedback_value_we_did_not_write_is_ignored(slack: SlackWorld) -> None:
    _, answer, _ = ask_and_get_answer(slack)

    press(slack, MEMBER, "answer_feedback", "positive_feedback", answer)
    press(slack, MEMBER, "feedback_helpful", "1", answer)  # a real vote after it, to wait on

    ephemeral_to(slack, MEMBER)
    assert len(slack.feedback.all()) == 1


def test_ask_an_officer_escalates_with_the_draft_and_tells_the_member(slack: SlackWorld) -> None:
    ts, answer, record_id = ask_and_get_answer(slack)

    press(slack, MEMBER, "ask_officer", record_id, answer)

    card = slack.card()
    [escalation] = slack.escalations.open_queue()
    assert escalation.reason == "member_request" and escalation.status == Status.OPEN
    assert escalation.draft is not None and len(escalation.draft.citations) == 2
    told = slack.api.wait_for(
        "chat.postMessage", lambda p: p["channel"] == "D" + MEMBER and escalation.reference in p["text"]
    )[0]
    assert told.params["thread_ts"] == ts and "<@" not in told.params["text"]
    assert escalation.reference in card.params["text"]


def test_only_the_asker_can_escalate_their_answer(slack: SlackWorld) -> None:
    _, answer, record_id = ask_and_get_answer(slack)

    press(slack, REP, "ask_officer", record_id, answer)

    assert "Only the member who asked" in ephemeral_to(slack, REP)
    assert slack.escalations.open_queue() == []


def test_pressing_ask_an_officer_twice_does_not_escalate_twice(slack: SlackWorld) -> None:
    _, answer, record_id = ask_and_get_answer(slack)
    press(slack, MEMBER, "ask_officer", record_id, answer)
    slack.card()

    press(slack, MEMBER, "ask_officer", record_id, answer)

    assert "already with a national officer" in ephemeral_to(slack, MEMBER)
    assert len(slack.escalations.open_queue()) == 1
    assert len(slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS)) == 1


def test_a_button_on_a_purged_answer_says_so(slack: SlackWorld) -> None:
    _, answer, _ = ask_and_get_answer(slack)

    press(slack, MEMBER, "feedback_helpful", "999", answer)

    assert "too old" in ephemeral_to(slack, MEMBER)
