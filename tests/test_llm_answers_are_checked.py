"""The optional LLM composer, driven by langchain's fake chat models: a well-grounded answer goes out
with its citations; an invented citation or an unsupported fact is caught and the extractive answer
is used instead; a model outage or a model too slow to wait for costs the member nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel

from bot.engine import AnswerEngine
from bot.llm_composer import LLMComposer
from bot.reply import Question
from bot.retrieval import Retriever
from bot.settings import Settings
from bot.wiring import open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder

FACTSHEET = """---
title: "Fixed-term contracts"
---
## Can I be selected for redundancy first?
Selecting fixed-term employees for redundancy first is likely to be less favourable treatment unless the employer can objectively justify it.
An employee on successive fixed-term contracts for four years or more is treated as permanent unless that is objectively justified.

## Notice
An employer must give at least one week's notice after one month of employment.
"""
QUESTION = "Can they select fixed-term employees for redundancy first?"


@pytest.fixture
def engine_with(tmp_path: Path):  # noqa: ANN201
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "fixed-term.md").write_text(FACTSHEET)
    settings = Settings(data_dir=tmp_path / "data")
    knowledge = open_knowledge(settings, HashingEmbedder())
    ingest([folder], knowledge.store, knowledge.embedder)

    def build(model, timeout_seconds: float = 20.0) -> AnswerEngine:  # noqa: ANN001
        retriever = Retriever(knowledge.store, knowledge.embedder, settings.retrieval)
        llm = LLMComposer(model, timeout_seconds) if model else None
        return AnswerEngine(retriever, settings.answer, llm=llm)

    return build


def test_a_grounded_llm_answer_goes_out_with_verbatim_quotes(engine_with) -> None:  # noqa: ANN001
    model = FakeListChatModel(
        responses=[
            "Selecting fixed-term employees for redundancy first is likely to be less favourable treatment "
            "unless the employer can objectively justify it. [1]"
        ]
    )
    reply = engine_with(model).answer(Question(text=QUESTION))
    assert reply.lead.endswith("[1]") and not reply.escalate
    assert reply.citations[0].quote.startswith("Selecting fixed-term employees for redundancy first")


def test_an_invented_citation_falls_back_to_the_extractive_answer(engine_with) -> None:  # noqa: ANN001
    extractive = engine_with(None).answer(Question(text=QUESTION))
    model = FakeListChatModel(responses=["Fixed-term staff cannot be selected first. [7]"])
    reply = engine_with(model).answer(Question(text=QUESTION))
    assert reply.answer == extractive.answer
    assert "[7]" not in reply.answer


def test_a_fact_found_in_no_passage_falls_back_to_the_extractive_answer(engine_with) -> None:  # noqa: ANN001
    extractive = engine_with(None).answer(Question(text=QUESTION))
    model = FakeListChatModel(
        responses=[
            "Selecting fixed-term employees first is less favourable treatment. [1] "
            "You will also receive compensation of 52 weeks' pay from the Secretary of State. [1]"
        ]
    )
    reply = engine_with(model).answer(Question(text=QUESTION))
    assert reply.answer == extractive.answer
    assert "52 weeks" not in reply.answer


def test_an_uncited_sentence_is_not_allowed_through(engine_with) -> None:  # noqa: ANN001
    model = FakeListChatModel(
        responses=[
            "Selecting fixed-term employees for redundancy first is likely to be less favourable treatment. [1] "
            "Your employer is acting illegally and you should resign."
        ]
    )
    reply = engine_with(model).answer(Question(text=QUESTION))
    assert "resign" not in reply.answer


def test_a_model_outage_still_gets_the_member_an_answer(engine_with) -> None:  # noqa: ANN001
    class Broken(GenericFakeChatModel):
        def invoke(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
            raise ConnectionError("ollama is down")

    reply = engine_with(Broken(messages=iter([]))).answer(Question(text=QUESTION))
    assert reply.citations and "less favourable" in reply.answer


# Grounded, and worded unlike the extractive answer: whichever the member got shows which composer won.
GROUNDED = "Selecting fixed-term employees for redundancy first is likely to be less favourable treatment. [1]"


def test_a_model_slower_than_the_timeout_gets_the_member_the_extractive_answer(engine_with) -> None:  # noqa: ANN001
    extractive = engine_with(None).answer(Question(text=QUESTION))
    in_time = engine_with(FakeListChatModel(responses=[GROUNDED])).answer(Question(text=QUESTION))
    assert in_time.answer != extractive.answer  # the model's answer goes out when it comes in time

    slow = FakeListChatModel(responses=[GROUNDED], sleep=5.0)  # the same answer, far too late
    reply = engine_with(slow, timeout_seconds=0.2).answer(Question(text=QUESTION))
    assert reply.answer == extractive.answer and reply.citations


def test_a_provider_timeout_gets_the_member_the_extractive_answer(engine_with) -> None:  # noqa: ANN001
    class TimesOut(GenericFakeChatModel):
        def invoke(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
            raise TimeoutError("read timed out")

    extractive = engine_with(None).answer(Question(text=QUESTION))
    reply = engine_with(TimesOut(messages=iter([]))).answer(Question(text=QUESTION))
    assert reply.answer == extractive.answer


def test_the_llm_timeout_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().answer.llm_timeout_seconds == 20.0
    monkeypatch.setenv("RIGHTSBOT_ANSWER__LLM_TIMEOUT_SECONDS", "7.5")
    assert Settings().answer.llm_timeout_seconds == 7.5
