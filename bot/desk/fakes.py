"""In-memory channels for tests, beside the real adapters: they record what the desk asked of them and
can be told to refuse, like a platform would (used by the desk's tests and any channel's)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk.ports import CardView, DeliveryError


@dataclass
class Told:
    address: ConversationAddress
    text: str
    from_officer: OfficerIdentity | None = None
    reference: str | None = None


@dataclass
class Sent:
    address: ConversationAddress
    payload: dict[str, Any]
    key: str
    id: str


@dataclass
class RecordingMemberChannel:
    """A MemberChannel that keeps every message; `refuse` makes the next tells and sends raise
    `refusal` (a rate limit unless a test gives another DeliveryError)."""

    platform: str = "slack"
    told: list[Told] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    refuse: int = 0
    refusal: DeliveryError = field(default_factory=lambda: DeliveryError("refused"))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def tell(
        self,
        address: ConversationAddress,
        text: str,
        *,
        from_officer: OfficerIdentity | None = None,
        reference: str | None = None,
    ) -> None:
        if self.refuse:
            self.refuse -= 1
            raise DeliveryError("refused")
        self.told.append(Told(address, text, from_officer, reference))

    def send(self, address: ConversationAddress, payload: dict[str, Any], key: str) -> str:
        if self.refuse:
            self.refuse -= 1
            raise self.refusal
        self.sent.append(Sent(address, payload, key, f"{self.platform}-message-{next(self._ids)}"))
        return self.sent[-1].id

    def find_sent(self, address: ConversationAddress, key: str, since: datetime) -> str | None:
        return next((s.id for s in self.sent if s.key == key and s.address == address), None)


@dataclass
class RecordingBoard:
    """An OfficerBoard that keeps its cards by id; `refuse` makes the next posts raise DeliveryError."""

    platform: str = "slack"
    channel: str | None = "COFFICERS"
    cards: dict[str, CardView] = field(default_factory=dict)
    added: list[tuple[str | None, str, str]] = field(default_factory=list)  # (card id, text, author)
    attachments: list[tuple[str, ...]] = field(default_factory=list)  # named with each of `added`
    refuse: int = 0
    retry_after: float | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def post(self, card: CardView) -> str:
        if self.refuse:
            self.refuse -= 1
            raise DeliveryError("ratelimited", self.retry_after)
        card_id = f"{self.platform}-card-{next(self._ids)}"
        self.cards[card_id] = card
        return card_id

    def find(self, card: CardView, since: datetime) -> str | None:
        return next((i for i, c in self.cards.items() if c.reference == card.reference), None)

    def refresh(self, card_id: str, card: CardView) -> None:
        self.cards[card_id] = card

    def add(
        self, card_id: str | None, card: CardView, text: str, author: str, attachments: tuple[str, ...] = ()
    ) -> None:
        self.added.append((card_id, text, author))
        self.attachments.append(attachments)
