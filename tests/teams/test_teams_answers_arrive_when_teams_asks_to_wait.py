"""When the Teams connector asks the bot to wait (429 with Retry-After, or a 5xx) while it posts a
member's answer card, the answer is retried until it arrives: once, with no apology and no card for
officers. (Teams has no way to look for a post whose reply was lost, so there delivery is at least
once: see bot/teams/connector.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_connector import Json
from teams_world import MEMBER, TeamsWorld, personal

from bot.desk import DeliveryWorker

QUESTION = "Can they make me redundant first because I'm on a fixed-term contract?"


def an_answer_card(activity: Json) -> bool:
    return activity.get("type") == "message" and bool(activity.get("attachments"))


@pytest.fixture
def worker(teams: TeamsWorld) -> Iterator[DeliveryWorker]:
    running = DeliveryWorker(teams.services.desk, interval_seconds=0.05).start()
    yield running
    running.stop()


def only_the_answer(teams: TeamsWorld) -> None:
    answer = teams.recorded(teams.answer_in(personal(MEMBER)))
    said = teams.connector.sent(lambda s: s.kind == "send" and s.activity.get("type") == "message")
    assert said == [answer]  # no apology
    assert teams.connector.sent(lambda s: s.kind == "create") == []  # no "bot failed" card
    assert teams.services.stores.escalations.open_queue() == []


def test_a_rate_limited_answer_card_waits_retry_after_and_arrives_once(
    teams: TeamsWorld, worker: DeliveryWorker
) -> None:
    teams.connector.fail_next("send", 429, times=2, retry_after=1, when=an_answer_card)

    teams.dm(QUESTION)

    only_the_answer(teams)
    answer = teams.answer_in(personal(MEMBER))
    refused = [at for kind, status, at in teams.connector.refused if status == 429]
    assert len(refused) == 2
    assert answer.at - refused[-1] >= 1.0  # Retry-After honoured


def test_an_answer_card_refused_by_server_errors_arrives_once(
    teams: TeamsWorld, worker: DeliveryWorker
) -> None:
    teams.connector.fail_next("send", 503, times=2, when=an_answer_card)

    teams.dm(QUESTION)

    only_the_answer(teams)
