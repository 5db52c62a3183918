"""Members ask in a DM or by @mentioning the bot; it answers in the thread. Acks are instant, work is lazy.

Each member message is answered once, whatever event carried it (a retry, an edit, another replica):
its channel and ts are claimed in the shared database first. The desk takes escalations and a
member's later words in a thread that is with an officer, and delivers the answer itself through its
outbox: a 429 or 5xx is waited out and retried, and only an answer Slack can never take ends in an
apology.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.escalations import Escalation
from bot.feedback import AnsweredQuestion
from bot.outbox import Purpose
from bot.reply import EscalationReason, Question, Reply
from bot.slack import blocks
from bot.slack.assistant import working_on
from bot.slack.deps import SlackDeps
from bot.slack.model import Asked, asked_from_event
from bot.slack.officers import OfficerReplies
from bot.slack.privacy import guarded, log_failure
from bot.slack.thread import thread_turns

log = logging.getLogger("rightsbot.slack.messages")

ANSWERED_KINDS = ("answer", "out_of_scope")  # the ones whose buttons need the answer kept
APOLOGY_WITHOUT_REFERENCE = (
    "Sorry, something went wrong on my side and I could not pass your question on. "
    "Please try again in a few minutes, or email MemberAdvice@miphealth.org.uk."
)
GENERAL_ONLY = (
    "I can only give general information here. MiP's national officers take questions from MiP "
    "members in the union's own Slack workspace."
)


def register(app: App, deps: SlackDeps) -> None:
    answerer, officer_replies = Answerer(deps), OfficerReplies(deps)

    @guarded("mention")
    def on_mention(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        asked = asked_from_event(event, body)
        if asked and deps.first_time(asked.key):
            answerer.answer(asked, client, context)

    @guarded("message")
    def on_message(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("channel_type") == "im":
            on_mention(event, body, client, context)
        elif deps.officers_channel and event.get("channel") == deps.officers_channel:
            officer_replies.handle(event, client, context)
        else:  # a channel thread reply without @rightsbot: only for a thread that is with an officer
            asked = asked_from_event(event, body)
            if asked and asked.in_thread and not mentions_bot(event, context) and deps.first_time(asked.key):
                answerer.add_to_case(asked)

    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.event("message")(ack=acknowledge, lazy=[on_message])


def acknowledge(ack: Ack) -> None:
    ack()


class Answerer:
    """Answers one member message in its thread; any failure ends in an apology and an escalation."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def add_to_case(self, asked: Asked) -> bool:
        """In a thread already with an officer, the member's words (and the names of any files) go to
        the officer, not to the bot. On any failure the bot answers instead (and escalates as usual)."""
        try:
            return self.deps.desk.member_added(asked.address, asked.text, asked.files)
        except Exception as error:
            log_failure("add to case", error)
            return False

    def answer(self, asked: Asked, client: WebClient, context: BoltContext) -> None:
        if asked.in_thread and self.add_to_case(asked):
            return
        member = self.deps.member_teams.is_member(asked.team)
        if not member and self.deps.slack.external_users == "ignore":
            log.info("external user ignored", extra={"channel": asked.channel, "user": asked.user})
            return
        if not asked.text:
            self.say_files_unread(asked, member)
            return
        if paused := self.deps.limits.check(asked.address, asked.text):
            client.chat_postMessage(channel=asked.channel, thread_ts=asked.thread_ts, text=paused)
            return
        started = time.monotonic()
        question = Question(text=asked.text)
        with working_on(client, asked):
            try:
                turns = thread_turns(client, asked, context.bot_user_id, context.bot_id)
                question = Question(text=asked.text, thread=turns)
                reply = self.deps.engine.answer(question)
                self.post_reply(asked, question, reply if member else general_only(reply), member)
            except Exception as error:
                log_failure("answer", error)
                self.fail(asked, question, client, member)
        took = (time.monotonic() - started) * 1000
        log.info(  # ids go in `extra`, where bot/logs.py hashes them
            "answered dm=%s member=%s turns=%d ms=%d",
            asked.is_dm,
            member,
            len(question.thread),
            took,
            extra={"channel": asked.channel, "user": asked.user},
        )

    def post_reply(self, asked: Asked, question: Question, reply: Reply, member: bool) -> None:
        record_id = self.remember(asked, question, reply)
        escalation = self.escalate_if_needed(asked, question, reply)
        if escalation:
            notice: str | None = blocks.escalation_note(escalation.reference, reply.escalation_note)
        else:
            notice = None if member else GENERAL_ONLY  # a notice also leaves out "Ask an officer"
        try:
            self.post_blocks(asked, blocks.answer_blocks(reply, record_id, notice, asked.files))
        finally:  # the member first: a slow officers' board must not hold their answer up
            if escalation:
                self.deps.desk.deliver_cards(escalation)

    def post_blocks(self, asked: Asked, shown: list[blocks.Block]) -> None:
        """In as many messages as Slack's limits need (almost always one), through the desk's outbox.
        The member's words are kept with it only until it is delivered, in case it never can be and
        officers need them."""
        self.deps.desk.send_to_member(
            asked.address,
            asked.ts,
            [page_payload(page) for page in blocks.pages(shown)],
            question=asked.for_officers,
            external=asked.shared,
        )

    def say_files_unread(self, asked: Asked, member: bool) -> None:
        """Only attachments, which the bot cannot read: say so, and how to get an answer or (for a
        member of the union) a person."""
        said = blocks.files_only_text(asked.files, offer_officer=member)
        question = Question(text=f"(sent only attachments: {', '.join(asked.files)})")
        reply = Reply(kind="out_of_scope", answer=said, lead=said)
        record_id = self.remember(asked, question, reply) if member else None  # no button, nothing kept
        self.post_blocks(asked, blocks.files_only_blocks(asked.files, record_id))

    def remember(self, asked: Asked, question: Question, reply: Reply) -> int | None:
        if reply.kind not in ANSWERED_KINDS or not blocks.has_information(reply):
            return None  # no buttons to press, so nothing is kept (as the privacy notice says)
        return self.deps.feedback.remember_answer(AnsweredQuestion(asked.address, asked.ts, question, reply))

    def escalate_if_needed(self, asked: Asked, question: Question, reply: Reply) -> Escalation | None:
        if not reply.escalate:
            return None
        reason = reply.escalation_reason or EscalationReason.LOW_CONFIDENCE
        return self.deps.desk.escalate(
            asked.address,
            for_officers(asked, question),
            reply,
            reason,
            external=asked.shared,
            message_id=asked.ts,
            deliver=False,
        )

    def fail(self, asked: Asked, question: Question, client: WebClient, member: bool) -> None:
        """Never silence: escalate a member's question (once), and apologise."""
        escalation = self.failure_escalation(asked, question) if member else None
        text = blocks.apology_text(escalation.reference) if escalation else APOLOGY_WITHOUT_REFERENCE
        try:
            self.deps.desk.send_to_member(asked.address, asked.ts, [{"text": text}], purpose=Purpose.APOLOGY)
        except Exception as error:  # the database itself may be why we are here: say it directly
            log_failure("apology", error)
            self.apologise_directly(asked, text, client)
        if escalation:
            self.deps.desk.deliver_cards(escalation)  # none left when an earlier try delivered them

    @staticmethod
    def apologise_directly(asked: Asked, text: str, client: WebClient) -> None:
        try:
            client.chat_postMessage(channel=asked.channel, thread_ts=asked.thread_ts, text=text)
        except Exception as error:
            log_failure("apology", error)

    def failure_escalation(self, asked: Asked, question: Question) -> Escalation | None:
        """The desk returns the open escalation when this message already has one."""
        try:
            return self.deps.desk.escalate(
                asked.address,
                for_officers(asked, question),
                None,
                EscalationReason.FAILURE,
                external=asked.shared,
                message_id=asked.ts,
                deliver=False,
            )
        except Exception as error:
            log_failure("failure escalation", error)
            return None


def page_payload(page: list[blocks.Block]) -> dict[str, Any]:
    """One message of an answer as chat.postMessage takes it (the outbox keeps it as it is)."""
    return {"text": blocks.fallback(page), "blocks": page, "unfurl_links": False}


def for_officers(asked: Asked, question: Question) -> Question:
    """The question as its card shows it: the member's words and the names of files nobody read."""
    return question.model_copy(update={"text": asked.for_officers})


def general_only(reply: Reply) -> Reply:
    """For people outside the union: the general answer, never a hand-over."""
    return reply.model_copy(update={"escalate": False, "escalation_reason": None, "escalation_note": None})


def mentions_bot(event: dict[str, Any], context: BoltContext) -> bool:
    """Slack sends both app_mention and message for "@rightsbot ..." in a channel; answer it once."""
    return bool(context.bot_user_id and f"<@{context.bot_user_id}>" in event.get("text", ""))
