"""Members' words (knowledge/lexicon.yaml): every example officers wrote is checked, and search and
escalation read the same list, so a phrase searched as a legal idea is handed over as one too."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reply import EscalationReason
from bot.retrieval import expand_query
from bot.triage import escalation_reason, mentions_employment, only_asks_for_person
from knowledge.lexicon import LexiconError, default_lexicon, load_lexicon

CONCEPTS = default_lexicon()
HAND_OVER = [(c.name, e) for c in CONCEPTS for e in c.hand_over_examples]
ANSWER = [(c.name, e) for c in CONCEPTS for e in c.answer_examples]


@pytest.mark.parametrize(("concept", "text"), HAND_OVER)
def test_each_hand_over_example_goes_to_an_officer(concept: str, text: str) -> None:
    assert escalation_reason(text) is not None, concept


@pytest.mark.parametrize(("concept", "text"), ANSWER)
def test_each_answer_example_is_answered_and_searched_with_the_concept(concept: str, text: str) -> None:
    assert escalation_reason(text) is None
    means = next(c.means for c in CONCEPTS if c.name == concept)
    assert means in expand_query(text) or any(w in text.lower() for w in means.lower().split())


@pytest.mark.parametrize(("concept", "text"), HAND_OVER)
def test_what_is_handed_over_is_also_searched_as_that_concept(concept: str, text: str) -> None:
    means = next(c.means for c in CONCEPTS if c.name == concept)
    assert means in expand_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm being let go after 18 months",  # issue 8: searched as dismissal, never handed over
        "they got rid of me last week after I raised concerns",
        "I'm on maternity leave and was told my job no longer exists",
        "they want me to sign something by Friday",
        "I'm packing it in, they've forced me out",
        "my manager keeps touching my shoulder and making comments about my looks",
        "the new director shouts at me in front of everyone and calls me names",
    ],
)
def test_high_stakes_in_a_members_own_words_is_handed_over(text: str) -> None:
    assert escalation_reason(text) in (EscalationReason.HIGH_STAKES, EscalationReason.URGENT)
    assert mentions_employment(text)  # so it can never be told it is not an employment question


@pytest.mark.parametrize(
    "text",
    [
        "Please pass this to a national officer",  # issue 8: a word between "a" and "officer"
        "can a real person look at this",
        "could one of your officers ring me back",
        "is there anyone I can talk to about this",
        "I'd like to speak to an actual human being",
        "please put me in touch with a union rep",
    ],
)
def test_every_way_of_asking_for_a_person_is_recognised(text: str) -> None:
    assert escalation_reason(text) == EscalationReason.ASKED_FOR_PERSON
    assert only_asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "can an employer sack someone for being off sick?",
        "what if I was let go, would I get notice pay?",
        "its not like im being let go, they just aren't renewing",
        "does my employer have to let me bring a rep to the hearing?",
    ],
)
def test_rule_lookups_hypotheticals_and_negations_in_members_words_are_not_handed_over(text: str) -> None:
    assert escalation_reason(text) is None


def test_new_owner_and_takeover_are_searched_as_tupe() -> None:
    assert "TUPE transfer" in expand_query("Our company has been taken over, can the new owner change my hours?")


def test_a_missing_or_broken_lexicon_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- concept: dismissal\n  words: ['(unclosed']\n  means: dismissal\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="dismissal"):
        load_lexicon(broken)


@pytest.mark.parametrize(
    "text",
    [
        "my manager rang to say my job 'no longer exists' while I'm on mat leave",  # quote marks
        "been told to go home and not come back while they 'look into something'",  # no "I"
        "got told to stay away from the office and not speak to my team while they investigate",
        "HR said resign now and go quietly, or they'll start a disciplinary",
        "people in my team keep mimicking my accent and asking where I'm really from",
    ],
)
def test_the_same_kinds_worded_otherwise_are_handed_over(text: str) -> None:
    assert escalation_reason(text) is not None


@pytest.mark.parametrize(
    "text", ["hiya, is this the MiP bot thing?", "what sort of stuff can i ask you? just joined", "am I talking to a robot"]
)
def test_questions_about_the_bot_get_the_introduction(text: str) -> None:
    from bot.triage import asks_what_bot_does, is_greeting

    assert is_greeting(text) or asks_what_bot_does(text)


@pytest.mark.parametrize(
    "text", ["the doctor signed me off for ten days, what do I send my employer?", "can I self-cert for 5 days?"]
)
def test_sickness_in_members_words_is_searched_as_sickness_absence(text: str) -> None:
    from bot.retrieval import expand_query

    assert "sickness absence" in expand_query(text)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        # Service needed to claim is the qualifying period, not a time limit for claiming.
        ("how long do you have to work somewhere before you can claim unfair dismissal?", "time limits"),
        ("they consulted us for 45 days, is that long enough?", "failure to consult"),
        ("I flagged my leave dates to my manager in January", "whistleblowing"),
    ],
)
def test_near_misses_are_not_read_as_the_concept(text: str, concept: str) -> None:
    named = {c.name for c in default_lexicon() if c.used_in(text)}
    assert concept not in named
