"""Members ask in a DM or by @mentioning the bot; it answers in the thread. Acks are instant, work is lazy."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.escalations import Delivery, Escalation, NewEscalation
from bot.feedback import AnsweredQuestion
from bot.reply import EscalationReason, Question, Reply
from bot.slack import blocks
from bot.slack.assistant import working_on
from bot.slack.deps import SlackDeps
from bot.slack.model import Asked, asked_from_event
from bot.slack.officers import Relay
from bot.slack.privacy import guarded, log_failure
from bot.slack.thread import thread_turns

log = logging.getLogger("rightsbot.slack.messages")

ANSWERED_KINDS = ("answer", "out_of_scope")  # the ones whose buttons need the answer kept
APOLOGY_WITHOUT_REFERENCE = (
    "Sorry, something went wrong on my side and I could not pass your question on. "
    "Please try again in a few minutes, or email MemberAdvice@miphealth.org.uk."
)


def register(app: App, deps: SlackDeps) -> None:
    answerer, relay = Answerer(deps), Relay(deps)

    @guarded("mention")
    def on_mention(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        asked = asked_from_event(event)
        if asked:
            answerer.answer(asked, client, context)

    @guarded("message")
    def on_message(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("channel_type") == "im":
            on_mention(event, client, context)
        elif deps.officers_channel and event.get("channel") == deps.officers_channel:
            relay.handle(event, client, context)
        elif (asked := asked_from_event(event)) and asked.in_thread and not mentions_bot(event, context):
            answerer.add_to_case(asked, client)  # a channel thread reply without @rightsbot

    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.event("message")(ack=acknowledge, lazy=[on_message])


def acknowledge(ack: Ack) -> None:
    ack()


class Answerer:
    """Answers one member message in its thread; any failure ends in an apology and an escalation."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps

    def add_to_case(self, asked: Asked, client: WebClient) -> bool:
        """In a thread already with an officer, the member's words go to the officer, not to the bot."""
        escalation = self.deps.escalations.find_open_for_thread(asked.channel, asked.thread_ts)
        if escalation is None or escalation.member_user != asked.user:
            return False  # colleagues chatting in a channel thread are not part of the member's case
        self.deps.desk.add_to_case(escalation, asked)
        who = (
            f"<@{escalation.claimed_by}>" if escalation.claimed_by else "the national officer who picks it up"
        )
        told = f"I've added this to your question ({escalation.reference}) for {who}."
        if asked.files:
            told += " " + blocks.files_not_read(asked.files)
        client.chat_postMessage(channel=asked.channel, thread_ts=asked.thread_ts, text=told)
        return True

    def answer(self, asked: Asked, client: WebClient, context: BoltContext) -> None:
        if asked.in_thread and self.guarded_add_to_case(asked, client):
            return
        if not asked.text:
            self.say_files_unread(asked, client)
            return
        started = time.monotonic()
        question = Question(text=asked.text)
        with working_on(client, asked):
            try:
                turns = thread_turns(client, asked, context.bot_user_id, context.bot_id)
                question = Question(text=asked.text, thread=turns)
                self.post_reply(asked, question, self.deps.engine.answer(question), client)
            except Exception as error:
                log_failure("answer", error)
                self.fail(asked, question, client)
        log.info(
            "answered channel=%s dm=%s turns=%d ms=%d",
            asked.channel,
            asked.is_dm,
            len(question.thread),
            (time.monotonic() - started) * 1000,
        )

    def guarded_add_to_case(self, asked: Asked, client: WebClient) -> bool:
        try:
            return self.add_to_case(asked, client)
        except Exception as error:
            log_failure("add to case", error)  # the bot answers instead, and escalates as usual
            return False

    def post_reply(self, asked: Asked, question: Question, reply: Reply, client: WebClient) -> None:
        record_id = self.remember(asked, question, reply)
        escalation = self.escalate_if_needed(asked, question, reply)
        notice = blocks.escalation_note(escalation.reference, reply.escalation_note) if escalation else None
        self.post_blocks(asked, blocks.answer_blocks(reply, record_id, notice, asked.files), client)
        if escalation:
            self.deps.desk.deliver(escalation.id)

    def post_blocks(self, asked: Asked, shown: list[blocks.Block], client: WebClient) -> None:
        """In as many messages as Slack's limits need (almost always one)."""
        for page in blocks.pages(shown):
            client.chat_postMessage(
                channel=asked.channel,
                thread_ts=asked.thread_ts,
                text=blocks.fallback(page),
                blocks=page,
                unfurl_links=False,
            )

    def say_files_unread(self, asked: Asked, client: WebClient) -> None:
        """Only attachments, which the bot cannot read: say so, and how to get an answer or a person."""
        said = blocks.files_only_text(asked.files)
        question = Question(text=f"(sent only attachments: {', '.join(asked.files)})")
        record_id = self.remember(asked, question, Reply(kind="out_of_scope", answer=said, lead=said))
        self.post_blocks(asked, blocks.files_only_blocks(asked.files, record_id), client)

    def remember(self, asked: Asked, question: Question, reply: Reply) -> int | None:
        if reply.kind not in ANSWERED_KINDS or not blocks.has_information(reply):
            return None  # no buttons to press, so nothing is kept (as the privacy notice says)
        return self.deps.feedback.remember_answer(
            AnsweredQuestion(asked.user, asked.channel, asked.thread_ts, asked.ts, question, reply)
        )

    def escalate_if_needed(self, asked: Asked, question: Question, reply: Reply) -> Escalation | None:
        if not reply.escalate:
            return None
        reason = reply.escalation_reason or EscalationReason.LOW_CONFIDENCE
        return self.deps.desk.escalate(new_escalation(asked, question, reason, reply))

    def fail(self, asked: Asked, question: Question, client: WebClient) -> None:
        """Never silence: escalate (unless this question already is), apologise, then deliver the card."""
        escalation = self.failure_escalation(asked, question)
        text = blocks.apology_text(escalation.reference) if escalation else APOLOGY_WITHOUT_REFERENCE
        try:
            client.chat_postMessage(channel=asked.channel, thread_ts=asked.thread_ts, text=text)
        except Exception as error:
            log_failure("apology", error)
        if escalation and escalation.delivery_state != Delivery.DELIVERED:
            self.deps.desk.deliver(escalation.id)

    def failure_escalation(self, asked: Asked, question: Question) -> Escalation | None:
        try:
            existing = self.deps.escalations.find_open_for_question(asked.channel, asked.ts)
            new = new_escalation(asked, question, EscalationReason.FAILURE, draft=None)
            return existing or self.deps.desk.escalate(new)
        except Exception as error:
            log_failure("failure escalation", error)
            return None


def mentions_bot(event: dict[str, Any], context: BoltContext) -> bool:
    """Slack sends both app_mention and message for "@rightsbot ..." in a channel; answer it once."""
    return bool(context.bot_user_id and f"<@{context.bot_user_id}>" in event.get("text", ""))


def new_escalation(asked: Asked, question: Question, reason: str, draft: Reply | None) -> NewEscalation:
    return NewEscalation(
        member_user=asked.user,
        channel=asked.channel,
        thread_ts=asked.thread_ts,
        question_ts=asked.ts,
        question=asked.for_officers,
        reason=str(reason),
        draft=draft,
        thread=question.thread,
    )
