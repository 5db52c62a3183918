"""Hybrid retrieval: dense (MiniLM via Chroma) and keyword (BM25 via FTS5) candidates, fused with
reciprocal rank fusion, then re-scored by how much of the question each passage covers.

Every step here is switched on because it raised passage recall or MRR on the eval set
(evals/report.md lists the baselines: dense only and keyword only)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from bot.settings import RetrievalSettings
from knowledge.embedder import Embedder
from knowledge.keyword_index import query_terms
from knowledge.passage import Passage
from knowledge.store import KnowledgeStore

Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60  # the usual constant: rank 1 scores 1/61, rank 30 about 1/90

# Members say "laid off" and "sacked"; the knowledge base says "redundancy" and "dismissal".
# Each entry adds the knowledge base's words to a question that uses the member's words.
SYNONYMS: dict[str, str] = {
    r"\blaid off\b|\blay ?offs?\b|\bjob cuts?\b|\bcut my (job|post)\b|\bposts? (deleted|at risk)\b": "redundancy",
    r"\bsack(ed|ing)?\b|\bfired\b|\bget rid of\b|\blet go\b": "dismissal dismissed",
    r"\bftcs?\b|\btemp(orary)? contracts?\b|\bfixed term\b": "fixed-term contract",
    r"\bafc\b": "Agenda for Change",
    r"\bet1?\b|\btribunal claim\b": "employment tribunal claim",
    r"\bpaid off\b|\bpayout\b|\bpay ?off\b": "redundancy pay",
    r"\bcompromise agreement\b|\bexit package\b|\bnda\b": "settlement agreement",
    r"\bsick(ness)? (leave|pay|absence)\b|\boff sick\b|\bsick note\b": "sickness absence sick pay",
    r"\bpregnan(t|cy)\b|\bexpecting a baby\b|\bmat leave\b": "maternity leave",
    r"\bpart[- ]time\b|\bcompressed hours\b|\bwork from home\b|\bwfh\b|\bhybrid working\b": "flexible working request",
    r"\bwhistle ?blow(ing|er)?\b|\braise concerns?\b|\bspeak(ing)? up\b": "whistleblowing protected disclosure",
    r"\bbring someone\b|\bcompanion\b|\bsomeone with me\b|\baccompan": "right to be accompanied trade union representative",
    r"\bnotice pay\b|\bhow much notice\b": "notice period",
    r"\bnew employer\b|\btransferr?(ed|ing)\b|\boutsourc": "TUPE transfer",
    r"\brestructur(e|ing)\b|\breorgani[sz]ation\b|\bre-?org\b|\bconsultation\b": "organisational change consultation",
    r"\bforced to resign\b|\bpushed out\b|\bhad no choice but to (resign|leave|quit)\b": "constructive dismissal",
    r"\bdeadline\b|\btime limit\b|\bhow long do i have\b": "time limit Acas early conciliation",
    r"\bcomplain(t)?\b": "grievance",
}


@dataclass
class Hit:
    passage: Passage
    score: float
    dense: float = 0.0  # cosine similarity to the question, 0 when not among the dense candidates
    keyword: float = 0.0  # BM25 score, 0 when not among the keyword candidates


def expand_query(text: str) -> str:
    additions = [words for pattern, words in SYNONYMS.items() if re.search(pattern, text, re.I)]
    return " ".join([text, *additions])


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings

    def search(self, query: str, k: int | None = None, mode: Mode | None = None) -> list[Hit]:
        k = k or self.settings.top_k
        mode = mode or self.settings.mode
        expanded = expand_query(query) if mode == "hybrid" else query
        dense = self._dense(expanded) if mode != "keyword" else []
        keyword = self._keyword(expanded) if mode != "dense" else []
        fused = _fuse([dense, keyword] if mode == "hybrid" else [dense or keyword])
        hits = self._hits(fused, dict(dense), dict(keyword))
        if mode == "hybrid":
            hits = _rescore(hits, query_terms(expanded))
        return hits[:k]

    def _dense(self, query: str) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(query)
        return self.store.dense_search(vector, self.settings.dense_candidates)

    def _keyword(self, query: str) -> list[tuple[str, float]]:
        return self.store.keyword_search(query, self.settings.keyword_candidates)

    def _hits(self, fused: list[tuple[str, float]], dense: dict, keyword: dict) -> list[Hit]:
        passages = {p.id: p for p in self.store.get([i for i, _ in fused])}
        return [
            Hit(passages[i], score, dense.get(i, 0.0), keyword.get(i, 0.0))
            for i, score in fused
            if i in passages
        ]


def _fuse(rankings: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (passage_id, _) in enumerate(ranking):
            scores[passage_id] = scores.get(passage_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


def _rescore(hits: list[Hit], terms: list[str]) -> list[Hit]:
    """Favour passages (and titles) that cover more of the question's distinct words, and the
    union's own guidance over news items, which mention rules only in passing."""
    if not terms:
        return hits
    for hit in hits:
        hit.score *= (1.0 + 0.5 * _coverage(hit.passage, terms)) * _KIND_WEIGHT.get(hit.passage.kind, 1.0)
    return sorted(hits, key=lambda h: h.score, reverse=True)


_KIND_WEIGHT = {"factsheet": 1.1, "legal-eye": 1.1, "news": 0.9, "minutes": 0.9, "web": 0.95, "feature": 0.95}
_STEM = re.compile(r"(ies|ied|ing|ed|es|s|ly|ment|al)$")


def _coverage(passage: Passage, terms: list[str]) -> float:
    words = {_stem(w) for w in query_terms(f"{passage.title} {passage.section or ''} {passage.text}")}
    found = sum(1 for t in terms if _stem(t) in words)
    return found / math.sqrt(len(terms) * 2)


def _stem(word: str) -> str:
    return _STEM.sub("", word) if len(word) > 4 else word
