"""Members' Helpful / Not helpful votes, and the short-lived answer records the vote buttons point at.

Answer records let a button press find its question and reply again without re-reading the chat; they
are purged after a few weeks. Feedback rows copy what they refer to, so they outlive the records.
`export_not_helpful` turns the Not helpful ones into eval cases for a person to complete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

import yaml
from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    delete,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.address import ConversationAddress
from bot.data_rights import Cutoffs, Member, iso
from bot.escalations import AddressColumns, address_columns
from bot.reply import Question, Reply, Turn
from bot.storage import Base, SqlStore, utcnow


class AnswerRecord(AddressColumns, Base):
    """One answered question, so its buttons (rate, ask an officer, share) can act on it later.
    The address is where it was asked and `user_id` who asked it."""

    __tablename__ = "answer_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    question_json: Mapped[str] = mapped_column(Text)
    reply_json: Mapped[str] = mapped_column(Text)

    @property
    def question(self) -> Question:
        return Question.model_validate_json(self.question_json)

    @property
    def reply(self) -> Reply:
        return Reply.model_validate_json(self.reply_json)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("answer_ref", "user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(255))
    helpful: Mapped[bool]
    # One vote per user per answer: `slack:<record id>`, or the id Teams gave the answer (replyToId).
    answer_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    question: Mapped[str] = mapped_column(Text)
    thread_json: Mapped[str] = mapped_column(Text, default="[]")
    answer: Mapped[str] = mapped_column(Text)
    citations_json: Mapped[str] = mapped_column(Text, default="[]")  # [{n, source_id, title}]

    @property
    def thread(self) -> list[dict[str, str]]:
        return json.loads(self.thread_json or "[]")

    @property
    def cited_sources(self) -> list[str]:
        return [c["source_id"] for c in json.loads(self.citations_json or "[]")]


class AnswerMessage(Base):
    """An answer as a channel posted it: the message id its connector gave it, in its conversation
    (Teams' feedback names our message by that id; see bot/teams/history.py)."""

    __tablename__ = "answer_messages"
    __table_args__ = (Index("ix_answer_messages_message", "platform", "conversation_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(Text)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer_records.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class AnsweredQuestion:
    """`address` is where the member asked (its user_id is the asker); `message_id` their message."""

    address: ConversationAddress
    message_id: str | None
    question: Question
    reply: Reply


class FeedbackStore(SqlStore):
    def remember_answer(self, answered: AnsweredQuestion) -> int:
        record = AnswerRecord(
            question_json=answered.question.model_dump_json(),
            reply_json=answered.reply.model_dump_json(),
            **address_columns(answered.address, answered.message_id),
        )
        with self._session() as session:
            session.add(record)
            session.flush()
            return record.id

    def answer_posted(self, address: ConversationAddress, message_id: str, answer_id: int) -> None:
        """The message id a channel gave a posted answer, so feedback naming it finds the answer."""
        with self._session() as session:
            session.add(
                AnswerMessage(
                    platform=address.platform,
                    conversation_id=address.conversation_id,
                    message_id=message_id,
                    answer_id=answer_id,
                )
            )

    def answer_record(self, record_id: int) -> AnswerRecord | None:
        with self._session() as session:
            return session.get(AnswerRecord, record_id)

    def record(
        self, user: str, helpful: bool, question: Question, reply: Reply, answer_ref: str | None
    ) -> int:
        """Store a vote; a user who votes again on the same answer changes their vote."""
        with self._session() as session:
            row = self._existing_vote(session, user, answer_ref) or Feedback(user=user, answer_ref=answer_ref)
            row.helpful, row.created_at = helpful, utcnow()
            row.question = question.text
            row.thread_json = json.dumps([turn.model_dump() for turn in question.thread])
            row.answer = reply.answer
            row.citations_json = json.dumps(
                [{"n": c.n, "source_id": c.source_id, "title": c.title} for c in reply.citations]
            )
            session.add(row)
            session.flush()
            return row.id

    @staticmethod
    def _existing_vote(session: Session, user: str, answer_ref: str | None) -> Feedback | None:
        if answer_ref is None:
            return None
        query = select(Feedback).where(Feedback.user == user, Feedback.answer_ref == answer_ref)
        return session.scalars(query).first()

    def all(self, helpful: bool | None = None) -> list[Feedback]:
        query = select(Feedback).order_by(Feedback.id)
        if helpful is not None:
            query = query.where(Feedback.helpful == helpful)
        with self._session() as session:
            return list(session.scalars(query))

    # --- retention and subject access (bot/data_rights.py) ---

    categories = {
        "feedback": "Helpful / Not helpful votes: who voted, the question and earlier turns, the answer "
        "and the sources it cited",
        "answers": "answered questions, kept so their buttons work and for follow-ups: the question, "
        "the answer, where it was asked",
        "answer_messages": "which posted message is which answer (Teams' ratings name the message)",
    }

    def purge_older_than(self, cutoffs: Cutoffs) -> dict[str, int]:
        """Feedback before the `feedback` cutoff; answers (and their posted messages) before `answers`."""
        answers_before = cutoffs.before("answers")
        with self._session() as session:
            old = select(AnswerRecord.id).where(AnswerRecord.created_at < answers_before)
            messages = session.execute(
                delete(AnswerMessage).where(
                    or_(AnswerMessage.answer_id.in_(old), AnswerMessage.created_at < answers_before)
                )
            )
            answers = session.execute(delete(AnswerRecord).where(AnswerRecord.created_at < answers_before))
            votes = session.execute(delete(Feedback).where(Feedback.created_at < cutoffs.before("feedback")))
            return {
                "feedback": votes.rowcount or 0,  # type: ignore[attr-defined]
                "answers": answers.rowcount or 0,  # type: ignore[attr-defined]
                "answer_messages": messages.rowcount or 0,  # type: ignore[attr-defined]
            }

    def export_member(self, member: Member) -> dict[str, list[dict[str, Any]]]:
        """Answers given to the member, their posted messages, and the member's votes (Slack votes
        name the user id, Teams votes the account)."""
        theirs = or_(
            *(and_(AnswerRecord.platform == p, AnswerRecord.user_id == u) for p, u in member.accounts)
        )
        voters = {user_id for _, user_id in member.accounts} | set(member.account_keys)
        with self._session() as session:
            answers = list(session.scalars(select(AnswerRecord).where(theirs).order_by(AnswerRecord.id)))
            ids = [row.id for row in answers]
            posted = select(AnswerMessage).where(AnswerMessage.answer_id.in_(ids)).order_by(AnswerMessage.id)
            messages = list(session.scalars(posted))
            votes = list(session.scalars(select(Feedback).where(Feedback.user.in_(voters)).order_by(Feedback.id)))
        return {
            "answers": [answer_export(row) for row in answers],
            "answer_messages": [
                {"answer": m.answer_id, "platform": m.platform, "conversation_id": m.conversation_id,
                 "message_id": m.message_id, "created_at": iso(m.created_at)}
                for m in messages
            ],
            "feedback": [feedback_export(row) for row in votes],
        }


def answer_export(row: AnswerRecord) -> dict[str, Any]:
    return {
        "answer": row.id,
        "platform": row.platform,
        "user_id": row.user_id,
        "conversation_id": row.conversation_id,
        "thread_id": row.thread_id,
        "message_id": row.message_id,
        "created_at": iso(row.created_at),
        "question": row.question.text,
        "earlier_turns": [turn.model_dump() for turn in row.question.thread],
        "answer_text": row.reply.answer,
    }


def feedback_export(row: Feedback) -> dict[str, Any]:
    return {
        "user": row.user,
        "helpful": row.helpful,
        "answer_ref": row.answer_ref,
        "created_at": iso(row.created_at),
        "question": row.question,
        "earlier_turns": row.thread,
        "answer_text": row.answer,
        "cited_sources": row.cited_sources,
    }


def export_not_helpful(store: FeedbackStore, out: TextIO) -> int:
    """Write the Not helpful votes as eval cases (YAML list); returns how many were written."""
    cases = [feedback_case(row) for row in store.all(helpful=False)]
    if cases:
        yaml.safe_dump(cases, out, sort_keys=False, allow_unicode=True, width=100)
    else:
        out.write("[]\n")
    return len(cases)


def feedback_case(row: Feedback) -> dict[str, object]:
    cited = ", ".join(row.cited_sources) or "none"
    return {
        "id": f"feedback-{row.id}",
        "question": row.question,
        "thread": [Turn.model_validate(turn).model_dump() for turn in row.thread],
        "category": "from-feedback",
        "expected_sources": [],
        "facts": [],
        "escalate": None,
        "notes": f"bot answered: {shorten(row.answer, 600)} (cited: {cited})",
    }


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
