"""The console channel: `rightsbot ask` and `rightsbot chat`, for people without Slack or Teams."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from bot.reply import Engine, Question, Reply, Turn
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
    engine = engine or _engine(settings)
    for line in lines:
        if line.strip():
            reply = engine.answer(Question(text=line.rstrip("\n")))
            print(reply_json(reply) if as_json else render_console(reply) + "\n" + "-" * 60, flush=True)
    return 0


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
