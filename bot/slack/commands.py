"""`/rights <question>`: a short private answer for reps, shareable. `/rights queue`: for officers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.address import ConversationAddress
from bot.desk import texts
from bot.escalations import Escalation
from bot.feedback import AnsweredQuestion
from bot.reply import EscalationReason, Question, Reply
from bot.slack import blocks
from bot.slack.deps import SlackDeps
from bot.slack.model import SlashCommand, slash_from_body
from bot.slack.privacy import guarded, log_failure

COMMAND = "/rights"
USAGE = (
    "*/rights <your question>* gives you the rule and its source, privately, with a button to share it.\n"
    "*/rights queue* lists open escalations (national officers only).\n"
    "For a full answer, or to reach a national officer, send me a direct message."
)
NEEDS_OFFICER = "_This one needs a national officer: ask me in a direct message and I will pass it on._"
PASSING_ON = (
    "Sorry, something went wrong on my side while answering. I am passing your question to a national "
    "officer, who will reply here in this thread."
)


def register(app: App, deps: SlackDeps) -> None:
    command = RightsCommand(deps)
    app.command(COMMAND)(ack=acknowledge, lazy=[command.run])


def acknowledge(ack: Ack) -> None:
    ack(text=":hourglass_flowing_sand: Looking that up…")


class RightsCommand:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    @guarded("/rights")
    def run(self, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        command = slash_from_body(body)
        if command.text.lower() in ("", "help"):
            respond(text=USAGE, replace_original=True)
        elif command.text.lower() == "queue":
            self.queue(command, respond)
        else:
            self.quick_answer(command, respond, client)

    def queue(self, command: SlashCommand, respond: Respond) -> None:
        cards = self.deps.desk.queue_for(self.deps.person(command.user))
        if cards is None:
            respond(text=texts.NOT_AN_OFFICER, replace_original=True)
            return
        respond(
            text=f"{len(cards)} open escalations", blocks=blocks.queue_blocks(cards), replace_original=True
        )

    def quick_answer(self, command: SlashCommand, respond: Respond, client: WebClient) -> None:
        try:
            reply = self.deps.engine.answer(Question(text=command.text))
        except Exception as error:
            log_failure("/rights answer", error)
            respond(text=self.apologise(command, client), replace_original=True)
            return
        record_id = self.remember(command, reply)
        shown = blocks.quick_answer_blocks(reply, record_id)
        if reply.escalate:
            shown.append(blocks.context(NEEDS_OFFICER))
        respond(text=blocks.clip(reply.lead or reply.answer, 2000), blocks=shown, replace_original=True)

    def remember(self, command: SlashCommand, reply: Reply) -> int | None:
        if reply.kind != "answer":
            return None
        where = ConversationAddress(platform="slack", conversation_id=command.channel, user_id=command.user)
        answered = AnsweredQuestion(where, None, Question(text=command.text), reply)
        return self.deps.feedback.remember_answer(answered)

    def apologise(self, command: SlashCommand, client: WebClient) -> str:
        escalation = self.escalate_in_dm(command, client)
        if escalation is None:
            return "Sorry, something went wrong on my side. Please try again in a few minutes."
        return (
            f"Sorry, something went wrong on my side. I have passed your question to a national officer, "
            f"who will reply in our direct messages. Reference: *{escalation.reference}*"
        )

    def escalate_in_dm(self, command: SlashCommand, client: WebClient) -> Escalation | None:
        """A slash command has no thread, so the hand-over lives in a DM thread the bot starts first;
        the reference is added to that message once the desk has stored the escalation."""
        try:
            dm = client.conversations_open(users=command.user)["channel"]["id"]
            posted = client.chat_postMessage(channel=dm, text=PASSING_ON)
            where = ConversationAddress(
                platform="slack", conversation_id=dm, thread_id=posted["ts"], user_id=command.user
            )
            escalation = self.deps.desk.escalate(
                where, Question(text=command.text), None, EscalationReason.FAILURE, message_id=posted["ts"]
            )
            client.chat_update(channel=dm, ts=posted["ts"], text=blocks.apology_text(escalation.reference))
            return escalation
        except Exception as error:
            log_failure("/rights escalation", error)
            return None
