"""Read one source file (Markdown, text, HTML, PDF, Word) into citable Documents.

Anything wrong with a file becomes a SkippedFile with a one-line reason, so one bad file never stops
an ingest run. Where a sources.yaml entry (SourceMeta) says something about a file, it wins over what
the file says about itself: the manifest is written by a person on purpose.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import get_args

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from pypdf import PdfReader

from ingest.sources import SourceMeta
from knowledge.passage import Document, Kind, Section
from knowledge.validity import DatesLineError, Validity, is_dates_line, parse_dates_line

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"})
MAX_FILE_BYTES = 50 * 1024 * 1024
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")  # cp1252: old Windows exports of Word documents
MAGAZINE_ISSUE = "magazine-issue"
_PLACEHOLDER_AUTHORS = {"python-docx", "microsoft office user", "unknown", "author"}

# sources.yaml describes files ("web-article"); passages need a Kind ("web").
_KIND_BY_FILE_KIND: dict[str, Kind] = {
    "web-article": "web",
    "news": "news",
    "meeting-notes": "minutes",
    "factsheet": "factsheet",
    "legal-eye": "legal-eye",
}


class SkippedFile(Exception):
    """A file that cannot be ingested, with a one-line reason a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_file(path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    """Read one file into Documents. Raises only SkippedFile, for any kind of bad input."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkippedFile(f"unsupported file type {suffix or '(no suffix)'}")
    data = _read_bytes(path)
    if not data.strip():
        raise SkippedFile("empty file")
    documents = [d for d in _LOADERS[suffix](data, path, source_id, meta) if d.sections]
    if not documents:
        raise SkippedFile("no text found")
    return documents


# --- reading bytes and text ---------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkippedFile(f"file too large ({size / 1024 / 1024:.0f} MB; the limit is 50 MB)")
        return path.read_bytes()
    except PermissionError as error:
        raise SkippedFile("cannot read: permission denied") from error
    except OSError as error:
        raise SkippedFile(f"cannot read: {(error.strerror or str(error)).lower()}") from error


def _decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows Notepad's "Unicode"
        return _decode_utf16(data)
    if b"\x00" in data:
        raise SkippedFile("binary file")
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
        return _checked_text(text)
    raise SkippedFile("not UTF-8 text")


def _decode_utf16(data: bytes) -> str:
    try:
        return _checked_text(data.decode("utf-16"))
    except UnicodeDecodeError as error:
        raise SkippedFile("not valid UTF-16 text") from error


def _checked_text(text: str) -> str:
    # Random bytes can decode as cp1252; real text has almost no control characters.
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(text) * 0.01:
        raise SkippedFile("binary file")
    if not text.strip():
        raise SkippedFile("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends


# --- metadata helpers ---------------------------------------------------------------------------------


def passage_kind(file_kind: str | None, default: Kind) -> Kind:
    """The passage kind for a file kind from sources.yaml or front matter; unknown kinds get the default."""
    if file_kind in get_args(Kind):
        return file_kind  # type: ignore[return-value]
    return _KIND_BY_FILE_KIND.get(file_kind or "", default)


def _as_text(value: object, separator: str = ", ") -> str | None:
    """Front matter values (lists, YAML dates, numbers) as plain text; blank means absent."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return separator.join(str(v).strip() for v in value if v is not None and str(v).strip()) or None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() or None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _prettify_stem(path: Path) -> str:
    words = re.sub(r"[-_\s]+", " ", path.stem).strip() or path.name
    return words[:1].upper() + words[1:]


def _first_line_title(text: str, limit: int = 100) -> str | None:
    line = next((line.strip() for line in text.splitlines() if line.strip()), None)
    if line is None or len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


# --- sections -----------------------------------------------------------------------------------------


class _SectionBuilder:
    """Collects headings and text blocks into Sections: paragraphs apart, list items line by line."""

    def __init__(self) -> None:
        self._sections: list[Section] = []
        self._heading: str | None = None
        self._validity: Validity | None = None
        self._blocks: list[tuple[str, bool]] = []  # (text, is_list_item)

    def heading(self, text: str) -> None:
        self._close()
        self._heading = _squash(text) or None
        self._validity = None

    def dates(self, validity: Validity) -> None:
        """The current section's rule applies on these dates (a factsheet's Dates line)."""
        self._validity = validity

    def block(self, text: str, list_item: bool = False) -> None:
        if text := _squash(text):
            self._blocks.append((text, list_item))

    def sections(self) -> list[Section]:
        self._close()
        return self._sections

    def _close(self) -> None:
        if self._blocks:
            self._sections.append(
                Section(heading=self._heading, text=_join_blocks(self._blocks), validity=self._validity)
            )
        self._blocks = []


def _squash(text: str) -> str:
    return " ".join(text.split())


def _join_blocks(blocks: list[tuple[str, bool]]) -> str:
    text = blocks[0][0]
    for (_, previous_is_item), (block, is_item) in zip(blocks, blocks[1:], strict=False):
        text += ("\n" if previous_is_item and is_item else "\n\n") + block
    return text


# --- Markdown -----------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+[.)]))\s+(.*)$")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
_MD_INLINE = [  # (pattern, replacement), applied in order
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)"), r"\1 (\2)"),  # web links: keep the address
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # local links: the address means nothing to a reader
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _load_markdown(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    front, body = _split_front_matter(_decode_text(data))
    builder = _SectionBuilder()
    first_h1 = None
    after_heading = False
    for kind, text in _markdown_blocks(body):
        if kind == "h1":
            first_h1 = first_h1 or _squash(text)
        if kind in ("h1", "heading"):
            builder.heading(text)
        elif kind == "dates":
            builder.dates(_dates(text, after_heading))
        else:
            builder.block(text, list_item=kind in ("item", "row"))
        after_heading = kind in ("h1", "heading")
    sections = builder.sections()
    if not sections:
        raise SkippedFile("no text after the front matter")
    return [_markdown_document(front, meta, path, source_id, first_h1, sections)]


def _dates(line: str, after_heading: bool) -> Validity:
    if not after_heading:  # quoted as text, it would read as a rule
        raise SkippedFile(f"'{line}' must be the first line under a ## heading")
    try:
        return parse_dates_line(line)
    except DatesLineError as error:  # a rule's dates misread could state a planned rule as law
        raise SkippedFile(str(error)) from error


def _markdown_document(
    front: dict, meta: SourceMeta | None, path: Path, source_id: str, h1: str | None, sections: list[Section]
) -> Document:
    meta = meta or SourceMeta(file=path.name)
    kind = passage_kind(meta.kind or _as_text(front.get("kind")), default="factsheet")
    default_publication = "MiP factsheet" if kind == "factsheet" else None
    return Document(
        source_id=source_id,
        kind=kind,
        title=_first(meta.title, _as_text(front.get("title")), h1) or _prettify_stem(path),
        publication=_first(meta.publication, _as_text(front.get("publication")), default_publication),
        date=_first(meta.date, _as_text(front.get("date")), _as_text(front.get("last_reviewed"))),
        author=_first(meta.author, _as_text(front.get("author"))),
        url=_first(meta.url, _as_text(front.get("url"))),
        extra=_factsheet_extra(front),
        sections=sections,
    )


def _factsheet_extra(front: dict) -> dict[str, str]:
    values = {
        "legislation": _as_text(front.get("legislation"), "; "),
        "last_reviewed": _as_text(front.get("last_reviewed")),
        "review_status": _as_text(front.get("review_status")),
        "topics": _as_text(front.get("topics")),
        "applies_to": _as_text(front.get("applies_to")),
    }
    return {key: value for key, value in values.items() if value}


def _split_front_matter(text: str) -> tuple[dict, str]:
    """YAML between a first line `---` and the next `---` (or `...`); without both, it is all body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return {}, text
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise SkippedFile(f"front matter is not valid YAML{where}") from error
    if not isinstance(front, dict):
        raise SkippedFile("front matter is not a list of `key: value` lines")
    return front, "\n".join(lines[end + 1 :])


def _markdown_blocks(body: str) -> Iterator[tuple[str, str]]:
    """("h1" | "heading" | "dates" | "paragraph" | "item" | "row", text): soft-wrapped lines joined,
    markup removed."""
    kind, lines = "paragraph", []
    for line in body.splitlines():
        line_kind, text = _markdown_line(line)
        if line_kind == "text":
            lines.append(text)
            continue
        if lines:
            yield kind, _markdown_inline(" ".join(lines))
        kind, lines = "paragraph", []
        if line_kind == "item":
            kind, lines = "item", [text]
        elif line_kind != "break":
            yield line_kind, _markdown_inline(text)
    if lines:
        yield kind, _markdown_inline(" ".join(lines))


def _markdown_line(line: str) -> tuple[str, str]:
    """What one line does: "break" a block, start an "item", continue with "text", or a whole block."""
    if not line.strip() or _MD_RULE.match(line) or _MD_TABLE_SEPARATOR.match(line):
        return "break", ""
    if heading := _MD_HEADING.match(line):
        return _heading_kind(heading), heading.group(2)
    if is_dates_line(line):  # its own block even without a blank line before the text
        return "dates", line.strip()
    if item := _MD_LIST_ITEM.match(line):
        return "item", f"{item.group(1)} {item.group(2)}" if item.group(1) else item.group(2)
    if line.lstrip().startswith("|"):  # a table row stays one line: "cell | cell"
        return "row", " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return "text", line.strip().removeprefix(">").strip()


def _heading_kind(heading: re.Match[str]) -> str:
    # Only #, ## and ### start sections; deeper headings read as a line of text.
    level = len(heading.group(1))
    return "h1" if level == 1 else "heading" if level <= 3 else "paragraph"


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text


# --- plain text ---------------------------------------------------------------------------------------


def _load_text(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    text = _decode_text(data)
    from ingest.cleanup import clean_single_article
    from ingest.magazine import looks_like_magazine_issue, split_issue

    if _is_magazine_issue(text, meta, looks_like_magazine_issue):
        return split_issue(text, source_id, meta)
    cleaned = clean_single_article(text, meta).strip()
    if not cleaned:
        raise SkippedFile("no text left after removing page furniture")
    meta = meta or SourceMeta(file=path.name)
    return [
        Document(
            source_id=source_id,
            kind=passage_kind(meta.kind, default="feature"),
            title=_first(meta.title, _first_line_title(cleaned)) or _prettify_stem(path),
            publication=meta.publication,
            date=meta.date,
            author=meta.author,
            url=meta.url,
            sections=[Section(text=cleaned)],
        )
    ]


def _is_magazine_issue(text: str, meta: SourceMeta | None, looks_like: Callable[[str], bool]) -> bool:
    # A manifest entry that gives a kind decides; without one, guess from the text.
    return meta.kind == MAGAZINE_ISSUE if meta and meta.kind else looks_like(text)


# --- HTML ---------------------------------------------------------------------------------------------

_HTML_DROP = ["script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg"]
_HTML_PAGE_FRAME = ["header", "footer"]  # site chrome, unless inside the article itself
_HTML_KEEP = {"html", "body", "main", "article"}  # never dropped for their class names
_HTML_BOILERPLATE_NAME = re.compile(r"^(nav|menu|footer|cookie|breadcrumb)", re.I)
_HTML_SECTION_HEADINGS = {"h1", "h2", "h3"}
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "table", "tr", "ul", "ol", "dl",
    "dt", "dd", "figure", "figcaption", "h4", "h5", "h6", "address", "hr",
}  # fmt: skip
_HTML_ITEMS = {"li", "tr"}
_HTML_CELLS = {"td", "th"}


def _load_html(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    soup = BeautifulSoup(_decode_text(data), "html.parser")
    meta = meta or SourceMeta(file=path.name)
    page_title = _html_title(soup)
    _drop_boilerplate(soup)
    builder = _SectionBuilder()
    try:
        _walk_html(soup.body or soup, builder)
    except RecursionError as error:
        raise SkippedFile("HTML is nested too deeply to read") from error
    return [
        Document(
            source_id=source_id,
            kind=passage_kind(meta.kind, default="web"),
            title=_first(meta.title, page_title) or _prettify_stem(path),
            publication=_first(meta.publication, _meta_content(soup, "property", "og:site_name")),
            date=_first(meta.date, _iso_date(_meta_content(soup, "property", "article:published_time"))),
            author=_first(meta.author, _meta_content(soup, "name", "author")),
            url=_first(meta.url, _canonical_url(soup)),
            sections=builder.sections(),
        )
    ]


def _html_title(soup: BeautifulSoup) -> str | None:
    for tag in (soup.title, soup.find("h1")):
        if isinstance(tag, Tag) and (text := _squash(tag.get_text(" "))):
            return text
    return None


def _drop_boilerplate(soup: BeautifulSoup) -> None:
    doomed = soup.find_all(_HTML_DROP) + [
        tag for tag in soup.find_all(_HTML_PAGE_FRAME) if not tag.find_parent(["article", "main"])
    ]
    doomed += [tag for tag in soup.find_all(True) if _is_named_boilerplate(tag)]
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _is_named_boilerplate(tag: Tag) -> bool:
    if tag.name in _HTML_KEEP:
        return False
    names = tag.get_attribute_list("class") + tag.get_attribute_list("id")
    words = (word for name in names for word in re.split(r"[-_\s]+", str(name)))
    return any(_HTML_BOILERPLATE_NAME.match(word) for word in words)


def _walk_html(node: Tag, builder: _SectionBuilder, line: list[str] | None = None) -> None:
    """Inline text runs into one line; block elements and headings end it."""
    owns_line = line is None
    line = [] if line is None else line
    for child in node.children:
        if isinstance(child, Tag):
            _visit_tag(child, node, builder, line)
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            line.append(str(child))  # PreformattedString: comments, doctype, CDATA
    if owns_line:
        _flush_line(line, builder, node)


def _visit_tag(tag: Tag, parent: Tag, builder: _SectionBuilder, line: list[str]) -> None:
    if tag.name in _HTML_SECTION_HEADINGS:
        _flush_line(line, builder, parent)
        builder.heading(tag.get_text(" "))
    elif tag.name == "br":
        _flush_line(line, builder, parent)
    elif tag.name in _HTML_BLOCKS or tag.name in _HTML_ITEMS:
        _flush_line(line, builder, parent)
        _walk_html(tag, builder)
    else:
        _walk_html(tag, builder, line)
        if tag.name in _HTML_CELLS:
            line.append(" | ")


def _flush_line(line: list[str], builder: _SectionBuilder, node: Tag) -> None:
    if line:
        builder.block("".join(line).strip(" |"), list_item=node.name in _HTML_ITEMS)
        line.clear()


def _meta_content(soup: BeautifulSoup, attribute: str, value: str) -> str | None:
    tag = soup.find("meta", attrs={attribute: value})
    if not isinstance(tag, Tag):
        return None
    return _squash(str(tag.get("content") or "")) or None


def _canonical_url(soup: BeautifulSoup) -> str | None:
    tag = soup.find("link", rel="canonical")
    if not isinstance(tag, Tag):
        return None
    return str(tag.get("href") or "").strip() or None


def _iso_date(value: str | None) -> str | None:
    # "2017-08-14T09:30:00+01:00" -> "2017-08-14": citations need the day, not the minute.
    match = re.match(r"\d{4}-\d{2}(-\d{2})?", value or "")
    return match.group(0) if match else None


# --- PDF ----------------------------------------------------------------------------------------------


def _load_pdf(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    pages, info = _pdf_pages(data)
    if not any(page.strip() for page in pages):
        raise SkippedFile("PDF has no text layer (scanned?)")
    from ingest.cleanup import repair_pdf_text
    from ingest.magazine import looks_like_magazine_issue, split_issue

    whole = "\n\n".join(pages)
    if _is_magazine_issue(whole, meta, looks_like_magazine_issue):
        return split_issue("\f".join(pages), source_id, meta)  # form feeds tell the splitter where pages end
    sections = [
        Section(text=text, page=number)
        for number, page in enumerate(pages, 1)
        if (text := repair_pdf_text(page).strip())
    ]
    if not sections:
        raise SkippedFile("PDF has no text layer (scanned?)")
    # The raw first line, before repair runs it into the paragraph below it.
    info.setdefault("title", _first_line_title(whole) or "")
    return [_pdf_document(sections, info, path, source_id, meta or SourceMeta(file=path.name))]


def _pdf_document(
    sections: list[Section], info: dict[str, str], path: Path, source_id: str, meta: SourceMeta
) -> Document:
    return Document(
        source_id=source_id,
        kind=passage_kind(meta.kind, default="feature"),
        title=_first(meta.title, info.get("title")) or _prettify_stem(path),
        publication=meta.publication,
        date=meta.date,
        author=_first(meta.author, info.get("author")),
        url=meta.url,
        page=sections[0].page,
        sections=sections,
    )


def _pdf_pages(data: bytes) -> tuple[list[str], dict[str, str]]:
    """Each page's text layer and the title/author the PDF declares."""
    # pypdf raises many exception types on malformed files; any of them means "corrupt" to a reader.
    try:
        reader = PdfReader(BytesIO(data))
        _unlock(reader)
        pages = [page.extract_text() or "" for page in reader.pages]
        declared = reader.metadata
        info = {"title": _as_text(declared.title), "author": _as_text(declared.author)} if declared else {}
    except SkippedFile:
        raise
    except Exception as error:
        raise SkippedFile(f"corrupt PDF: {_short(error)}") from error
    return pages, {key: value for key, value in info.items() if value}


def _unlock(reader: PdfReader) -> None:
    # Many PDFs are "encrypted" with an empty password only to stop editing; those still read.
    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except Exception as error:  # e.g. an AES PDF without the cryptography package
        raise SkippedFile(f"encrypted PDF (cannot decrypt: {_short(error)})") from error
    if not unlocked:
        raise SkippedFile("encrypted PDF (needs a password)")


def _short(error: Exception) -> str:
    text = _squash(str(error)) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# --- Word ---------------------------------------------------------------------------------------------


def _load_docx(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    from docx.table import Table

    word = _open_docx(data)
    builder = _SectionBuilder()
    title = None
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            _add_table(block, builder)
            continue
        style = block.style.name if block.style is not None else ""
        if style.startswith(("Heading", "Title")):
            title = title or (block.text.strip() if style in ("Title", "Heading 1") else None)
            builder.heading(block.text)
        else:
            builder.block(block.text, list_item=style.startswith("List"))
    core = word.core_properties
    meta = meta or SourceMeta(file=path.name)
    return [
        Document(
            source_id=source_id,
            kind=passage_kind(meta.kind, default="feature"),
            title=_first(meta.title, _as_text(core.title), title) or _prettify_stem(path),
            publication=meta.publication,
            date=meta.date,
            author=_first(meta.author, _real_author(core.author)),
            url=meta.url,
            sections=builder.sections(),
        )
    ]


def _real_author(name: str | None) -> str | None:
    # Tools stamp their own name when nobody sets one; that is no one to cite.
    return None if (name or "").strip().lower() in _PLACEHOLDER_AUTHORS else _as_text(name)


def _open_docx(data: bytes):  # -> docx.document.Document
    import docx

    # A truncated or renamed file fails inside zipfile, lxml or python-docx with varied errors.
    try:
        return docx.Document(BytesIO(data))
    except Exception as error:
        raise SkippedFile(f"corrupt DOCX: {_short(error)}") from error


def _add_table(table, builder: _SectionBuilder) -> None:  # table: docx.table.Table
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = _squash(cell.text)
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        builder.block(" | ".join(cells), list_item=True)


_LOADERS: dict[str, Callable[[bytes, Path, str, SourceMeta | None], list[Document]]] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
