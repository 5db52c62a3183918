"""Whatever a member types (any Unicode, control characters, huge pastes, lone markers, a long thread
before it), the engine replies: never an exception, never an empty reply, never a trace of its
insides. Property-based (hypothesis), on a small store with the hashing embedder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import AnswerEngine
from bot.reply import Question, Turn
from bot.settings import Settings
from bot.wiring import build_engine, open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder

FACTSHEET = """---
title: "Redundancy"
---
## Redundancy pay
You are entitled to statutory redundancy pay after two years of continuous employment.

## Fixed-term contracts
Selecting fixed-term employees for redundancy first is likely to be less favourable treatment.
Dates: in force from 2002-10-01
"""

WORDS = ["redundancy", "pay", "[1]", "dismissed", "officer", "fixed-term", "£", "2 years", "\u0000", "\ufffd"]
member_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=30).map(" ".join),
    st.text(min_size=2500, max_size=3000),  # past the question limit
)
turns = st.lists(st.builds(Turn, role=st.sampled_from(["member", "bot", "officer"]), text=member_text), max_size=4)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    folder = tmp_path_factory.mktemp("knowledge")
    (folder / "redundancy.md").write_text(FACTSHEET)
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), today="2026-12-01")
    knowledge = open_knowledge(settings, HashingEmbedder())
    ingest([folder], knowledge.store, knowledge.embedder)
    return build_engine(settings, knowledge)


@given(text=member_text, thread=turns)
def test_any_text_gets_a_reply_and_never_a_stack_trace(engine: AnswerEngine, text: str, thread: list[Turn]) -> None:
    reply = engine.answer(Question(text=text, thread=thread))
    assert reply.answer.strip()
    assert "Traceback (most recent call last)" not in reply.answer
    assert all(1 <= c.n <= len(reply.citations) for c in reply.citations)
