"""An escalation is stored before its card is posted: when Teams refuses the card, the member still
gets their reference, and the card is posted when the app starts again."""

from __future__ import annotations

import re

from fake_connector import FakeConnector
from teams_world import FAST_BACKOFF, MEMBER, personal, teams_world

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.wiring import build_services, open_stores


def test_an_undelivered_card_is_posted_after_a_restart(
    settings: Settings, engine: ScriptedEngine, connector: FakeConnector
) -> None:
    connector.fail_next("create", 503, times=1000)
    first = build_services(settings, engine, open_stores(settings, FAST_BACKOFF))
    with teams_world(settings, first, engine, connector) as teams:
        teams.dm("I've been told I'm being dismissed on Friday, what can I do?")
        answer = teams.answer_in(personal(MEMBER))
        reference = re.search(r"MIP-\d{4}-\d{4}", str(answer.card)).group(0)
    assert connector.sent(lambda s: s.kind == "create") == []

    connector.recover()
    again = build_services(settings, engine, open_stores(settings, FAST_BACKOFF))
    with teams_world(settings, again, engine, connector) as teams:
        card = teams.teams_card()
        assert reference in str(card.card)
    assert len(connector.sent(lambda s: s.kind == "send" and s.card is not None)) == 1
