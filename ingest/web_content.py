"""A saved web page's own content, in reading order, without the site's furniture.

Which text is content is trafilatura's call (a maintained main-content extractor: skip links, cookie
banners, breadcrumbs, menus, "Is this page useful? Yes / No", feedback forms, "View a printable
version" and footers all go). The structure is ours: we walk the page ourselves, so headings keep
their sections even where trafilatura flattens a page without a <main> or <article>, and we keep each
block of our walk that trafilatura kept too. A heading stays when trafilatura kept it or when the
block right under it is kept (a heading whose text was all furniture goes with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ingest.cleanup import is_page_control
from ingest.tables import row_sentence, split_header

_NOT_TEXT = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]
_SECTION_HEADINGS = {"h1", "h2", "h3"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd",
    "figure", "figcaption", "h4", "h5", "h6", "address", "hr", "header", "footer", "nav", "aside",
    "form", "fieldset", "details", "summary", "caption", "table", "tbody", "thead", "tr", "td", "th",
}  # fmt: skip  # a table holding headings or tables is page layout: its cells read as blocks
_ITEMS = {"li"}
_FRAME = ["nav", "header", "footer", "aside", "form", "menu"]  # HTML's own names for a page's frame
_UNIT_TAGS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "pre",
              "code", "caption", "figcaption", "quote", "div", "body"]  # fmt: skip
_SUBSTRING_MIN_WORDS = 3  # a shorter block must be a whole unit of the extracted text


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item or table row, as a reader meets it."""

    kind: Literal["heading", "text", "row"]
    text: str
    list_item: bool = False
    cells: tuple[str, ...] = ()  # a table row's cells, how trafilatura's output is matched
    in_frame: bool = False  # inside the page's nav, header, footer, aside or a form


def main_content(raw: str) -> list[Block]:
    """The page's content blocks in order. Raises RecursionError on absurdly nested HTML."""
    units = _extracted_units(raw)
    if not units:
        return []
    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup.find_all(_NOT_TEXT):
        if not tag.decomposed:
            tag.decompose()
    walked: list[Block] = []
    _walk(soup.body or soup, walked)
    return _kept(walked, units)


def _extracted_units(raw: str) -> set[str]:
    """The text trafilatura keeps as content, one entry per paragraph, item, cell or line."""
    import trafilatura

    extracted = trafilatura.extract(
        raw,
        output_format="html",
        include_tables=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        favor_precision=True,
        fast=True,  # no fallback extractors: on a page of menus they return the menus
    )
    if not extracted:
        return set()
    soup = BeautifulSoup(extracted, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    units: set[str] = set()
    for tag in soup.find_all(_UNIT_TAGS):
        units.update(_squash(line) for line in tag.get_text(" ").split("\n"))
        units.add(_squash(tag.get_text(" ")))
    units.discard("")
    return units


def _kept(walked: list[Block], units: set[str]) -> list[Block]:
    joined = "\n".join(sorted(units, key=len, reverse=True))
    keep = [_is_content(block, units, joined) for block in walked]
    _keep_lists_under_content(walked, keep)
    for i, block in enumerate(walked):
        if block.kind == "heading" and not keep[i]:
            keep[i] = i + 1 < len(walked) and walked[i + 1].kind != "heading" and keep[i + 1]
    return [block for block, kept in zip(walked, keep, strict=True) if kept]


def _keep_lists_under_content(walked: list[Block], keep: list[bool]) -> None:
    """On a page without <main> or <article>, trafilatura keeps paragraphs but drops lists: a list
    right under kept content is content too, unless it sits in the page's frame (nav, header...)."""
    under_content = False
    for i, block in enumerate(walked):
        if not block.list_item:
            under_content = keep[i]
        elif under_content and not block.in_frame and not is_page_control(block.text):
            keep[i] = True


def _is_content(block: Block, units: set[str], joined: str) -> bool:
    # trafilatura drops widgets that look like widgets (a form, buttons); a bare paragraph saying
    # "Report a problem with this page" can slip through.
    if is_page_control(block.text):
        return False
    if block.kind == "row":
        return any(cell in units for cell in block.cells if cell)
    if block.text in units:
        return True
    return block.kind == "text" and len(block.text.split()) >= _SUBSTRING_MIN_WORDS and block.text in joined


# --- our own walk: headings, paragraphs, list items and table rows -------------------------------------


def _walk(node: Tag, out: list[Block], line: list[str] | None = None) -> None:
    """Inline text runs into one line; block elements and headings end it."""
    owns_line = line is None
    line = [] if line is None else line
    for child in node.children:
        if isinstance(child, Tag):
            _visit(child, node, out, line)
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            line.append(str(child))  # PreformattedString: comments, doctype, CDATA
    if owns_line:
        _flush(line, out, node)


def _visit(tag: Tag, parent: Tag, out: list[Block], line: list[str]) -> None:
    if tag.name in _SECTION_HEADINGS:
        _flush(line, out, parent)
        if text := _squash(tag.get_text(" ")):
            out.append(Block("heading", text))
    elif tag.name == "br":
        _flush(line, out, parent)
    elif tag.name == "table" and not tag.find(["table", "h1", "h2", "h3"]):
        _flush(line, out, parent)
        out.extend(_table(tag))
    elif tag.name in _BLOCKS or tag.name in _ITEMS:
        _flush(line, out, parent)
        _walk(tag, out)
    else:
        _walk(tag, out, line)


def _flush(line: list[str], out: list[Block], node: Tag) -> None:
    if text := _squash("".join(line)):
        framed = node.name in _ITEMS and node.find_parent(_FRAME) is not None
        out.append(Block("text", text, list_item=node.name in _ITEMS, in_frame=framed))
    line.clear()


def _table(table: Tag) -> list[Block]:
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [[_squash(c.get_text(" ")) for c in row.find_all(["td", "th"], recursive=False)] for row in rows]
    first = rows[0].find_all(["td", "th"], recursive=False) if rows else []
    headed = bool(first) and all(cell.name == "th" for cell in first)
    headers, body = split_header(cells, header=True if headed else None)
    return [Block("row", s, cells=tuple(row)) for row in body if (s := row_sentence(row, headers))]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
