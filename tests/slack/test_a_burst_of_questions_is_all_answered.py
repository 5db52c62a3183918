"""Issue 12, fault 1: a burst of signed event POSTs at once (the hand-written server's backlog of 5
reset 71 of 200). Every delivery is acked 200 with no connection reset, and every question is
answered exactly once. Prints the ack latency under the burst: a figure, not an assertion."""

from __future__ import annotations

import statistics
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_world import Sent, SlackWorld

BURST = 60


def ask(slack: SlackWorld, n: int) -> Sent:
    """Member n's first DM, straight to the app as Slack would send it (each member has a channel)."""
    user = f"UBURST{n:03d}"
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + user,
        "user": user,
        "text": f"question {n}: how much notice do I have to give?",
        "ts": f"1700000000.{n:06d}",
    }
    return slack.sender.event(event)


def test_every_question_in_a_burst_is_acked_and_answered_once(
    slack: SlackWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    with ThreadPoolExecutor(max_workers=BURST) as senders:  # all in flight together
        sent = list(senders.map(lambda n: ask(slack, n), range(BURST)))  # a reset would raise here

    assert [s.status for s in sent] == [200] * BURST
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    answered = [c.params["channel"] for c in slack.api.calls_to("chat.postMessage")]
    assert sorted(answered) == sorted(f"DUBURST{n:03d}" for n in range(BURST))
    assert len(slack.engine.questions) == BURST
    report([s.seconds for s in sent], capsys)


def report(acks: list[float], capsys: pytest.CaptureFixture[str]) -> None:
    p50, p95 = (statistics.quantiles(acks, n=100)[q - 1] * 1000 for q in (50, 95))
    with capsys.disabled():
        print(
            f"\n[slack burst] {len(acks)} at once: ack p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(acks) * 1000:.0f} ms"
        )
