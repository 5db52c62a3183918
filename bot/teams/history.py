"""What Teams needs remembered beyond the desk's stores, in the same database (replicas share it):
which posted message is which answer (Teams' feedback names our message by the id the connector
gave it; the desk records it when the outbox delivers the answer, `FeedbackStore.answer_posted`),
and a conversation's earlier turns for follow-ups, read back from the answer records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.address import ConversationAddress
from bot.feedback import AnswerMessage, AnswerRecord
from bot.reply import Turn
from bot.storage import SqlStore, utcnow

# A 1:1 chat never ends, so "the conversation so far" is its last few answers within the hour:
# a short question the next morning is a new question, not a follow-up of yesterday's.
MAX_EXCHANGES = 5
FOLLOW_UP_WINDOW = timedelta(hours=1)


class TeamsHistory(SqlStore):
    def answer_for(self, conversation_id: str, message_id: str) -> AnswerRecord | None:
        """The answer record behind a posted message, or None (unknown, or purged by retention)."""
        query = (
            select(AnswerRecord)
            .join(AnswerMessage, AnswerMessage.answer_id == AnswerRecord.id)
            .where(
                AnswerMessage.platform == "teams",
                AnswerMessage.conversation_id == conversation_id,
                AnswerMessage.message_id == message_id,
            )
        )
        with self._session() as session:
            return session.scalars(query.limit(1)).first()

    def turns(self, address: ConversationAddress, now: datetime | None = None) -> list[Turn]:
        """This member's recent questions and answers in the conversation, oldest first, as the
        engine's Turns (in a shared channel thread, a colleague's question is not their context)."""
        since = (now or utcnow()) - FOLLOW_UP_WINDOW
        query = (
            select(AnswerRecord)
            .where(
                AnswerRecord.platform == address.platform,
                AnswerRecord.conversation_id == address.conversation_id,
                AnswerRecord.user_id == address.user_id,
                AnswerRecord.created_at >= since,
            )
            .order_by(AnswerRecord.id.desc())
            .limit(MAX_EXCHANGES)
        )
        with self._session() as session:
            records = list(session.scalars(query))
        turns: list[Turn] = []
        for record in reversed(records):
            turns.append(Turn(role="member", text=record.question.text))
            turns.append(Turn(role="bot", text=record.reply.answer))
        return turns
