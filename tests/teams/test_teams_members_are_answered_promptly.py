"""Teams gives up on a slow request, so the turn only schedules the answer: the HTTP response is
quick whatever the engine takes, and the answer follows as a proactive message. Prints the
measured times: request = the POST's response time, answer = until the card reached the connector."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator

import pytest
from fake_connector import FakeConnector
from teams_world import MEMBER, TeamsWorld, personal, teams_world

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.wiring import Services, build_engine, build_services, open_stores

QUESTIONS = 12
MEMBERS = [MEMBER, "aad-member-2", "aad-member-3"]  # twelve questions a minute from one member would be paused
# Teams retries a request after about 15 s; the bound leaves room for a busy shared test machine.
REQUEST_LIMIT_SECONDS = 3.0


def measure(
    teams: TeamsWorld, question: str = "can they make me redundant first on a fixed-term contract?"
) -> tuple[list[float], list[float]]:
    requests, answers = [], []
    for n in range(QUESTIONS):
        member = MEMBERS[n % len(MEMBERS)]
        started = time.monotonic()
        response = teams.dm(f"{question} ({n})", user=member)
        assert response.status == 202
        requests.append(response.seconds)
        answers.append(teams.answer_in(personal(member), count=n // len(MEMBERS) + 1).at - started)
    return requests, answers


def report(
    label: str, requests: list[float], answers: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"

    with capsys.disabled():
        print(f"\n[teams timing] {label}: request {ms(requests)} | answer {ms(answers)} (n={len(requests)})")


def test_requests_return_at_once_and_answers_follow(
    teams: TeamsWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    requests, answers = measure(teams)
    report("instant engine", requests, answers, capsys)
    assert max(requests) < REQUEST_LIMIT_SECONDS


def test_a_slow_engine_does_not_hold_the_request(
    settings: Settings, connector: FakeConnector, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = ScriptedEngine(delay_seconds=0.25)
    services = build_services(settings, slow, open_stores(settings))
    with teams_world(settings, services, slow, connector) as teams:
        requests, answers = measure(teams)
    report("engine taking 250 ms", requests, answers, capsys)
    assert all(request < answer for request, answer in zip(requests, answers, strict=True))
    assert statistics.median(requests) < 0.25 < min(answers)  # the request never waits for the engine


@pytest.fixture
def real_teams(settings: Settings, connector: FakeConnector, real_knowledge) -> Iterator[TeamsWorld]:  # noqa: ANN001
    engine = build_engine(settings, real_knowledge)
    services: Services = build_services(settings, engine, open_stores(settings))
    with teams_world(settings, services, engine, connector) as world:  # type: ignore[arg-type]
        yield world


def test_the_real_engine_answers_in_teams_with_citations(
    real_teams: TeamsWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    real_teams.dm("I'm on a fixed-term contract. Can they make me redundant first?")
    answer = real_teams.answer_in(personal(MEMBER))
    shown = " ".join(block.get("text", "") for block in answer.card["body"])
    assert "less favourabl" in shown.lower() and "[1]" in shown
    assert [c["position"] for c in answer.activity["entities"][0]["citation"]][0] == 1

    requests, answers = measure(real_teams, "I'm on a fixed-term contract. Can they make me redundant first?")
    report("real engine", requests, answers, capsys)
    assert max(requests) < REQUEST_LIMIT_SECONDS
