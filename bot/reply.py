"""The core's vocabulary: a member's question in, a reply (answer and/or escalation) out.

Every channel (console, Slack, Teams) builds a Question, calls Engine.answer, and renders the Reply.
Rendering lives in the channel; nothing here knows about Block Kit or Adaptive Cards.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Protocol

from pydantic import BaseModel, Field


class Turn(BaseModel):
    role: Literal["member", "bot", "officer"]
    text: str


class Question(BaseModel):
    text: str
    thread: list[Turn] = Field(default_factory=list)  # earlier turns of the same thread, oldest first


class EscalationReason(StrEnum):
    LOW_CONFIDENCE = "low_confidence"  # nothing retrieved answers the question well enough
    HIGH_STAKES = "high_stakes"  # dismissal, disciplinary, discrimination, resignation, settlement
    URGENT = "urgent"  # hearing today or tomorrow, tribunal or Acas deadline
    ASKED_FOR_PERSON = "asked_for_person"  # the member asked for an officer, rep or human
    MEMBER_REQUEST = "member_request"  # the member pressed "Ask an officer"
    FAILURE = "failure"  # the bot failed inside; a person must pick it up
    LOOKUP_UNAVAILABLE = "lookup_unavailable"  # the knowledge store was down or too slow to search


class Citation(BaseModel):
    n: int
    source_id: str
    title: str
    publication: str | None = None
    date: str | None = None
    locator: str | None = None
    quote: str
    label: str = ""  # the full human citation line, e.g. "Healthcare Manager, issue 67, ..."
    url: str | None = None


class Reply(BaseModel):
    # "error": the engine failed; only channels that must still answer every input build it (console).
    kind: Literal["answer", "smalltalk", "out_of_scope", "invalid_input", "error"] = "answer"
    answer: str  # the whole reply as plain text, [n] markers included
    lead: str = ""  # the direct first sentence
    points: list[str] = Field(default_factory=list)  # key rules, each with its [n] markers
    citations: list[Citation] = Field(default_factory=list)
    date_caveat: str | None = None
    escalate: bool = False
    escalation_reason: EscalationReason | None = None
    escalation_note: str | None = None  # what the member is told about the hand-over
    disclaimer: str = ""
    confidence: float = 0.0
    latency_ms: float = 0.0


class Engine(Protocol):
    """The one core function every channel calls."""

    def answer(self, question: Question) -> Reply: ...
