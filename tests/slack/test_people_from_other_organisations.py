"""Issue 10, kind 6: in a Slack Connect channel, people whose workspace is another organisation's
(an employer's HR, say) are not escalated as members. Only the union's own workspace is: the one the
app is installed in (auth.test), plus team ids in RIGHTSBOT_SLACK__MEMBER_TEAM_IDS. Others get
general answers at most, as configured, and a card from a shared conversation says it is external."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_world import CHANNEL, MEMBER, OFFICERS, SlackWorld, settings_for, slack_world
from test_member_gets_answer_in_thread import action_ids, texts

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.slack.fake_slack import TEAM, FakeSlackApi
from bot.wiring import open_stores

EMPLOYER, HR = "TEMPLOYER", "UHRPERSON"
DISMISSAL = "We are dismissing this manager on Friday. What must we do?"
SHARED = "CSHARED"


def world(tmp_path: Path, api: FakeSlackApi, **slack: object) -> Iterator[SlackWorld]:
    base = settings_for(tmp_path, api)
    settings = base.model_copy(update={"slack": base.slack.model_copy(update=slack)})
    with slack_world(settings, api, ScriptedEngine(), open_stores(settings)) as running:
        yield running


@pytest.fixture
def ignoring(tmp_path: Path, api: FakeSlackApi) -> Iterator[SlackWorld]:
    yield from world(tmp_path, api, external_users="ignore")


@pytest.fixture
def with_employer_as_member(tmp_path: Path, api: FakeSlackApi) -> Iterator[SlackWorld]:
    yield from world(tmp_path, api, member_team_ids=[EMPLOYER])


def officers_cards(slack: SlackWorld) -> list:
    return slack.api.calls_to("chat.postMessage", lambda p: p["channel"] == OFFICERS)


def test_someone_from_another_organisation_gets_general_information_and_no_hand_over(
    slack: SlackWorld,
) -> None:
    ts = slack.mention(HR, DISMISSAL, channel=SHARED, user_team=EMPLOYER, shared=True)

    answer = slack.answer_in(SHARED, ts)

    shown = texts(answer.params["blocks"])
    assert "not a fair reason on its own" in shown  # the general answer
    assert "only give general information" in shown and "Reference" not in shown
    assert "ask_officer" not in action_ids(answer.params["blocks"])
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert slack.escalations.open_queue() == [] and officers_cards(slack) == []
    assert slack.api.calls_to("auth.test")  # the installed workspace, as Slack reports it


def test_the_union_can_choose_to_ignore_other_organisations(ignoring: SlackWorld) -> None:
    ignoring.mention(HR, DISMISSAL, channel=SHARED, user_team=EMPLOYER, shared=True)
    ts = ignoring.mention(MEMBER, "How much notice do I have to give?", channel=SHARED, user_team=TEAM)

    ignoring.answer_in(SHARED, ts)  # a member in the same channel is answered
    ignoring.app.listener_runner.listener_executor.shutdown(wait=True)
    assert [q.text for q in ignoring.engine.questions] == ["How much notice do I have to give?"]
    assert len(ignoring.api.calls_to("chat.postMessage", lambda p: p["channel"] == SHARED)) == 1


def test_a_member_team_added_in_settings_is_escalated_as_members(with_employer_as_member: SlackWorld) -> None:
    with_employer_as_member.mention(HR, DISMISSAL, channel=SHARED, user_team=EMPLOYER, shared=True)

    with_employer_as_member.card()

    [escalation] = with_employer_as_member.escalations.open_queue()
    assert escalation.address.tenant_or_team == EMPLOYER


def test_a_members_escalation_from_a_shared_channel_is_marked_external(slack: SlackWorld) -> None:
    ts = slack.mention(
        MEMBER, "They are dismissing me on Friday", channel=SHARED, user_team=TEAM, shared=True
    )

    card = slack.card()

    [escalation] = slack.escalations.open_queue()
    assert escalation.external and "external" in card.params["text"]
    assert "*External*" in texts(card.params["blocks"])
    assert escalation.reference in texts(slack.answer_in(SHARED, ts).params["blocks"])


def test_a_members_escalation_from_their_own_workspace_is_not_external(slack: SlackWorld) -> None:
    slack.mention(MEMBER, "They are dismissing me on Friday", channel=CHANNEL)

    card = slack.card()

    assert "External" not in texts(card.params["blocks"])
    assert not slack.escalations.open_queue()[0].external


def test_member_team_ids_come_comma_separated_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTSBOT_SLACK__MEMBER_TEAM_IDS", "T0MIPNORTH, T0MIPSOUTH")
    monkeypatch.setenv("RIGHTSBOT_SLACK__EXTERNAL_USERS", "ignore")

    slack = Settings().slack

    assert slack.member_team_ids == ["T0MIPNORTH", "T0MIPSOUTH"] and slack.external_users == "ignore"


def test_ask_an_officer_pressed_from_another_organisation_hands_nothing_over(slack: SlackWorld) -> None:
    ts = slack.mention(HR, "How much notice must we give?", channel=SHARED, user_team=EMPLOYER, shared=True)
    answer = slack.answer_in(SHARED, ts)
    [record_id] = {  # from the rating buttons: outsiders are offered no "Ask an officer" to press
        e["positive_button"]["value"].partition(":")[2]
        for b in answer.params["blocks"]
        if b["type"] == "context_actions"
        for e in b["elements"]
    }

    payload_team = {"id": HR, "team_id": EMPLOYER}
    slack.click(HR, "ask_officer", record_id, SHARED, answer.response["ts"], thread_ts=ts, user=payload_team)

    [refused] = slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == HR)
    assert "only give general information" in refused.params["text"]
    assert slack.escalations.open_queue() == []
