"""Sentence splitting that knows legal and NHS writing: 's.188', 'e.g.', 'Whiffen v Milham Ford'."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "cf",
        "vs",
        "v",
        "no",
        "nos",
        "para",
        "paras",
        "reg",
        "regs",
        "s",
        "ss",
        "sec",
        "art",
        "arts",
        "p",
        "pp",
        "para",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "co",
        "ltd",
        "plc",
        "inc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "min",
        "max",
        "ch",
        "sch",
    ]
)
# A sentence ends at . ! ? (optionally closed by quotes or brackets) followed by space and a capital,
# a digit, a quote or a bullet.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•»\-*])")


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for line in _lines(text):
        sentences.extend(_split_line(line))
    return [s for s in sentences if s]


def _lines(text: str) -> list[str]:
    # Paragraphs and list items are always boundaries; soft line wraps inside a paragraph are not.
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*•»]|\d+[.)])\s)", text)
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        candidate = line[start : match.start()].strip()
        if _ends_with_abbreviation(candidate):
            continue
        out.append(candidate)
        start = match.end()
    out.append(line[start:].strip())
    return out


def _ends_with_abbreviation(text: str) -> bool:
    last = text.rsplit(None, 1)[-1].lower().rstrip(".") if text else ""
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())
