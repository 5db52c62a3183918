"""A deterministic synthetic knowledge base for benchmarks: Markdown factsheets of employment-rights-like
text, one passage (about 110 words) per section, with enough varied vocabulary that BM25 and dense
search do real work. It is scale test data, not knowledge: never ingest it into a real store."""

from __future__ import annotations

import random
from pathlib import Path

SECTIONS_PER_FILE = 125
SECTION_WORDS = (92, 110)  # the chunker's target is 110: a section this long stays one passage

TOPICS = [
    "redundancy",
    "fixed-term contracts",
    "flexible working",
    "maternity leave",
    "paternity leave",
    "shared parental leave",
    "disciplinary hearings",
    "grievances",
    "TUPE transfers",
    "sickness absence",
    "whistleblowing",
    "settlement agreements",
    "pay protection",
    "collective consultation",
    "constructive dismissal",
    "unfair dismissal",
    "redeployment",
    "suitable alternative employment",
    "notice periods",
    "annual leave",
    "carer's leave",
    "bullying and harassment",
    "capability procedures",
    "probation",
    "secondments",
    "on-call arrangements",
    "pension rights",
    "job evaluation",
    "time off for dependants",
    "reasonable adjustments",
    "right to be accompanied",
    "employment tribunal claims",
    "early conciliation",
]
ACTORS = [
    "the employer",
    "the trust",
    "the integrated care board",
    "the commissioning support unit",
    "your line manager",
    "the employee",
    "a union representative",
    "a national officer",
    "human resources",
    "the appeal panel",
    "the investigating officer",
    "a comparable permanent employee",
    "the new employer",
    "the chief executive",
]
MODALS = ["must", "should", "can", "may", "is expected to", "is entitled to", "cannot", "will normally"]
ACTIONS = [
    "give written reasons for",
    "consult on",
    "confirm in writing",
    "consider alternatives to",
    "pay compensation for",
    "hold a meeting about",
    "offer an appeal against",
    "keep records of",
    "explain the selection criteria for",
    "provide a written statement of",
    "agree a timetable for",
    "review the decision on",
    "disclose the evidence for",
    "make reasonable adjustments to",
    "protect the pay of",
    "set out the terms of",
    "investigate complaints about",
]
LAWS = [
    "the Employment Rights Act 1996",
    "the Equality Act 2010",
    "the Agenda for Change handbook",
    "the Fixed-term Employees Regulations 2002",
    "the TUPE Regulations 2006",
    "the ACAS Code of Practice",
    "the Trade Union and Labour Relations (Consolidation) Act 1992",
    "the Working Time Regulations 1998",
    "the Public Interest Disclosure Act 1998",
    "the Maternity and Parental Leave Regulations 1999",
    "section 16 of the NHS terms and conditions",
    "the Part-time Workers Regulations 2000",
]
PERIODS = ["days", "weeks", "months", "years"]
PLACES = [
    "Northfield",
    "Ashworth",
    "Kingsbridge",
    "Meadowvale",
    "Harrowgate",
    "Riverside",
    "Elmstead",
    "Foxley",
    "Brackenhurst",
    "Westmoor",
    "Lindale",
    "Oakhampton",
    "Stonebridge",
    "Whitcombe",
    "Ravenscar",
    "Thornbury",
]
FILLER = [
    "In practice",
    "In most cases",
    "For senior managers",
    "During a restructure",
    "Where a post is deleted",
    "Before any decision is final",
    "If the member disagrees",
    "Where the facts are disputed",
    "As a general rule",
    "Following the consultation",
    "At the end of the process",
    "Where pay is reduced",
]
QUESTION_FORMS = [
    "What are my rights on {topic}?",
    "Can {actor} refuse {topic}?",
    "How long do I have to appeal about {topic}?",
    "Does {law} cover {topic}?",
    "Is {actor} allowed to change my {topic} without consultation?",
    "What happens to {topic} when my trust merges?",
    "Who decides on {topic} in an integrated care board?",
    "Do I keep {topic} if I am redeployed?",
    "how many {period} notice for {topic}",
    "my manager says no to {topic}, what can i do",
]


def generate(folder: Path, passages: int = 50_000, seed: int = 67) -> int:
    """Write Markdown files holding at least `passages` one-passage sections; returns how many."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = -(-passages // SECTIONS_PER_FILE)
    for number in range(files):
        path = folder / f"synthetic-{number:04d}.md"
        path.write_text(_document(rng, number), encoding="utf-8")
    return files * SECTIONS_PER_FILE


def sample_questions(n: int = 60, seed: int = 33) -> list[str]:
    """Varied member-style questions over the same vocabulary, for latency runs."""
    rng = random.Random(seed)
    return [_fill(rng, rng.choice(QUESTION_FORMS)) for _ in range(n)]


def _document(rng: random.Random, number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    place = rng.choice(PLACES)
    year = 2014 + number % 12
    head = f'---\ntitle: "{topic.capitalize()} at {place}: guide {number}"\nkind: factsheet\ndate: {year}-0{1 + number % 9}\n---\n'
    sections = [_section(rng, topic, place, i) for i in range(SECTIONS_PER_FILE)]
    return head + "\n".join(sections)


def _section(rng: random.Random, topic: str, place: str, index: int) -> str:
    subject = rng.choice(TOPICS) if index % 3 else topic
    heading = f"## {index + 1}. {_fill(rng, rng.choice(QUESTION_FORMS), topic=subject)}"
    limit = rng.randint(*SECTION_WORDS)
    sentences: list[str] = []
    words = 0
    while True:
        sentence = _sentence(rng, subject, place)
        if words + len(sentence.split()) > limit:
            break
        sentences.append(sentence)
        words += len(sentence.split())
    return f"{heading}\n{' '.join(sentences)}\n"


def _sentence(rng: random.Random, topic: str, place: str) -> str:
    form = rng.randrange(4)
    actor, modal, action = rng.choice(ACTORS), rng.choice(MODALS), rng.choice(ACTIONS)
    law, n, period = rng.choice(LAWS), rng.randint(2, 90), rng.choice(PERIODS)
    other = rng.choice(TOPICS)
    if form == 0:
        return f"Under {law}, {actor} {modal} {action} {topic} within {n} {period}."
    if form == 1:
        return f"{rng.choice(FILLER)}, {actor} at {place} {modal} {action} {other} before {topic} is decided."
    if form == 2:
        return f"A member with {n} {period} of service who raises {topic} {modal} ask {actor} to {action.split()[0]} it."
    return f"{actor.capitalize()} {modal} {action} {topic}, and {rng.choice(ACTORS)} reviews {other} under {law}."


def _fill(rng: random.Random, form: str, topic: str | None = None) -> str:
    return form.format(
        topic=topic or rng.choice(TOPICS),
        actor=rng.choice(ACTORS),
        law=rng.choice(LAWS),
        period=rng.choice(PERIODS),
    )
