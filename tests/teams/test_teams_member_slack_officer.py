"""One desk for both channels: a member asks in Teams, the officer works in Slack (against the fake
Slack Web API). The card goes to Slack's officers' channel, the officer claims it there, their reply
reaches the member in Teams by proactive message, and so does the resolve notice."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))

from fake_connector import FakeConnector  # noqa: E402
from slack_world import OFFICER, OFFICERS, SECRET, SignedSender, SlackWorld, serving, settings_for  # noqa: E402
from teams_world import FAST_BACKOFF, MEMBER, TeamsWorld, personal, teams_world  # noqa: E402

from bot.desk import texts  # noqa: E402
from bot.fakes import ScriptedEngine  # noqa: E402
from bot.settings import OfficerSettings, OfficersSettings, TeamsSettings  # noqa: E402
from bot.slack.app import build_slack_app  # noqa: E402
from bot.slack.fake_slack import FakeSlackApi  # noqa: E402
from bot.wiring import build_services, open_stores  # noqa: E402

JANE = OfficerSettings(officer_id="jane", name="Jane Smith", accounts=[f"slack:{OFFICER}"])


@pytest.fixture
def both(tmp_path: Path, connector: FakeConnector) -> Iterator[tuple[TeamsWorld, SlackWorld]]:
    """`rightsbot serve`'s shape: one engine, one set of services, Slack and Teams over them."""
    api = FakeSlackApi().start()
    settings = settings_for(tmp_path, api).model_copy(
        update={
            "teams": TeamsSettings(allow_anonymous=True, service_url=connector.url),
            "officers": OfficersSettings(people=[JANE]),
        }
    )
    engine = ScriptedEngine()
    services = build_services(settings, engine, open_stores(settings, FAST_BACKOFF))
    app = build_slack_app(services)
    try:
        with serving(app) as url, teams_world(settings, services, engine, connector) as teams:
            yield teams, SlackWorld(api, SignedSender(url, SECRET), engine, services, app)
    finally:
        api.stop()


def press(slack: SlackWorld, action_id: str, card_ts: str, reference: str) -> None:
    slack.click(OFFICER, action_id, reference, OFFICERS, card_ts)


def test_member_in_teams_officer_in_slack(both: tuple[TeamsWorld, SlackWorld]) -> None:
    teams, slack = both
    chat = personal(MEMBER)
    teams.dm("I've been told I'm being dismissed on Friday, what can I do?")
    answer = teams.answer_in(chat)
    reference = re.search(r"MIP-\d{4}-\d{4}", str(answer.card)).group(0)

    card = slack.card()
    assert reference in card.params["text"]
    card_ts = card.response["ts"]

    press(slack, "escalation_claim", card_ts, reference)
    picked_up = teams.messages_in(chat, count=2)[1]
    assert picked_up.text == texts.picked_up(reference, slack.desk.officers.by_id("jane"))

    slack.reply_in_card_thread(
        OFFICER, card_ts, "Bring your contract to the hearing; you can be accompanied."
    )
    relayed = teams.messages_in(chat, count=3)[2]
    assert relayed.text.startswith(f"**Jane Smith** · national officer · {reference}")
    assert "you can be accompanied" in relayed.text

    press(slack, "escalation_resolve", card_ts, reference)
    closed = teams.messages_in(chat, count=4)[3]
    assert closed.text == texts.closed(reference)
    assert slack.services.stores.escalations.by_reference(reference).status == "resolved"
