"""The answer's buttons: Helpful, Not helpful, Ask an officer, and Share (from the /rights answer)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.escalations import NewEscalation
from bot.feedback import AnswerRecord
from bot.reply import EscalationReason
from bot.slack import blocks
from bot.slack.deps import SlackDeps
from bot.slack.model import Click, click_from_body, vote_from_click
from bot.slack.officers import tell_privately
from bot.slack.privacy import guarded

EXPIRED = "Sorry, that answer is too old for its buttons to work. Please ask your question again."
THANKS = "Thanks, your feedback is noted."
SORRY = (
    "Thanks for telling us. If you need more help, press “Ask an officer” and a national officer will reply."
)


def register(app: App, deps: SlackDeps) -> None:
    buttons = AnswerButtons(deps)
    app.action(blocks.HELPFUL)(ack=lambda ack: ack(), lazy=[buttons.helpful])
    app.action(blocks.NOT_HELPFUL)(ack=lambda ack: ack(), lazy=[buttons.not_helpful])
    app.action(blocks.FEEDBACK)(ack=lambda ack: ack(), lazy=[buttons.feedback])
    app.action(blocks.ASK_OFFICER)(ack=lambda ack: ack(), lazy=[buttons.ask_officer])
    app.action(blocks.SHARE)(ack=lambda ack: ack(), lazy=[buttons.share])


class AnswerButtons:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def record_for(self, click: Click, client: WebClient) -> AnswerRecord | None:
        record = self.deps.feedback.answer_record(int(click.value)) if click.value.isdigit() else None
        if record is None:
            tell_privately(client, click.channel, click.user, EXPIRED, thread_ts=click.thread_ts)
        return record

    @guarded("helpful")
    def helpful(self, body: dict[str, Any], client: WebClient) -> None:
        self.vote(click_from_body(body), client, helpful=True)

    @guarded("not helpful")
    def not_helpful(self, body: dict[str, Any], client: WebClient) -> None:
        self.vote(click_from_body(body), client, helpful=False)

    @guarded("feedback")
    def feedback(self, body: dict[str, Any], client: WebClient) -> None:
        """Slack's native feedback buttons: the same vote, the same store."""
        vote = vote_from_click(click_from_body(body))
        if vote:
            click, helpful = vote
            self.vote(click, client, helpful)

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
        click = click_from_body(body)
        record = self.record_for(click, client)
        if record is None:
            return
        if click.user != record.asker:
            tell_privately(
                client,
                click.channel,
                click.user,
                "Only the member who asked can pass this question "
                "to an officer. Ask me your own question and you can do the same.",
                click.thread_ts,
            )
            return
        existing = self.deps.escalations.find_open_for_question(record.channel, record.question_ts)
        if existing:
            tell_privately(
                client,
                click.channel,
                click.user,
                f"This question is already with a national officer (reference {existing.reference}).",
                click.thread_ts,
            )
            return
        escalation = self.deps.desk.escalate(escalation_for(record))
        self.deps.desk.tell_member(escalation, blocks.escalation_note(escalation.reference))
        self.deps.desk.deliver(escalation.id)

    @guarded("share")
    def share(self, body: dict[str, Any], respond: Respond) -> None:
        click = click_from_body(body)
        record = self.deps.feedback.answer_record(int(click.value)) if click.value.isdigit() else None
        if record is None:
            respond(text=EXPIRED, response_type="ephemeral", replace_original=False)
            return
        shared = blocks.shared_answer_blocks(record.reply, record.question.text, click.user)
        text = blocks.shared_answer_text(record.reply, click.user)
        respond(text=text, blocks=shared, response_type="in_channel", replace_original=False)
        respond(delete_original=True)


def escalation_for(record: AnswerRecord) -> NewEscalation:
    question = record.question
    return NewEscalation(
        member_user=record.asker,
        channel=record.channel,
        thread_ts=record.thread_ts,
        question_ts=record.question_ts,
        question=question.text,
        reason=str(EscalationReason.MEMBER_REQUEST),
        draft=record.reply,
        thread=question.thread,
    )
