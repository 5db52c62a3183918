"""The core: a question (with its thread) in, a reply with verified citations and/or an escalation out.
Channels call AnswerEngine.answer and render the Reply; nothing here knows about Slack or Teams."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot import dated, triage
from bot.composer import PASSAGES_READ, Draft, compose
from bot.llm_composer import LLMAnswer, LLMComposer, best_quote
from bot.reply import Citation, EscalationReason, Question, Reply, Turn
from bot.retrieval import Hit, Retriever, expand_query
from bot.settings import AnswerSettings, Settings
from knowledge.embedder import Embedder
from knowledge.lexicon import default_lexicon
from knowledge.passage import GUIDANCE, Passage
from knowledge.sentences import split_sentences
from knowledge.store import KnowledgeStore, StoreUnavailable

# Set from the eval set (make eval prints the confidence of answerable and unanswerable questions):
# below this the knowledge base does not clearly answer, and a person should.
MIN_CONFIDENCE = 0.40
# For an answer that fits the question's subject. Set on the eval sets: 0.3 to 0.25 hand over no fewer
# must-escalate questions and answer no out-of-scope ones; 0.2 answered a must-escalate one.
FITTING_MIN_CONFIDENCE = 0.30
SUPERSEDED_MARGIN = 0.02  # cosine-scale lead an ended rule needs over the law in force to be "the subject"

_FOLLOW_UP = re.compile(
    r"^(and|but|what if|what about|how about|so|also|if|does that|is that|can they|what)\b", re.I
)

_FOLLOW_UP_WORDS = 30
_POINTS_BACK = re.compile(r"\b(it|that|this|they|them|those|these)\b", re.I)

# Words that make a question about employment rights, even when the knowledge base cannot answer it
# (then a person should). Deliberately not "NHS", "manager" or "pension": members mention those in
# questions about laptops, paracetamol and investment funds too.
_DOMAIN = re.compile(
    r"\b(employ\w*|job|contract\w*|redundan\w*|dismiss\w*|sack\w*|notice|pay|paid|salary|wages?|"
    r"(annual|maternity|paternity|parental|sick|carer'?s?) leave|holiday|sick\w*|pregnan\w*|disciplinary|"
    r"grievance|hearing|tribunal|acas|union|mip|rep|officer|agenda for change|afc|consultation|tupe|"
    r"restructur\w*|flexible working|whistle\w*|settlement|discriminat\w*|rights?|fixed[- ]term|ftc|"
    r"resign\w*|appeal|suspen\w*|misconduct|capability|overtime|bull(y|ied|ying)|harass\w*|boss|hr|"
    r"laid off|lay ?off|fired|redeploy\w*|secondment|probation|band \d|regrad\w*|at risk)\b",
    re.I,
)

# Said when nothing matched and no employment word shows: it may still be about their job in words
# we did not expect ("how r they supposed to decide who goes?"), so never tell the member it is not.
NOT_FOUND = "I couldn't find anything on that in MiP's guidance."
REPHRASE = "If it is about your job, try asking in other words, or ask me to pass it to an officer."
NO_SECRETS = (
    "I never share my settings, credentials or what other members have asked: members' questions are private."
)
WHAT_I_DO = (
    "I answer questions about your employment rights as an NHS or care manager, using MiP's own factsheets "
    "and Legal Eye articles from Healthcare Manager, and I show the sources I used. For anything about your "
    "own case, especially dismissal, disciplinary or grievance hearings, discrimination, settlement offers "
    "or deadlines, I pass your question to a national officer."
)


@dataclass
class Statement:
    """One sentence of the answer and the verbatim passage text that backs it, per cited passage."""

    text: str
    sources: list[tuple[Passage, str]]


class AnswerEngine:
    def __init__(
        self,
        retriever: Retriever,
        settings: AnswerSettings,
        llm: LLMComposer | None = None,
        today: date | None = None,
        handover: list[triage.HandoverSubject] | None = None,
    ) -> None:
        self.retriever = retriever
        self.settings = settings
        self.llm = llm
        self.handover = handover or []
        self.today = today  # None: the real date, read at each answer

    @classmethod
    def from_settings(cls, settings: Settings, store: KnowledgeStore, embedder: Embedder) -> AnswerEngine:
        answer = settings.answer
        llm = (
            LLMComposer.from_settings(answer.llm_provider, answer.llm_model, answer.llm_timeout_seconds)
            if answer.llm_model
            else None
        )
        handover = triage.read_handover_subjects(settings.handover_file)
        return cls(
            Retriever(store, embedder, settings.retrieval), answer, llm, today=settings.today, handover=handover
        )

    def answer(self, question: Question) -> Reply:
        started = time.perf_counter()
        reply = self._answer(question)
        reply.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return reply

    def _answer(self, question: Question) -> Reply:
        text, problem, truncated = triage.check_input(question.text, self.settings.max_question_chars)
        if problem:
            return Reply(kind="invalid_input", answer=problem.message, lead=problem.message)
        text, had_instructions = triage.strip_instructions(text)
        if len(text.split()) < 3 and had_instructions:
            return _plain("out_of_scope", NO_SECRETS + " " + WHAT_I_DO)
        if early := self._without_retrieval(text):
            return early
        try:
            reply = self._grounded(text, question.thread)
        except StoreUnavailable:
            # Never silence, never a stack trace: the member hears it at once and an officer gets it.
            return self._reply([], 0.0, EscalationReason.LOOKUP_UNAVAILABLE)
        if truncated:
            note = (
                f"Your message was long, so I read the first {self.settings.max_question_chars:,} characters."
            )
            reply.answer = f"{note}\n\n{reply.answer}"
        return reply

    def _without_retrieval(self, text: str) -> Reply | None:
        if triage.is_greeting(text) or triage.asks_what_bot_does(text):
            return _plain("smalltalk", "Hello! I'm MiP's automated assistant, not a person. " + WHAT_I_DO)
        if triage.is_thanks(text):
            return _plain("smalltalk", "You're welcome. Ask me anything else about your rights at work.")
        if triage.is_writing_task(text):
            return _plain("out_of_scope", "Sorry, I can't write that for you. " + WHAT_I_DO)
        return None

    def _grounded(self, text: str, thread: list[Turn]) -> Reply:
        reason = triage.escalation_reason(text)
        if triage.only_asks_for_person(text):
            earlier = [t.text for t in thread if t.role == "member"]
            if not earlier:
                return self._reply([], 0.0, reason)
            text = earlier[-1]  # the general information is about what they asked before
        query = contextual_query(text, thread)
        today = self.today or date.today()
        found = self.retriever.search(query, self.retriever.settings.top_k * 2)
        # Only the law in force today is quoted as the law; what replaced or will replace it is
        # named in a dated line, never stated as the rule.
        hits = [h for h in found if dated.applies(h.passage, today)][: self.retriever.settings.top_k]
        # Sentences are matched on the member's words and the knowledge base's words for them
        # ("sacked" and "dismissal"), as the keyword search was.
        words = expand_query(query) if self.retriever.settings.mode == "hybrid" else query
        draft = compose(words, hits, *self._meaning(query, hits))
        confidence = _confidence(hits, draft)
        officers_subject = any(h.matches(query) for h in self.handover)
        if reason is None and officers_subject:
            reason = EscalationReason.LOW_CONFIDENCE  # officers say our content does not cover this
        superseded = _superseded(found[:5], hits, draft, today)
        if superseded:  # the rule asked about has ended and nothing in force replaces it yet
            reason = reason or EscalationReason.LOW_CONFIDENCE
            ended = superseded[0]
            if draft is None or draft.lead.passage.source_id != ended.source_id:
                # The member hears what the same guidance says today, not another subject's rule.
                hits = self._in_force_beside(ended, query, today) or hits
                draft = compose(words, hits, *self._meaning(query, hits))
        about_work = bool(_DOMAIN.search(query) or triage.mentions_employment(query))
        # Shared words are not a shared subject: a question about a landlord's notice is not answered
        # by the notice an employee must give, nor one about holiday by notice periods.
        fit = _subject_fit(query, draft)
        fits = fit is not False and draft is not None
        # An answer whose sentences speak of what the member named (the lexicon's concepts) needs
        # less closeness in meaning: members' own words sit further from the factsheets' wording.
        threshold = FITTING_MIN_CONFIDENCE if fit is True else MIN_CONFIDENCE
        if confidence < threshold or not fits:
            if reason is None and (not about_work or fit is False and _outside(query)):
                reply = _plain("out_of_scope", NOT_FOUND + " " + WHAT_I_DO + " " + REPHRASE)
                reply.confidence = round(confidence, 3)  # what retrieval scored, for setting thresholds
                return reply
            reason = reason or EscalationReason.LOW_CONFIDENCE
            # A hand-over quotes only what is about the question; unrelated text helps nobody.
            floor = MIN_CONFIDENCE if officers_subject else MIN_CONFIDENCE / 2
            if fit is True and not officers_subject:
                draft = self._guidance_on(query, words, hits)
            elif not (fits and confidence >= floor):
                draft = None
        statements = self._statements(query, hits, draft)
        change = self._change(statements, superseded, today, query)
        if reason is None and self._event_near_change(text, statements, today):
            reason = EscalationReason.LOW_CONFIDENCE
        return self._reply(statements, confidence, reason, change, text, today)

    def _in_force_beside(self, ended: Passage, query: str, today: date) -> list[Hit]:
        """The passages of an ended rule's own document that apply today, closest to the question
        first (by their best heading or sentence vector): what that guidance says now."""
        document = [p for p in self.retriever.store.document(ended.source_id) if dated.applies(p, today)]
        parts = self.retriever.store.parts([p.id for p in document])
        vector = self.retriever.vector(query)
        scored = [
            (max((float(np.dot(vector, row)) for row in parts.get(p.id, []) if row.any()), default=0.0), p)
            for p in document
        ]
        ranked = sorted(scored, key=lambda sp: sp[0], reverse=True)[:PASSAGES_READ]
        return [Hit(p, score, dense=score) for score, p in ranked]

    def _guidance_on(self, query: str, words: str, hits: list[Hit]) -> Draft | None:
        """For a hand-over the engine is unsure of: only the union's guidance (factsheets, Legal Eye)
        that speaks of what the member described ("his hand on my back": harassment), so they have
        the rule while they wait; never news or features, and None when no such passage is found."""
        named = [c for c in default_lexicon() if c.used_in(query) and not c.outside]
        kept = [
            h
            for h in hits
            if h.passage.kind in GUIDANCE
            and any(c.spoken_of_in(f"{h.passage.section or ''} {h.passage.text}") for c in named)
        ]
        if not kept:
            return None
        draft = compose(words, kept, *self._meaning(query, kept))
        return draft if _subject_fit(query, draft) is True else None

    def _change(
        self, statements: list[Statement], superseded: list[Passage], today: date, query: str = ""
    ) -> Statement | None:
        """One dated line naming the change to a cited rule due within the notice window, or to a
        rule that has already ended: the successor section's sentence closest to the question (a
        section may plan several changes), labelled."""
        days = self.settings.change_notice_days
        ending = superseded + [
            p for s in statements for p, _ in s.sources if dated.changes_soon(p, today, days)
        ]
        for passage in ending:
            document = self.retriever.store.document(passage.source_id)
            if (after := dated.successor(passage, document, today)) and after.validity:
                # A long planned section is cut into several passages; read them all.
                section = [p for p in document if p.section == after.section and p.validity == after.validity]
                after, sentence = self._closest_sentence(section or [after], query)
                label = dated.change_label(after.validity, today)  # type: ignore[arg-type]
                # A planned date that has passed without the change being confirmed is not "ahead".
                start = after.validity.start  # type: ignore[union-attr]
                heading = "Planned change" if start and dated.first_day(start) <= today else "Change ahead"
                return Statement(f"{heading} ({label}): {sentence}", [(after, sentence)])
        return None

    def _closest_sentence(self, passages: list[Passage], query: str) -> tuple[Passage, str]:
        """The sentence of these passages closest in meaning to the question; the first passage's
        first sentence when there is no question or no stored sentence vectors."""
        rows = self.retriever.store.parts([p.id for p in passages])
        vector = self.retriever.vector(query) if query else None
        best: tuple[float, Passage, str] | None = None
        for passage in passages:
            sentences = split_sentences(passage.text)
            own = rows.get(passage.id)
            if vector is None or own is None or len(own) != len(sentences) + 1:  # heading row first
                continue
            for sentence, row in zip(sentences, own[1:], strict=True):
                score = float(np.dot(vector, row))
                if best is None or score > best[0]:
                    best = (score, passage, sentence)
        if best is None:
            return passages[0], dated.lead_sentence(passages[0])
        return best[1], best[2]

    def _event_near_change(self, text: str, statements: list[Statement], today: date) -> bool:
        cited = [p for s in statements for p, _ in s.sources]
        if not dated.deciding_events(cited):
            return False
        events = dated.mentioned_dates(text, today)
        return dated.near_a_change(events, dated.change_dates(cited), today, self.settings.change_notice_days)

    def _meaning(self, query: str, hits: list[Hit]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The question's vector (already made for retrieval, so cached) and the stored sentence
        vectors of the passages the composer will read."""
        vector = self.retriever.vector(query)
        return vector, self.retriever.store.parts([h.passage.id for h in hits[:PASSAGES_READ]])

    def _statements(self, query: str, hits: list[Hit], draft: Draft | None) -> list[Statement]:
        if draft is None:
            return []
        if self.llm and (written := self.llm.compose(query, hits)):
            return _from_llm(written)
        return [
            Statement(c.sentence, [(c.passage, c.sentence), *((a.passage, a.sentence) for a in c.also)])
            for c in [draft.lead, *draft.points]
        ]

    def _reply(
        self,
        statements: list[Statement],
        confidence: float,
        reason: EscalationReason | None,
        change: Statement | None = None,
        text: str = "",
        today: date | None = None,
    ) -> Reply:
        today = today or self.today or date.today()
        passages = _cited_passages(statements + ([change] if change else []))
        lines = [_marked(s, passages) for s in statements]
        reply = Reply(
            lead=lines[0] if lines else "",
            points=lines[1:],
            citations=_citations(statements + ([change] if change else []), passages),
            date_caveat=self._date_notes(statements, passages, change, today),
            escalate=reason is not None,
            escalation_reason=reason,
            escalation_note=_escalation_note(reason, bool(statements)) if reason else None,
            disclaimer=self._disclaimer(bool(statements)),
            confidence=round(confidence, 3),
            answer="",
        )
        reply.answer = render_text(reply)
        return reply

    def _date_notes(
        self, statements: list[Statement], passages: list[Passage], change: Statement | None, today: date
    ) -> str | None:
        """What the member must know about dates, in one place: a change to a cited rule, which
        date decides, undated sources' figures, and sources old enough for the law to have moved."""
        notes = [_marked(change, passages)] if change else []
        cited = [p for s in statements for p, _ in s.sources]
        if events := dated.deciding_events(cited):
            notes.append(f"Which rule applies depends on {' and '.join(events)}, not the day you ask.")
        undated = [
            n
            for n, p in enumerate(passages, 1)
            if p.date is None and p.issue is None
            and any(dated.quotes_money_or_rates(q) for s in statements for pp, q in s.sources if pp is p)
        ]
        if undated:
            marks = ", ".join(f"[{n}]" for n in undated)
            notes.append(f"{marks} has no date, so check any amounts or rates in it with an officer.")
        if old := self._old_sources(passages, today):
            notes.append(old)
        return " ".join(notes) or None

    def _old_sources(self, passages: list[Passage], today: date) -> str | None:
        old = [
            (n, p)
            for n, p in enumerate(passages, 1)
            if (d := _parse_date(p.date)) and (today - d).days > self.settings.max_source_age_years * 365.25
        ]
        if not old:
            return None
        parts = ", ".join(f"[{n}] is from {_month_year(p.date)}" for n, p in old)
        return f"Please note: {parts}. The law or NHS terms may have changed since then."

    def _disclaimer(self, has_information: bool) -> str:
        reach = f"For help with your situation, {self.settings.contact}."
        if not has_information:
            return reach
        return f"This is general information from MiP's knowledge base, not advice on your own case. {reach}"


def contextual_query(text: str, thread: list[Turn]) -> str:
    """A follow-up ("and if I have less than two years?") is read with the member's earlier question."""
    earlier = [t.text for t in thread if t.role == "member"]
    if not earlier:
        return text
    words = len(text.split())
    if words <= 12 or _FOLLOW_UP.match(text):
        return f"{earlier[-1]} {text}"
    # "do I get it for the first couple of days or is there a wait?": a longer follow-up that points
    # back at what was asked, or names no subject of its own, is still about the earlier question.
    if words <= _FOLLOW_UP_WORDS and (_POINTS_BACK.search(text) or not _names_a_subject(text)):
        return f"{earlier[-1]} {text}"
    return text


def _names_a_subject(text: str) -> bool:
    return bool(_DOMAIN.search(text) or triage.mentions_employment(text))


def _subject_fit(query: str, draft: Draft | None) -> bool | None:
    """Do the passages quoted speak of what the question is about (the lexicon's concepts it names)?
    None when the question names none, so there is nothing to check."""
    named = [c for c in default_lexicon() if triage.affirmed(c, query)]
    if draft is None or not named:
        return None
    chosen = [draft.lead, *draft.points]
    where = " ".join(
        " ".join(p for p in (c.passage.title, c.passage.section, c.passage.text) if p) for c in chosen
    )
    # A subject outside MiP's remit fits only where the union's own guidance speaks of it: a news
    # story mentioning a company is no answer on setting one up.
    guidance = " ".join(c.passage.text for c in chosen if c.passage.kind in GUIDANCE)
    if any(c.outside and not c.spoken_of_in(guidance) for c in named):
        return False
    inside = [c for c in named if not c.outside]
    return not inside or any(c.spoken_of_in(where) for c in inside)


def _superseded(top: list[Hit], in_force: list[Hit], draft: Draft | None, today: date) -> list[Passage]:
    """The ended rules among the best hits that are what the member asked about: an ended rule that
    clearly outranks everything in force, or one from the same document (the same subject) as the
    best hit in force or the answer's lead. "How long do I have to claim?" is answered by the time
    limit in force, not handed over because the qualifying period ranked beside it has ended."""
    best = max((h.score for h in in_force), default=0.0)
    subject = {h.passage.source_id for h in in_force[:1]} | ({draft.lead.passage.source_id} if draft else set())
    return [
        h.passage
        for h in top
        if dated.expired(h.passage, today)
        and (h.score > best + SUPERSEDED_MARGIN or h.passage.source_id in subject)
    ]


def _outside(query: str) -> bool:
    return any(c.outside and c.used_in(query) for c in default_lexicon())


def _confidence(hits: list[Hit], draft: Draft | None) -> float:
    """0..1 from how close the best passage is in meaning and how much of the question the chosen
    sentences cover. Either alone misleads: a near topic with none of the words, or the words out of context.
    Tried on the eval set and dropped: the lead sentence's meaning, the gap between the best dense score
    and the rest, rare-word-weighted coverage and agreement between the two searches. Each separated
    helpful from unhelpful answers a little better, but none moved the threshold without either
    answering an out-of-scope question or handing over more answerable ones."""
    if not hits or draft is None:
        return 0.0
    best_dense = max(h.dense for h in hits[:3])
    return 0.6 * min(1.0, max(0.0, (best_dense - 0.2) / 0.5)) + 0.4 * draft.coverage


def _from_llm(written: LLMAnswer) -> list[Statement]:
    return [
        Statement(
            s.text, [(written.passages[n - 1], best_quote(s.text, written.passages[n - 1])) for n in s.cited]
        )
        for s in written.sentences
    ]


def _cited_passages(statements: list[Statement]) -> list[Passage]:
    """One entry per place a member can look up, numbered in order of first citation: two passages
    of the same article section share a number rather than showing the same source line twice."""
    passages: dict[str, Passage] = {}
    for statement in statements:
        for passage, _ in statement.sources:
            passages.setdefault(passage.citation(), passage)
    return list(passages.values())


def _citations(statements: list[Statement], passages: list[Passage]) -> list[Citation]:
    quotes: dict[str, list[str]] = {}
    for statement in statements:
        for passage, quote in statement.sources:
            if quote not in quotes.setdefault(passage.citation(), []):
                quotes[passage.citation()].append(quote)
    return [
        Citation(
            n=n,
            source_id=p.source_id,
            title=p.title,
            publication=p.publication,
            date=p.date,
            locator=p.locator,
            quote=" ".join(quotes.get(p.citation(), [])),
            label=p.citation(),
            url=p.url,
        )
        for n, p in enumerate(passages, 1)
    ]


def _marked(statement: Statement, passages: list[Passage]) -> str:
    labels = [p.citation() for p in passages]
    numbers = sorted({labels.index(passage.citation()) + 1 for passage, _ in statement.sources})
    return statement.text + " " + "".join(f"[{n}]" for n in numbers)


def _escalation_note(reason: EscalationReason, has_information: bool) -> str:
    why = {
        EscalationReason.LOW_CONFIDENCE: "I couldn't find a clear answer to this in MiP's guidance",
        EscalationReason.HIGH_STAKES: "this sounds like it matters a great deal for your job",
        EscalationReason.URGENT: "this sounds time-critical",
        EscalationReason.ASKED_FOR_PERSON: "you asked to speak to a person",
        EscalationReason.MEMBER_REQUEST: "you asked for an officer",
        EscalationReason.FAILURE: "something went wrong on my side",
        EscalationReason.LOOKUP_UNAVAILABLE: "I can't look that up right now",
    }[reason]
    if has_information:
        why = f"Here is the general information I found, but {why}"
    return (
        f"{why[0].upper()}{why[1:]}, so I'm passing your question to a national officer, who will pick it up."
    )


def _plain(kind: str, message: str) -> Reply:
    return Reply(kind=kind, answer=message, lead=message)  # type: ignore[arg-type]


def _parse_date(value: str | None) -> date | None:
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    return date(year, month, day)


def _month_year(value: str | None) -> str:
    parsed = _parse_date(value)
    if not parsed:
        return "an unknown date"
    return parsed.strftime("%B %Y") if value and len(value) >= 7 else str(parsed.year)


def render_text(reply: Reply) -> str:
    """The reply as plain text, as the console and `ask` show it."""
    parts: list[str] = []
    if reply.escalation_note and not reply.lead:
        parts.append(reply.escalation_note)
    if reply.lead:
        parts.append(reply.lead)
    parts.extend(f"- {p}" for p in reply.points)
    if reply.citations:
        parts.append("Sources:\n" + "\n".join(f"[{c.n}] {c.label}" for c in reply.citations))
    if reply.date_caveat:
        parts.append(reply.date_caveat)
    if reply.escalation_note and reply.lead:
        parts.append(reply.escalation_note)
    if reply.disclaimer:
        parts.append(reply.disclaimer)
    return "\n\n".join(parts)
