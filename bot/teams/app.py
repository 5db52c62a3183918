"""The Teams app: parse an activity, call the engine or the desk (in a worker thread: both are
synchronous), render the result as a card or a plain reply.

A member's question is answered from the background, in a proactive turn of their conversation:
Teams gives up on a request after a few seconds, so the turn itself only schedules the work.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.core.app.typing_indicator import TypingIndicator, TypingOptions

from bot.address import OfficerIdentity
from bot.dedupe import SeenKeys
from bot.desk import Desk, Relay
from bot.escalations import Escalation
from bot.feedback import AnsweredQuestion, FeedbackStore
from bot.limits import QuestionLimits
from bot.reply import Engine, EscalationReason, Question, Reply
from bot.teams import cards
from bot.teams.connector import TeamsConnector, message
from bot.teams.history import TeamsHistory
from bot.teams.model import Said, rating_from, said_from
from bot.teams.privacy import log_failure

log = logging.getLogger("rightsbot.teams")

# Typing shows straight away and is renewed every few seconds until the answer is sent.
TYPING = TypingOptions(initial_delay_ms=0, interval_ms=3000)
SENT = "✉ Sent to the member."


@dataclass(frozen=True)
class TeamsDeps:
    engine: Engine
    desk: Desk
    answers: FeedbackStore
    history: TeamsHistory
    connector: TeamsConnector
    seen: SeenKeys
    limits: QuestionLimits
    officers_channel: str | None = None


class TeamsHandlers:
    def __init__(self, deps: TeamsDeps) -> None:
        self.deps = deps
        self.background: set[asyncio.Task[None]] = set()

    def register(self, app: AgentApplication[TurnState]) -> None:
        app.activity(ActivityTypes.message)(self.on_message)
        app.invoke("message/submitAction")(self.on_feedback)
        app.add_route(lambda context: True, self.ignore)  # typing, installs, reactions: nothing to do
        app.error(self.on_error)

    # --- routes ---

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        said = said_from(context.activity)
        if said is None or not await asyncio.to_thread(self.first_time, said):
            return
        if said.action:
            await self.on_button(context, said)
        elif self.in_officers_channel(said):
            await self.on_officer_reply(context, said)
        else:
            self.answer_later(said)

    def first_time(self, said: Said) -> bool:
        """Teams can deliver an activity twice (a retry after a slow response, replicas): once only."""
        return said.message_id is None or self.deps.seen.first_sighting(
            "teams", f"message:{said.address.conversation_id}:{said.message_id}"
        )

    async def on_feedback(self, context: TurnContext, state: TurnState) -> None:
        """Teams' thumbs up/down: stored like Slack's votes, keyed by the answer's message id."""
        rating = rating_from(context.activity)
        if rating is not None:
            await asyncio.to_thread(
                self.record_rating,
                rating.conversation_id,
                rating.answer_message_id,
                rating.user,
                rating.helpful,
            )
        await invoke_response(context, 200)

    async def ignore(self, context: TurnContext, state: TurnState) -> None:
        if context.activity.type == ActivityTypes.invoke:
            await invoke_response(context, 200)

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        """Replaces the SDK's default, which would send the exception's text to the member: they get
        an apology, and their question goes to an officer. Never raises (the SDK would log it all)."""
        log_failure(f"teams {context.activity.type}", error)
        try:
            if context.activity.type == ActivityTypes.invoke:
                await invoke_response(context, 500)
            elif context.activity.type == ActivityTypes.message:
                await self.apologise(context)
        except Exception as failure:
            log_failure("teams apology", failure)

    async def apologise(self, context: TurnContext) -> None:
        said = said_from(context.activity)
        escalation = None
        if said is not None and not said.action and not self.in_officers_channel(said):
            escalation = await asyncio.to_thread(self.failure_escalation, said, Question(text=said.text))
        await context.send_activity(message(cards.apology(escalation.reference if escalation else None)))

    # --- members ---

    def answer_later(self, said: Said) -> None:
        task = asyncio.create_task(self.answer(said))
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def answer(self, said: Said) -> None:
        started = time.monotonic()
        try:
            await self.deps.connector.continue_in(
                said.address.reference or {}, lambda c: self.answer_in(c, said)
            )
        except Exception as error:  # not even an apology got through: at least an officer hears of it
            log_failure("teams answer", error)
            await asyncio.to_thread(self.failure_escalation, said, Question(text=said.text))
        log.info(  # ids go in `extra`, where bot/logs.py hashes them
            "answered ms=%d",
            (time.monotonic() - started) * 1000,
            extra={"conversation": said.address.conversation_id, "user": said.address.user_id},
        )

    async def answer_in(self, context: TurnContext, said: Said) -> None:
        question = Question(text=said.text)
        try:
            async with TypingIndicator(context, typing_options=TYPING):
                if await asyncio.to_thread(self.deps.desk.member_added, said.address, said.text):
                    return  # the conversation is with an officer: the desk passed it on and told them
                paused = await asyncio.to_thread(self.deps.limits.check, said.address, said.text)
                if paused:
                    await context.send_activity(message(paused))
                    return
                turns = await asyncio.to_thread(self.deps.history.turns, said.address)
                question = Question(text=said.text, thread=turns)
                reply = await asyncio.to_thread(self.deps.engine.answer, question)
                await self.post_reply(context, said, question, reply)
        except Exception as error:
            log_failure("teams answer", error)
            escalation = await asyncio.to_thread(self.failure_escalation, said, question)
            await context.send_activity(message(cards.apology(escalation.reference if escalation else None)))

    async def post_reply(self, context: TurnContext, said: Said, question: Question, reply: Reply) -> None:
        """The answer goes through the desk's outbox (a 429 or 5xx is retried, Retry-After honoured),
        before any officers' card: the member first."""
        answer_id = await asyncio.to_thread(self.remember, said, question, reply)
        escalation = await asyncio.to_thread(self.escalate_if_needed, said, question, reply)
        notice = cards.handed_over_note(escalation.reference, reply.escalation_note) if escalation else None
        if reply.kind != "answer":
            shown = message("\n\n".join(filter(None, [reply.answer, notice])))
            payload = shown.model_dump(mode="json", by_alias=True, exclude_none=True)
        else:
            payload = cards.answer_message(reply, answer_id, notice)
        try:
            await asyncio.to_thread(self.send_answer, said, payload, answer_id)
        finally:
            if escalation:
                await asyncio.to_thread(self.deps.desk.deliver_cards, escalation)

    def send_answer(self, said: Said, payload: dict[str, Any], answer_id: int | None) -> None:
        self.deps.desk.send_to_member(
            said.address, said.message_id, [payload], question=said.text, answer_id=answer_id
        )

    def remember(self, said: Said, question: Question, reply: Reply) -> int | None:
        if reply.kind != "answer":
            return None
        return self.deps.answers.remember_answer(
            AnsweredQuestion(said.address, said.message_id, question, reply)
        )

    def escalate_if_needed(self, said: Said, question: Question, reply: Reply) -> Escalation | None:
        if not reply.escalate:
            return None
        reason = reply.escalation_reason or EscalationReason.LOW_CONFIDENCE
        return self.deps.desk.escalate(
            said.address, question, reply, reason, message_id=said.message_id, deliver=False
        )

    def failure_escalation(self, said: Said, question: Question) -> Escalation | None:
        try:
            return self.deps.desk.escalate(
                said.address, question, None, EscalationReason.FAILURE, message_id=said.message_id
            )
        except Exception as error:
            log_failure("teams failure escalation", error)
            return None

    def record_rating(self, conversation_id: str, message_id: str, user: str, helpful: bool) -> None:
        record = self.deps.history.answer_for(conversation_id, message_id)
        if record is None:
            log.info("feedback for an unknown or purged answer")
            return
        self.deps.answers.record(
            f"teams:{user}", helpful, record.question, record.reply, f"teams:{message_id}"
        )

    # --- buttons and officers ---

    def in_officers_channel(self, said: Said) -> bool:
        return bool(self.deps.officers_channel) and said.channel == self.deps.officers_channel

    def officer(self, said: Said) -> OfficerIdentity:
        """Officers may be listed by Entra object id (teams:<object id>) or Teams user id (teams:29:…)."""
        desk = self.deps.desk
        person = desk.identify("teams", said.address.user_id)
        if said.teams_user_id and not desk.is_officer(person):
            by_teams_id = desk.identify("teams", said.teams_user_id)
            return by_teams_id if desk.is_officer(by_teams_id) else person
        return person

    async def on_button(self, context: TurnContext, said: Said) -> None:
        notice = await asyncio.to_thread(self.press, said)
        if notice:
            await context.send_activity(message(notice))

    def press(self, said: Said) -> str | None:
        desk, data = self.deps.desk, said.data or {}
        if said.action == cards.ASK_OFFICER:
            return desk.ask_officer(said.address, said.address.user_id, data.get("answer_id", "")).notice
        officer = self.officer(said)
        if said.action == cards.CLAIM:
            return desk.claim(data.get("reference", ""), officer, "teams").notice
        if said.action == cards.RESOLVE:
            return desk.resolve(data.get("reference", ""), officer, "teams").notice
        return None

    async def on_officer_reply(self, context: TurnContext, said: Said) -> None:
        if said.address.thread_id is None:
            return  # a new post in the officers' channel, not a reply under a card
        officer = self.officer(said)
        result = await asyncio.to_thread(
            self.deps.desk.officer_reply, "teams", said.card_thread, officer, said.text
        )
        if result.outcome == Relay.RELAYED:
            await context.send_activity(message(SENT))
        elif result.notice:
            await context.send_activity(message(result.notice))


async def invoke_response(context: TurnContext, status: int) -> None:
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status, body={}))
    )
