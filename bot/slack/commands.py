"""`/rights <question>`: a short private answer for reps, shareable. `/rights queue`: for officers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.escalations import Escalation, NewEscalation
from bot.feedback import AnsweredQuestion
from bot.reply import EscalationReason, Question, Reply
from bot.slack import blocks
from bot.slack.deps import SlackDeps
from bot.slack.model import SlashCommand, slash_from_body
from bot.slack.officers import NOT_AN_OFFICER
from bot.slack.privacy import guarded, log_failure

COMMAND = "/rights"
USAGE = (
    "*/rights &lt;your question&gt;* gives you the rule and its source, privately, with a button to share it.\n"
    "*/rights queue* lists open escalations (national officers only).\n"
    "For a full answer, or to reach a national officer, send me a direct message."
)
NEEDS_OFFICER = "_This one needs a national officer: ask me in a direct message and I will pass it on._"


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
        if not self.deps.officers.is_officer(command.user):
            respond(text=NOT_AN_OFFICER, replace_original=True)
            return
        open_ones = self.deps.escalations.open_queue()
        respond(
            text=f"{len(open_ones)} open escalations",
            blocks=blocks.queue_blocks(open_ones),
            replace_original=True,
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
        respond(text=blocks.fallback(shown), blocks=shown, replace_original=True)

    def remember(self, command: SlashCommand, reply: Reply) -> int | None:
        if reply.kind != "answer":
            return None
        answered = AnsweredQuestion(command.user, command.channel, "", "", Question(text=command.text), reply)
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
        """A slash command has no thread, so the hand-over lives in a DM thread with the member."""
        try:
            dm = client.conversations_open(users=command.user)["channel"]["id"]
            escalation = self.deps.desk.escalate(
                NewEscalation(
                    member_user=command.user,
                    channel=dm,
                    thread_ts="",
                    question_ts="",
                    question=command.text,
                    reason=str(EscalationReason.FAILURE),
                )
            )
            posted = client.chat_postMessage(channel=dm, text=blocks.apology_text(escalation.reference))
            self.deps.escalations.attach_thread(escalation.id, posted["ts"])
            self.deps.desk.deliver(escalation.id)
            return escalation
        except Exception as error:
            log_failure("/rights escalation", error)
            return None
