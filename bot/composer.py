"""The default composer: no language model. It picks the sentences of the retrieved passages that
best answer the question and lays them out as a lead, key points and numbered sources. Every word
of every point is the source's own, so every citation checks out by construction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from bot.quantities import fits, question_quantities
from bot.retrieval import Hit, stem
from knowledge.keyword_index import query_terms
from knowledge.passage import GUIDANCE, Passage
from knowledge.sentences import split_sentences

# A lead and up to four points within 170 words, set on the eval sets: from three points in 140 words,
# fact recall rose on all four (golden 0.75 to 0.79, held-out 0.75 to 0.83, members' words 0.85 to
# 0.89), with no invented answer and no missed hand-over; the extra point is most often the figure or
# exception the member needed.
MAX_POINTS = 4
MAX_WORDS = 170  # lead plus points: a chat answer, not a wall of text (about one Slack screen)
PASSAGES_READ = 4
# Weights of the final sentence score, set on the eval set: meaning counts most, words and the
# heading the sentence sits under (Legal Eye and factsheets head sections with members' questions) help.
W_WORDS, W_MEANING, W_HEADING = 0.35, 1.0, 0.35
UNKNOWN_SIMILARITY = 0.3  # a sentence the model never read (past its 256 word pieces): typical, not best
# Numbers: the rule whose range holds the member's number is preferred (bot/quantities.py). An earlier
# attempt that treated caps ("up to 20 years") as non-matches cost held-out fact recall; caps now count
# as holding any bigger number, and a sentence only counts against a number another candidate holds.

# Sentences that state a rule read like rules; sentences that start by pointing back ("This", "It")
# make no sense quoted alone.
_RULE_CUES = re.compile(
    r"\b(must|entitled|right to|rights?|can|cannot|may|should|will be|is treated|within|at least|"
    r"up to|days?|weeks?|months?|years?|regulations?|act \d{4}|section \d+)\b",
    re.I,
)
# Sign-posting ("contact MiP ...") is not a rule: every reply ends with how to reach a person anyway.
_SIGNPOST = re.compile(
    r"\b(contact (mip|us|your)|memberadvice@|ask the bot|ask me to pass|getting help)\b", re.I
)
# An example, an exception or a warning states no rule on its own: it follows the rule, never leads.
_NOT_A_LEAD = re.compile(
    r"^\W*(for (example|instance)|e\.g\.|say |suppose|imagine|however|but |unless|except|although|even so|"
    r"note that|be aware|beware|in (some|rare) cases|there are (some )?exceptions|an exception|this means)|"
    r"\b(unreasonably refus\w*|can lose|could lose|may lose|will lose|would lose)\b",
    re.I,
)
# A question that asks for a figure, and a sentence that gives one.
_ASKS_FOR_A_FIGURE = re.compile(
    r"\b(how (long|much|many|soon|far|often)|what is the (\w+ ){0,3}(period|limit|rate|amount|cap|maximum|"
    r"minimum|entitlement|notice)|when (do|does|must|can|will|should)|what('s| is) the deadline|"
    r"too (soon|late|early)|still (in )?time|time limit|deadline|by when)\b",
    re.I,
)
_GIVES_A_FIGURE = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b[\w' -]{0,12}"
    r"\b(days?|weeks?|months?|years?|hours?|per ?cent|%)|£\s?\d",
    re.I,
)
W_RANGE = 0.5  # a sentence whose range holds the member's number scores 1.5x, one that excludes it 0.5x
LEAD_MARGIN = 0.75  # a rule may lead over a higher-scored example if it scores at least this share of it
SAME_SECTION = 1.2  # points from the lead's own section: one section that answers beats a patchwork
_DANGLING_START = re.compile(r"^(this|that|these|those|it|they|such|he|she|but|and|so|also|however)\b", re.I)


@dataclass
class Chosen:
    sentence: str
    passage: Passage
    score: float
    index: int = 0  # which sentence of its passage
    also: list[Chosen] = field(default_factory=list)  # the same point in another source, cited too
    excluded: bool = False  # states a range the member's numbers fall outside


@dataclass
class Draft:
    lead: Chosen
    points: list[Chosen]
    coverage: float = 0.0  # share of the question's words the chosen sentences contain


def compose(
    question: str,
    hits: list[Hit],
    query: np.ndarray | None = None,
    parts: dict[str, np.ndarray] | None = None,
) -> Draft | None:
    """parts: each passage's heading and sentence vectors (knowledge store), compared with the
    question's vector; without them sentences are chosen by their words alone."""
    terms = [stem(t) for t in query_terms(question)]
    candidates = _candidates(terms, hits[:PASSAGES_READ])
    if not candidates:
        return None
    if query is not None and parts:
        candidates = _by_meaning(candidates, query, parts)
    candidates = _by_numbers(question, candidates)
    chosen = _choose(candidates, asks_for_figure=bool(_ASKS_FOR_A_FIGURE.search(question)))
    words = {stem(w) for c in chosen for w in query_terms(c.sentence)}
    coverage = sum(1 for t in terms if t in words) / max(1, len(terms))
    return Draft(chosen[0], chosen[1:], coverage)


def _candidates(terms: list[str], hits: list[Hit]) -> list[Chosen]:
    out: list[Chosen] = []
    for rank, hit in enumerate(hits):
        for position, sentence in enumerate(split_sentences(hit.passage.text)):
            score = _sentence_score(sentence, terms, position)
            if score > 0:
                out.append(Chosen(sentence, hit.passage, score / (1.0 + 0.35 * rank), position))
    return sorted(out, key=lambda c: c.score, reverse=True)


def _by_meaning(candidates: list[Chosen], query: np.ndarray, parts: dict[str, np.ndarray]) -> list[Chosen]:
    top_words = max(c.score for c in candidates)
    rescored = [
        Chosen(
            c.sentence,
            c.passage,
            W_WORDS * c.score / top_words
            + W_MEANING * _similarity(query, parts, c.passage.id, 1 + c.index)
            + W_HEADING * _similarity(query, parts, c.passage.id, 0),
            c.index,
        )
        for c in candidates
    ]
    return sorted(rescored, key=lambda c: c.score, reverse=True)


def _by_numbers(question: str, candidates: list[Chosen]) -> list[Chosen]:
    """The rule whose range holds the member's numbers ("120 people": "100 or more", not "20 to 99")
    goes up, a rule whose range excludes them goes down, and can never lead."""
    quantities = question_quantities(question)
    if not quantities:
        return candidates
    # The bands of one rule ("20 to 99", "100 or more") are stated together, in one section: a
    # sentence elsewhere that happens to hold the number ("up to 300 posts" in a news story) is not
    # another band of the rule, so it never makes the rule count as excluding the member.
    # Only guidance states rules: "up to 300 posts could be axed" in a news story is an event, not a cap.
    sections: dict[tuple[str, str | None], list[Chosen]] = {}
    for c in (c for c in candidates if c.passage.kind in GUIDANCE):
        sections.setdefault((c.passage.source_id, c.passage.section), []).append(c)
    for group in sections.values():
        for c, verdict in zip(group, fits(quantities, [c.sentence for c in group]), strict=True):
            c.score *= 1.0 + W_RANGE * verdict
            c.excluded = verdict < 0
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _similarity(query: np.ndarray, parts: dict[str, np.ndarray], passage_id: str, row: int) -> float:
    rows = parts.get(passage_id)
    if rows is None or row >= len(rows) or not rows[row].any():
        return UNKNOWN_SIMILARITY
    return float(np.dot(query, rows[row]))


def _sentence_score(sentence: str, terms: list[str], position: int) -> float:
    words = sentence.split()
    if len(words) < 6 or sentence.rstrip().endswith("?") or len(words) > 70:
        return 0.0
    stems = {stem(w) for w in query_terms(sentence)}
    overlap = sum(1 for t in terms if t in stems)
    score = overlap + 0.3 * min(3, len(_RULE_CUES.findall(sentence))) + (0.3 if position == 0 else 0.0)
    if _SIGNPOST.search(sentence):
        score *= 0.3
    return score * (0.6 if _DANGLING_START.match(sentence) else 1.0)


def _choose(candidates: list[Chosen], asks_for_figure: bool = False) -> list[Chosen]:
    """The lead (a rule, not an example or exception), then points, preferring the lead's own section.
    A point another source makes in nearly the same words is cited beside it, not dropped."""
    lead = _lead(candidates, asks_for_figure)
    rest = sorted(
        (c for c in candidates if c is not lead),
        key=lambda c: c.score * (SAME_SECTION if _same_section(c, lead) else 1.0),
        reverse=True,
    )
    chosen = [lead]
    words = len(lead.sentence.split())
    for c in rest:
        if len(chosen) > MAX_POINTS or c.score < 0.35 * lead.score:
            break
        if twin := next((o for o in chosen if _similar(c.sentence, o.sentence)), None):
            if c.passage.source_id not in {twin.passage.source_id, *(a.passage.source_id for a in twin.also)}:
                twin.also.append(c)
            continue
        if words + len(c.sentence.split()) > MAX_WORDS:
            continue
        chosen.append(c)
        words += len(c.sentence.split())
    return chosen


def _lead(candidates: list[Chosen], asks_for_figure: bool = False) -> Chosen:
    """The best sentence that states a rule. "How long / what is the qualifying period?" is answered
    by a rule that gives the figure, not one that only names the idea."""
    top = next((c for c in candidates if not c.excluded), candidates[0])
    rules = [
        c
        for c in candidates
        if not _NOT_A_LEAD.search(c.sentence) and not c.excluded and c.score >= LEAD_MARGIN * top.score
    ]
    # The union's guidance states the rule; a news story or a survey figure scoring near it follows.
    rules = [c for c in rules if c.passage.kind in GUIDANCE] + [c for c in rules if c.passage.kind not in GUIDANCE]
    figures = [c for c in rules if asks_for_figure and _GIVES_A_FIGURE.search(c.sentence)]
    if not rules and _NOT_A_LEAD.search(top.sentence):
        # The best sentence is an example or an exception and no rule scores near it: the rule it
        # illustrates, in its own section, leads instead ("For example, ..." follows the rule).
        rules = [
            c
            for c in candidates
            if _same_section(c, top) and not _NOT_A_LEAD.search(c.sentence) and not c.excluded
        ]
    return next(iter(figures or rules), top)


def _same_section(a: Chosen, b: Chosen) -> bool:
    return a.passage.source_id == b.passage.source_id and a.passage.section == b.passage.section


def _similar(a: str, b: str) -> bool:
    wa, wb = set(query_terms(a)), set(query_terms(b))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.45
