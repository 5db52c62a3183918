"""The console channel: `rightsbot ask` and `rightsbot chat`, for people without Slack or Teams."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from bot.reply import Engine, EscalationReason, Question, Reply, Turn
from bot.settings import Settings


def reply_json(reply: Reply) -> str:
    """The `ask --json` contract: keep these fields stable; add, never rename."""
    return json.dumps(
        {
            "answer": reply.answer,
            "escalate": reply.escalate,
            "escalation_reason": reply.escalation_reason.value if reply.escalation_reason else None,
            "confidence": reply.confidence,
            "citations": [
                c.model_dump(
                    include={"n", "source_id", "title", "publication", "date", "locator", "quote", "url"}
                )
                for c in reply.citations
            ],
            "latency_ms": reply.latency_ms,
            "kind": reply.kind,
        },
        ensure_ascii=False,
    )


def render_console(reply: Reply) -> str:
    text = reply.answer
    if reply.escalate:
        text += "\n\n>> Escalated to a national officer (reason: " + str(reply.escalation_reason) + ")"
    return text


def _engine(settings: Settings) -> Engine:
    from bot.wiring import build_engine, open_knowledge

    return build_engine(settings, open_knowledge(settings))


def ask_once(settings: Settings, question: str, as_json: bool, engine: Engine | None = None) -> int:
    reply = (engine or _engine(settings)).answer(Question(text=question))
    print(reply_json(reply) if as_json else render_console(reply))
    return 0


def ask_lines(settings: Settings, lines: Iterable[str], as_json: bool, engine: Engine | None = None) -> int:
    """Exactly one result per input line, blank and junk lines included (the engine's reply to empty or
    binary input), in order: operators zip inputs with outputs. With `as_json` one JSON object per line,
    otherwise one block per line, each ended by a rule of dashes. A line the engine fails on still gets
    its result (an escalation); the exit code is then 1."""
    engine = engine or _engine(settings)
    failed = 0
    for number, line in enumerate(lines, 1):
        try:
            reply = engine.answer(Question(text=line.removesuffix("\n").removesuffix("\r")))
        except Exception:
            failed += 1
            # The line number only: question text is never logged.
            print(f"rightsbot: the engine failed on line {number}", file=sys.stderr, flush=True)
            reply = _failure_reply(settings.answer.contact)
        print(reply_json(reply) if as_json else render_console(reply) + "\n" + "-" * 60, flush=True)
    return 1 if failed else 0


def stdin_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines of a byte stream as text, split on "\\n" only (as `wc -l` counts them; a last line without
    one counts too), without their "\\n" or "\\r\\n". UTF-8, else Windows-1252 like ingest's text files;
    bytes neither can read become U+FFFD, which the engine answers as binary input. Text-mode stdin
    would stop the whole run at the first undecodable byte."""
    for number, raw in enumerate(stream):
        raw = raw.removesuffix(b"\n").removesuffix(b"\r")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        yield text.removeprefix("\ufeff") if number == 0 else text  # a Windows editor's byte order mark


def _failure_reply(contact: str) -> Reply:
    message = (
        f"Sorry, something went wrong on my side while answering this question. To reach a person, {contact}."
    )
    return Reply(
        kind="error",
        answer=message,
        lead=message,
        escalate=True,
        escalation_reason=EscalationReason.FAILURE,
    )


def chat(settings: Settings, stdin: TextIO, stdout: TextIO, engine: Engine | None = None) -> int:
    """A conversation with thread memory. Blank line or 'quit' ends it; 'new' starts a new thread."""
    engine = engine or _engine(settings)
    thread: list[Turn] = []
    stdout.write("rightsbot: ask about your employment rights ('new' starts over, 'quit' ends).\n")
    while True:
        stdout.write("\nyou> ")
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit", ""}:
            return 0
        if line.strip().lower() == "new":
            thread = []
            continue
        reply = engine.answer(Question(text=line.strip(), thread=thread))
        stdout.write("\n" + render_console(reply) + "\n")
        thread += [Turn(role="member", text=line.strip()), Turn(role="bot", text=reply.lead or reply.answer)]
