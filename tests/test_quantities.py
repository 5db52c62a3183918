"""Members' numbers and the ranges rules state: the answer quotes the rule whose range holds the
member's number ("120 people" -> the 100-or-more rule; "4 years' service" -> the fourth-and-fifth-
years band), and a cap ("up to 20 years") still governs a bigger number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.quantities import Quantity, Range, fit, fits, question_quantities, sentence_ranges


def R(unit, low=None, high=None, **flags) -> Range:  # noqa: N802 - reads like the table it fills
    return Range(low, high, unit, **flags)


# ---- the two faults from issue 8, on the factsheets' own wording ----

CONSULTATION = [
    "For 20 to 99 proposed redundancies, collective consultation must begin at least 30 days before the first dismissal takes effect.",
    "For 100 or more proposed redundancies, collective consultation must begin at least 45 days before the first dismissal takes effect.",
]
SICK_PAY = [
    "During the first year of service, the entitlement is one month's full pay and two months' half pay.",
    "During the second year of service, the entitlement is two months' full pay and two months' half pay.",
    "During the third year of service, the entitlement is four months' full pay and four months' half pay.",
    "During the fourth and fifth years of service, the entitlement is five months' full pay and five months' half pay.",
    "After five years' service, the entitlement is six months' full pay and six months' half pay.",
]


def test_120_people_get_the_100_or_more_rule_not_the_20_to_99_rule():
    quantities = question_quantities(
        "If my employer is making 120 people redundant how long must they consult?"
    )
    assert quantities == [Quantity(120, "people")]
    assert [fit(quantities, s) for s in CONSULTATION] == [-1, 1]


def test_4_years_nhs_service_gets_the_fourth_and_fifth_years_band_not_the_third():
    quantities = question_quantities("I have 4 years NHS service. How much sick pay do I get?")
    assert quantities == [Quantity(4, "years")]
    assert [fit(quantities, s) for s in SICK_PAY] == [-1, -1, -1, 1, -1]


@pytest.mark.parametrize(
    ("question", "band"),
    [
        ("I started 8 months ago and have been there 8 months, what sick pay?", 0),
        ("I've worked here 18 months. What sick pay do I get?", 1),
        ("I'm in my third year with the trust", 2),
        ("I have 3 years' service", 3),
        ("5 yrs service, off sick", 4),
        ("I've had over 5 years NHS service", 4),
        ("I have twenty years' service", 4),
    ],
)
def test_each_length_of_service_fits_exactly_one_sick_pay_band(question, band):
    quantities = question_quantities(question)
    assert [fit(quantities, s) for s in SICK_PAY] == [1 if i == band else -1 for i in range(5)]


# ---- what the member says ----

QUESTIONS = [
    ("If my employer is making 120 people redundant how long must they consult?", [(120, "people")]),
    ("They've announced 150 redundancies", [(150, "people")]),
    ("12 of us are at risk", [(12, "people")]),
    ("20 posts are being deleted", [(20, "people")]),
    ("they are making 60 staff redundant", [(60, "people")]),
    ("a hundred and fifty jobs are going", [(150, "people")]),
    ("more than 100 people are affected", [(101, "people")]),
    ("fewer than 20 colleagues", [(19, "people")]),
    ("I'm a Band 8 manager with 4 yrs service", [(4, "years")]),
    ("I'm 45", [(45, "age")]),
    ("I am 58 years old", [(58, "age")]),
    ("I'm 62, with 25 years' service", [(62, "age"), (25, "years")]),
    ("aged 45 and made redundant", [(45, "age")]),
    ("a 52-year-old manager", [(52, "age")]),
    ("I'm 30 weeks pregnant", [(30, "weeks")]),
    ("my children are aged 3 and 5", []),
    ("I work 3 days a week", [(3, "days_per_week")]),
    ("I work three days per week", [(3, "days_per_week")]),
    ("on a four-day week", [(4, "days_per_week")]),
    ("I'm part-time 0.6", [(3, "days_per_week")]),
    ("I'm 0.8 WTE", [(4, "days_per_week")]),
    ("I work 22.5 hours", [(22.5, "hours")]),
    ("been there 18 months", [(1.5, "years")]),
    ("I'm being let go after 18 months", [(1.5, "years")]),
    ("I've been off sick for 3 months", [(3, "months")]),
    ("ive been at my trust 9 months", [(0.75, "years")]),
    ("only been in my new post 2 months", [(2 / 12, "years")]),
    ("3 years and 6 months service", [(3.5, "years")]),
    ("almost two years", [(1.5, "years")]),
    ("I've been here less than a year", [(0.5, "years")]),
    ("I was dismissed 2 years ago", []),
    ("off sick for 10 days", [(10, "days")]),
    ("140ish roles are in scope", [(140, "people")]),
    ("60-odd staff are going", [(60, "people")]),
    ("a flexible working request for 4 days/wk", [(4, "days_per_week")]),
    ("can I carry over 12 days annual leave?", [(12, "days")]),
    ("my baby is 21 months old", []),
    ("in my 1:1 my manager said", []),
    ("one of the redundancy selection criteria", []),
    ("In section 188 of the 1992 Act, what does HR1 mean?", []),
    ("I earn £40,000 a year", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), QUESTIONS)
def test_the_members_numbers_are_read_with_their_units(text, expected):
    assert [(q.value, q.unit) for q in question_quantities(text)] == expected


def test_in_my_fourth_year_is_three_completed_years_and_some():
    quantities = question_quantities("I'm in my fourth year")
    assert quantities == [Quantity(4, "years", completed=False)]
    assert [fit(quantities, s) for s in SICK_PAY] == [-1, -1, -1, 1, -1]


# ---- what a rule states ----

SENTENCES = [
    (
        "For 20 to 99 proposed redundancies, consultation must begin at least 30 days before the first dismissal.",
        [R("people", 20, 99), R("days", 30)],
    ),
    (
        "Section 188 applies when an employer proposes to dismiss as redundant 20 or more employees at one establishment within a period of 90 days or less.",
        [R("people", 20), R("days", None, 90)],
    ),
    (
        "The HR1 deadline is at least 30 days before the first dismissal for 20 to 99 redundancies, and at least 45 days before the first dismissal for 100 or more.",
        [R("days", 30), R("people", 20, 99), R("days", 45), R("people", 100)],
    ),
    ("Employers with between 50 and 249 employees must publish the report.", [R("people", 50, 249)]),
    ("The duty applies to employers with more than 99 employees.", [R("people", 99, low_exclusive=True)]),
    ("The duty applies to 250+ employees.", [R("people", 250)]),
    ("Employers with fewer than twenty employees are exempt.", [R("people", None, 20, high_exclusive=True)]),
    (
        "Statutory redundancy pay is half a week's pay for each complete year under age 22, one week's pay for each complete year at age 22 to 40, and one and a half weeks' pay for each complete year at age 41 or over.",
        [R("age", None, 22, high_exclusive=True), R("age", 22, 40), R("age", 41)],
    ),
    ("Staff aged under 22 receive half a week's pay.", [R("age", None, 22, high_exclusive=True)]),
    ("Age: 41 or over; Redundancy pay: one and a half weeks' pay per year.", [R("age", 41)]),
    (
        "No more than 20 years' service counts towards statutory redundancy pay.",
        [R("years", None, 20, cap=True)],
    ),
    (
        "Section 16 pays one month's pay for each complete year of reckonable service, up to a maximum of 24 months' pay.",
        [R("months", None, 24, cap=True)],
    ),
    (
        "An employee with one month's continuous employment but less than two years is entitled to at least one week's notice.",
        [R("years", None, 2, high_exclusive=True), R("weeks", 1)],
    ),
    (
        "An employee with two years' continuous employment or more is entitled to one week's notice for each complete year, up to a maximum of 12 weeks after 12 years' service.",
        [R("years", 2), R("weeks", None, 12, cap=True), R("years", 12)],
    ),
    (
        "During the fourth and fifth years of service, the entitlement is five months' full pay and five months' half pay.",
        [R("years", 3, 5, high_exclusive=True)],
    ),
    ("Staff in their 3rd year of service get four months.", [R("years", 2, 3, high_exclusive=True)]),
    ("Service: 3-5 years; Sick pay: five months' full pay + five months' half pay.", [R("years", 3, 5)]),
    ("Years of service: 0-1 | one month's full pay and two months' half pay", [R("years", 0, 1)]),
    (
        "Service: years 4 and 5 | five months' full pay and five months' half pay",
        [R("years", 3, 5, high_exclusive=True)],
    ),
    ("Over 10 years' service | 33 days plus 8 public holidays", [R("years", 10, low_exclusive=True)]),
    (
        "Staff with less than 12 months' continuous service do not qualify.",
        [R("years", None, 1, high_exclusive=True)],
    ),
    (
        "In the first two years of employment most employees cannot claim ordinary unfair dismissal.",
        [R("years", 0, 2, high_exclusive=True)],
    ),
    (
        "Part-time staff working fewer than five days a week receive leave pro rata.",
        [R("days_per_week", None, 5, high_exclusive=True)],
    ),
    ("An employee can self-certify sickness for up to seven calendar days.", [R("days", None, 7, cap=True)]),
    (
        "For absence longer than seven calendar days, the employer can ask for a fit note.",
        [R("days", 7, low_exclusive=True)],
    ),
    ("The break between jobs must be no longer than one week.", [R("weeks", None, 1)]),
    # a requirement is not a range; dates, sections, money and percentages are not quantities
    ("Employees need two years' continuous employment to claim unfair dismissal.", []),
    ("Sections 87 to 91 of the Employment Rights Act 1996 protect pay during notice.", []),
    ("For babies due on or after 6 April 2024, paternity leave can be taken in two blocks.", []),
    ("The statutory right is limited to 40% of a week's pay.", []),
    ("The first £30,000 of a genuine redundancy payment is normally free of income tax.", []),
    ("Employees under 22 get half a week's pay.", []),  # "under 22" alone: 22 of what?
    # look-alikes: a change is not a range, a child's first year is not service
    ("The government plans to cut the qualifying period from two years to six months.", []),
    ("Annual leave rises from 27 to 29 days.", []),
    ("The CSU will lay off about 40 staff – 10 per cent of its workforce.", []),
    ("If the mother dies within the first year, the partner can take the remaining leave.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_the_ranges_a_rule_states_are_read_with_their_units(sentence, expected):
    assert sentence_ranges(sentence) == expected


# ---- fit: which rule is the member's ----

FITS = [
    # headcount
    (
        "making 120 people redundant",
        "When an employer proposes 20 or more redundancies at one establishment within 90 days, the employer must consult.",
        1,
    ),
    (
        "just 12 of us are at risk",
        "When an employer proposes 20 or more redundancies at one establishment within 90 days, the employer must consult.",
        -1,
    ),
    (
        "150 redundancies",
        "Collective consultation must start at least 30 days before the first dismissal, or at least 45 days where 100 or more redundancies are proposed.",
        1,
    ),
    (
        "150 redundancies",
        "The HR1 deadline is at least 30 days before the first dismissal for 20 to 99 redundancies, and at least 45 days before the first dismissal for 100 or more.",
        1,
    ),
    (
        "40 posts",
        "The HR1 deadline is at least 30 days before the first dismissal for 20 to 99 redundancies, and at least 45 days before the first dismissal for 100 or more.",
        1,
    ),
    # age
    (
        "I'm 45",
        "Redundancy pay is one and a half weeks' pay for each complete year of service for employees aged 41 or over.",
        1,
    ),
    (
        "I'm 45",
        "Redundancy pay is one week's pay for each complete year of service for employees aged 22 to 40.",
        -1,
    ),
    ("I am 21 years old", "Staff aged under 22 receive half a week's pay for each complete year.", 1),
    # caps govern bigger numbers too
    (
        "I have 25 years' service",
        "No more than 20 years' service counts towards statutory redundancy pay.",
        1,
    ),
    ("I have 25 years' service", "Redundancy pay counts service up to 20 years.", 1),
    (
        "I have 25 years' service",
        "Section 16 pays one month's pay for each complete year, up to a maximum of 24 months' pay.",
        0,
    ),
    ("I've been off sick for 30 weeks", "Statutory sick pay is paid for up to 28 weeks.", 1),
    # service: lower bounds, upper bounds, completed years
    (
        "I've worked there 18 months",
        "An employee needs at least two years' continuous employment to claim.",
        -1,
    ),
    (
        "I've worked there 18 months",
        "An employee with one month's continuous employment but less than two years is entitled to at least one week's notice.",
        1,
    ),
    (
        "I have 7 years' service",
        "An employee with two years' continuous employment or more is entitled to one week's notice for each complete year, up to a maximum of 12 weeks after 12 years' service.",
        1,
    ),
    (
        "I have 7 years' service",
        "After ten years' service, annual leave is 33 days plus 8 public holidays.",
        -1,
    ),
    (
        "I have 10 years' service",
        "After ten years' service, annual leave is 33 days plus 8 public holidays.",
        1,
    ),
    (
        "I'm in my fifth year",
        "During the fourth and fifth years of service, the entitlement is five months' full pay.",
        1,
    ),
    ("I'm in my fifth year", "After five years' service, the entitlement is six months' full pay.", -1),
    # working pattern
    (
        "I work 3 days a week",
        "Part-time staff working fewer than five days a week receive leave pro rata.",
        1,
    ),
    (
        "I work 5 days a week",
        "Part-time staff working fewer than five days a week receive leave pro rata.",
        -1,
    ),
    # neutral: no range in the member's units, or no numbers at all
    (
        "I have 4 years NHS service",
        "Collective consultation must begin at least 45 days before the first dismissal.",
        0,
    ),
    (
        "I have 4 years NHS service",
        "Employees need two years' continuous employment to claim unfair dismissal.",
        0,
    ),
    (
        "How much sick pay do I get?",
        "During the third year of service, the entitlement is four months' full pay.",
        0,
    ),
    # several numbers: the member's situation outweighs a period they quote
    ("They say 30 days' consultation is enough for 120 people", CONSULTATION[1], 1),
    ("They say 30 days' consultation is enough for 120 people", CONSULTATION[0], -1),
    (
        "I'm 45 with 4 years' service",
        "Redundancy pay is one and a half weeks' pay for each complete year for employees aged 41 or over, and no more than 20 years count.",
        1,
    ),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), FITS)
def test_fit_prefers_the_rule_whose_range_holds_the_members_number(question, sentence, expected):
    assert fit(question_quantities(question), sentence) == expected


# ---- fits: the candidates judged together ----

THRESHOLDS = [
    "When an employer proposes 20 or more redundancies at one establishment within 90 days, the employer must consult the union.",
    "Collective consultation is in addition to individual consultation with each employee at risk.",
]


def test_a_threshold_the_member_falls_below_still_answers_them():
    # "12 of us": no candidate holds 12, so "20 or more" is the rule that says the duty does not apply
    quantities = question_quantities("theyre cutting 12 posts, does the union consultation have to happen?")
    assert [fit(quantities, s) for s in THRESHOLDS] == [-1, 0]
    assert fits(quantities, THRESHOLDS) == [0, 0]


def test_beside_a_band_that_holds_the_number_the_other_band_is_the_wrong_rule():
    quantities = question_quantities(
        "If my employer is making 120 people redundant how long must they consult?"
    )
    assert fits(quantities, CONSULTATION + THRESHOLDS) == [-1, 1, 1, 0]
    assert fits(question_quantities("I have 4 years NHS service"), SICK_PAY) == [-1, -1, -1, 1, -1]


def test_fits_without_numbers_is_all_neutral():
    assert fits([], SICK_PAY) == [0, 0, 0, 0, 0]
    assert fits(question_quantities("I have 4 years NHS service"), []) == []


# ---- properties ----


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_fit_never_raises_and_is_minus_one_zero_or_one(question, sentence):
    assert fit(question_quantities(question), sentence) in (-1.0, 0.0, 1.0)


_PHRASES = st.sampled_from(
    ["20 to 99", "100 or more", "up to", "at least", "fewer than", "years'", "aged", "people", "days a week",
     "during the third year", "-", "+", "between", "and", "over", "a hundred", "0.6", "£", "months'", " ", "."]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=5))
def test_fits_never_raises_and_is_never_below_fit_alone(question, sentences):
    quantities = question_quantities(question)
    together = fits(quantities, sentences)
    assert len(together) == len(sentences)
    assert all(
        t >= fit(quantities, s) and t in (-1.0, 0.0, 1.0) for t, s in zip(together, sentences, strict=True)
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PHRASES, st.integers(0, 10**6).map(str)), max_size=30).map(" ".join))
def test_number_heavy_text_never_breaks_either_reader(text):
    assert fit(question_quantities(text), text) in (-1.0, 0.0, 1.0)
    assert all(r.low is None or r.high is None or r.low <= r.high for r in sentence_ranges(text))


@given(st.integers(2, 10_000))
def test_every_headcount_from_20_fits_exactly_one_consultation_rule(n):
    fits = [fit(question_quantities(f"They are making {n} people redundant"), s) for s in CONSULTATION]
    assert fits == ([-1, -1] if n < 20 else [1, -1] if n < 100 else [-1, 1])


@given(st.integers(0, 60), st.integers(1, 59))
def test_a_cap_never_counts_against_a_bigger_number(service, cap):
    sentence = f"No more than {cap} years' service counts towards redundancy pay."
    assert fit(question_quantities(f"I have {service} years' service"), sentence) == 1


@given(st.integers(0, 45) | st.floats(0, 45, allow_nan=False).map(lambda x: round(x, 1)))
def test_every_length_of_service_fits_exactly_one_sick_pay_band(service):
    fits = [fit(question_quantities(f"I have {service} years' service"), s) for s in SICK_PAY]
    assert sorted(fits) == [-1, -1, -1, -1, 1]


@given(st.integers(16, 99))
def test_every_working_age_fits_exactly_one_statutory_redundancy_band(age):
    bands = [
        "Staff aged under 22 get half a week's pay for each complete year.",
        "Staff aged 22 to 40 get one week's pay for each complete year.",
        "Staff aged 41 or over get one and a half weeks' pay for each complete year.",
    ]
    assert sorted(fit(question_quantities(f"I'm {age}"), s) for s in bands) == [-1, -1, 1]


# ---- the composer: only guidance states rules, and a rule's bands sit in one section ----


def _passage(n: int, text: str, kind: str, source: str, section: str | None = None):  # noqa: ANN202
    from knowledge.passage import Passage

    return Passage(
        id=f"p{n}", text=text, source_id=source, kind=kind, title=source, section=section, content_hash=str(n)
    )


def test_a_news_story_holding_the_number_does_not_push_the_rule_out() -> None:
    """"12 posts": "up to 300 posts could be axed" (news) is an event, not a cap, so the threshold
    rule ("20 or more") is neither excluded nor outscored by it."""
    from bot.composer import compose
    from bot.retrieval import Hit

    rule = _passage(
        1,
        "When an employer proposes 20 or more redundancies at one establishment within 90 days, the employer "
        "must consult union representatives about the redundancies.",
        "factsheet",
        "knowledge/factsheets/collective-consultation.md",
        "When does collective consultation apply?",
    )
    news = _passage(
        2,
        "The sector employs about 9,000 people, meaning up to 300 posts in redundancies could be axed.",
        "news",
        "corpus/hsj.txt",
    )
    question = "they're cutting 12 posts in redundancies, do they have to consult the union?"
    draft = compose(question, [Hit(news, 0.7), Hit(rule, 0.6)])
    assert draft is not None
    assert draft.lead.passage is rule and not draft.lead.excluded


def test_a_guidance_rule_leads_over_a_news_sentence_scoring_near_it() -> None:
    from bot.composer import compose
    from bot.retrieval import Hit

    news = _passage(
        1,
        "Harassment at work by a manager remains common, with 24% of staff reporting harassment by a manager in 2016.",
        "feature",
        "corpus/survey.txt",
    )
    rule = _passage(
        2,
        "Under section 26 of the Equality Act 2010, harassment at work by a manager is unlawful and you are entitled to complain.",
        "factsheet",
        "knowledge/factsheets/discrimination-at-work.md",
        "What is harassment?",
    )
    draft = compose("my manager keeps harassing me at work, what can I do about harassment?", [Hit(news, 0.8), Hit(rule, 0.7)])
    assert draft is not None and draft.lead.passage is rule
