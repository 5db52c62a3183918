"""`/rights <question>`: a private, short answer for a rep, which they can share in the channel."""

from __future__ import annotations

from slack_world import REP, SlackWorld
from test_member_gets_answer_in_thread import action_ids, texts


def response(slack: SlackWorld, name: str, count: int = 1) -> dict:
    return slack.api.wait_for("response_url", lambda p: p["response_url"] == name, count)[count - 1].params


def test_the_slash_command_answers_privately_with_the_rule_and_top_source(slack: SlackWorld) -> None:
    sent = slack.slash(REP, "can fixed-term staff be picked first for redundancy?")

    assert sent.status == 200 and "Looking that up" in sent.body  # the ack itself
    shown = response(slack, "slash")
    assert shown["replace_original"] is True and shown.get("response_type") in (None, "ephemeral")
    body = texts(shown["blocks"])
    assert (
        "not a fair reason on its own" in body and "[1] <https://example.org/factsheets/redundancy|" in body
    )
    assert "[2]" not in body  # short: the top citation only
    assert action_ids(shown["blocks"]) == ["share_answer"]


def test_share_posts_the_answer_visibly_attributed_to_the_rep(slack: SlackWorld) -> None:
    slack.slash(REP, "can fixed-term staff be picked first for redundancy?")
    record_id = response(slack, "slash")["blocks"][-1]["elements"][0]["value"]

    slack.click(
        REP, "share_answer", record_id, "CGENERAL", "1.0", response_url=slack.api.response_url("share")
    )

    shared = response(slack, "share")
    assert shared["response_type"] == "in_channel"
    assert f"Shared by <@{REP}>" in texts(shared["blocks"]) and action_ids(shared["blocks"]) == []
    assert response(slack, "share", count=2)["delete_original"] is True  # the private copy goes


def test_empty_command_shows_usage(slack: SlackWorld) -> None:
    slack.slash(REP, "")

    assert "/rights queue" in response(slack, "slash")["text"]
    assert slack.engine.questions == []


def test_a_high_stakes_lookup_points_to_a_dm_for_an_officer(slack: SlackWorld) -> None:
    slack.slash(REP, "is it fair to dismiss someone for this?")

    assert "needs a national officer" in texts(response(slack, "slash")["blocks"])


def test_a_failing_lookup_apologises_and_escalates_in_a_dm(slack: SlackWorld) -> None:
    slack.slash(REP, "this will crash")

    assert "passed your question to a national officer" in response(slack, "slash")["text"]
    card = slack.card()
    [escalation] = slack.escalations.open_queue()
    assert escalation.reason == "failure" and escalation.address.conversation_id == "D" + REP
    dm = slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == "D" + REP)[0]
    assert escalation.thread_id == dm.response["ts"] and escalation.reference in card.params["text"]
    [apology] = slack.api.wait_for("chat.update", lambda p: p["channel"] == "D" + REP)
    assert escalation.reference in apology.params["text"]  # the DM says which case it is
