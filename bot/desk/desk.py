"""The officers' desk: every decision about escalations, for every channel, synchronously.

A channel parses what happened (a button, a reply in a card's thread, a member's message), calls
one method here, and renders the result it gets back. The desk stores first, then reaches people
through the channels' small interfaces: `MemberChannel` to tell a member, `OfficerBoard` to show
officers a card. Teams' SDK is async: call the desk from a worker thread, not an async copy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk import texts
from bot.desk.member_delivery import MemberDelivery, as_delivery_error, look_from, looking_failed
from bot.desk.officers import OfficerDirectory
from bot.desk.ports import CardView, DeliveryError, MemberChannel, OfficerBoard
from bot.desk.results import AskResult, ClaimResult, Relay, RelayResult, ResolveResult, Retention
from bot.escalations import Card, Delivery, Escalation, EscalationStore, NewEscalation, utcnow
from bot.feedback import FeedbackStore
from bot.outbox import DeliveryLimits, OutboxEntry, OutboxStore, Purpose
from bot.reply import EscalationReason, Question, Reply

log = logging.getLogger("rightsbot.desk")


def is_note(text: str) -> bool:
    """Officers start a reply with `note:` to keep it among themselves."""
    return text.strip().lower().startswith("note:")


class Desk:
    def __init__(
        self,
        escalations: EscalationStore,
        answers: FeedbackStore,
        officers: OfficerDirectory,
        *,
        members: Iterable[MemberChannel] = (),
        boards: Iterable[OfficerBoard] = (),
        retention: Retention | None = None,
        outbox: OutboxStore | None = None,
        limits: DeliveryLimits | None = None,
    ) -> None:
        """`outbox` carries members' answers (`send_to_member`); without one only officers' cards
        and plain tells work (the desk's own tests)."""
        self.escalations = escalations
        self.answers = answers
        self.officers = officers
        self.members: dict[str, MemberChannel] = {}
        self.boards: dict[str, OfficerBoard] = {}
        self.retention = retention or Retention()
        self.outbox = outbox
        self.member_delivery = (
            MemberDelivery(
                outbox,
                self.members,
                limits or DeliveryLimits(),
                give_up=self._member_unreachable,
                posted=self._member_message_posted,
            )
            if outbox is not None
            else None
        )
        for member_channel in members:
            self.add_member_channel(member_channel)
        for board in boards:
            self.add_board(board)

    def add_member_channel(self, channel: MemberChannel) -> None:
        self.members[channel.platform] = channel

    def add_board(self, board: OfficerBoard) -> None:
        self.boards[board.platform] = board

    # --- members ---

    def send_to_member(
        self,
        address: ConversationAddress,
        message_id: str | None,
        payloads: list[dict[str, Any]],
        *,
        purpose: str = Purpose.ANSWER,
        question: str | None = None,
        answer_id: int | None = None,
        external: bool = False,
    ) -> bool:
        """Deliver a message its channel rendered (one payload per page, opaque here) to the member
        who sent `message_id`, durably: stored, posted now in page order, and when the channel asks
        us to wait, retried by the delivery worker (Retry-After honoured). True when every page is
        delivered now. If it can never be delivered, the member gets an apology and `question` goes
        to the officers (see `_member_unreachable`). `answer_id` is the answer record the message
        shows, linked to the posted message id once delivered (Teams' feedback needs it)."""
        if self.member_delivery is None:
            raise RuntimeError("the desk was built without an outbox for members' messages")
        return self.member_delivery.send(
            address,
            message_id,
            payloads,
            purpose=purpose,
            question=question,
            answer_id=answer_id,
            external=external,
        )

    def _member_unreachable(self, entry: OutboxEntry, reason: str) -> None:
        """An answer that can never be posted: the member gets an apology if anything still reaches
        them (one that cannot be posted is only logged), then officers the question (the open case
        of this message when there is one)."""
        if entry.purpose != Purpose.ANSWER:
            return
        question = Question(text=entry.question or texts.QUESTION_NOT_KEPT)
        escalation = self.escalate(
            entry.address,
            question,
            None,
            EscalationReason.FAILURE,
            external=entry.external,
            message_id=entry.message_id,
            deliver=False,
        )
        self.escalations.record(escalation.id, "rightsbot", "answer_not_delivered", reason)
        try:
            self._tell(entry.address, texts.answer_not_delivered(escalation.reference))
        except Exception as error:
            log.warning("apology not delivered id=%s error=%s", escalation.id, type(error).__name__)
        finally:
            self.deliver_cards(escalation)

    def _member_message_posted(self, entry: OutboxEntry, sent_id: str) -> None:
        if entry.answer_id is not None and sent_id:
            self.answers.answer_posted(entry.address, sent_id, entry.answer_id)

    def escalate(
        self,
        address: ConversationAddress,
        question: Question,
        reply: Reply | None,
        reason: EscalationReason | str,
        *,
        external: bool = False,
        message_id: str | None = None,
        deliver: bool = True,
    ) -> Escalation:
        """Store the escalation, then deliver its card to every configured board (failures are
        retried later). One member message opens one case: an open escalation for the same message
        is returned as it is. With deliver=False the caller tells the member first and then calls
        deliver_cards (the cards stay leased to it meanwhile), so a slow board never delays them."""
        if message_id and (existing := self.escalations.find_open_for_question(address, message_id)):
            return existing
        new = NewEscalation(
            address=address,
            question=question.text,
            reason=str(reason),
            message_id=message_id,
            draft=reply,
            thread=question.thread,
            external=external,
            boards=tuple(self.boards),
        )
        escalation = self.escalations.open(new)
        log.info("escalation opened id=%s ref=%s reason=%s", escalation.id, escalation.reference, reason)
        if deliver:
            self.deliver_cards(escalation)
        return escalation

    def deliver_cards(self, escalation: Escalation) -> int:
        """Deliver a new escalation's cards that were never tried (its creator holds their lease);
        cards that failed wait for their backoff and the worker."""
        cards = self.escalations.cards(escalation.id)
        return sum(self._deliver(card.id) for card in cards if card.delivery_state == Delivery.PENDING)

    def member_added(
        self, address: ConversationAddress, text: str, attachments: tuple[str, ...] = ()
    ) -> bool:
        """A member's later words in a conversation that is with an officer go under the card, and
        the member is told; False (nothing done) when no open escalation of theirs is there.
        `attachments` names files that came with them, which no channel passes on: the officer sees
        their names and the member is told they were not read. `text` may be empty when they sent
        only files."""
        escalation = self.escalations.find_open_for_thread(address)
        if escalation is None or escalation.user_id != address.user_id:
            return False  # colleagues chatting in a channel thread are not part of the member's case
        view = self.card_view(escalation)
        for card in self.escalations.cards(escalation.id):
            if board := self.boards.get(card.board):
                board.add(card.card_id, view, text, address.account, attachments)
        self.escalations.record(escalation.id, address.account, "member_added")
        told = texts.added(escalation.reference, view.claimed_by)
        if attachments:
            told += " " + texts.attachments_not_read(attachments)
        self._tell(escalation.address, told)
        return True

    def ask_officer(
        self, address: ConversationAddress, asker_user_id: str, answer_id: str | int
    ) -> AskResult:
        """The "Ask an officer" button under answer `answer_id`, pressed by `asker_user_id` in
        `address`: only the member who asked may hand it over, and only once."""
        record = self.answers.answer_record(int(answer_id)) if str(answer_id).isdigit() else None
        if record is None:
            return AskResult(False, notice=texts.EXPIRED)
        if (address.platform, asker_user_id) != (record.platform, record.user_id):
            return AskResult(False, notice=texts.ONLY_THE_ASKER)
        asked_in = record.address
        existing = (
            self.escalations.find_open_for_question(asked_in, record.message_id)
            if record.message_id
            else self.escalations.find_open_for_thread(asked_in)
        )
        if existing:
            return AskResult(False, existing, texts.already_with_officer(existing.reference))
        escalation = self.escalate(
            asked_in,
            record.question,
            record.reply,
            EscalationReason.MEMBER_REQUEST,
            message_id=record.message_id,
            deliver=False,
        )
        try:
            self._tell(asked_in, texts.handed_over(escalation.reference))
        finally:
            self.deliver_cards(escalation)
        return AskResult(True, escalation)

    # --- officers ---

    def identify(self, platform: str, user_id: str) -> OfficerIdentity:
        return self.officers.identify(platform, user_id)

    def is_officer(self, person: OfficerIdentity) -> bool:
        return self.officers.is_officer(person)

    def claim(self, reference: str, officer: OfficerIdentity, board: str) -> ClaimResult:
        """First claim wins (a conditional UPDATE); every card is redrawn and the member told."""
        escalation = self._find(reference)
        if escalation is None:
            return ClaimResult(False, notice=texts.UNKNOWN_ESCALATION)
        if not self.officers.is_officer(officer):
            return ClaimResult(False, escalation, texts.NOT_AN_OFFICER)
        claimed, changed = self.escalations.claim(escalation.id, officer.officer_id)
        if claimed is None:  # purged under retention between the lookup and the claim
            return ClaimResult(False, notice=texts.UNKNOWN_ESCALATION)
        if not changed:
            taken_by = self.officers.by_id(claimed.claimed_by) if claimed.is_open else None
            return ClaimResult(False, claimed, texts.already_taken(claimed.reference, taken_by, officer))
        log.info("escalation claimed id=%s board=%s", claimed.id, board)
        self.refresh_cards(claimed)
        self._tell(claimed.address, texts.picked_up(claimed.reference, officer))
        return ClaimResult(True, claimed)

    def resolve(self, reference: str, officer: OfficerIdentity, board: str) -> ResolveResult:
        escalation = self._find(reference)
        if escalation is None:
            return ResolveResult(False, notice=texts.UNKNOWN_ESCALATION)
        if not self.officers.is_officer(officer):
            return ResolveResult(False, escalation, texts.NOT_AN_OFFICER)
        resolved, changed = self.escalations.resolve(escalation.id, officer.officer_id)
        if resolved is None:
            return ResolveResult(False, notice=texts.UNKNOWN_ESCALATION)
        if not changed:
            return ResolveResult(False, resolved)
        log.info("escalation resolved id=%s board=%s", resolved.id, board)
        self.refresh_cards(resolved)
        self._tell(resolved.address, texts.closed(resolved.reference))
        return ResolveResult(True, resolved)

    def officer_reply(self, board: str, card_id: str, officer: OfficerIdentity, text: str) -> RelayResult:
        """A reply under card `card_id` on `board`: relayed to the member, attributed, unless it is a
        note or its writer is not an officer. Answering an open escalation claims it."""
        escalation = self.escalations.find_by_card(board, card_id)
        if escalation is None:
            return RelayResult(Relay.NOT_A_CARD)
        if is_note(text):
            return RelayResult(Relay.NOTE, escalation)
        if not self.officers.is_officer(officer):
            return RelayResult(Relay.NOT_AN_OFFICER, escalation, texts.NOT_RELAYED)
        claimed, changed = self.escalations.claim(escalation.id, officer.officer_id)
        if changed and claimed is not None:
            self.refresh_cards(claimed)
        try:
            self._channel_for(escalation).tell(
                escalation.address, text, from_officer=officer, reference=escalation.reference
            )
        except Exception as error:
            log.warning("relay failed id=%s error=%s", escalation.id, type(error).__name__)
            return RelayResult(Relay.FAILED, escalation, texts.RELAY_FAILED)
        self.escalations.record(escalation.id, officer.officer_id, "relayed")
        return RelayResult(Relay.RELAYED, escalation)

    def is_card(self, board: str, card_id: str) -> bool:
        """Whether `card_id` on `board` is an escalation's card, so replies under it are about a case."""
        return self.escalations.find_by_card(board, card_id) is not None

    def queue_for(self, person: OfficerIdentity) -> list[CardView] | None:
        """Open escalations, oldest first, for an officer; None for anyone else."""
        if not self.officers.is_officer(person):
            return None
        return [self.card_view(escalation) for escalation in self.escalations.open_queue()]

    # --- cards ---

    def card_view(self, escalation: Escalation) -> CardView:
        return CardView(
            reference=escalation.reference,
            status=escalation.status,
            reason=escalation.reason,
            question=escalation.question,
            member=escalation.address,
            created_at=escalation.created_at,
            message_id=escalation.message_id,
            draft=escalation.draft,
            claimed_by=self.officers.by_id(escalation.claimed_by),
            resolved_by=self.officers.by_id(escalation.resolved_by),
            external=escalation.external,
        )

    def refresh_cards(self, escalation: Escalation) -> None:
        """Redraw every delivered card; a board that refuses only loses the redraw, not the action."""
        view = self.card_view(escalation)
        for card in self.escalations.cards(escalation.id):
            board = self.boards.get(card.board)
            if board is None or card.card_id is None:
                continue
            try:
                board.refresh(card.card_id, view)
            except Exception as error:
                log.warning(
                    "card refresh failed id=%s board=%s error=%s",
                    escalation.id,
                    card.board,
                    type(error).__name__,
                )

    # --- delivery ---

    def deliver_pending(self, *, include_not_yet_due: bool = False) -> int:
        """Deliver every undelivered member message and card that is due (all of them at start-up),
        members' first; returns how many. Only those for this process's channels are taken."""
        due_before = utcnow() + (timedelta(days=36500) if include_not_yet_due else timedelta(0))
        delivered = self.member_delivery.deliver_due(due_before) if self.member_delivery else 0
        for card_pk in self.escalations.due_cards(due_before, tuple(self.boards)):
            if self.escalations.lease(card_pk, due_before):
                delivered += self._deliver(card_pk)
        return delivered

    def _deliver(self, card_pk: int) -> bool:
        """Post one card (the caller holds its lease); on failure record when to try again. A card
        whose earlier post has an unknown outcome (the process died, a 5xx) is looked for first."""
        card = self.escalations.card(card_pk)
        if card is None or card.delivery_state == Delivery.DELIVERED:
            return False
        escalation = self.escalations.get(card.escalation_id)
        board = self.boards.get(card.board)
        if escalation is None or board is None:
            return False
        view = self.card_view(escalation)
        try:
            card_id = self._found_card(board, card, view)
        except Exception as error:
            self._failed(card_pk, looking_failed(error))
            return False
        if card_id is None:
            try:
                self.escalations.begin_attempt(card_pk)
                card_id = board.post(view)
            except Exception as error:  # connection refused, timeouts: the same answer, try later
                self._failed(card_pk, as_delivery_error(error))
                return False
        self.escalations.mark_delivered(card_pk, board.channel, card_id)
        log.info("escalation card delivered id=%s board=%s", escalation.id, card.board)
        return True

    @staticmethod
    def _found_card(board: OfficerBoard, card: Card, view: CardView) -> str | None:
        since = look_from(card.attempt_started_at)
        if since is None:
            return None
        found = board.find(view, since)
        if found:
            log.info("escalation card found already posted id=%s board=%s", card.escalation_id, card.board)
        return found

    def _failed(self, card_pk: int, error: DeliveryError) -> None:
        card = self.escalations.mark_failed(card_pk, error.reason, error.retry_after, error.maybe_posted)
        log.warning(
            "escalation card not delivered id=%s board=%s error=%s attempt=%s next=%s",
            card.escalation_id,
            card.board,
            error.reason,
            card.attempts,
            card.next_attempt_at.isoformat(),
        )

    # --- helpers ---

    def _find(self, reference: str) -> Escalation | None:
        """By reference; cards posted before the desk carried the numeric id in their buttons."""
        if reference.isdigit():
            return self.escalations.get(int(reference))
        return self.escalations.by_reference(reference)

    def _channel_for(self, escalation: Escalation) -> MemberChannel:
        channel = self.members.get(escalation.platform)
        if channel is None:
            raise RuntimeError(f"no member channel for platform {escalation.platform}")
        return channel

    def _tell(self, address: ConversationAddress, text: str) -> None:
        channel = self.members.get(address.platform)
        if channel is None:
            raise RuntimeError(f"no member channel for platform {address.platform}")
        channel.tell(address, text)
