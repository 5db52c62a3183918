"""A fake Engine for channel tests: canned Replies chosen by keywords, and a record of every Question.

Keywords (case-insensitive) in the question pick the reply:
  "crash"    -> raises RuntimeError (the channel must apologise and escalate)
  "dismiss"  -> an answer that also escalates as high_stakes
  "officer"  -> asks for a person (asked_for_person), with general information found
  "person"   -> only asks for a person: a hand-over with nothing found, shaped as the real engine's
  "hello"    -> smalltalk, no citations
  "weather"  -> out_of_scope
  "old rule" -> an answer with a date caveat
  blank, or with U+FFFD or NUL (undecodable input) -> invalid_input
  anything else -> an answer with two citations (one with a url, one without)
"""

from __future__ import annotations

import threading
import time

from bot.reply import Citation, EscalationReason, Question, Reply

DISCLAIMER = "This is general information from MiP's guidance, not legal advice about your case."

CITATIONS = [
    Citation(
        n=1,
        source_id="factsheet-redundancy",
        title="Redundancy: your rights",
        publication="MiP factsheet",
        date="2024-03-01",
        quote="Fixed-term employees must not be selected for redundancy because they are fixed-term.",
        label="MiP factsheet, Redundancy: your rights (March 2024)",
        url="https://example.org/factsheets/redundancy",
    ),
    Citation(
        n=2,
        source_id="legal-eye-67",
        title="Legal Eye: fixed-term contracts",
        publication="Healthcare Manager",
        date="2023-06-01",
        locator="issue 67, p. 12",
        quote="Less favourable treatment of fixed-term staff needs objective justification.",
        label="Healthcare Manager, issue 67, Legal Eye: fixed-term contracts",
    ),
]


class ScriptedEngine:
    """Deterministic stand-in for the real engine; thread-safe, records what it was asked."""

    def __init__(self, delay_seconds: float = 0.0) -> None:
        self.delay_seconds = delay_seconds  # lets tests show the ack never waits for the answer
        self.questions: list[Question] = []
        self._lock = threading.Lock()

    def answer(self, question: Question) -> Reply:
        with self._lock:
            self.questions.append(question)
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        return scripted_reply(question.text.lower())


def scripted_reply(text: str) -> Reply:
    if not text.strip() or "\ufffd" in text or "\x00" in text:  # as the engine's check_input
        return Reply(kind="invalid_input", answer="I didn't catch a question there.", confidence=0.0)
    if "crash" in text:
        raise RuntimeError("scripted engine failure")
    if "dismiss" in text:
        return escalating_answer(EscalationReason.HIGH_STAKES)
    if "officer" in text:
        return escalating_answer(EscalationReason.ASKED_FOR_PERSON)
    if "person" in text:
        return handover_only(EscalationReason.ASKED_FOR_PERSON)
    if "hello" in text:
        return Reply(kind="smalltalk", answer="Hello! Ask me about your rights at work.", confidence=1.0)
    if "weather" in text:
        return Reply(kind="out_of_scope", answer="I can only help with employment rights.", confidence=1.0)
    return cited_answer(date_caveat="old rule" in text)


def cited_answer(date_caveat: bool = False) -> Reply:
    lead = "No: being on a fixed-term contract is not a fair reason on its own to select you [1]."
    points = [
        "Fixed-term staff must not be treated less favourably than comparable permanent staff [2].",
        "Your employer must use fair, objective selection criteria [1].",
    ]
    return Reply(
        answer=" ".join([lead, *points]),
        lead=lead,
        points=points,
        citations=CITATIONS,
        date_caveat="Some sources are over three years old; the rule may have changed."
        if date_caveat
        else None,
        disclaimer=DISCLAIMER,
        confidence=0.82,
    )


def escalating_answer(reason: EscalationReason) -> Reply:
    reply = cited_answer()
    return reply.model_copy(
        update={
            "escalate": True,
            "escalation_reason": reason,
            "escalation_note": "This needs a national officer: I have passed your question on.",
            "confidence": 0.4,
        }
    )


CONTACT = "For help with your situation, email MemberAdvice@miphealth.org.uk or ask here for an officer."


def handover_only(reason: EscalationReason) -> Reply:
    """What the real engine says when it only hands over: no lead, no points, the note and the contact."""
    note = "You asked to speak to a person, so I'm passing your question to a national officer, who will pick it up."
    return Reply(
        answer=f"{note}\n\n{CONTACT}",
        escalate=True,
        escalation_reason=reason,
        escalation_note=note,
        disclaimer=CONTACT,
    )
