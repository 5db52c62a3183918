"""Numbers with their units: the member's ("120 people", "4 years' service", "I'm 45", "3 days a
week") and the ranges a rule states ("20 to 99", "100 or more", "during the fourth and fifth years
of service", "aged 41 or over", "up to 20 years"), so the composer can prefer the rule whose range
holds the member's number.

`fit` is the one score the composer needs: +1 a range of the sentence holds the member's number, -1
its ranges in that unit all exclude it, 0 it states no range in the member's units. A cap ("up to 20
years", "a maximum of 24 months") is a range that never excludes a bigger number: the cap applies to
it. (An earlier attempt scored caps as misses and lost exactly the sentences a big number needs.)

Years of service are counted in completed years, in the sentences and from the member alike:
"during the third year" is 2 <= c < 3, "after five years" is c >= 5, and "I have 4 years' service"
is c = 4. A sentence's number with no range words ("two years' continuous employment") states a
requirement, not a range, and never counts for or against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar, cast

Unit = Literal["people", "years", "days_per_week", "age", "days", "weeks", "months", "hours"]


@dataclass(frozen=True)
class Quantity:
    """A number the member gave, with its unit. Years are years of service."""

    value: float
    unit: Unit
    completed: bool = True  # False: "in my 4th year" (value 4, so 3 completed years and some months)


@dataclass(frozen=True)
class Range:
    """A range a sentence states: low..high inclusive unless marked exclusive; None is open."""

    low: float | None
    high: float | None
    unit: Unit
    cap: bool = False  # "up to", "a maximum of", "no more than": never excludes a bigger value
    high_exclusive: bool = False
    low_exclusive: bool = False  # "more than 99", "over 10 years"

    def holds(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (self.low_exclusive and value == self.low)):
            return False
        if self.cap or self.high is None:
            return True
        return value < self.high if self.high_exclusive else value <= self.high


# ---- numbers: "150", "1,200", "2.5", "twenty-five", "a hundred and fifty", "two and a half" ----

_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_WORD_VALUES = {**_ONES, **_TEENS, **_TENS, "a": 1, "an": 1}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip


def _any_of(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: "fourteen" before "four"


_WORD_NUMBER = rf"(?:(?:{_any_of(_TENS)})(?:[\s-](?:{_any_of(_ONES)}))?|{_any_of(_TEENS)}|{_any_of(_ONES)})"
_HUNDREDS = rf"(?:(?:a|{_any_of(_ONES)})\s+hundred(?:\s+and\s+{_WORD_NUMBER})?)"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
# NUM_CORE may follow a hyphen ("3-5"); NUM starts a number: not inside a word, a sum of money, a
# section reference or a pay band ("Band 8 manager" is not eight people).
_NUM_CORE = rf"(?:{_DIGITS}|\b(?:{_HUNDREDS}|{_WORD_NUMBER})\b)(?:\s+and\s+a\s+half\b)?"
_NUM = (
    r"\b(?<![£$€.,/:])(?<!band\s)(?<!grade\s)(?<!section\s)(?<!sections\s)(?<!regulation\s)"
    rf"(?<!level\s)(?<!part\s){_NUM_CORE}"
)
_NUM_OR_A = rf"(?:{_NUM}|\ban?(?=\s+(?:year|month|week)s?\b))"  # "less than a year"
_ORDINAL = rf"(?:{_any_of(_ORDINALS)}|[0-9]{{1,2}}(?:st|nd|rd|th))\b"
# Where numbers start; a sentence with none (most) is spared every form.
_NUMBER_START = re.compile(
    rf"[0-9]+|\b(?:{_any_of([*_ONES, *_TEENS, *_TENS, *_ORDINALS])}|an?\s+hundred)\b", re.I
)
_A_PERIOD = re.compile(r"\ban?\s+(?:year|month|week)", re.I)  # "less than a year"


def _number(text: str) -> float:
    """'150', '1,200', '2.5', 'twenty-five', 'a hundred and fifty', 'two and a half' -> float."""
    words = text.lower().replace(",", "").strip()
    half = 0.5 if words.endswith("and a half") else 0.0
    words = words.removesuffix("and a half").strip()
    if words[:1].isdigit():
        return float(words) + half
    total = 0.0
    for word in re.split(r"[\s-]+", words):
        total = max(total, 1.0) * 100 if word == "hundred" else total + _WORD_VALUES.get(word, 0)
    return total + half


def _ordinal(text: str) -> int:
    """'fourth', '4th' or '4' -> 4."""
    word = text.lower()
    return _ORDINALS[word] if word in _ORDINALS else int(word.rstrip("stndrh"))


# ---- units ----

_PEOPLE = (
    r"members?\s+of\s+staff|people|persons?|employees?|staff|workers?|redundanc(?:y|ies)|dismissals?|"
    r"posts?|jobs?|roles?|colleagues?|positions?|managers?"
)
_UNIT_WORDS = rf"{_PEOPLE}|years?|yrs?|months?|mths?|weeks?|wks?|days?|hours?|hrs?"
_UNIT_ADJECTIVES = (
    r"(?:(?:proposed|affected|complete|completed|full|whole|continuous|reckonable|qualifying|nhs|"
    r"calendar|working|consecutive|clear|more|other|further)\s+){0,2}"
)
_SERVICE_TAIL = r"\s*(?:of\s+)?(?:(?:continuous|reckonable|nhs|qualifying|local)\s+)*(?:service|employment)\b"
_PER_WEEK = re.compile(r"\s*(?:(?:a|per|each|every|in\s+a)\s+|-)?week\b", re.I)
_IS_SERVICE = re.compile(rf"(?:['’]s?)?{_SERVICE_TAIL}", re.I)
_IS_PEOPLE = re.compile(rf"(?:{_PEOPLE})", re.I)
_TO_YEARS = {"months": 12.0, "weeks": 52.0}


def _unit_group(name: str) -> str:
    """A unit word after a number: "years'", "proposed redundancies", "calendar days"."""
    return rf"(?:[\s-]*{_UNIT_ADJECTIVES}(?P<{name}>{_UNIT_WORDS})(?:['’]s?)?(?!\w)(?:\s+(?:a|per|each)\s+week\b)?)"


def _unit_of(word: str) -> Unit | None:
    """A unit word or table heading -> its unit: 'years'' -> years, 'Age' -> age, 'staff' -> people."""
    word = word.lower()
    for prefixes, unit in _UNIT_PREFIXES:
        if word.startswith(prefixes):
            return unit
    return "people" if _IS_PEOPLE.fullmatch(word) or word == "headcount" else None


_UNIT_PREFIXES: tuple[tuple[tuple[str, ...], Unit], ...] = (
    (("year", "yr", "service", "employment"), "years"),
    (("month", "mth"), "months"),
    (("week", "wk"), "weeks"),
    (("day",), "days"),
    (("hour", "hr"), "hours"),
    (("age",), "age"),
)


def _unit_in_context(word: str, after: str) -> tuple[Unit | None, float]:
    """The unit of a unit word, read with the text after it; and the divisor to that unit.
    "3 days a week" -> days_per_week; "18 months' service" -> years (divide by 12)."""
    unit = _unit_of(word)
    if unit == "days" and _PER_WEEK.match(after):
        return "days_per_week", 1.0
    if unit in _TO_YEARS and _IS_SERVICE.match(after):
        return "years", _TO_YEARS[unit]
    return unit, 1.0


_T = TypeVar("_T")


def _non_overlapping(found: list[tuple[int, int, _T]]) -> Iterator[_T]:
    """Earliest first, longest first at the same start: "no more than 20" beats "more than 20"."""
    end = -1
    for start, stop, item in sorted(found, key=lambda f: (f[0], -f[1])):
        if start >= end:
            end = stop
            yield item


# ---- the ranges a sentence states ----

_U1, _U2 = _unit_group("u1"), _unit_group("u2")
_ORDINAL_YEARS = rf"(?P<a>{_ORDINAL})(?:\s*(?:,|and|to|or|-|–)\s*(?:the\s+)?(?P<b>{_ORDINAL}))?\s+years?\b(?P<post>{_SERVICE_TAIL})?"
_OWNER = r"(?:the|your|their|his|her|my|an?\s+employee['’]s)"


@dataclass(frozen=True)
class _Form:
    """One way of stating a range. shape: span [a, b] | from [a, inf) | above (a, inf) |
    below [.., a) | upto [.., a] | cap [.., a] capped | ordinal years [a-1, b) | first [0, a).
    bare: a number-first form ("20 to 99", "100 or more") whose unit a unitless twin may borrow.
    number_first: tried only where a number starts (scanning every position is most of the cost)."""

    regex: re.Pattern[str]
    shape: str
    unit: Unit | None = None
    bare: bool = False
    number_first: bool = False


def _form(pattern: str, shape: str, unit: Unit | None = None, bare: bool = False) -> _Form:
    return _Form(re.compile(pattern, re.I), shape, unit, bare, number_first=pattern.startswith("(?P<a>"))


_SENTENCE_FORMS = (
    _form(rf"\bbetween\s+(?P<a>{_NUM}){_U1}?\s+and\s+(?P<b>{_NUM_CORE}){_U2}?", "span", bare=True),
    _form(rf"(?P<a>{_NUM}){_U1}?\s*(?:-|–|—|to)\s*(?P<b>{_NUM_CORE}){_U2}?", "span", bare=True),
    _form(
        rf"(?P<a>{_NUM}){_U1}?(?:{_SERVICE_TAIL})?\s+(?:or|and)\s+(?:more|over|above|upwards|older|greater)\b{_U2}?",
        "from",
        bare=True,
    ),
    _form(rf"(?P<a>{_NUM}){_U1}?\s+or\s+(?:less|fewer|under|below)\b{_U2}?", "upto", bare=True),
    _form(rf"(?P<a>{_DIGITS})\+{_U1}?", "from", bare=True),
    _form(
        rf"\b(?:at\s+least|(?:a\s+)?minimum\s+of|(?:no|not)\s+(?:less|fewer)\s+than)\s+(?P<a>{_NUM_OR_A}){_U1}?",
        "from",
    ),
    _form(rf"\bafter\s+(?P<a>{_NUM_OR_A}){_U1}", "from"),  # unit required: "after 6 April" is a date
    _form(
        rf"(?<!carry\s)(?<!carried\s)\b(?:(?:more|longer|greater)\s+than|over|above|exceeding|in\s+excess\s+of)\s+(?P<a>{_NUM_OR_A}){_U1}?",
        "above",
    ),
    _form(rf"\b(?:(?:fewer|less|shorter)\s+than|under|below)\s+(?P<a>{_NUM_OR_A}){_U1}?", "below"),
    _form(
        rf"\b(?:up\s+to(?:\s+a\s+maximum\s+of)?|(?:a\s+)?maximum\s+of|(?:no|not)\s+more\s+than|at\s+most|capped\s+at|limited\s+to)\s+(?P<a>{_NUM_OR_A}){_U1}?",
        "cap",
    ),
    _form(rf"\b(?:(?:no|not)\s+longer\s+than|not\s+exceeding)\s+(?P<a>{_NUM_OR_A}){_U1}?", "upto"),
    _form(
        rf"(?P<pre>\b(?:during|in|within|for|throughout)\s+{_OWNER}\s+){_ORDINAL_YEARS}", "ordinal", "years"
    ),
    _form(_ORDINAL_YEARS, "ordinal", "years"),  # "Service: fourth and fifth years"
    _form(
        r"\byears?\s+(?P<pre>)(?P<a>[0-9]{1,2})(?:\s*(?:and|to|-|–)\s*(?P<b>[0-9]{1,2}))?\b(?!\s*(?:months?|weeks?|days?|[0-9]))",
        "ordinal",
        "years",
    ),  # "Year 1", "years 4 and 5" (a table's service bands)
    _form(rf"\b(?:during|in|within|for)\s+{_OWNER}\s+first\s+(?P<a>{_NUM})\s+years?\b", "first", "years"),
    _form(
        rf"\bage[ds]?\s+(?:of\s+)?(?P<a>{_NUM})(?:\s*years?)?\s+(?:or|and)\s+(?:over|above|more|older)\b",
        "from",
        "age",
    ),
    _form(
        rf"\bage[ds]?\s+(?:of\s+)?(?:between\s+|from\s+)?(?P<a>{_NUM})\s*(?:-|–|to|and)\s*(?P<b>{_NUM_CORE})",
        "span",
        "age",
    ),
    _form(
        rf"\b(?:under|below|less\s+than|younger\s+than)\s+(?:the\s+)?age\s+(?:of\s+)?(?P<a>{_NUM})",
        "below",
        "age",
    ),
    _form(
        rf"\b(?:over|above|older\s+than|more\s+than)\s+(?:the\s+)?age\s+(?:of\s+)?(?P<a>{_NUM})",
        "above",
        "age",
    ),
)
_CLAUSE_END = re.compile(r"\s*(?:$|[.,;:)|])")
_HEADING_BEFORE = re.compile(r"(?:\b(age[ds]?)\s*:?|\b(\w+)\s*:)\s*$", re.I)


@dataclass(frozen=True)
class _Found:
    """A range found in a sentence, its unit still unknown (None) when the text gave none."""

    start: int
    end: int
    bounds: tuple[float | None, float | None, bool, bool, bool]  # low, high, cap, high_excl, low_excl
    unit: Unit | None
    bare: bool


def _bounds(shape: str, a: float, b: float | None) -> tuple[float | None, float | None, bool, bool, bool]:
    """(low, high, cap, high_exclusive, low_exclusive) of a form's shape."""
    if shape == "span":
        high = a if b is None else b
        return min(a, high), max(a, high), False, False, False
    if shape == "ordinal":
        return a - 1, (a if b is None else b), False, True, False
    return {
        "from": (a, None, False, False, False),
        "above": (a, None, False, False, True),
        "below": (None, a, False, True, False),
        "upto": (None, a, False, False, False),
        "cap": (None, a, True, False, False),
        "first": (0.0, a, False, True, False),
    }[shape]


def _found(form: _Form, m: re.Match[str], sentence: str) -> _Found | None:
    if not _plausible(form, m, sentence):
        return None
    groups = m.groupdict()
    read = _ordinal if form.shape == "ordinal" else _number
    a, b = float(read(groups["a"])), (float(read(groups["b"])) if groups.get("b") else None)
    unit, divisor = form.unit, 1.0
    if unit is None and (name := "u1" if groups.get("u1") else "u2" if groups.get("u2") else None):
        unit, divisor = _unit_in_context(groups[name], sentence[m.end(name) :])
    low, high, cap, high_excl, low_excl = _bounds(form.shape, a, b)
    scaled = (None if low is None else low / divisor, None if high is None else high / divisor)
    return _Found(m.start(), m.end(), (*scaled, cap, high_excl, low_excl), unit, form.bare)


def _plausible(form: _Form, m: re.Match[str], sentence: str) -> bool:
    """Drop look-alikes: "the first year" of a child's life, "from two years to six months" (a
    change, not a range), "40 staff - 10 per cent"."""
    groups = m.groupdict()
    if form.shape in ("ordinal", "first"):
        return bool(
            groups.get("post")
            or _OWNER_WORD.search(groups.get("pre") or "")
            or _SERVICE_WORD.search(sentence)
        )
    if form.shape == "span" and form.unit is None:
        u1, u2 = groups.get("u1"), groups.get("u2")
        if u1 and not (u2 and _unit_of(u1) == _unit_of(u2)):
            return False
        return not _FROM_BEFORE.search(sentence, 0, m.start())
    return True


_OWNER_WORD = re.compile(r"\b(?:your|their|his|her|my|employee['’]s)\b", re.I)
_SERVICE_WORD = re.compile(r"\b(?:service|employment|employed|in\s+post)\b", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)


def _unit_for_unitless(found: _Found, typed: list[_Found], sentence: str) -> Unit | None:
    """A range with no unit word takes one from a table heading before it ("Age: under 22"), or,
    ending a clause, from the nearest number-first range with a unit ("for 20 to 99 redundancies,
    and ... for 100 or more.")."""
    heading = _HEADING_BEFORE.search(sentence, 0, found.start)
    if heading:
        unit = _unit_of(heading.group(1) or heading.group(2))
        if unit:
            return unit
    if not (found.bare and _CLAUSE_END.match(sentence, found.end)):
        return None
    donors = [t for t in typed if t.bare]
    donors.sort(key=lambda t: (t.start > found.start, abs(t.start - found.start)))
    return donors[0].unit if donors else None


def _matches(sentence: str) -> Iterator[tuple[_Form, re.Match[str]]]:
    starts = [m.start() for m in _NUMBER_START.finditer(sentence)]
    if not starts and not _A_PERIOD.search(sentence):
        return
    for form in _SENTENCE_FORMS:
        if form.number_first:
            yield from ((form, m) for at in starts if (m := form.regex.match(sentence, at)))
        else:
            yield from ((form, m) for m in form.regex.finditer(sentence))


@lru_cache(maxsize=4096)
def _ranges(sentence: str) -> tuple[Range, ...]:
    candidates = (_found(form, m, sentence) for form, m in _matches(sentence))
    found = list(_non_overlapping([(f.start, f.end, f) for f in candidates if f]))
    typed = [f for f in found if f.unit]
    out = []
    for f in found:
        unit = f.unit or _unit_for_unitless(f, typed, sentence)
        if unit:
            low, high, cap, high_excl, low_excl = f.bounds
            out.append(Range(low, high, unit, cap, high_excl, low_excl))
    return tuple(out)


def sentence_ranges(sentence: str) -> list[Range]:
    """The ranges a sentence states, in reading order.
    "For 100 or more proposed redundancies, ... at least 45 days before ..." ->
    [Range(100, None, "people"), Range(45, None, "days")]."""
    return list(_ranges(sentence))


# ---- the member's numbers ----

_MOD = (
    r"(?:(?<!carry\s)(?<!carried\s)(?<!carrying\s)(?P<mod>just\s+over|just\s+under|more\s+than|less\s+than|fewer\s+than|over|under|almost|nearly|"
    r"at\s+least|about|around|approximately|roughly)\s+)?"
)
_ROUGHLY = r"(?:-?ish\b|-?odd\b|\+)?"  # "140ish roles", "60-odd staff", "100+ people"
_PEOPLE_FILLER = r"(?:(?:other|more|of|our|my|the|proposed|affected|nhs|senior|permanent|clinical|admin|full[\s-]time|part[\s-]time)\s+){0,2}"
_SERVICE_BEFORE = re.compile(
    r"\b(?:worked|employed|been\s+(?:there|here|with|at|employed|working|in\s+(?:post|(?:the\s+)?nhs|(?:the|my|this)\s+(?:new\s+)?(?:job|role|post)))|service\s+of|"
    r"(?:let\s+go|dismissed|sacked|fired|made\s+redundant)\s+after)\b[^.?!]*$",
    re.I,
)
_SERVICE_AFTER = re.compile(
    rf"{_SERVICE_TAIL}|\s+(?:in\s+(?:post|(?:the|my|this)\s+(?:job|role|post))|there|here|with\s+(?:the|my|this|our)\b)",
    re.I,
)


@dataclass(frozen=True)
class _Ask:
    """One way a member states a number. kind: a Unit, or "duration" (years, months, weeks, days:
    read from the unit word), "wte" (0.6 whole-time equivalent = 3 days a week), "ordinal_year"."""

    regex: re.Pattern[str]
    kind: str


def _ask(pattern: str, kind: str) -> _Ask:
    return _Ask(re.compile(pattern, re.I), kind)


_QUESTION_FORMS = (
    _ask(
        rf"\b(?:i['’]?m|i\s+am)\s+{_MOD}(?P<a>{_NUM})(?:(?:\s*(?:years?|yrs?)(?:\s+old|\s+of\s+age))|"
        r"(?=\s*(?:$|[.,;:!?)]|and\b|with\b|but\b|so\b|now\b|next\b|this\b|in\b)))",
        "age",
    ),
    _ask(rf"{_MOD}(?P<a>{_NUM})[\s-]*(?:years?|yrs?)[\s-]*old\b", "age"),
    _ask(rf"\bage[d]?\s+(?:of\s+)?{_MOD}(?P<a>{_NUM})\b", "age"),
    _ask(rf"{_MOD}(?P<a>{_NUM}){_ROUGHLY}\s+{_PEOPLE_FILLER}(?:{_PEOPLE})\b", "people"),
    _ask(rf"{_MOD}(?P<a>{_NUM}){_ROUGHLY}\s+of\s+us\b", "people"),
    _ask(rf"\bmaking\s+{_MOD}(?P<a>{_NUM})\s+(?:of\s+us\s+)?redundant\b", "people"),
    _ask(
        rf"{_MOD}(?P<a>{_NUM})[\s-]*days?(?:(?:\s*/\s*|\s+(?:a|per|each|every|in\s+a)\s+|[\s-]+)(?:week|wk)|\s+pw)\b",
        "days_per_week",
    ),
    _ask(r"(?<![\w.])(?P<a>0?\.[0-9]+|1(?:\.0+)?)\s*(?:wte|fte)\b", "wte"),
    _ask(r"\bpart[\s-]?time\s*\(?\s*(?P<a>0?\.[0-9]+)(?![0-9])", "wte"),
    _ask(rf"{_MOD}(?P<a>{_NUM})\s*(?:hours?|hrs?)\b", "hours"),
    _ask(
        rf"{_MOD}(?P<a>{_NUM}){_ROUGHLY}[\s-]*(?P<u>years?|yrs?|months?|mths?|weeks?|wks?|days?)(?:['’]s?)?(?!\w)"
        rf"(?:\s+and\s+(?P<b>{_NUM_CORE})\s*(?:months?|mths?)\b)?(?!\s+ago\b)(?![\s-]*old\b)",
        "duration",
    ),
    _ask(rf"\b(?:{_MOD.removesuffix('?')}|for\s+|after\s+)(?P<a>an?)\s+(?P<u>year|month)\b", "duration"),
    _ask(rf"\b(?:in|into|during)\s+(?:my|the|our)\s+(?P<a>{_ORDINAL})\s+year\b", "ordinal_year"),
)
_UP = ("just over", "more than", "over")
_DOWN = ("just under", "less than", "fewer than", "under", "almost", "nearly")
_PLAUSIBLE: dict[Unit, tuple[float, float]] = {
    "people": (2, 1e6), "age": (16, 100), "years": (0, 60), "days_per_week": (0.1, 7),
    "hours": (0.1, 168), "days": (0.1, 1e4), "weeks": (0.1, 1e3), "months": (0.1, 1e3),
}  # fmt: skip


def _nudged(value: float, unit: Unit, mod: str | None) -> float:
    """'over 100 people' -> 101; 'almost 2 years' -> 1.5: a value inside what the member said."""
    step = 1.0 if unit in ("people", "age") else 0.5
    words = " ".join((mod or "").lower().split())
    return value + step if words in _UP else value - step if words in _DOWN else value


def _duration(m: re.Match[str], text: str) -> tuple[float, Unit]:
    """'4 years' -> (4, years); '3 years and 6 months' -> (3.5, years); '18 months' after
    'been there' -> (1.5, years); '6 weeks' off sick -> (6, weeks)."""
    value, word = _number(m.group("a")), m.group("u").lower()
    unit = _unit_of(word) or "days"
    if unit == "years":
        return value + (_number(m.group("b")) / 12 if m.groupdict().get("b") else 0.0), "years"
    service = _SERVICE_AFTER.match(text, m.end("u")) or _SERVICE_BEFORE.search(text, 0, m.start())
    if unit in _TO_YEARS and service:
        return value / _TO_YEARS[unit], "years"
    return value, unit


def _quantity(ask: _Ask, m: re.Match[str], text: str) -> Quantity | None:
    if ask.kind == "ordinal_year":
        return Quantity(float(_ordinal(m.group("a"))), "years", completed=False)
    if ask.kind == "wte":
        return Quantity(round(_number(m.group("a")) * 5, 2), "days_per_week")
    value, unit = (
        _duration(m, text) if ask.kind == "duration" else (_number(m.group("a")), _as_unit(ask.kind))
    )
    value = _nudged(value, unit, m.groupdict().get("mod"))
    low, high = _PLAUSIBLE[unit]
    return Quantity(value, unit) if low <= value <= high else None


def _as_unit(kind: str) -> Unit:
    if kind not in _PLAUSIBLE:
        raise ValueError(f"not a unit: {kind}")
    return cast(Unit, kind)


def question_quantities(text: str) -> list[Quantity]:
    """The member's numbers with their units, in reading order.
    "I'm 58 with 25 years' service and they're making 120 people redundant" ->
    [Quantity(58, "age"), Quantity(25, "years"), Quantity(120, "people")]."""
    found = [
        (m.start(), m.end(), q)
        for a in _QUESTION_FORMS
        for m in a.regex.finditer(text)
        if (q := _quantity(a, m, text))
    ]
    return list(_non_overlapping(found))


# ---- the score ----


def _comparable(q: Quantity) -> float:
    """'In my 4th year' is 3 completed years and part of a fourth: 3.5."""
    return q.value if q.completed else q.value - 0.5


def _verdict(q: Quantity, ranges: tuple[Range, ...]) -> bool | None:
    """True: a range in q's unit holds it; False: all exclude it; None: none in its unit."""
    same = [r for r in ranges if r.unit == q.unit]
    return any(r.holds(_comparable(q)) for r in same) if same else None


# The member's situation (how many people, service, age, working pattern) outweighs a period they
# mention, which is often a claim about the rule ("they said 30 days' consultation is enough").
_WEIGHT: dict[Unit, int] = {"people": 2, "years": 2, "age": 2, "days_per_week": 2, "hours": 2}


def fit(quantities: list[Quantity], sentence: str) -> float:
    """+1 when a range of the sentence in a quantity's unit holds it, -1 when the sentence's ranges in
    that unit all exclude it, 0 when the sentence states no range in any of the question's units
    (or the question gives no numbers). Several quantities vote, situation units (people, years,
    age, days a week, hours) twice as much as periods (days, weeks, months); a tie is 0."""
    ranges = _ranges(sentence) if quantities else ()
    return _score([(q, _verdict(q, ranges)) for q in quantities])


def fits(quantities: list[Quantity], sentences: list[str]) -> list[float]:
    """`fit` for each candidate sentence, judged together: a sentence that excludes the member's
    number counts against it only when another candidate holds that number. "20 or more
    redundancies" still answers "12 of us" (the duty does not apply: 0, not -1); beside "100 or
    more" it is the wrong rule for "120 people" (-1). Never lower than `fit` alone."""
    ranges = [_ranges(s) for s in sentences] if quantities else [() for _ in sentences]
    held = {q: any(_verdict(q, r) for r in ranges) for q in quantities}
    return [
        _score([(q, v if v or held[q] else None) for q in quantities if (v := _verdict(q, r)) is not None])
        for r in ranges
    ]


def _score(votes: list[tuple[Quantity, bool | None]]) -> float:
    total = sum(_WEIGHT.get(q.unit, 1) * (1 if held else -1) for q, held in votes if held is not None)
    return 1.0 if total > 0 else -1.0 if total < 0 else 0.0


__all__ = ["Quantity", "Range", "Unit", "fit", "fits", "question_quantities", "sentence_ranges"]
