"""Requests must be signed by Slack and fresh; a retried event is acknowledged but answered once."""

from __future__ import annotations

import json
import time

from slack_world import MEMBER, SlackWorld, slack_world

from bot.wiring import open_stores

EVENT = {"type": "message", "channel_type": "im", "channel": "D" + MEMBER, "user": MEMBER, "text": "hi"}


def test_a_forged_signature_is_rejected(slack: SlackWorld) -> None:
    body = json.dumps({"type": "event_callback", "event": {**EVENT, "ts": "1.1"}, "event_id": "EvForged"})

    sent = slack.sender.post(body, "application/json", secret="not-the-secret")

    assert sent.status == 401
    assert slack.engine.questions == []


def test_a_stale_timestamp_is_rejected(slack: SlackWorld) -> None:
    body = json.dumps({"type": "event_callback", "event": {**EVENT, "ts": "1.1"}, "event_id": "EvStale"})

    sent = slack.sender.post(body, "application/json", timestamp=int(time.time()) - 10 * 60)

    assert sent.status == 401


def test_a_retried_event_is_acknowledged_and_answered_once(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "can they make me redundant?", event_id="EvRetried")
    event = {**EVENT, "text": "can they make me redundant?", "ts": ts}

    retries = [slack.sender.event(event, event_id="EvRetried", retry_num=n) for n in (1, 2)]

    assert [r.status for r in retries] == [200, 200]
    slack.answer_in("D" + MEMBER, ts)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert len(slack.engine.questions) == 1
    assert len(slack.api.calls_to("chat.postMessage")) == 1


def test_a_retry_arriving_after_a_restart_is_still_dropped(slack: SlackWorld) -> None:
    ts = slack.dm(MEMBER, "can they make me redundant?", event_id="EvAcrossRestart")
    slack.answer_in("D" + MEMBER, ts)

    with slack_world(slack.settings, slack.api, slack.engine, open_stores(slack.settings)) as again:
        sent = again.sender.event({**EVENT, "ts": ts}, event_id="EvAcrossRestart", retry_num=1)
        assert sent.status == 200
        again.app.listener_runner.listener_executor.shutdown(wait=True)

    assert len(slack.engine.questions) == 1


def test_slacks_url_check_gets_its_challenge_back(slack: SlackWorld) -> None:
    body = json.dumps(
        {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    )

    sent = slack.sender.post(body, "application/json")

    assert sent.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in sent.body
