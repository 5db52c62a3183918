"""The two small interfaces a channel implements for the desk, and the card the desk hands them.

A channel (Slack, Teams) implements `MemberChannel` to reach members and, when officers work there,
`OfficerBoard` to show them cards. The desk never sees Block Kit or Adaptive Cards: it builds a
`CardView` and each board renders it its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.address import ConversationAddress, OfficerIdentity
from bot.reply import Reply

Payload = dict[str, Any]  # a channel's own rendered message (Slack: text and blocks; Teams: an Activity)


class DeliveryError(Exception):
    """A channel refused or could not take a message (rate limit, 5xx, network).

    `reason` is short and never carries message text; `retry_after` is the platform's Retry-After in
    seconds when it gave one. The desk retries with backoff, never sooner than retry_after.
    `permanent`: trying again cannot help (the channel is gone, the bot was removed from it).
    `maybe_posted`: the platform may have posted it all the same (a 5xx, a timeout), so the next try
    first looks for it; False when the platform said plainly that it did not (a 429, a refusal)."""

    def __init__(
        self,
        reason: str,
        retry_after: float | None = None,
        *,
        permanent: bool = False,
        maybe_posted: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.maybe_posted = maybe_posted


@dataclass(frozen=True)
class CardView:
    """Everything an officers' card shows, channel-neutral.

    status is "open" | "claimed" | "resolved"; reason an EscalationReason value; external is True when
    people from outside the union can see the member's conversation (or asked it)."""

    reference: str
    status: str
    reason: str
    question: str
    member: ConversationAddress
    created_at: datetime
    message_id: str | None = None  # the member's question message, for a link to it
    draft: Reply | None = None  # the bot's draft answer, with its citations
    claimed_by: OfficerIdentity | None = None
    resolved_by: OfficerIdentity | None = None
    external: bool = False

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"


class MemberChannel(Protocol):
    """Tell or relay to a member's conversation. `text` is plain (no markup of any channel); the
    channel escapes it and may render `from_officer` as a mention of its own."""

    platform: str

    def tell(
        self,
        address: ConversationAddress,
        text: str,
        *,
        from_officer: OfficerIdentity | None = None,
        reference: str | None = None,
    ) -> None:
        """Post `text` in the member's conversation (thread); raises on failure. With `from_officer`,
        it is an officer's relayed reply about escalation `reference`, shown attributed to them."""
        ...

    def send(self, address: ConversationAddress, payload: Payload, key: str) -> str:
        """Post a message this channel rendered earlier (the desk's outbox keeps it as it was given);
        returns the platform's id for it. `key` names it for `find_sent` (Slack keeps it in the
        message's metadata). Raises DeliveryError when refused."""
        ...

    def find_sent(self, address: ConversationAddress, key: str, since: datetime) -> str | None:
        """The id of a message `send` posted with `key` at or after `since` (naive UTC), or None when
        there is none or the platform cannot be asked (then delivery is at least once)."""
        ...


class OfficerBoard(Protocol):
    """Post, refresh or add to an officer's card on one platform's officers' channel."""

    platform: str

    @property
    def channel(self) -> str | None:
        """Where this board posts cards (its officers' channel), None when not configured."""
        ...

    def post(self, card: CardView) -> str:
        """Post a new card; returns its id on this board. Raises DeliveryError when refused."""
        ...

    def find(self, card: CardView, since: datetime) -> str | None:
        """The id of this escalation's card if an earlier `post`, whose answer was lost, did post it
        at or after `since` (naive UTC); None when not found or the platform cannot be asked."""
        ...

    def refresh(self, card_id: str, card: CardView) -> None:
        """Redraw a posted card (status, who claimed it, buttons)."""
        ...

    def add(
        self, card_id: str | None, card: CardView, text: str, author: str, attachments: tuple[str, ...] = ()
    ) -> None:
        """Put a member's later words (plain text, possibly empty) under a card; `author` is their
        account (`slack:U123`); `attachments` names files that came with them and were not passed on.
        card_id is None when the card is not delivered yet: post it beside, with the reference, so
        nothing waits on the retry."""
        ...
