"""A fresh member's try-out (1 December 2026): what an answer must do for the member, one case per kind
of failure found, over the real knowledge base. Cases that still fail are xfail (not strict), so they
turn green, not red, as the faults are fixed; the passing ones guard what works (harm in other words,
the member's own hearings and resignations, the cap's change line were fixed the same day)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import AnswerEngine
from bot.reply import Question, Reply, Turn
from bot.settings import Settings

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def engine(real_knowledge) -> AnswerEngine:  # noqa: ANN001
    engine = AnswerEngine.from_settings(Settings(), real_knowledge.store, real_knowledge.embedder)
    engine.today = TODAY  # as deployed, with the officers' hand-over subjects
    return engine


def ask(engine: AnswerEngine, text: str, today: date = TODAY, thread: list[Turn] | None = None) -> Reply:
    engine.today = today
    try:
        return engine.answer(Question(text=text, thread=thread or []))
    finally:
        engine.today = TODAY


def sources(reply: Reply) -> list[str]:
    return [c.source_id for c in reply.citations]


# -- 1. harm described in the member's own words: handed over, never "out of scope" ------------------


@pytest.mark.parametrize(
    "question",
    [
        "i cant cope anymore with how theyre treating me at work, i feel like giving up",
        "my colleague made a racist joke about me in a meeting",
        "I'm really stressed and can't sleep, work is destroying me",
        "im 63, can they force me to retire",
    ],
)
def test_harm_is_handed_over_not_called_out_of_scope(engine: AnswerEngine, question: str) -> None:
    reply = ask(engine, question)
    assert reply.escalate
    assert "couldn't find anything" not in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "got a letter inviting me to a disciplinary hearing on thursday",
        "im a manager and one of my team is accusing me of bullying, i'm going to be investigated",
        "i resigned because they cut my pay without asking, can i claim",
        "i have 23 months service and theyve just given me notice, 1 weeks notice. can i claim unfair dismissal",
        "im on mat leave and they've started a restructure without telling me",
    ],
)
def test_own_high_stakes_situation_is_handed_over(engine: AnswerEngine, question: str) -> None:
    assert ask(engine, question).escalate


# -- 2. nothing unrelated is quoted ------------------------------------------------------------------


@pytest.mark.xfail(
    strict=False, reason="tryout: a 2016 staff-survey statistic leads harassment and bullying answers"
)
@pytest.mark.parametrize(
    "question",
    [
        "my manager keeps making comments about my body and touching my shoulder, i dont know what to do",
        "I think im being bullied by my director, every meeting she shouts at me in front of the team",
        "i was bullied out of my job and resigned last month, what now",
    ],
)
def test_harm_answers_quote_the_law_not_survey_statistics(engine: AnswerEngine, question: str) -> None:
    reply = ask(engine, question)
    assert "24% experiencing" not in reply.answer
    assert reply.citations and "factsheets" in reply.citations[0].source_id


@pytest.mark.parametrize(
    "question",
    [
        "what are the rules on parking at the hospital site",
        "how do i set up a limited company for consultancy work",
        "my boss keeps emailing me at 11pm and expects replies, is that legal",
        "can they make me work more than 48 hours a week",
        "can i do jury service and still get paid",
    ],
)
def test_a_subject_the_guidance_does_not_cover_gets_no_unrelated_quotes(
    engine: AnswerEngine, question: str
) -> None:
    reply = ask(engine, question)
    assert not reply.citations, sources(reply)


def test_consultation_length_for_25_posts_is_30_days(engine: AnswerEngine) -> None:
    reply = ask(engine, "our trust is cutting 25 posts, how long do they have to consult us?")
    assert "30 days" in reply.lead


@pytest.mark.parametrize(
    "question",
    ["whats the best lasagne recipe", "what's the weather like in leeds tomorrow", "tell me a joke"],
)
def test_plainly_off_topic_gets_no_quotes(engine: AnswerEngine, question: str) -> None:
    reply = ask(engine, question)
    assert not reply.citations and not reply.escalate


# -- 3. the law on a date ----------------------------------------------------------------------------


def test_the_change_line_for_a_cap_question_names_the_cap_plan(engine: AnswerEngine) -> None:
    reply = ask(engine, "is the unfair dismissal compensation capped")
    assert reply.date_caveat and "compensatory award" in reply.date_caveat


@pytest.mark.xfail(
    strict=False, reason="tryout: no change line for fire and rehire a month before the planned change"
)
def test_fire_and_rehire_names_the_planned_january_change_before_it(engine: AnswerEngine) -> None:
    reply = ask(engine, "can they fire and rehire me for refusing a pay cut")
    assert reply.date_caveat and "January 2027" in reply.date_caveat


@pytest.mark.xfail(strict=False, reason="tryout: planned changes asked about directly are not called plans")
@pytest.mark.parametrize(
    "question",
    [
        "is it true flexible working refusals now have to be reasonable",
        "do employers have to prevent third party harassment now",
        "I had a miscarriage at 14 weeks, can I get bereavement leave",
    ],
)
def test_a_planned_change_asked_about_is_called_a_plan(engine: AnswerEngine, question: str) -> None:
    text = ask(engine, question).answer.lower()
    assert "planned" in text or "not yet law" in text


@pytest.mark.xfail(
    strict=False, reason="tryout: after 1 Jan 2027 the qualifying-period question is not answered"
)
def test_after_the_planned_date_the_qualifying_question_still_gets_a_qualifying_answer(
    engine: AnswerEngine,
) -> None:
    reply = ask(
        engine, "how long do I need to work somewhere before I can claim unfair dismissal", date(2027, 1, 2)
    )
    assert "qualifying" in reply.lead.lower() or "two years" in reply.lead


def test_a_change_line_never_calls_a_past_date_ahead(engine: AnswerEngine) -> None:
    reply = ask(
        engine, "ive been in my job 8 months, can i claim unfair dismissal if they sack me", date(2027, 4, 7)
    )
    assert "Change ahead (planned for 1 January 2027" not in reply.answer


@pytest.mark.xfail(strict=False, reason="tryout: the new rule leads when the member's own date is before it")
def test_sickness_before_6_april_2026_does_not_lead_with_day_one_ssp(engine: AnswerEngine) -> None:
    reply = ask(engine, "i went off sick on 2 april 2026, should i have been paid ssp for the first 3 days")
    assert not reply.lead.startswith("Since 6 April 2026")


def test_tribunal_limit_stays_three_months_after_the_planned_dates(engine: AnswerEngine) -> None:
    for today in (TODAY, date(2027, 1, 2), date(2027, 4, 7)):
        reply = ask(engine, "how long do i have to bring a tribunal claim for discrimination", today)
        assert "three months less one day" in reply.lead
        assert "six months" not in reply.lead


def test_april_rates_are_not_quoted_after_5_april_2027(engine: AnswerEngine) -> None:
    reply = ask(engine, "how much is SSP", date(2027, 4, 7))
    assert "£123.25" not in reply.answer


# -- 4. the member's number decides the rule, and the deciding figure is given ------------------------


@pytest.mark.xfail(strict=False, reason="tryout: 19 redundancies answered as if consultation applied")
def test_nineteen_redundancies_is_below_the_collective_threshold(engine: AnswerEngine) -> None:
    reply = ask(engine, "theyre proposing 19 redundancies, do they have to do collective consultation")
    assert "20" in reply.lead


_FIGURE_MISSING = pytest.mark.xfail(strict=False, reason="tryout: deciding figures missing from the answer")


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        pytest.param("how much is statutory maternity pay", "£194.32", marks=_FIGURE_MISSING),
        ("whats the max statutory redundancy pay", "£22,530"),
        ("my employer didnt consult at all before making 40 people redundant, what can we get", "180 days"),
        pytest.param(
            "how much redundancy pay with 30 yrs nhs service on 95k salary", "24 months", marks=_FIGURE_MISSING
        ),
    ],
)
def test_the_deciding_figure_is_given(engine: AnswerEngine, question: str, figure: str) -> None:
    assert figure in ask(engine, question).answer


@pytest.mark.xfail(strict=False, reason="tryout: 18 months' service reads as a two-month payment")
def test_eighteen_months_is_told_it_does_not_qualify_for_nhs_redundancy_pay(engine: AnswerEngine) -> None:
    reply = ask(engine, "nhs redundancy - 18 months service, do i get anything?")
    assert "smallest NHS redundancy payment" not in reply.lead


def test_figures_that_already_come_right(engine: AnswerEngine) -> None:
    assert (
        "four months' full pay"
        in ask(engine, "how much sick pay will i get, ive been with the trust 2 and a half years").lead
    )
    assert "45 days" in ask(engine, "they're making 120 of us redundant, consultation period?").answer
    assert "£751" in ask(engine, "whats the week's pay cap for redundancy").lead


# -- 5. the lead answers the question asked -----------------------------------------------------------


_OTHER_LEAD = pytest.mark.xfail(strict=False, reason="tryout: the lead answers a different question")


@pytest.mark.parametrize(
    ("question", "must_lead"),
    [
        ("how much notice do i need to give, band 8a", "resign"),
        pytest.param("is carers leave a day one right", "minimum period of service", marks=_OTHER_LEAD),
        pytest.param("how long does acas early conciliation last", "12 weeks", marks=_OTHER_LEAD),
        pytest.param("can someone who isnt disabled claim indirect discrimination", "19A", marks=_OTHER_LEAD),
    ],
)
def test_the_lead_answers_the_question(engine: AnswerEngine, question: str, must_lead: str) -> None:
    assert must_lead in ask(engine, question).lead


@pytest.mark.xfail(
    strict=False, reason="tryout: a father's death answered with bereaved partner's paternity leave"
)
def test_a_parents_death_is_answered_from_time_off_for_dependants(engine: AnswerEngine) -> None:
    reply = ask(engine, "do i get bereavement leave if my dad dies")
    assert "paternity" not in reply.answer.lower()


def test_a_change_imposed_by_the_employer_is_answered_from_contract_changes(engine: AnswerEngine) -> None:
    reply = ask(engine, "can my employer change my working hours without asking me")
    assert reply.citations and "changes-to-your-contract" in reply.citations[0].source_id


@pytest.mark.xfail(strict=False, reason="tryout: heavy shorthand is called out of scope")
def test_shorthand_reaches_flexible_working(engine: AnswerEngine) -> None:
    reply = ask(engine, "hv 6mths svc, cn i req flex wrkng?")
    assert any("flexible-working" in s for s in sources(reply))


# -- 6. follow-ups keep the thread --------------------------------------------------------------------


@pytest.mark.xfail(strict=False, reason="tryout: a short follow-up loses the subject of the thread")
@pytest.mark.parametrize(
    ("earlier", "follow_up", "figure"),
    [
        (["can i get paternity leave", "and is it paid?"], "how much", "£194.32"),
        (
            ["whats the time limit for a tribunal claim", "what if its discrimination"],
            "and equal pay?",
            "six months",
        ),
    ],
)
def test_a_short_follow_up_stays_on_the_subject(
    engine: AnswerEngine, earlier: list[str], follow_up: str, figure: str
) -> None:
    thread = [Turn(role="member", text=t) for t in earlier]
    assert figure in ask(engine, follow_up, thread=thread).answer


@pytest.mark.xfail(
    strict=False, reason="tryout: '6 years' in a sick pay thread quotes the fixed-term 4-year rule"
)
def test_a_service_follow_up_in_a_sick_pay_thread_quotes_sick_pay(engine: AnswerEngine) -> None:
    thread = [
        Turn(role="member", text="how much sick pay do i get"),
        Turn(role="member", text="ive been there 4 years"),
    ]
    reply = ask(engine, "what about after 6 years?", thread=thread)
    assert "six months' full pay" in reply.lead
