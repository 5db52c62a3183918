"""The officers' desk on its own, over recording channels: what it decides for every channel.

A member can ask in one platform and the officer answer from another; one officer is one identity
across platforms; what members are told carries no channel's markup."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.address import ConversationAddress, OfficerIdentity
from bot.data_rights import Cutoffs, purge
from bot.desk import Desk, OfficerDirectory, Relay, Retention
from bot.desk.fakes import RecordingBoard, RecordingMemberChannel
from bot.escalations import Delivery, Escalation, EscalationStore, Status, utcnow
from bot.fakes import escalating_answer
from bot.feedback import AnsweredQuestion, FeedbackStore
from bot.reply import EscalationReason, Question

JANE = OfficerIdentity(officer_id="jane", name="Jane Okafor", accounts=("slack:UJANE", "teams:29:jane"))
RAJ = OfficerIdentity(officer_id="raj", name="Raj Patel", accounts=("slack:URAJ",))
REP = OfficerIdentity.of_account("slack", "UREP")
IN_TEAMS = ConversationAddress(
    platform="teams",
    conversation_id="a:1" + "x" * 120,
    user_id="29:member",
    tenant_or_team="tenant-1",
    service_url="http://127.0.0.1:9/",
    reference={"conversation": {"id": "a:1"}},
)
IN_SLACK = ConversationAddress(
    platform="slack", conversation_id="DMEMBER", thread_id="1.0", user_id="UMEMBER"
)


class Office:
    """A desk with a Slack board, a Teams board, and members in both."""

    def __init__(self, url: str) -> None:
        self.escalations, self.answers = EscalationStore(url), FeedbackStore(url)
        self.slack, self.teams = RecordingMemberChannel("slack"), RecordingMemberChannel("teams")
        self.slack_board = RecordingBoard("slack", "COFFICERS")
        self.teams_board = RecordingBoard("teams", "19:officers@thread.tacv2")
        self.desk = Desk(
            self.escalations,
            self.answers,
            OfficerDirectory([JANE, RAJ]),
            members=[self.slack, self.teams],
            boards=[self.slack_board, self.teams_board],
            retention=Retention(escalation_days=365, answer_days=30),
        )

    def escalate(self, address: ConversationAddress = IN_TEAMS, message_id: str | None = "m1") -> Escalation:
        reply = escalating_answer(EscalationReason.HIGH_STAKES)
        return self.desk.escalate(
            address, Question(text="I'm being dismissed"), reply, "high_stakes", message_id=message_id
        )

    def card_id(self, escalation: Escalation, board: str) -> str:
        [card] = [c for c in self.escalations.cards(escalation.id) if c.board == board]
        assert card.card_id is not None
        return card.card_id

    def told(self) -> list[str]:
        return [told.text for told in self.slack.told + self.teams.told]


@pytest.fixture
def office(database_url: str) -> Office:
    """On SQLite and on a real PostgreSQL, each on a fresh database."""
    return Office(database_url)


def test_an_escalation_is_stored_then_carded_on_every_board(office: Office) -> None:
    escalation = office.escalate()

    assert [c.delivery_state for c in office.escalations.cards(escalation.id)] == [Delivery.DELIVERED] * 2
    [slack_card] = office.slack_board.cards.values()
    [teams_card] = office.teams_board.cards.values()
    assert slack_card.reference == teams_card.reference == escalation.reference
    assert slack_card.member == IN_TEAMS and slack_card.draft is not None and slack_card.draft.citations


def test_the_same_message_opens_one_case(office: Office) -> None:
    first, again = office.escalate(), office.escalate()

    assert first.id == again.id and len(office.slack_board.cards) == 1


def test_a_teams_member_hears_from_an_officer_working_in_slack(office: Office) -> None:
    escalation = office.escalate()

    claimed = office.desk.claim(escalation.reference, office.desk.identify("slack", "UJANE"), "slack")
    relayed = office.desk.officer_reply("slack", office.card_id(escalation, "slack"), JANE, "Call me at 3.")
    resolved = office.desk.resolve(escalation.reference, JANE, "slack")

    assert claimed.claimed and relayed.outcome == Relay.RELAYED and resolved.resolved
    picked_up, reply, closed = office.teams.told
    assert picked_up.address == IN_TEAMS and "Jane Okafor" in picked_up.text
    assert (reply.text, reply.from_officer, reply.reference) == ("Call me at 3.", JANE, escalation.reference)
    assert "has closed your question" in closed.text
    assert office.slack.told == []
    assert office.slack_board.cards[office.card_id(escalation, "slack")].status == Status.RESOLVED
    assert office.teams_board.cards[office.card_id(escalation, "teams")].status == Status.RESOLVED


def test_one_officer_is_one_identity_across_platforms(office: Office) -> None:
    escalation = office.escalate()
    office.desk.claim(escalation.reference, office.desk.identify("teams", "29:jane"), "teams")

    again = office.desk.claim(escalation.reference, office.desk.identify("slack", "UJANE"), "slack")

    assert office.escalations.get(escalation.id).claimed_by == "jane"
    assert again.notice == f"You have already claimed {escalation.reference}."


def test_the_first_claim_wins_and_the_second_officer_is_told_who_has_it(office: Office) -> None:
    escalation = office.escalate()

    first = office.desk.claim(escalation.reference, RAJ, "slack")
    second = office.desk.claim(escalation.reference, JANE, "teams")

    assert first.claimed and not second.claimed
    assert second.notice == f"{escalation.reference} is already taken: claimed by Raj Patel."
    assert office.escalations.get(escalation.id).claimed_by == "raj"


def test_only_officers_claim_resolve_or_reach_the_member(office: Office) -> None:
    escalation = office.escalate()
    card_id = office.card_id(escalation, "slack")

    assert (
        office.desk.claim(escalation.reference, REP, "slack").notice
        == "Sorry, only national officers can do that."
    )
    assert not office.desk.resolve(escalation.reference, REP, "slack").resolved
    refused = office.desk.officer_reply("slack", card_id, REP, "I can help too")

    assert refused.outcome == Relay.NOT_AN_OFFICER and "stayed here" in (refused.notice or "")
    assert office.teams.told == [] and office.escalations.get(escalation.id).status == Status.OPEN


def test_notes_stay_among_officers_and_replying_claims(office: Office) -> None:
    escalation = office.escalate()
    card_id = office.card_id(escalation, "slack")

    note = office.desk.officer_reply("slack", card_id, JANE, "Note: I know this employer")
    reply = office.desk.officer_reply("slack", card_id, JANE, "Don't resign.")
    elsewhere = office.desk.officer_reply("slack", "not-a-card", JANE, "hello")

    assert (note.outcome, reply.outcome, elsewhere.outcome) == (Relay.NOTE, Relay.RELAYED, Relay.NOT_A_CARD)
    assert [told.text for told in office.teams.told] == ["Don't resign."]
    assert office.escalations.get(escalation.id).claimed_by == "jane"


def test_a_relay_the_members_channel_refuses_is_reported_to_the_officer(office: Office) -> None:
    escalation = office.escalate()
    office.teams.refuse = 1

    failed = office.desk.officer_reply("slack", office.card_id(escalation, "slack"), JANE, "Call me.")

    assert failed.outcome == Relay.FAILED and "send it again" in (failed.notice or "")


def test_a_members_later_words_go_under_every_card_and_only_theirs(office: Office) -> None:
    escalation = office.escalate(IN_SLACK)
    colleague = IN_SLACK.model_copy(update={"user_id": "UCOLLEAGUE"})

    assert office.desk.member_added(IN_SLACK, "The hearing is at 10.")
    assert not office.desk.member_added(colleague, "Same happened to me")

    assert office.slack_board.added == [
        (office.card_id(escalation, "slack"), "The hearing is at 10.", "slack:UMEMBER")
    ]
    assert len(office.teams_board.added) == 1
    assert office.slack.told[-1].text == (
        f"I've added this to your question ({escalation.reference}) for the national officer who picks it up."
    )


def test_files_added_in_a_thread_with_an_officer_are_named_and_the_member_told_they_were_not_read(
    office: Office,
) -> None:
    office.escalate(IN_SLACK)

    assert office.desk.member_added(IN_SLACK, "", ("contract.pdf",))

    assert office.slack_board.attachments == [("contract.pdf",)]
    told = office.slack.told[-1].text
    assert "I've added this" in told and "have not read contract.pdf" in told and "*" not in told


def test_only_the_asker_can_hand_their_answer_over_and_only_once(office: Office) -> None:
    answered = AnsweredQuestion(
        IN_SLACK, "1.0", Question(text="notice?"), escalating_answer(EscalationReason.ASKED_FOR_PERSON)
    )
    answer_id = office.answers.remember_answer(answered)
    someone_else = IN_SLACK.model_copy(update={"user_id": "UREP"})

    refused = office.desk.ask_officer(someone_else, "UREP", answer_id)
    asked = office.desk.ask_officer(IN_SLACK, "UMEMBER", str(answer_id))
    twice = office.desk.ask_officer(IN_SLACK, "UMEMBER", answer_id)
    expired = office.desk.ask_officer(IN_SLACK, "UMEMBER", "999")

    assert "Only the member who asked" in (refused.notice or "")
    assert asked.created and asked.escalation is not None and asked.escalation.reason == "member_request"
    assert not twice.created and asked.escalation.reference in (twice.notice or "")
    assert "too old" in (expired.notice or "")
    assert office.slack.told[-1].text.endswith(f"Your reference is {asked.escalation.reference}.")


def test_a_refused_card_waits_for_retry_after_then_is_delivered(office: Office) -> None:
    office.slack_board.refuse, office.slack_board.retry_after = 1, 30.0

    escalation = office.escalate()

    slack_card, teams_card = office.escalations.cards(escalation.id)
    assert slack_card.delivery_state == Delivery.FAILED and teams_card.delivery_state == Delivery.DELIVERED
    assert slack_card.next_attempt_at >= utcnow() + timedelta(seconds=29)
    assert office.desk.deliver_pending() == 0  # not due: Retry-After said 30 s
    assert office.desk.deliver_pending(include_not_yet_due=True) == 1  # at start-up, everything
    assert office.escalations.cards(escalation.id)[0].delivery_state == Delivery.DELIVERED


def test_a_board_this_process_lacks_keeps_its_cards_for_a_process_that_has_it(
    office: Office,
) -> None:
    office.teams_board.refuse = 1
    escalation = office.escalate()
    slack_only = Desk(
        office.escalations, office.answers, OfficerDirectory([JANE]), boards=[RecordingBoard("slack")]
    )

    assert slack_only.deliver_pending(include_not_yet_due=True) == 0
    assert office.escalations.cards(escalation.id)[1].delivery_state == Delivery.FAILED


def test_nothing_a_member_is_told_carries_channel_markup(office: Office) -> None:
    escalation = office.escalate(IN_SLACK)
    office.desk.claim(escalation.reference, office.desk.identify("slack", "URAJ"), "slack")
    office.desk.member_added(IN_SLACK, "more")
    office.desk.resolve(escalation.reference, RAJ, "slack")

    assert office.told() and not any("<@" in text or "*" in text for text in office.told())


def test_retention_purges_escalations_with_their_cards(office: Office) -> None:
    escalation = office.escalate()
    with office.escalations._session() as session:
        session.get_one(Escalation, escalation.id).created_at = utcnow() - timedelta(days=400)

    cutoffs = Cutoffs.retention(escalation_days=365, answer_days=30, now=utcnow())
    assert purge([office.escalations, office.answers], cutoffs)["escalations"] == 1
    assert office.escalations.get(escalation.id) is None and office.escalations.cards(escalation.id) == []
