"""The real answer engine behind the real Slack app: the same wiring as production, over the bundled
factsheets and the real corpus, not the scripted engine the other Slack tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_world import MEMBER, OFFICERS, SlackWorld, slack_world
from test_member_gets_answer_in_thread import action_ids, texts
from test_members_are_answered_promptly import measure, report

from bot.settings import Settings
from bot.slack.fake_slack import FakeSlackApi
from bot.wiring import Stores, build_engine


@pytest.fixture
def real_slack(
    settings: Settings,
    api: FakeSlackApi,
    real_knowledge,  # noqa: ANN001
    stores: Stores,
) -> Iterator[SlackWorld]:
    engine = build_engine(settings, real_knowledge)
    with slack_world(settings, api, engine, stores) as world:  # type: ignore[arg-type]
        yield world


def test_a_member_gets_a_cited_answer_from_the_knowledge_base(real_slack: SlackWorld) -> None:
    ts = real_slack.dm(MEMBER, "I'm on a fixed-term contract. Can they make me redundant first?")

    shown = texts(real_slack.answer_in("D" + MEMBER, ts).params["blocks"])

    assert "less favourabl" in shown.lower()
    assert "[1]" in shown and "general information" in shown


def test_a_dismissed_member_is_handed_to_an_officer_with_the_draft(real_slack: SlackWorld) -> None:
    real_slack.dm(MEMBER, "I was sacked today for gross misconduct after 9 years, what do I do now?")

    card = real_slack.card()

    assert card.params["channel"] == OFFICERS
    assert "high_stakes" in card.params["text"] or "high" in texts(card.params["blocks"]).lower()


def test_acks_stay_instant_with_the_real_engine(
    real_slack: SlackWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    acks, answers = measure(real_slack)

    report("real engine", acks, answers, capsys)
    assert max(acks) < 1.0  # Slack allows 3 s


def test_asking_the_real_engine_for_a_person_gets_one_hand_over(real_slack: SlackWorld) -> None:
    ts = real_slack.dm(MEMBER, "I want to speak to a person")

    reply = real_slack.answer_in("D" + MEMBER, ts)

    [escalation] = real_slack.escalations.open_queue()
    shown = texts(reply.params["blocks"])
    assert shown.count(escalation.reference) == 1 and shown.count("reply here in this thread") == 1
    assert shown.count("MemberAdvice") <= 1 and shown.count("national officer") == 1
    assert action_ids(reply.params["blocks"]) == []


def test_the_real_engine_reads_an_ampersand_as_one(real_slack: SlackWorld) -> None:
    real_slack.dm(MEMBER, "I want to speak to a person about my T&amp;Cs")

    card = real_slack.card()

    assert "T&amp;Cs" in texts(card.params["blocks"]) and "&amp;amp;" not in str(card.params)
