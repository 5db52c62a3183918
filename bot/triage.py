"""Reading a question before answering it: is it usable input, small talk, a request for a person,
high-stakes or urgent? Pure functions over text; the thresholds for "well enough answered" live in
the engine, where retrieval scores are known."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.reply import EscalationReason
from knowledge.keyword_index import query_terms
from knowledge.lexicon import Concept, default_lexicon
from knowledge.sentences import split_sentences

_FIRST_PERSON = re.compile(r"\b(i|i'?m|im|i'?ve|ive|i'?d|me|my|mine|myself)\b", re.I)
_ME = r"(me|my|i|i'?m|im|i'?ve|ive|i was|i am|i have|i'?ve been|i was been)"

# Things happening to the member, not topics: "I've been dismissed", not "what is unfair dismissal?".
_HIGH_STAKES = re.compile(
    "|".join(
        [
            # dismissal, suspension
            r"\b(been|being|was|were|got|getting|just) (dismissed|sacked|fired|suspended|terminated)\b",
            r"\b(dismiss(ed|ing)?|sack(ed|ing)?|fir(ed|ing)|suspend(ed|ing)?|terminat(ed|ing)) me\b",
            r"\b(dismissal|termination) letter\b|\bletter (dismissing|terminating)\b",
            # hearings and processes about the member
            r"\bmy (own )?(disciplinary|grievance|capability|investigation|appeal|dismissal|redundancy appeal)\b",
            r"\b(invited|called|summoned) to an? (formal )?(disciplinary|capability|investigation|dismissal)\b",
            r"\b(invit\w*|call\w*|summon\w*) me to an? (formal )?(disciplinary|capability|investigation|dismissal)\b",
            r"\b(going to be|being|been|am being|will be) investigated\b|\baccus\w* me of\b",
            # notice of dismissal given to the member
            r"\b(given|handed|served|sent) me (my )?notice\b|\bserved notice on me\b",
            r"\b(facing|under) (an? )?(disciplinary|investigation|gross misconduct)\b",
            r"\bgross misconduct\b.*\b(me|my|i)\b|\b(i|me|my)\b.*\bgross misconduct\b",
            # resignation decisions
            r"\b(hand(ing)?|put(ting)?) (in )?my notice\b|\bi'?m (resigning|quitting|leaving)\b",
            r"\bi (have |just |already |had to )?(resigned|quit|walked out|handed in my notice)\b",
            r"\b(thinking (of|about)|going to|about to|want to|plan(ning)? to|should i|considering) (resign|quit|walk out|hand in)",
            # discrimination, bullying, harassment, victimisation in the member's own case
            r"\b(feels?|seems?|looks?) like (age |sex |race |racial |disability |pregnancy )?discrimination\b",
            r"\b(discriminat\w* against me|discriminating against)\b",
            r"\bbecause (i'?m|i am|i was|of my) (pregnan\w*|disabled|disability|black|asian|gay|a woman|older|too old|age|race|religion|condition)\b",
            r"\b(i (told|informed) (my )?\w+ (i was|that i was|i'?m) pregnant)\b",
            r"\bthe only (black|asian|disabled|woman|female|older|over-?\d+)\b",
            r"\b(refused|ignored|won'?t make|not made|rejected) (the |my |any )?(reasonable )?adjustments\b",
            r"\bmy (sickness|absence) (record|history) is being used\b",
            r"\b(male|female|white|younger|older) (counterpart|colleague|comparator)s?\b",
            r"\b(bully(ing)?|harass(ing)?|victimis(ing)?|victimiz(ing)?) me\b|\b(bullied|harassed|victimi[sz]ed)\b",
            # settlement offers and protected conversations
            r"\b(offered|sent|given|handed) me (an? )?(settlement|compromise|exit|deal)\b|\bprotected conversation\b",
            r"\bsettlement agreement\b.*\b(sign|offer|deal)\b|\b(sign|signed)\b.*\bsettlement agreement\b",
            r"\boffered (me )?\d+ months'? (salary|pay)\b",
            # whistleblowing detriment
            r"\b(since|after|because) (i|we) (reported|raised|blew|spoke up|whistle)",
            r"\b(cut out of|frozen out of|excluded from) (meetings|decisions)\b|\bretaliat\w*\b",
        ]
    ),
    re.I,
)
_URGENT_WHEN = re.compile(
    r"\b(today|tonight|tomorrow|this (week|morning|afternoon|evening|monday|tuesday|wednesday|thursday|friday)|"
    r"next (week|monday|tuesday|wednesday|thursday|friday)|"
    r"(by|until|till|til|before) (mon|tues|wednes|thurs|fri|satur|sun)day|(by|until|till|til|before) the end of (the|this) week|"
    r"(by|until|till|til|before) (the )?(weekend|end of (the )?day|end of play|eod|cob|close of business)|"
    r"within (24|48|72) hours|in (a|one|two|2|three|3) days?|\d{1,2}(:\d\d)? ?(am|pm)|running out|last day|asap|urgent(ly)?)\b",
    re.I,
)
_URGENT_WHAT = re.compile(
    # A decision they must give by then is as pressing as a hearing: "accept or turn down the band 7
    # by Monday", "they want my answer by 9am tomorrow".
    r"\b(hearing|meeting|tribunal|acas|appeal|deadline|claim|respond|reply|sign|et1|certificate|interview|notice|"
    r"accept|decide|decision|answer|turn (it |this |that |the \w+ )?down|let them know|make up my mind|"
    r"say yes|yes or no|volunteer for|take the (offer|package|deal|vr|voluntary redundancy))\b",
    re.I,
)
_TRIBUNAL_DEADLINE = re.compile(
    r"\b(tribunal|acas|et1|ec certificate|early conciliation)\b.*\b(deadline|last day|time limit|run(ning)? out|missed|too late|when .* submit)\b|"
    r"\b(deadline|last day|time limit)\b.*\b(tribunal|acas|et1|claim)\b",
    re.I,
)
# Someone to speak to, with the words members put before them: "a national officer", "one of your
# reps", "an actual human". Any of these, asked for in any of the usual ways, is a request for a person.
_PERSON = (
    r"(?:(?:a|an|the|your|my|one of (?:the|your)|some|real|actual|national|human|live|proper|union|mip|"
    r"trade union|full[- ]time|senior|qualified|employment)\s+){0,3}"
    r"(?:officers?|reps?|representatives?|person|people|human(?: being)?|someone|somebody|anyone|anybody|"
    r"advis[eo]rs?|caseworkers?|organi[sz]ers?|solicitors?|lawyers?)"
)
_ASKED_FOR_PERSON = re.compile(
    "|".join(
        [
            rf"\b(speak|talk|chat)(ing)? (to|with) {_PERSON}\b",
            rf"\b(pass|hand|send|forward|refer|escalate|put|give)(ing)?( this| it| me| my (question|case|query|message))?"
            rf"( on| over| through| across)? to {_PERSON}\b",
            rf"\b(i want|i need|i'?d like|i would like|can i (have|get)|could i (have|get)|get me|give me|find me)"
            rf"( to (speak|talk) to)? {_PERSON}\b",
            rf"\b(can|could|would|will) {_PERSON} (from \w+ )?(please )?(call|ring|phone|contact|email|look at|"
            r"check|review|get back to|get in touch)\b",
            rf"\b{_PERSON} (to )?(call|ring|phone|contact|email) me\b",
            r"\b(call|ring|phone) me( back)?\b|\bput me (in touch|through)\b|\bescalate (this|it|my)\b",
            r"\bis there (anyone|someone|somebody|a person|an officer|a rep)\b",
            r"\b(a )?(human|person|officer) please\b",
        ]
    ),
    re.I,
)
# Tasks that are not questions about rights: the bot quotes its sources, it does not write to order.
_TASK = re.compile(
    r"^\s*(please )?(can you |could you )?(write|compose|draft|make up|generate|translate|summari[sz]e|code|tell me a joke)"
    r"\b.*\b(poem|song|story|essay|speech|joke|limerick|rap|haiku|code|script|card|toast)\b",
    re.I,
)
_ABOUT_THE_BOT = re.compile(
    r"\b(are you|is this|am i (talking|speaking|chatting) (to|with)) (a |an |the )?(mip |rights |union )?"
    r"(bot|robot|chat ?bot|real|human|person|ai|assistant|machine)\b",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo)\b[\s!.,]*(there|bot|rightsbot)?[\s!.]*$",
    re.I,
)
_THANKS = re.compile(r"^\s*(thanks?|thank you|cheers|ta|great|ok(ay)?|brilliant|perfect)\b.{0,30}$", re.I)
_WHAT_CAN_YOU_DO = re.compile(
    r"\b(what can you do|what do you do|who are you|what are you|help me\??$|how do you work|"
    r"what (sort|kind|type)s? of (stuff|things|questions?) (can|do|should) i ask|what can i ask( you)?|"
    r"what (do|can) you (help|answer) with)\b",
    re.I,
)
_PROBE = re.compile(
    r"\b(system prompt|your (instructions|settings|config\w*|prompt|tokens?|api keys?|secrets?)|"
    r"(slack|bot|api|signing) (token|secret|key)|other (members|people|users)('s)? (questions|messages|chats?)|"
    r"what did (other|another) (members?|people|users?) ask|env(ironment)? variables?|"
    r"(list|show|give|tell) (me )?(all |the )?(open |other )?escalations|member names)\b",
    re.I,
)
_INJECTION = re.compile(
    r"(ignore|disregard|forget) (all |any |your |the )*(previous |prior |above )*(instructions|rules|prompts?)[^.?!\n]*[.?!]?|"
    r"(you are now|pretend (to be|you are)|act as|from now on you)[^.?!\n]*[.?!]?",
    re.I,
)


@dataclass(frozen=True)
class InputProblem:
    message: str


def check_input(text: str, max_chars: int) -> tuple[str, InputProblem | None, bool]:
    """(usable text, problem that stops answering, whether the text was cut to max_chars)."""
    if _looks_binary(text):
        return (
            "",
            InputProblem(
                "That looks like file or binary data rather than a question. Please type your question in a few sentences."
            ),
            False,
        )
    cleaned = " ".join(text.split())
    if not cleaned:
        return (
            "",
            InputProblem(
                "I didn't catch a question there. What would you like to know about your employment rights?"
            ),
            False,
        )
    if not _looks_english(cleaned):
        return (
            cleaned,
            InputProblem(
                "Sorry, I can only answer in English for now. If you'd prefer help in another language, "
                "ask for an officer and MiP will get in touch."
            ),
            False,
        )
    return cleaned[:max_chars], None, len(cleaned) > max_chars


def _looks_binary(text: str) -> bool:
    if "\x00" in text or "\ufffd" in text:
        return True
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    return controls > max(3, len(text) // 50)


def _looks_english(text: str) -> bool:
    """Non-Latin script, or more foreign than English function words. Typos and jargon stay English."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if c.isascii()) / len(letters) < 0.8 and len(letters) >= 12:
        return False
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    english = sum(1 for w in words if w in _COMMON_ENGLISH)
    foreign = sum(1 for w in words if w in _COMMON_FOREIGN)
    return not (foreign >= 2 and foreign > english)


_COMMON_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "of",
        "in",
        "on",
        "for",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "my",
        "me",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "with",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "what",
        "when",
        "how",
        "why",
        "if",
        "not",
        "no",
        "they",
        "them",
        "their",
        "we",
        "our",
        "he",
        "she",
        "his",
        "her",
        "at",
        "by",
        "from",
        "as",
        "about",
        "after",
        "before",
        "job",
        "work",
        "contract",
        "employer",
        "m",
        "ve",
        "s",
        "t",
    ]
)
# Function words of the languages members most often write in besides English (Welsh included).
_COMMON_FOREIGN = (
    frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "un",
            "une",
            "est",
            "et",
            "je",
            "ne",
            "pas",
            "pour",
            "que",
            "qui",
            "dans",
            "sur",
            "avec",
            "mon",
            "ma",
            "mes",
            "puis",
            "être",
            "el",
            "los",
            "las",
            "una",
            "por",
            "para",
            "con",
            "es",
            "del",
            "mi",
            "yo",
            "se",
            "lo",
            "como",
            "pero",
            "más",
            "puedo",
            "der",
            "die",
            "das",
            "und",
            "ist",
            "ich",
            "nicht",
            "ein",
            "eine",
            "mit",
            "für",
            "auf",
            "dem",
            "den",
            "zu",
            "mein",
            "kann",
            "il",
            "di",
            "che",
            "non",
            "è",
            "per",
            "sono",
            "una",
            "gli",
            "della",
            "nel",
            "posso",
            "o",
            "os",
            "uma",
            "não",
            "com",
            "em",
            "sou",
            "meu",
            "posso",
            "nie",
            "jest",
            "się",
            "na",
            "czy",
            "że",
            "mam",
            "w",
            "z",
            "do",
            "yr",
            "y",
            "mae",
            "ac",
            "i",
            "ar",
            "gyda",
            "fy",
            "ydw",
            "dw",
            "ddim",
        ]
    )
    - _COMMON_ENGLISH
)


def is_writing_task(text: str) -> bool:
    return bool(_TASK.search(text))


def is_greeting(text: str) -> bool:
    return bool(_GREETING.match(text)) or (bool(_ABOUT_THE_BOT.search(text)) and len(text.split()) <= 10)


def is_thanks(text: str) -> bool:
    return bool(_THANKS.match(text)) and "?" not in text


def asks_what_bot_does(text: str) -> bool:
    return bool(_WHAT_CAN_YOU_DO.search(text)) and len(text.split()) <= 12


def strip_instructions(text: str) -> tuple[str, bool]:
    """Instructions hidden in a question change nothing: drop every sentence that gives the bot
    orders or asks for its secrets, and answer what is left. Returns (what is left, whether any went)."""
    kept = [
        s
        for s in split_sentences(text)
        if not (_PROBE.search(s) or _INJECTION.search(s) or re.search(r"\b(system note|assistant:)", s, re.I))
    ]
    return " ".join(kept), len(kept) < len(split_sentences(text))


@dataclass(frozen=True)
class HandoverSubject:
    """A subject officers have said the knowledge base does not cover (knowledge/handover.yaml)."""

    subject: str
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


class HandoverFileError(ValueError):
    """The hand-over subjects file is missing, unreadable or malformed. The bot must not start without
    it: the questions officers always take would be answered instead. The message is one line."""


def read_handover_subjects(path: Path) -> list[HandoverSubject]:
    """Subjects officers always take: a YAML list of {subject: str, patterns: [regex, ...]} (an explicit
    `[]` means none). Raises HandoverFileError, naming the file, for anything else."""
    where = f"hand-over subjects file {path}"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise HandoverFileError(f"{where} is missing (it ships with rightsbot; reinstall it or set RIGHTSBOT_HANDOVER_FILE)") from error
    except (OSError, UnicodeDecodeError) as error:
        raise HandoverFileError(f"{where} cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise HandoverFileError(f"{where} is not valid YAML") from error
    if not isinstance(entries, list):
        raise HandoverFileError(f"{where} must be a list of entries with subject and patterns")
    try:
        return [HandoverSubject(str(e["subject"]), tuple(re.compile(p, re.I) for p in e["patterns"])) for e in entries]
    except (KeyError, TypeError) as error:
        raise HandoverFileError(f"{where}: every entry needs a subject and a list of patterns") from error
    except re.error as error:
        raise HandoverFileError(f"{where}: a pattern is not a valid regular expression ({error})") from error


_NOT_A_QUESTION = re.compile(
    r"\b(please|pls|not an? (bot|robot|machine|computer)|now|asap|urgently|thanks?)\b", re.I
)


def only_asks_for_person(text: str) -> bool:
    """ "I want a human not a bot": nothing to look up, so nothing to quote."""
    rest = _NOT_A_QUESTION.sub(" ", _ASKED_FOR_PERSON.sub(" ", text))
    return bool(_ASKED_FOR_PERSON.search(text)) and len(query_terms(rest)) < 3


def escalation_reason(text: str) -> EscalationReason | None:
    """A reason to hand over that the words alone show, whatever the knowledge base says.
    Only the member's own situation counts: a rep's rule lookup about dismissal is not high-stakes."""
    if _ASKED_FOR_PERSON.search(text) and not _ABOUT_THE_BOT.search(text):
        return EscalationReason.ASKED_FOR_PERSON
    mine = bool(_FIRST_PERSON.search(text))
    if mine and (
        _TRIBUNAL_DEADLINE.search(text) or (_URGENT_WHEN.search(text) and _URGENT_WHAT.search(text))
    ):
        return EscalationReason.URGENT
    if any(not _negated(text, m.start()) for m in _HIGH_STAKES.finditer(text)):
        return EscalationReason.HIGH_STAKES
    return _described_in_own_words(text)


# A sentence about rules in general, not about what is happening to the member.
_GENERAL = re.compile(
    r"^\s*(what|how|when|is it|are|does|do|can|could|should|would|if)\b.*"
    r"\b(an? |the )?(employer|employers|employee|employees|someone|somebody|people|you|staff|anyone|a person)\b",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(what if|hypothetically|in theory|suppose|supposing|say i was|if i were|if i was|"
    r"if (they|he|she|my (employer|manager|boss|trust)|the (trust|employer|icb)) (did|do|does|were to|ever|decided?) )",
    re.I,
)


# Members drop the "I": "been told to go home", "got called in", "just had a letter".
_IMPLIED_I = re.compile(r"^\W*(just )?(been|got|getting|being|had|have been|was)\b", re.I)
_QUOTE_MARKS = re.compile(r"(?<!\w)['‘’\"“”]+|['‘’\"“”]+(?!\w)")


def unquoted(text: str) -> str:
    """Members put quote marks round what they were told ("my job 'no longer exists'"); the words
    are what matter. Apostrophes inside words ("I'm") stay."""
    return _QUOTE_MARKS.sub("", text)


def _described_in_own_words(text: str) -> EscalationReason | None:
    """The member describes it happening to them in their own words ("I'm being let go", "they want me
    to sign something by Friday"): the lexicon's hand-over concepts, in a first-person sentence that
    neither negates it nor asks about rules in general."""
    text = unquoted(text)
    for sentence in split_sentences(text) or [text]:
        # A statement of what happened ("HR said resign or face a disciplinary") is the member's own
        # story even without an "I"; a question about rules needs the member in it.
        told = not sentence.rstrip().endswith("?") and not _GENERAL.search(sentence)
        mine = _FIRST_PERSON.search(sentence) or _IMPLIED_I.match(sentence) or told
        if not mine or _HYPOTHETICAL.search(sentence):
            continue
        general = bool(_GENERAL.search(sentence)) and not re.search(r"\b(me|my)\b", sentence, re.I)
        for concept in default_lexicon():
            if concept.hand_over is None or general or (concept.context and not concept.context.search(text)):
                continue
            if any(not _negated(sentence, m.start()) for m in concept.words.finditer(sentence)):
                return EscalationReason(concept.hand_over)
    return None


def mentions_employment(text: str) -> bool:
    """Any of the lexicon's words: a message in members' words about their working life, even with
    none of the law's words in it."""
    return any(c.used_in(text) for c in default_lexicon() if not c.outside)


def affirmed(concept: Concept, text: str) -> bool:
    """The text names the concept other than in a negation: "not on AfC" is no question about
    Agenda for Change."""
    return concept.used_in(text) and any(not _negated(text, m.start()) for m in concept.words.finditer(text))


def _negated(text: str, start: int) -> bool:
    """ "it's not like I'm being sacked" describes no dismissal."""
    return bool(
        re.search(r"\b(not|n't|never|no one is)\b[\w' ]{0,20}$", text[max(0, start - 32) : start], re.I)
    )
