"""Hybrid retrieval: dense (MiniLM via Chroma) and keyword (BM25 via FTS5) candidates, fused by score.

Each choice here was measured on the eval set against the dense-only and keyword-only baselines
(evals/report.md). Tried and dropped, because they lowered MRR: reciprocal rank fusion, synonyms
on the dense query, re-scoring by question-word coverage, favouring factsheets over news, and re-scoring
candidates by their best sentence or heading vector or by other hits from the same document (each
within 0.01 MRR, or worse), and giving the composer the passages either side of the top hits (same
section: no change; any section: fact recall 0.77 to 0.75)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.settings import RetrievalSettings
from knowledge.embedder import Embedder
from knowledge.lexicon import default_lexicon
from knowledge.passage import Passage
from knowledge.store import KnowledgeStore

Mode = Literal["hybrid", "dense", "keyword"]
OWN_WORDS_DEPTH = 4  # own-words similarities are read this many times deeper than the candidates
W_KEYWORD = 0.15  # BM25's share of the fused score, set on the eval set (0.1 to 0.25 all within 0.01 MRR)

# Members write as they text ("4 yrs on temp contracts, does that make me perm?"); the knowledge base
# spells words out. Unlike SYNONYMS this changes no meaning, so both searches get it.
SHORTHAND: dict[str, str] = {
    "yr": "year",
    "yrs": "years",
    "mth": "month",
    "mths": "months",
    "wk": "week",
    "wks": "weeks",
    "hrs": "hours",
    "perm": "permanent",
    "temp": "temporary",
    "mgr": "manager",
    "vr": "voluntary redundancy",
    "vrs": "voluntary redundancy scheme",
    "mars": "mutually agreed resignation scheme",
    "ftc": "fixed-term contract",
    "ftcs": "fixed-term contracts",
    "et": "employment tribunal",
    "et1": "employment tribunal claim",
    "pilon": "payment in lieu of notice",
    "toil": "time off in lieu",
    "sosr": "some other substantial reason",
    "ssp": "statutory sick pay",
    "smp": "statutory maternity pay",
    "mat": "maternity",
    "pat": "paternity",
    "wfh": "working from home",
    "r": "are",
    "u": "you",
    "ur": "your",
    "b4": "before",
    "pls": "please",
    "plz": "please",
    "whats": "what is",
    "im": "I am",
    "ive": "I have",
    "dont": "do not",
    "cant": "cannot",
    "wont": "will not",
    "doesnt": "does not",
    "isnt": "is not",
    "didnt": "did not",
}
_WORD = re.compile(r"\b[A-Za-z]+\d?\b")


def spell_out(text: str) -> str:
    return _WORD.sub(lambda m: SHORTHAND.get(m.group(0).lower(), m.group(0)), text)


@dataclass
class Hit:
    passage: Passage
    score: float
    dense: float = 0.0  # cosine similarity to the question, 0 when not among the dense candidates
    keyword: float = 0.0  # BM25 score, 0 when not among the keyword candidates


def expand_query(text: str) -> str:
    """The member's words plus the knowledge base's words for them (knowledge/lexicon.yaml: members
    say "laid off" and "sacked", the knowledge base "redundancy" and "dismissal")."""
    text = spell_out(text)
    plain = re.sub(r"(?<!\w)['‘’\"“”]+|['‘’\"“”]+(?!\w)", "", text)  # "my job 'no longer exists'"
    # Subjects MiP's guidance is not for are never searched for: their words would only find text
    # that seems to speak of them ("repent at leisure") and make an answer look as if it fits.
    additions = [c.means for c in default_lexicon() if c.used_in(plain) and not c.outside]
    return " ".join([text, *dict.fromkeys(additions)])


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings

    def search(self, query: str, k: int | None = None, mode: Mode | None = None) -> list[Hit]:
        k = k or self.settings.top_k
        mode = mode or self.settings.mode
        # The model understands "sacked"; synonyms only help the keyword side, and hurt the dense one.
        dense, own_words = self._dense(query, mode) if mode != "keyword" else ([], [])
        keyword = self._keyword(expand_query(query) if mode == "hybrid" else query) if mode != "dense" else []
        fused = _fuse(dense, keyword) if mode == "hybrid" else dense or keyword
        # A hit's `dense` is how close the member's own words are: confidence, and so the hand-over,
        # rests on it, not on the knowledge base's words the lexicon added.
        return self._hits(fused, dict(own_words), dict(keyword))[:k]

    def vector(self, query: str, mode: Mode | None = None) -> np.ndarray:
        """The question's meaning, as searched (the embedder caches it for the composer)."""
        return self.embedder.embed_query(
            spell_out(query) if (mode or self.settings.mode) == "hybrid" else query
        )

    def _dense(self, query: str, mode: Mode) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(passage id, cosine) best first: as ranked, and for the member's own words alone."""
        n = self.settings.dense_candidates
        expanded = expand_query(query) if mode == "hybrid" else query
        if expanded == spell_out(query):
            found = self.store.dense_search(self.vector(query, mode), n)
            return found, found
        # Deeper for the own-words scores, so a passage the added words found still has one.
        own = self.store.dense_search(self.vector(query, mode), OWN_WORDS_DEPTH * n)
        found = own[:n]
        # Members' words the model does not link to the law's ("taken over", "let go") are searched
        # again with the knowledge base's words added; each passage keeps its better score, so the
        # second search can only add what the first missed.
        best = dict(found)
        for passage_id, score in self.store.dense_search(self.embedder.embed_query(expanded), n):
            best[passage_id] = max(score, best.get(passage_id, score))
        return sorted(best.items(), key=lambda item: item[1], reverse=True)[:n], own

    def _keyword(self, query: str) -> list[tuple[str, float]]:
        return self.store.keyword_search(query, self.settings.keyword_candidates)

    def _hits(self, fused: list[tuple[str, float]], dense: dict, keyword: dict) -> list[Hit]:
        passages = {p.id: p for p in self.store.get([i for i, _ in fused])}
        return [
            Hit(passages[i], score, dense.get(i, 0.0), keyword.get(i, 0.0))
            for i, score in fused
            if i in passages
        ]


def _fuse(dense: list[tuple[str, float]], keyword: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Cosine similarity plus a share of BM25 scaled to the best keyword hit. Scores, not ranks:
    reciprocal rank fusion threw away how far ahead the best dense match was (MRR 0.71 against 0.78)."""
    best = max((s for _, s in keyword), default=1.0) or 1.0
    scores = dict(dense)
    floor = min(scores.values(), default=0.0)  # a keyword-only find counts as the weakest dense one
    for passage_id, score in keyword:
        scores[passage_id] = scores.get(passage_id, floor) + W_KEYWORD * score / best
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


def stem(word: str) -> str:
    """A light stemmer for matching question words with sentence words ("dismissed", "dismissal")."""
    return _STEM.sub("", word) if len(word) > 4 else word


_STEM = re.compile(r"(ies|ied|ing|ed|es|s|ly|ment|al)$")
