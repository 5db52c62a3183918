"""The answer's buttons: Helpful, Not helpful, Ask an officer, and Share (from the /rights answer)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.desk import texts
from bot.feedback import AnswerRecord
from bot.slack import blocks
from bot.slack.deps import SlackDeps
from bot.slack.messages import GENERAL_ONLY
from bot.slack.model import Click, click_from_body
from bot.slack.officers import tell_privately
from bot.slack.privacy import guarded

THANKS = "Thanks, your feedback is noted."
SORRY = (
    "Thanks for telling us. If you need more help, press “Ask an officer” and a national officer will reply."
)


def register(app: App, deps: SlackDeps) -> None:
    buttons = AnswerButtons(deps)
    app.action(blocks.HELPFUL)(ack=lambda ack: ack(), lazy=[buttons.helpful])
    app.action(blocks.NOT_HELPFUL)(ack=lambda ack: ack(), lazy=[buttons.not_helpful])
    app.action(blocks.ASK_OFFICER)(ack=lambda ack: ack(), lazy=[buttons.ask_officer])
    app.action(blocks.SHARE)(ack=lambda ack: ack(), lazy=[buttons.share])


class AnswerButtons:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def record_for(self, click: Click, client: WebClient) -> AnswerRecord | None:
        record = self.deps.feedback.answer_record(int(click.value)) if click.value.isdigit() else None
        if record is None:
            tell_privately(client, click.channel, click.user, texts.EXPIRED, thread_ts=click.thread_ts)
        return record

    @guarded("helpful")
    def helpful(self, body: dict[str, Any], client: WebClient) -> None:
        self.vote(click_from_body(body), client, helpful=True)

    @guarded("not helpful")
    def not_helpful(self, body: dict[str, Any], client: WebClient) -> None:
        self.vote(click_from_body(body), client, helpful=False)

    def vote(self, click: Click, client: WebClient, helpful: bool) -> None:
        record = self.record_for(click, client)
        if record is None:
            return
        self.deps.feedback.record(click.user, helpful, record.question, record.reply, f"slack:{record.id}")
        tell_privately(
            client, click.channel, click.user, THANKS if helpful else SORRY, thread_ts=click.thread_ts
        )

    @guarded("ask an officer")
    def ask_officer(self, body: dict[str, Any], client: WebClient) -> None:
        """The desk checks it is the asker's own answer and not already with an officer, escalates,
        and tells the member; anything it refuses comes back as a notice for the presser."""
        click = click_from_body(body)
        if not self.deps.member_teams.is_member(click.team):  # never a hand-over for outsiders
            tell_privately(client, click.channel, click.user, blocks.escape(GENERAL_ONLY), click.thread_ts)
            return
        result = self.deps.desk.ask_officer(click.address, click.user, click.value)
        if result.notice:
            tell_privately(client, click.channel, click.user, blocks.escape(result.notice), click.thread_ts)

    @guarded("share")
    def share(self, body: dict[str, Any], respond: Respond) -> None:
        click = click_from_body(body)
        record = self.deps.feedback.answer_record(int(click.value)) if click.value.isdigit() else None
        if record is None:
            respond(text=texts.EXPIRED, response_type="ephemeral", replace_original=False)
            return
        shared = blocks.shared_answer_blocks(record.reply, record.question.text, click.user)
        text = f"Shared by <@{click.user}>: {blocks.clip(record.reply.lead or record.reply.answer, 2000)}"
        respond(text=text, blocks=shared, response_type="in_channel", replace_original=False)
        respond(delete_original=True)
