"""Contract tests for the desk's ports, subclassed once per implementation (the recording fakes,
Slack, and any new channel), so a fake and a real adapter cannot drift apart.

A subclass provides fixtures `board` / `channel` and the small readers below, which look at what
the implementation really produced (for Slack: the calls on the fake Web API)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk.ports import CardView, DeliveryError, MemberChannel, OfficerBoard
from bot.fakes import escalating_answer
from bot.reply import EscalationReason
from bot.storage import utcnow

MEMBER = ConversationAddress(
    platform="slack", conversation_id="DUMEMBER1", thread_id="1.000001", user_id="UMEMBER1"
)
JANE = OfficerIdentity(officer_id="jane", name="Jane Okafor", accounts=("slack:UJANE", "teams:29:jane"))


def card(status: str = "open", claimed_by: OfficerIdentity | None = None, **changes: object) -> CardView:
    fields: dict[str, object] = {
        "reference": "MIP-2026-0042",
        "status": status,
        "reason": "high_stakes",
        "question": "I'm being dismissed on Friday & my manager won't say why",
        "member": MEMBER,
        "created_at": datetime(2026, 12, 1, 9, 0),
        "message_id": "1.000001",
        "draft": escalating_answer(EscalationReason.HIGH_STAKES),
        "claimed_by": claimed_by,
        **changes,
    }
    return CardView(**fields)  # type: ignore[arg-type]


class OfficerBoardContract:
    def shown(self, board: OfficerBoard, card_id: str) -> str:
        """Everything the card shows officers now, as text."""
        raise NotImplementedError

    def added(self, board: OfficerBoard) -> list[str]:
        """What was put under (or beside) cards, oldest first."""
        raise NotImplementedError

    def refuse_next_post(self, board: OfficerBoard, retry_after: int) -> None:
        """Make the platform refuse the next post with a rate limit and Retry-After."""
        raise NotImplementedError

    def test_a_posted_card_has_an_id_and_shows_its_reference(self, board: OfficerBoard) -> None:
        card_id = board.post(card())

        assert card_id and "MIP-2026-0042" in self.shown(board, card_id)
        assert board.platform in ("slack", "teams") and board.channel

    def test_a_refreshed_card_shows_who_claimed_it(self, board: OfficerBoard) -> None:
        card_id = board.post(card())
        before = self.shown(board, card_id)

        board.refresh(card_id, card("claimed", claimed_by=JANE))

        assert self.shown(board, card_id) != before

    def test_a_members_words_go_under_the_card_or_beside_it(self, board: OfficerBoard) -> None:
        card_id = board.post(card())

        board.add(card_id, card(), "The hearing is at 10.", "slack:UMEMBER1")
        board.add(None, card(), "And my rep is away.", "teams:29:member")

        said = self.added(board)
        assert "The hearing is at 10." in said[-2] and "And my rep is away." in said[-1]

    def test_files_a_member_sent_are_named_under_the_card(self, board: OfficerBoard) -> None:
        card_id = board.post(card())

        board.add(card_id, card(), "", "slack:UMEMBER1", ("dismissal letter.pdf",))

        assert "dismissal letter.pdf" in self.added(board)[-1]

    def test_a_refused_post_raises_delivery_error_with_retry_after(self, board: OfficerBoard) -> None:
        self.refuse_next_post(board, retry_after=1)  # Slack's client waits it out once first

        with pytest.raises(DeliveryError) as refused:
            board.post(card())

        assert refused.value.retry_after == 1 and refused.value.reason
        assert not refused.value.permanent and not refused.value.maybe_posted

    def test_a_posted_card_is_found_again_by_its_reference(self, board: OfficerBoard) -> None:
        """A board that can look (Slack) finds it; one that cannot (Teams) is at least once."""
        since = utcnow() - timedelta(minutes=1)
        card_id = board.post(card())

        assert board.find(card(), since) == card_id
        assert board.find(card(reference="MIP-2026-0043"), since) is None


class MemberChannelContract:
    def said(self, channel: MemberChannel, address: ConversationAddress) -> list[str]:
        """What the member's conversation shows, oldest first."""
        raise NotImplementedError

    def refuse_next_tell(self, channel: MemberChannel) -> None:
        raise NotImplementedError

    def payload(self, text: str) -> dict:
        """A message as this channel renders it for `send`."""
        raise NotImplementedError

    def refuse_next_send_for_good(self, channel: MemberChannel) -> None:
        """Make the platform refuse the next send in a way no retry can change (channel gone)."""
        raise NotImplementedError

    def test_a_rendered_message_is_sent_and_found_again_by_its_key(self, channel: MemberChannel) -> None:
        since = utcnow() - timedelta(minutes=1)
        sent_id = channel.send(MEMBER, self.payload("You can bring a companion."), "1.000001:answer:0")

        assert sent_id and "You can bring a companion." in self.said(channel, MEMBER)[-1]
        assert channel.find_sent(MEMBER, "1.000001:answer:0", since) == sent_id
        assert channel.find_sent(MEMBER, "1.000001:answer:1", since) is None

    def test_a_refusal_for_good_says_so(self, channel: MemberChannel) -> None:
        self.refuse_next_send_for_good(channel)

        with pytest.raises(DeliveryError) as refused:
            channel.send(MEMBER, self.payload("hello"), "1.000001:answer:0")

        assert refused.value.permanent

    def test_plain_text_reaches_the_members_thread(self, channel: MemberChannel) -> None:
        channel.tell(MEMBER, "A national officer has picked up your question (MIP-2026-0042).")

        assert "has picked up your question (MIP-2026-0042)" in self.said(channel, MEMBER)[-1]

    def test_an_officers_reply_reaches_the_member_with_its_words(self, channel: MemberChannel) -> None:
        channel.tell(MEMBER, "Don't resign. Call me.", from_officer=JANE, reference="MIP-2026-0042")

        assert "Don't resign. Call me." in self.said(channel, MEMBER)[-1]

    def test_a_refusal_raises(self, channel: MemberChannel) -> None:
        self.refuse_next_tell(channel)

        with pytest.raises(Exception):  # noqa: B017 - any failure: the desk reports it to the officer
            channel.tell(MEMBER, "hello")
