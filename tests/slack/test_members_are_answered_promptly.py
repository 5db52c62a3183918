"""Slack's 3-second ack is never at risk, even when the engine is slow. Prints the measured times."""

from __future__ import annotations

import statistics
import time

import pytest
from slack_world import MEMBER, SlackWorld, slack_world

from bot.fakes import ScriptedEngine
from bot.settings import Settings
from bot.slack.fake_slack import FakeSlackApi
from bot.wiring import Stores

QUESTIONS = 12
MEMBERS = [MEMBER, "UMEMBER2", "UMEMBER3"]  # twelve questions a minute from one member would be paused


def measure(slack: SlackWorld) -> tuple[list[float], list[float]]:
    """Ack = the HTTP response time of the event; answer = until chat.postMessage reached Slack."""
    acks, answers = [], []
    for n in range(QUESTIONS):
        member = MEMBERS[n % len(MEMBERS)]
        started = time.monotonic()
        ts = slack.dm(member, f"question {n}: can they make me redundant?")
        assert slack.sent is not None
        acks.append(slack.sent.seconds)
        answers.append(slack.answer_in("D" + member, ts).at - started)
    return acks, answers


def report(label: str, acks: list[float], answers: list[float], capsys: pytest.CaptureFixture[str]) -> None:
    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"

    with capsys.disabled():
        print(f"\n[slack timing] {label}: ack {ms(acks)} | answer {ms(answers)} (n={len(acks)})")


def test_acks_are_instant_and_answers_follow(slack: SlackWorld, capsys: pytest.CaptureFixture[str]) -> None:
    acks, answers = measure(slack)

    report("instant engine", acks, answers, capsys)
    assert max(acks) < 1.0  # Slack allows 3 s


def test_a_slow_engine_does_not_slow_the_ack(
    settings: Settings,
    api: FakeSlackApi,
    stores: Stores,
    capsys: pytest.CaptureFixture[str],
) -> None:
    slow = ScriptedEngine(delay_seconds=0.25)
    with slack_world(settings, api, slow, stores) as slack:
        acks, answers = measure(slack)

    report("engine taking 250 ms", acks, answers, capsys)
    assert max(acks) < 0.2 < min(answers)
