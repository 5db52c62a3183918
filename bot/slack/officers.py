"""National officers: Claim and Resolve on the escalation card, and their replies relayed to the member."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.escalations import Escalation
from bot.slack import blocks
from bot.slack.deps import SlackDeps
from bot.slack.model import OfficerReply, click_from_body, officer_reply_from_event
from bot.slack.privacy import guarded, log_failure

log = logging.getLogger("rightsbot.slack.officers")

NOT_AN_OFFICER = "Sorry, only national officers can do that."
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
        if not self.deps.officers.is_officer(click.user):
            tell_privately(client, click.channel, click.user, NOT_AN_OFFICER)
            return
        escalation, changed = self.deps.escalations.claim(int(click.value), click.user)
        if escalation is None:
            return
        if not changed:
            tell_privately(
                client,
                click.channel,
                click.user,
                f"{escalation.reference} is already taken: {blocks.status_line(escalation)}.",
            )
            return
        self.deps.desk.refresh_card(escalation)
        self.deps.desk.tell_member(
            escalation,
            f"A national officer, <@{click.user}>, has picked up your "
            f"question ({escalation.reference}) and will reply here.",
        )

    @guarded("resolve")
    def resolve(self, body: dict[str, Any], client: WebClient) -> None:
        click = click_from_body(body)
        if not self.deps.officers.is_officer(click.user):
            tell_privately(client, click.channel, click.user, NOT_AN_OFFICER)
            return
        escalation, changed = self.deps.escalations.resolve(int(click.value), click.user)
        if escalation is None or not changed:
            return
        self.deps.desk.refresh_card(escalation)
        self.deps.desk.tell_member(
            escalation,
            f"A national officer has closed your question "
            f"({escalation.reference}). If you need more help, just ask again.",
        )


class Relay:
    """Replies in a card's thread go to the member, unless they start with `note:` or talk to the bot."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def handle(self, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        reply = officer_reply_from_event(event)
        if reply is None or is_internal(reply.text, context.bot_user_id):
            return
        escalation = self.deps.escalations.find_by_card(reply.channel, reply.thread_ts)
        if escalation is None:
            return
        if not self.deps.officers.is_officer(reply.user):
            tell_privately(
                client,
                reply.channel,
                reply.user,
                "Only national officers' replies are sent to the member; yours stayed here.",
                thread_ts=reply.thread_ts,
            )
            return
        if reply.files:  # Slack files stay in the officers' channel; say so rather than drop them
            tell_privately(
                client, reply.channel, reply.user, blocks.files_not_relayed(reply.files), reply.thread_ts
            )
        if not reply.text.strip():
            return
        self.claim_if_open(escalation, reply.user)
        self.send(escalation, reply, client)

    def claim_if_open(self, escalation: Escalation, officer: str) -> None:
        """The first officer to answer has, in effect, claimed it; the card should say so."""
        claimed, changed = self.deps.escalations.claim(escalation.id, officer)
        if changed and claimed is not None:
            self.deps.desk.refresh_card(claimed)

    def send(self, escalation: Escalation, reply: OfficerReply, client: WebClient) -> None:
        try:
            self.deps.desk.relay(escalation, reply)
            client.reactions_add(channel=reply.channel, timestamp=reply.ts, name=RELAYED)
        except Exception as error:
            log_failure("relay", error)
            client.chat_postMessage(
                channel=reply.channel,
                thread_ts=reply.thread_ts,
                text=f":warning: <@{reply.user}>, that reply did not reach the member "
                "(Slack error). Please send it again.",
            )


def is_internal(text: str, bot_user_id: str | None) -> bool:
    return text.strip().lower().startswith("note:") or bool(bot_user_id and f"<@{bot_user_id}>" in text)
