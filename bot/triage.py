"""Reading a question before answering it: is it usable input, small talk, a request for a person,
high-stakes or urgent? Pure functions over text; the thresholds for "well enough answered" live in
the engine, where retrieval scores are known."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.reply import EscalationReason

_FIRST_PERSON = re.compile(r"\b(i|i'?m|i'?ve|i'?d|me|my|mine|myself|we|our|us)\b", re.I)

_HIGH_STAKES = re.compile(
    r"\b(dismiss(ed|al|ing)?|sack(ed|ing)?|fired|terminat(ed|ing|ion)|disciplinary|gross misconduct|"
    r"suspend(ed)?|suspension|investigation (meeting|hearing)|grievance (hearing|meeting)|"
    r"(thinking of|going to|want to|about to|should i|considering) (resign|quit|leave|hand in)|resign(ing|ation)?|"
    r"discriminat\w*|harass\w*|bull(y|ied|ying)|victimi[sz]\w*|racis\w*|sexis\w*|"
    r"because i'?m (pregnant|disabled|black|gay|a woman|older|too old)|"
    r"settlement (agreement|offer)|offered (a )?settlement|compromise agreement|exit package|"
    r"tribunal claim|take (them|my employer|the trust) to (a )?tribunal|constructive(ly)? dismiss\w*)\b",
    re.I,
)
_URGENT = re.compile(
    r"\b(today|tonight|tomorrow|this (week|morning|afternoon|friday|monday)|by (monday|tuesday|wednesday|"
    r"thursday|friday|the end of (the|this) week)|in (a|one|two|2|three|3) days?|deadline|time limit (is|runs)|"
    r"running out of time|urgent(ly)?|asap|next week)\b",
    re.I,
)
_URGENT_CONTEXT = re.compile(
    r"\b(hearing|meeting|tribunal|acas|appeal|deadline|claim|respond|reply|sign)\b", re.I
)
_ASKED_FOR_PERSON = re.compile(
    r"\b((speak|talk|chat) (to|with) (an? |the )?(real |actual )?(officer|rep|representative|person|human|someone|somebody)|"
    r"(real|actual) (person|human)|a human|national officer|call me( back)?|ring me|"
    r"(get|need|want) (an? )?(officer|rep|person|human)|pass (this|me|it) (on )?to)\b",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo)\b[\s!.,]*(there|bot|rightsbot)?[\s!.]*$",
    re.I,
)
_THANKS = re.compile(r"^\s*(thanks?|thank you|cheers|ta|great|ok(ay)?|brilliant|perfect)\b.{0,30}$", re.I)
_WHAT_CAN_YOU_DO = re.compile(
    r"\b(what can you do|what do you do|who are you|what are you|help me\??$|how do you work)\b", re.I
)
_PROBE = re.compile(
    r"\b(system prompt|your (instructions|settings|config\w*|prompt|tokens?|api keys?|secrets?)|"
    r"(slack|bot|api|signing) (token|secret|key)|other (members|people|users)('s)? (questions|messages|chats?)|"
    r"what did (other|another) (members?|people|users?) ask|env(ironment)? variables?)\b",
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
    ["the", "a", "an", "and", "or", "to", "of", "in", "on", "for", "is", "are", "was", "were", "be", "been", "am", "i", "my", "me", "you", "your", "it", "its", "this", "that", "with", "have", "has", "had", "do", "does", "did", "can", "could", "will", "would", "should", "what", "when", "how", "why", "if", "not", "no", "they", "them", "their", "we", "our", "he", "she", "his", "her", "at", "by", "from", "as", "about", "after", "before", "job", "work", "contract", "employer", "m", "ve", "s", "t"]
)
# Function words of the languages members most often write in besides English (Welsh included).
_COMMON_FOREIGN = (
    frozenset(
        ["le", "la", "les", "des", "du", "un", "une", "est", "et", "je", "ne", "pas", "pour", "que", "qui", "dans", "sur", "avec", "mon", "ma", "mes", "puis", "être", "el", "los", "las", "una", "por", "para", "con", "es", "del", "mi", "yo", "se", "lo", "como", "pero", "más", "puedo", "der", "die", "das", "und", "ist", "ich", "nicht", "ein", "eine", "mit", "für", "auf", "dem", "den", "zu", "mein", "kann", "il", "di", "che", "non", "è", "per", "sono", "una", "gli", "della", "nel", "posso", "o", "os", "uma", "não", "com", "em", "sou", "meu", "posso", "nie", "jest", "się", "na", "czy", "że", "mam", "w", "z", "do", "yr", "y", "mae", "ac", "i", "ar", "gyda", "fy", "ydw", "dw", "ddim"]
    )
    - _COMMON_ENGLISH
)


def is_greeting(text: str) -> bool:
    return bool(_GREETING.match(text))


def is_thanks(text: str) -> bool:
    return bool(_THANKS.match(text)) and "?" not in text


def asks_what_bot_does(text: str) -> bool:
    return bool(_WHAT_CAN_YOU_DO.search(text)) and len(text.split()) <= 12


def probes_for_secrets(text: str) -> bool:
    return bool(_PROBE.search(text))


def strip_injection(text: str) -> str:
    """Instructions hidden in a question change nothing: drop them and answer what is left."""
    return " ".join(_INJECTION.sub(" ", text).split())


def escalation_reason(text: str) -> EscalationReason | None:
    """A reason to hand over that the words alone show, whatever the knowledge base says."""
    if _ASKED_FOR_PERSON.search(text):
        return EscalationReason.ASKED_FOR_PERSON
    if _URGENT.search(text) and _URGENT_CONTEXT.search(text):
        return EscalationReason.URGENT
    if _HIGH_STAKES.search(text) and _FIRST_PERSON.search(text):
        return EscalationReason.HIGH_STAKES  # the member's own situation, not a rule lookup
    return None
