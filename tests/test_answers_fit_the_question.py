"""Issue 8's kinds of fault, each smallest example over the real knowledge base: numbers in the
member's question, members' own words, the lead sentence, answers that do not fit, and harm
described in other words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import AnswerEngine
from bot.reply import EscalationReason, Question, Reply
from bot.settings import Settings


@pytest.fixture(scope="module")
def engine(real_knowledge) -> AnswerEngine:  # noqa: ANN001
    engine = AnswerEngine.from_settings(Settings(), real_knowledge.store, real_knowledge.embedder)
    engine.today = date(2026, 12, 1)  # with the officers' hand-over subjects, as deployed
    return engine


def ask(engine: AnswerEngine, text: str) -> Reply:
    return engine.answer(Question(text=text))


def test_the_rule_whose_range_holds_the_headcount_leads(engine: AnswerEngine) -> None:
    reply = ask(engine, "If my employer is making 120 people redundant how long must they consult?")
    assert "45 days" in reply.answer
    assert not reply.lead.lower().startswith("for 20 to 99")


def test_the_sick_pay_band_for_the_members_service_is_quoted(engine: AnswerEngine) -> None:
    reply = ask(engine, "I have 4 years NHS service. How much sick pay do I get?")
    assert "five months" in reply.answer.lower()
    assert "third year" not in reply.lead.lower()


def test_members_words_reach_the_legal_idea(engine: AnswerEngine) -> None:
    let_go = ask(engine, "I'm being let go after 18 months")
    assert let_go.escalate and let_go.escalation_reason == EscalationReason.HIGH_STAKES
    takeover = ask(engine, "Our company has been taken over, can the new owner change my hours?")
    assert any("tupe" in c.source_id for c in takeover.citations)
    officer = ask(engine, "Please pass this to a national officer")
    assert officer.escalation_reason == EscalationReason.ASKED_FOR_PERSON


@pytest.mark.parametrize(
    "question",
    [
        "how long have I got to put in a tribunal claim after I'm dismissed?",
        "can I refuse a job they offer me in a redundancy?",
        "how much notice do I have to give if I resign after 6 years",
    ],
)
def test_the_lead_states_a_rule_not_an_example_or_exception(engine: AnswerEngine, question: str) -> None:
    lead = ask(engine, question).lead.lower()
    assert lead and not lead.startswith(("for example", "for instance", "however", "but ", "unless"))


def test_an_unrelated_question_is_not_answered_with_quotes(engine: AnswerEngine) -> None:
    weather = ask(engine, "What's the weather in Leeds tomorrow?")
    assert weather.kind == "out_of_scope" and not weather.citations
    landlord = ask(engine, "my landlord has given us notice to leave the flat, is that legal?")
    assert not landlord.citations


def test_holiday_for_part_time_work_is_answered_from_annual_leave(engine: AnswerEngine) -> None:
    reply = ask(engine, "How many days holiday do I get if I work 3 days a week?")
    assert any("annual-leave" in c.source_id for c in reply.citations)


def test_a_subject_we_do_not_cover_is_handed_over_without_unrelated_quotes(engine: AnswerEngine) -> None:
    reply = ask(engine, "Do I get paid for jury service?")
    assert reply.escalate and not reply.citations


@pytest.mark.parametrize(
    "question",
    [
        "I'm on maternity leave and my manager says my job no longer exists",
        "they want me to sign something by Friday",
        "a senior colleague keeps touching my back in the lift and texting me at night",
        "I'm packing it in, they've forced me out",
    ],
)
def test_harm_in_other_words_is_handed_over_and_never_called_out_of_scope(
    engine: AnswerEngine, question: str
) -> None:
    reply = ask(engine, question)
    assert reply.escalate and reply.kind != "out_of_scope"
    assert "couldn't find anything" not in reply.answer


# -- session 4: kinds found on the members'-words set, each with new questions ----------------------


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # the model alone does not link these words to the law's; the lexicon's words find it
        ("the trust is handing our whole team to a private firm next year, does my contract carry on?", "tupe"),
        ("they are moving our whole service over to a new provider, what happens to my job?", "tupe"),
    ],
)
def test_members_words_are_searched_by_meaning_with_the_laws_words(
    engine: AnswerEngine, question: str, source: str
) -> None:
    hits = engine.retriever.search(question, 6)
    assert any(source in h.passage.source_id for h in hits[:6])


def test_confidence_rests_on_the_members_own_words(engine: AnswerEngine) -> None:
    """A passage found only through the lexicon's added words scores no similarity of its own."""
    from bot.retrieval import OWN_WORDS_DEPTH

    question = "the new owner took over our service"
    own = {h.passage.id: h.dense for h in engine.retriever.search(question, 30)}
    deep = OWN_WORDS_DEPTH * engine.retriever.settings.dense_candidates
    plain = dict(engine.retriever.store.dense_search(engine.retriever.vector(question), deep))
    assert all(own[i] == plain.get(i, 0.0) for i in own)


def test_a_longer_follow_up_that_points_back_is_read_with_the_earlier_question() -> None:
    from bot.engine import contextual_query
    from bot.reply import Turn

    thread = [Turn(role="member", text="what's carer's leave?")]
    follow_up = "is it something my manager has to say yes to or can they refuse it if we're short staffed?"
    assert contextual_query(follow_up, thread).startswith("what's carer's leave?")
    fresh = "How much statutory redundancy pay would someone with twelve years of service at a trust get?"
    assert contextual_query(fresh, thread) == fresh


def test_a_decision_due_by_a_day_is_urgent(engine: AnswerEngine) -> None:
    reply = ask(engine, "they've offered me a band 6 instead of my band 7 post and I have to decide by friday")
    assert reply.escalation_reason == EscalationReason.URGENT
    assert ask(engine, "I have until thursday to accept the redeployment offer").escalation_reason == (
        EscalationReason.URGENT
    )


def test_an_example_never_leads_even_when_no_rule_scores_near_it(engine: AnswerEngine) -> None:
    lead = ask(engine, "what leave would I get on 3 days a week after 2 years in the NHS").lead.lower()
    assert lead and not lead.startswith(("for example", "for instance"))


@pytest.mark.parametrize(
    "question",
    ["is it going to rain in Bristol on Saturday? might book a day off", "is snow forecast for tomorrow, can I WFH?"],
)
def test_a_weather_forecast_question_is_not_answered(engine: AnswerEngine, question: str) -> None:
    reply = ask(engine, question)
    assert not reply.citations and not reply.escalate


@pytest.mark.parametrize(
    "question",
    [
        "can I get time off to take my dad to his chemo appointments, and is it paid?",
        "my nan needs looking after since her stroke, am I allowed time off work to care for my gran?",
    ],
)
def test_caring_for_a_relative_in_members_words_is_answered_from_carers_leave(
    engine: AnswerEngine, question: str
) -> None:
    reply = ask(engine, question)
    assert any("carers-leave" in c.source_id for c in reply.citations)
    if "paid" in question:
        assert "unpaid" in reply.answer.lower()


def test_a_doctor_named_in_a_sickness_question_does_not_make_it_a_patients_question(engine: AnswerEngine) -> None:
    reply = ask(engine, "my GP signed me off for 10 days with my back, do I hand in the note or can I self certify?")
    assert reply.kind == "answer" and reply.citations
    assert "seven" in reply.answer.lower()


def test_splitting_leave_after_a_birth_is_answered_from_shared_parental_leave(engine: AnswerEngine) -> None:
    reply = ask(engine, "me and my wife want to split the leave after the baby is born, how many weeks can we share?")
    assert "50 weeks" in reply.answer


@pytest.mark.parametrize(
    ("question", "spoken_of"),
    [
        (
            "a senior colleague keeps putting his arm round my waist at team socials and making remarks "
            "about my figure, i feel sick going to work",
            "harassment",
        ),
        (
            "they've sent me home and said don't come back in until an investigation into a complaint about "
            "me is finished. is that allowed?",
            "suspen",
        ),
    ],
)
def test_a_hand_over_for_harm_in_own_words_quotes_the_guidance_on_it(
    engine: AnswerEngine, question: str, spoken_of: str
) -> None:
    """Handed over, and while they wait the member has the union's own guidance on what they described:
    a factsheet or Legal Eye passage that speaks of it, never news or features."""
    reply = ask(engine, question)
    assert reply.escalate and reply.escalation_reason == EscalationReason.HIGH_STAKES
    assert reply.citations and spoken_of in reply.answer.lower()
    assert all(c.label.startswith("MiP factsheet") or "Legal Eye" in c.label for c in reply.citations), [
        c.label for c in reply.citations
    ]


def test_too_soon_or_too_late_asks_for_a_figure_and_the_lead_gives_one(engine: AnswerEngine) -> None:
    """"Is it too soon?" asks how long, as "how long" does: the lead is the rule with the figure."""
    reply = ask(engine, "I've had long covid for five months now, is it too soon for it to count as a disability?")
    assert "12 months" in reply.lead


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("they want to finish my fixed term contract 4 months early and there's no break clause in it, is that allowed?", "breach of contract"),
        ("my contract just says it ends when the funding stops, is that a fixed term contract?", "fixed-term contract"),
    ],
)
def test_fixed_term_questions_members_ask_are_answered_from_the_factsheet(
    engine: AnswerEngine, question: str, rule: str
) -> None:
    reply = ask(engine, question)
    assert not reply.escalate and rule in reply.lead
    assert reply.citations[0].source_id == "knowledge/factsheets/fixed-term-contracts.md"


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        ("as a disabled manager at risk of redundancy, do I have to be interviewed against others for a vacant post?", "reasonable adjustment"),
        ("I've got crohns and keep hitting the sickness trigger points, can they change the triggers for me?", "reasonable adjustment"),
        ("our service is being handed over to a private provider next year, can they cut my pay once we move?", "TUPE"),
    ],
)
def test_a_fitting_answer_in_members_words_is_given_not_handed_over(
    engine: AnswerEngine, question: str, cited: str
) -> None:
    """Members' own words sit further from the factsheets' wording than a rep's do; an answer whose
    sentences speak of what they named is still given (FITTING_MIN_CONFIDENCE)."""
    reply = ask(engine, question)
    assert not reply.escalate
    assert cited.lower() in reply.answer.lower()


def test_a_concept_named_only_in_a_negation_is_not_the_subject(engine: AnswerEngine) -> None:
    """"not on AfC" does not make Agenda for Change what the question is about, so an answer on
    statutory redundancy pay fits it."""
    reply = ask(
        engine,
        "I'm with a private care company, not on AfC, and I'm 50 with 12 years there. how is statutory redundancy pay worked out?",
    )
    assert reply.citations and "week" in reply.answer
    assert reply.escalation_reason != EscalationReason.LOW_CONFIDENCE
