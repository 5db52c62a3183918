"""National officers in Slack: Claim and Resolve on the card, and replies in its thread. The desk decides;
this module parses Slack's payloads and renders what the desk returns."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.desk import Relay
from bot.slack import blocks
from bot.slack.deps import PLATFORM, SlackDeps
from bot.slack.model import click_from_body, officer_reply_from_event
from bot.slack.privacy import guarded

RELAYED = "incoming_envelope"


def register(app: App, deps: SlackDeps) -> None:
    card = CardActions(deps)
    app.action(blocks.CLAIM)(ack=lambda ack: ack(), lazy=[card.claim])
    app.action(blocks.RESOLVE)(ack=lambda ack: ack(), lazy=[card.resolve])


def tell_privately(
    client: WebClient, channel: str, user: str, text: str, thread_ts: str | None = None
) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)


class CardActions:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    @guarded("claim")
    def claim(self, body: dict[str, Any], client: WebClient) -> None:
        click = click_from_body(body)
        result = self.deps.desk.claim(click.value, self.deps.person(click.user), PLATFORM)
        if result.notice:
            tell_privately(client, click.channel, click.user, blocks.escape(result.notice))

    @guarded("resolve")
    def resolve(self, body: dict[str, Any], client: WebClient) -> None:
        click = click_from_body(body)
        result = self.deps.desk.resolve(click.value, self.deps.person(click.user), PLATFORM)
        if result.notice:
            tell_privately(client, click.channel, click.user, blocks.escape(result.notice))


class OfficerReplies:
    """Replies in a card's thread go to the member (the desk decides); talking to the bot stays here."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def handle(self, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        reply = officer_reply_from_event(event)
        if reply is None or addresses_bot(reply.text, context.bot_user_id):
            return
        result = self.deps.desk.officer_reply(
            PLATFORM, reply.thread_ts, self.deps.person(reply.user), reply.text
        )
        if result.outcome == Relay.RELAYED:
            client.reactions_add(channel=reply.channel, timestamp=reply.ts, name=RELAYED)
        elif result.outcome == Relay.NOT_AN_OFFICER and result.notice:
            tell_privately(client, reply.channel, reply.user, result.notice, thread_ts=reply.thread_ts)
        elif result.outcome == Relay.FAILED and result.notice:
            client.chat_postMessage(
                channel=reply.channel,
                thread_ts=reply.thread_ts,
                text=f":warning: <@{reply.user}> {blocks.escape(result.notice)}",
            )


def addresses_bot(text: str, bot_user_id: str | None) -> bool:
    """An officer @mentioning the bot in a card's thread is talking to it, not to the member."""
    return bool(bot_user_id and f"<@{bot_user_id}>" in text)
