"""Members' words for the knowledge base's legal ideas (knowledge/lexicon.yaml): one list that search
and escalation both read, so a phrase searched as dismissal is also handed over as one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
HandOver = Literal["high_stakes", "urgent"]


class LexiconError(ValueError):
    """The lexicon file is missing or malformed; the message names the file and the concept."""


@dataclass(frozen=True)
class Concept:
    name: str
    words: re.Pattern[str]  # any of the members' phrasings, whole words, case-insensitive
    means: str  # the knowledge base's words for it, added to the keyword search
    hand_over: HandOver | None = None  # when it happens to the member
    context: re.Pattern[str] | None = None  # what else the message must say for a hand-over
    hand_over_examples: tuple[str, ...] = ()
    answer_examples: tuple[str, ...] = ()
    outside: bool = False  # a subject MiP's guidance is not for (housing, investments, the weather)

    def used_in(self, text: str) -> bool:
        return bool(self.words.search(text))

    def spoken_of_in(self, text: str) -> bool:
        """The text speaks of this concept, in members' words or the knowledge base's."""
        lowered = text.lower()
        return self.used_in(text) or any(
            re.search(rf"\b{re.escape(w)}", lowered) for w in self.means.lower().split() if len(w) > 3
        )


def load_lexicon(path: Path = LEXICON_FILE) -> list[Concept]:
    """Raises LexiconError when the file cannot be read or a concept is malformed."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"cannot read the lexicon {path}: {error}") from error
    if not isinstance(entries, list):
        raise LexiconError(f"{path} must be a YAML list of concepts")
    return [_concept(entry, path) for entry in entries]


@cache
def default_lexicon() -> list[Concept]:
    return load_lexicon()


def _concept(entry: object, path: Path) -> Concept:
    name = entry.get("concept", "?") if isinstance(entry, dict) else "?"
    try:
        assert isinstance(entry, dict) and entry.get("words") and entry.get("means")
        examples = entry.get("examples") or {}
        return Concept(
            name=str(name),
            words=_alternation(entry["words"]),
            means=str(entry["means"]),
            hand_over=entry.get("hand_over"),
            context=_alternation(entry["with"]) if entry.get("with") else None,
            hand_over_examples=tuple(examples.get("hand_over") or ()),
            answer_examples=tuple(examples.get("answer") or ()),
            outside=entry.get("scope") == "outside",
        )
    except (AssertionError, AttributeError, TypeError, re.error) as error:
        raise LexiconError(f"{path}: concept {name!r} needs words and means, as valid patterns ({error})") from error


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", re.I)
