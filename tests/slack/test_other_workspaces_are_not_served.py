"""Issue 12, fault 5: a correctly signed request from a workspace that is not the union's (the app
installed somewhere else) is acknowledged and dropped: no answer, no escalation, no claim, and a log
line without its text. The union's workspaces are the installed one (auth.test) and those in
RIGHTSBOT_SLACK__MEMBER_TEAM_IDS; Slack Connect guests keep their own rules
(test_people_from_other_organisations.py), since their events arrive in our workspace's envelope."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_world import CHANNEL, MEMBER, OFFICER, OFFICERS, SlackWorld, settings_for, slack_world
from test_officers_handle_escalations import escalate

from bot.fakes import ScriptedEngine
from bot.slack.fake_slack import BOT_USER, TEAM, FakeSlackApi
from bot.wiring import open_stores

OTHER, ORG, OTHER_ORG = "TOTHERCO", "E0MIPORG", "E0OTHERORG"
WORDS = "PLANTED can they dismiss me for being off sick"


def envelope(team: str | None, enterprise: str | None = None) -> dict[str, Any]:
    """An Events API envelope as Slack addresses it to an installation (org-wide: no team_id)."""
    authorization = {"team_id": team, "enterprise_id": enterprise, "user_id": BOT_USER, "is_bot": True}
    if team is None:
        authorization["is_enterprise_install"] = True
    return {"team_id": team, "enterprise_id": enterprise, "authorizations": [authorization]}


def dm_from(slack: SlackWorld, team: str | None, enterprise: str | None = None) -> int:
    event = {"type": "message", "channel_type": "im", "channel": "D" + MEMBER, "user": MEMBER}
    event |= {"text": WORDS, "ts": slack.api.next_ts()}
    return slack.sender.event(event, envelope=envelope(team, enterprise)).status


def nothing_done(slack: SlackWorld) -> None:
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert slack.engine.questions == []
    assert slack.api.calls_to("chat.postMessage") == [] and slack.api.calls_to("chat.postEphemeral") == []
    assert slack.escalations.open_queue() == []


def ignored_quietly(caplog: pytest.LogCaptureFixture, team: str | None) -> None:
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"ignored request from another workspace team={team}" in logged
    assert "PLANTED" not in logged


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_message_from_another_workspace_is_acked_and_not_answered(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    assert dm_from(slack, OTHER) == 200

    nothing_done(slack)
    ignored_quietly(logs, OTHER)


def test_a_mention_from_another_workspace_is_acked_and_not_answered(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    event = {"type": "app_mention", "channel": CHANNEL, "user": MEMBER, "text": f"<@{BOT_USER}> {WORDS}"}

    sent = slack.sender.event({**event, "ts": slack.api.next_ts()}, envelope=envelope(OTHER))

    assert sent.status == 200
    nothing_done(slack)
    ignored_quietly(logs, OTHER)


def test_a_slash_command_from_another_workspace_is_acked_and_not_answered(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    sent = slack.slash(MEMBER, WORDS, team=OTHER)

    assert sent.status == 200 and sent.body == ""
    nothing_done(slack)
    assert slack.api.calls_to("response_url") == []
    ignored_quietly(logs, OTHER)


def test_a_button_pressed_in_another_workspace_claims_nothing(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    _, card, escalation = escalate(slack)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    posted = len(slack.api.calls)

    sent = slack.click(
        OFFICER, "escalation_claim", escalation.reference, OFFICERS, card.response["ts"], team=OTHER
    )

    assert sent.status == 200
    assert slack.escalations.get(escalation.id).claimed_by is None
    assert len(slack.api.calls) == posted  # no update, no message
    ignored_quietly(logs, OTHER)


def test_a_shortcut_from_another_workspace_is_acked_quietly(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    payload = {
        "type": "shortcut",
        "callback_id": "ask_rightsbot",
        "trigger_id": "trigger",
        "team": {"id": OTHER, "domain": "otherco"},
        "user": {"id": MEMBER, "team_id": OTHER},
    }

    sent = slack.sender.form({"payload": json.dumps(payload)})

    assert sent.status == 200
    nothing_done(slack)
    ignored_quietly(logs, OTHER)


def test_a_request_naming_no_workspace_is_not_served(
    slack: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    assert dm_from(slack, None) == 200

    nothing_done(slack)
    ignored_quietly(logs, None)


def test_the_installed_workspace_is_served(slack: SlackWorld) -> None:
    assert dm_from(slack, TEAM) == 200

    slack.api.wait_for("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)


@pytest.fixture
def with_more_workspaces(tmp_path: Path, api: FakeSlackApi) -> Iterator[SlackWorld]:
    base = settings_for(tmp_path, api)
    settings = base.model_copy(
        update={"slack": base.slack.model_copy(update={"member_team_ids": [OTHER, ORG]})}
    )
    with slack_world(settings, api, ScriptedEngine(), open_stores(settings)) as running:
        yield running


def test_a_workspace_added_in_settings_is_served(with_more_workspaces: SlackWorld) -> None:
    assert dm_from(with_more_workspaces, OTHER) == 200

    with_more_workspaces.api.wait_for("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)


def test_an_org_wide_install_of_an_organisation_in_settings_is_served(
    with_more_workspaces: SlackWorld,
) -> None:
    assert dm_from(with_more_workspaces, None, enterprise=ORG) == 200

    with_more_workspaces.api.wait_for("chat.postMessage", lambda p: p["channel"] == "D" + MEMBER)


def test_an_org_wide_install_elsewhere_is_not_served(
    with_more_workspaces: SlackWorld, logs: pytest.LogCaptureFixture
) -> None:
    assert dm_from(with_more_workspaces, None, enterprise=OTHER_ORG) == 200

    nothing_done(with_more_workspaces)
    ignored_quietly(logs, None)
