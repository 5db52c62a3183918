"""Follow-ups carry the conversation's earlier turns (kept in the database, not the process), and
Teams' thumbs up/down land in the same feedback store as Slack's, found by the answer's message id."""

from __future__ import annotations

import io

import yaml
from teams_world import GENERAL, MEMBER, OTHER_MEMBER, TeamsWorld, personal

from bot.feedback import export_not_helpful


def test_a_follow_up_carries_the_earlier_turns(teams: TeamsWorld) -> None:
    teams.dm("Can they make me redundant first because I'm on a fixed-term contract?")
    teams.answer_in(personal(MEMBER))
    teams.dm("and if I have less than two years?")
    teams.answer_in(personal(MEMBER), count=2)

    follow_up = teams.engine.questions[-1]
    assert follow_up.text == "and if I have less than two years?"
    assert [turn.role for turn in follow_up.thread] == ["member", "bot"]
    assert "fixed-term contract" in follow_up.thread[0].text


def test_another_conversation_starts_afresh(teams: TeamsWorld) -> None:
    teams.dm("Can they make me redundant first because I'm on a fixed-term contract?")
    teams.answer_in(personal(MEMBER))
    teams.dm("What about holiday pay?", user="aad-member-2")
    teams.answer_in(personal("aad-member-2"))
    assert teams.engine.questions[-1].thread == []


def test_a_colleagues_question_in_the_same_thread_is_not_context(teams: TeamsWorld) -> None:
    teams.mention("Can they make me redundant first on a fixed-term contract?", thread_root="9001")
    teams.answer_in(f"{GENERAL};messageid=9001")
    teams.mention("and what about holiday pay?", thread_root="9001", user=OTHER_MEMBER)
    teams.answer_in(f"{GENERAL};messageid=9001", count=2)
    assert teams.engine.questions[-1].thread == []


def test_thumbs_down_is_stored_and_exported(teams: TeamsWorld) -> None:
    teams.dm("Can they make me redundant first because I'm on a fixed-term contract?")
    answer = teams.recorded(teams.answer_in(personal(MEMBER)))

    response = teams.rate(answer, "dislike")
    assert response.status == 200  # an invoke needs its response, or Teams shows an error

    [vote] = teams.services.stores.feedback.all()
    assert vote.helpful is False and vote.answer_ref == f"teams:{answer.id}"
    assert vote.user == f"teams:{MEMBER}" and "fixed-term" in vote.question
    out = io.StringIO()
    assert export_not_helpful(teams.services.stores.feedback, out) == 1
    [case] = yaml.safe_load(out.getvalue())
    assert "fixed-term contract" in case["question"]


def test_voting_again_changes_the_vote(teams: TeamsWorld) -> None:
    teams.dm("What are my redundancy rights?")
    answer = teams.recorded(teams.answer_in(personal(MEMBER)))
    teams.rate(answer, "dislike")
    teams.rate(answer, "like")
    [vote] = teams.services.stores.feedback.all()
    assert vote.helpful is True


def test_feedback_on_an_unknown_message_still_gets_its_invoke_response(teams: TeamsWorld) -> None:
    teams.dm("hello")
    hello = teams.messages_in(personal(MEMBER))[0]
    assert teams.rate(hello, "like").status == 200
    assert teams.services.stores.feedback.all() == []
