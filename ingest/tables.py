"""Table rows as sentences a member can be quoted: each row keeps its column headers.

    | Service   | Sick pay                                     |
    | 3-5 years | five months' full pay + five months' half pay |
    -> "Service: 3-5 years; Sick pay: five months' full pay + five months' half pay."

One row is one sentence: the sentence splitter never cuts it (a cell's own sentences are joined
with commas), so a row can be found, quoted and cited on its own. Markdown, HTML and Word tables all
come through here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.sentences import split_sentences

_MAX_HEADER_WORDS = 6


def table_sentences(rows: Sequence[Sequence[str]], header: bool | None = None) -> list[str]:
    """One sentence per body row. `header`: whether the first row is the header row (a Markdown
    delimiter line, HTML <th> cells, a Word heading row); None: judge by its text (looks_like_header)."""
    headers, body = split_header(rows, header)
    return [sentence for row in body if (sentence := row_sentence(row, headers))]


def split_header(
    rows: Sequence[Sequence[str]], header: bool | None = None
) -> tuple[list[str] | None, list[list[str]]]:
    """(column headers or None, body rows), cells tidied and empty rows dropped; `header` as above."""
    tidy = [[_cell(c) for c in row] for row in rows]
    tidy = [row for row in tidy if any(row)]
    if header is None:
        header = len(tidy) > 1 and looks_like_header(tidy[0])
    return (tidy[0], tidy[1:]) if header and tidy else (None, tidy)


def row_sentence(cells: Sequence[str], headers: Sequence[str] | None = None) -> str:
    """'Header: cell; Header: cell.' (or 'cell; cell.' without headers); empty cells are left out."""
    names = list(headers or [])
    names += [""] * (len(cells) - len(names))
    pairs: list[str] = []
    for name, cell in zip(names, cells, strict=False):
        pair = f"{name}: {cell}" if name and name != cell else cell
        if cell and (not pairs or pairs[-1] != pair):  # a merged cell repeats in every column it spans
            pairs.append(pair)
    if not pairs:
        return ""
    text = "; ".join(pairs)
    return text if text[-1] in ".!?" else text + "."


def looks_like_header(cells: Sequence[str]) -> bool:
    """Column labels: every cell short and free of figures ("Service", "Sick pay"), unlike a data row
    ("Band 8a", "27 days")."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(
        len(c.split()) <= _MAX_HEADER_WORDS and not re.search(r"\d", c) and c[-1] not in ".!?" for c in filled
    )


def _cell(text: str) -> str:
    # A cell's own sentences joined with commas: a row must stay one sentence.
    text = " ".join(text.split()).strip(" |")
    pieces = split_sentences(text)
    if len(pieces) > 1:
        text = ", ".join(p.rstrip(".") for p in pieces[:-1]) + ", " + pieces[-1]
    return text.rstrip(".;:")
