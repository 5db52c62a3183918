"""Sending to Teams outside an incoming request: proactive messages to members, officers' cards.

Everything here is async on the Teams server's event loop. The desk is synchronous and runs in
worker threads (and Slack's), so `TeamsMemberChannel` and `TeamsOfficerBoard` (the desk's ports) hand
each send to the loop with `TeamsConnector.call` and wait for it.

Delivery to Teams is at least once. The Bot Framework connector has no way for a bot to list what it
posted (no history read, no client-generated id it de-duplicates on), so when a send's reply is lost
(the process dies mid-send, a 5xx after the connector had posted) the retry posts again: `find_sent`
and `find` answer None. A 429 or 5xx is retried by the desk with backoff, never sooner than the
connector's Retry-After; 400, 403 and 404 (the bot removed, the conversation gone) are for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import ClientError, ClientResponseError
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import ChannelServiceAdapter, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.channel_service_client_factory_base import (
    ChannelServiceClientFactoryBase,
)

from bot.address import ConversationAddress, OfficerIdentity
from bot.desk.ports import CardView, DeliveryError
from bot.teams import cards
from bot.teams.model import THREAD_MARK

log = logging.getLogger("rightsbot.teams.connector")

T = TypeVar("T")
SEND_TIMEOUT_SECONDS = 30.0
PERMANENT_STATUSES = frozenset({400, 403, 404})
Reference = dict[str, Any]  # a ConversationReference as stored with an address (camelCase JSON)


class TeamsConnector:
    def __init__(
        self, adapter: ChannelServiceAdapter, factory: ChannelServiceClientFactoryBase, app_id: str | None
    ) -> None:
        self.adapter = adapter
        self.factory = factory
        self.app_id = app_id  # None in anonymous local mode
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's, set when it starts

    def identity(self) -> ClaimsIdentity:
        """The bot's own identity for proactive sends. Without an app id (anonymous local mode) it is
        the SDK's anonymous identity, an empty one: `continue_conversation(app_id, ...)` would ask
        Entra for a token that a local Agents Playground neither has nor needs."""
        if self.app_id is None:
            return ClaimsIdentity()
        return self.adapter.create_claims_identity(self.app_id)

    async def continue_in(self, reference: Reference, work: Callable[[TurnContext], Awaitable[None]]) -> None:
        """Run `work` in a turn of the referenced conversation, sending to its serviceUrl."""
        continuation = ConversationReference.model_validate(reference).get_continuation_activity()
        await self.adapter.continue_conversation_with_claims(self.identity(), continuation, work)

    async def send(self, reference: Reference, activity: Activity) -> str | None:
        """Post a message in the referenced conversation; returns the id the connector gave it."""
        sent = await self._in_turn(reference, lambda context: context.send_activity(activity))
        return sent.id if sent else None

    async def update(self, reference: Reference, activity: Activity) -> None:
        await self._in_turn(reference, lambda context: context.update_activity(activity))

    async def _in_turn(self, reference: Reference, action: Callable[[TurnContext], Awaitable[T]]) -> T | None:
        """Run one send in a turn of the referenced conversation and hand back its result, or raise
        its error: the adapter would otherwise give the error to on_turn_error and carry on, and a
        refused send (a 429, a 5xx) would look delivered."""
        done: list[T] = []
        failed: list[Exception] = []

        async def work(context: TurnContext) -> None:
            try:
                done.append(await action(context))
            except Exception as error:
                failed.append(error)

        await self.continue_in(reference, work)
        if failed:
            raise failed[0]
        return done[0] if done else None

    async def post_to_channel(
        self, service_url: str, channel: str, tenant: str | None, activity: Activity
    ) -> str:
        """A new post in a team's channel; returns its thread's conversation id (`channel;messageid=…`)."""
        params = ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": channel}, **({"tenant": {"id": tenant}} if tenant else {})},
            activity=activity,
            **({"tenant_id": tenant} if tenant else {}),
        )
        identity = self.identity()
        client = await self.factory.create_connector_client(
            None,
            identity,
            service_url,
            AuthenticationConstants.AGENTS_SDK_SCOPE,
            use_anonymous=identity.allow_anonymous,
        )
        try:
            created = await client.conversations.create_conversation(params)
        finally:
            await client.close()
        if THREAD_MARK in (created.id or ""):
            return str(created.id)
        return f"{channel}{THREAD_MARK}{created.activity_id}"

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run one send on the server's loop from another thread and wait for it; failures become
        DeliveryError (with Retry-After when Teams gave one) so the desk can retry cards."""
        loop = self.loop
        if loop is None or loop.is_closed():
            coroutine.close()
            raise DeliveryError("teams is not running")
        if _running_loop() is loop:
            coroutine.close()
            raise RuntimeError("the desk must be called from a worker thread, not the Teams event loop")
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, loop).result(SEND_TIMEOUT_SECONDS)
        except ClientResponseError as error:
            raise DeliveryError(
                f"http {error.status}",
                retry_after(error),
                permanent=error.status in PERMANENT_STATUSES,
                maybe_posted=error.status >= 500,
            ) from error
        except (ClientError, TimeoutError, OSError) as error:
            raise DeliveryError(type(error).__name__, maybe_posted=True) from error


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def retry_after(error: ClientResponseError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def message(text: str) -> Activity:
    return Activity(type="message", text=text, text_format="markdown")


class TeamsMemberChannel:
    """The desk's MemberChannel on Teams: a proactive message to the conversation the member asked
    in, using the conversation reference stored with their address."""

    platform = "teams"

    def __init__(self, connector: TeamsConnector) -> None:
        self.connector = connector

    def tell(
        self,
        address: ConversationAddress,
        text: str,
        *,
        from_officer: OfficerIdentity | None = None,
        reference: str | None = None,
    ) -> None:
        if not address.reference:
            raise DeliveryError("no conversation reference stored for this member")
        if from_officer is not None:
            text = cards.relay_text(text, from_officer, reference or "")
        self.connector.call(self.connector.send(address.reference, message(text)))

    def send(self, address: ConversationAddress, payload: dict[str, Any], key: str) -> str:
        """An answer as bot/teams/cards.py rendered it (an Activity's JSON); returns its activity id."""
        if not address.reference:
            raise DeliveryError("no conversation reference stored for this member", permanent=True)
        activity = Activity.model_validate(payload)
        return self.connector.call(self.connector.send(address.reference, activity)) or ""

    def find_sent(self, address: ConversationAddress, key: str, since: datetime) -> str | None:
        return None  # the connector cannot be asked: at least once (see the module's docstring)


class TeamsOfficerBoard:
    """The desk's OfficerBoard on Teams: a card per escalation in the officers' channel, posted as a
    new thread; replies in that thread are the officers' answers."""

    platform = "teams"

    def __init__(
        self, connector: TeamsConnector, officers_channel: str, service_url: str, tenant: str | None
    ) -> None:
        self.connector = connector
        self.officers_channel = officers_channel
        self.service_url = service_url
        self.tenant = tenant

    @property
    def channel(self) -> str | None:
        return self.officers_channel

    def post(self, card: CardView) -> str:
        activity = Activity.model_validate(cards.officer_message(card))
        posted = self.connector.post_to_channel(
            self.service_url, self.officers_channel, self.tenant, activity
        )
        return self.connector.call(posted)

    def find(self, card: CardView, since: datetime) -> str | None:
        return None  # the connector cannot be asked: at least once (see the module's docstring)

    def refresh(self, card_id: str, card: CardView) -> None:
        activity = Activity.model_validate({**cards.officer_message(card), "id": root_of(card_id)})
        self.connector.call(self.connector.update(self.reference(card_id), activity))

    def add(
        self, card_id: str | None, card: CardView, text: str, author: str, attachments: tuple[str, ...] = ()
    ) -> None:
        """Under the card, or as a new post with the reference while the card is not delivered yet."""
        said = message(cards.member_added_text(card.reference, author, text, attachments))
        if card_id is None:
            posted = self.connector.post_to_channel(
                self.service_url, self.officers_channel, self.tenant, said
            )
            self.connector.call(posted)
            return
        self.connector.call(self.connector.send(self.reference(card_id), said))

    def reference(self, card_id: str) -> Reference:
        reference = ConversationReference(
            channel_id="msteams",
            service_url=self.service_url,
            conversation=ConversationAccount(
                id=card_id, is_group=True, conversation_type="channel", tenant_id=self.tenant
            ),
            agent=ChannelAccount(id=self.connector.app_id or "rightsbot"),
        )
        return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


def root_of(card_id: str) -> str:
    """A card's own message id: the thread root after `;messageid=`."""
    return card_id.partition(THREAD_MARK)[2] or card_id
