"""High-stakes questions reach the officers' channel as a card; officers claim, reply and resolve."""

from __future__ import annotations

from slack_world import CHANNEL, GROUP_OFFICER, MEMBER, OFFICER, OFFICERS, REP, SlackWorld, eventually
from test_member_gets_answer_in_thread import action_ids, texts

from bot.escalations import Escalation, Status
from bot.slack.fake_slack import Call, is_relay

DISMISSAL = "I've been told I'm being dismissed on Friday. What can I do?"


def escalate(slack: SlackWorld) -> tuple[str, Call, Escalation]:
    ts = slack.mention(MEMBER, DISMISSAL)
    card = slack.card()
    [escalation] = slack.escalations.open_queue()
    return ts, card, escalation


def press(slack: SlackWorld, user: str, action_id: str, escalation: Escalation, card: Call) -> None:
    """Press a button on the card as posted: its value is what Slack sends back."""
    [value] = [
        e["value"]
        for b in card.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]
    assert value == escalation.reference
    assert slack.click(user, action_id, value, OFFICERS, card.response["ts"]).status == 200


def member_told(slack: SlackWorld, phrase: str) -> Call:
    return slack.api.wait_for("chat.postMessage", lambda p: p["channel"] == CHANNEL and phrase in p["text"])[
        0
    ]


def test_a_high_stakes_question_is_stored_first_then_carded_and_the_member_told(slack: SlackWorld) -> None:
    ts, card, escalation = escalate(slack)

    assert escalation.reason == "high_stakes" and escalation.reference.startswith("MIP-")
    answer = slack.answer_in(CHANNEL, ts)
    assert escalation.reference in texts(answer.params["blocks"])
    assert "ask_officer" not in action_ids(answer.params["blocks"])  # already with an officer
    shown = texts(card.params["blocks"])
    assert f"<@{MEMBER}>" in shown and DISMISSAL.replace("'", "'") in shown
    assert f"https://mip.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}" in shown
    assert "High stakes" in shown and "Bot's draft answer" in shown and "[1]" in shown
    assert action_ids(card.params["blocks"]) == ["escalation_claim", "escalation_resolve"]
    eventually(lambda: [e.action for e in slack.escalations.audit(escalation.id)] == ["created", "delivered"])


def test_an_officer_claims_the_card_and_the_member_hears(slack: SlackWorld) -> None:
    _, card, escalation = escalate(slack)

    press(slack, OFFICER, "escalation_claim", escalation, card)

    update = slack.api.wait_for("chat.update")[0]
    assert update.params["ts"] == card.response["ts"]
    assert f"Claimed by <@{OFFICER}>" in texts(update.params["blocks"])
    assert action_ids(update.params["blocks"]) == ["escalation_resolve"]
    member_told(slack, "has picked up your question")
    assert slack.escalations.get(escalation.id).claimed_by == f"slack:{OFFICER}"


def test_a_user_group_member_counts_as_an_officer(slack: SlackWorld) -> None:
    _, card, escalation = escalate(slack)

    press(slack, GROUP_OFFICER, "escalation_claim", escalation, card)

    slack.api.wait_for("chat.update")
    assert slack.api.calls_to("usergroups.users.list")[0].params["usergroup"] == "SOFFICERS"


def test_non_officers_are_refused_privately(slack: SlackWorld) -> None:
    _, card, escalation = escalate(slack)

    press(slack, REP, "escalation_claim", escalation, card)
    press(slack, REP, "escalation_resolve", escalation, card)

    refusals = slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == REP, count=2)
    assert all("only national officers" in r.params["text"] for r in refusals)
    assert slack.escalations.get(escalation.id).status == Status.OPEN
    assert slack.api.calls_to("chat.update") == []


def test_an_officers_reply_in_the_card_thread_reaches_the_member_attributed(slack: SlackWorld) -> None:
    ts, card, escalation = escalate(slack)

    said = slack.reply_in_card_thread(OFFICER, card.response["ts"], "Don't resign. Call me on 0207 000 000.")

    relayed = member_told(slack, "Don't resign")
    assert relayed.params["thread_ts"] == ts
    assert f"<@{OFFICER}> · national officer · {escalation.reference}" in texts(relayed.params["blocks"])
    assert relayed.params["metadata"]["event_type"] == "rightsbot_officer_reply"
    slack.api.wait_for("reactions.add", lambda p: p["timestamp"] == said)
    assert slack.escalations.get(escalation.id).claimed_by == f"slack:{OFFICER}"  # replying claims it


def test_notes_and_non_officer_replies_stay_in_the_officers_channel(slack: SlackWorld) -> None:
    _, card, _ = escalate(slack)

    slack.reply_in_card_thread(OFFICER, card.response["ts"], "note: I know this employer")
    slack.reply_in_card_thread(REP, card.response["ts"], "I can help too")

    slack.api.wait_for("chat.postEphemeral", lambda p: p["user"] == REP)
    slack.app.listener_runner.listener_executor.shutdown(wait=True)  # let every lazy listener finish
    relays = slack.api.calls_to("chat.postMessage", is_relay)
    assert relays == []


def test_resolve_closes_the_card_and_tells_the_member(slack: SlackWorld) -> None:
    _, card, escalation = escalate(slack)

    press(slack, OFFICER, "escalation_resolve", escalation, card)

    update = slack.api.wait_for("chat.update")[0]
    assert f"Resolved by <@{OFFICER}>" in texts(update.params["blocks"])
    assert action_ids(update.params["blocks"]) == []
    member_told(slack, "has closed your question")
    assert slack.escalations.open_queue() == []
    assert [e.action for e in slack.escalations.audit(escalation.id)] == ["created", "delivered", "resolved"]


def test_the_queue_shows_officers_open_escalations_with_their_age(slack: SlackWorld) -> None:
    _, _, escalation = escalate(slack)

    slack.slash(OFFICER, "queue", name="queue")

    shown = slack.api.wait_for("response_url", lambda p: p["response_url"] == "queue")[0]
    assert escalation.reference in texts(shown.params["blocks"])
    assert "0 min old" in texts(shown.params["blocks"])


def test_the_queue_is_refused_to_non_officers(slack: SlackWorld) -> None:
    escalate(slack)

    slack.slash(REP, "queue", name="queue")

    shown = slack.api.wait_for("response_url", lambda p: p["response_url"] == "queue")[0]
    assert "only national officers" in shown.params["text"] and "blocks" not in shown.params


def test_app_home_explains_privacy_and_shows_officers_the_queue(slack: SlackWorld) -> None:
    _, _, escalation = escalate(slack)

    slack.sender.event({"type": "app_home_opened", "user": OFFICER, "tab": "home", "channel": "DOFFICER"})
    slack.sender.event({"type": "app_home_opened", "user": MEMBER, "tab": "home", "channel": "DMEMBER"})

    published = slack.api.wait_for("views.publish", count=2)
    views = {call.params["user_id"]: texts(call.params["view"]["blocks"]) for call in published}
    assert "special-category data" in views[MEMBER] and "30 days" in views[MEMBER]
    assert "do not give legal advice" in views[MEMBER]
    assert escalation.reference in views[OFFICER] and escalation.reference not in views[MEMBER]


def test_the_member_hears_before_the_card_is_posted(slack: SlackWorld) -> None:
    """A slow or refusing officers' board must never hold a member's answer up."""
    ts, card, _ = escalate(slack)

    assert slack.answer_in(CHANNEL, ts).at < card.at
