"""Read one source file (Markdown, text, HTML, PDF, Word) into citable Documents.

Anything wrong with a file becomes a SkippedFile with a one-line reason, so one bad file never stops
an ingest run. Where a sources.yaml entry (SourceMeta) says something about a file, it wins over what
the file says about itself (Declared): the manifest is written by a person on purpose. Who published a
document (only the union's own content is MiP's) is decided in ingest.provenance; its date comes from
metadata, else from a date the text states for itself (ingest.dates), else it is undated (None).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from ingest.cleanup import drop_page_controls, is_page_control, looks_like_heading, strip_markup
from ingest.dates import iso_date, stated_date
from ingest.provenance import Declared, kind_and_publication
from ingest.sources import SourceMeta
from ingest.tables import table_sentences
from knowledge.passage import Document, Kind, Section
from knowledge.sentences import split_sentences
from knowledge.validity import DatesLineError, Validity, is_dates_line, parse_dates_line

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"})
MAX_FILE_BYTES = 50 * 1024 * 1024
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")  # cp1252: old Windows exports of Word documents
MAGAZINE_ISSUE = "magazine-issue"
_PLACEHOLDER_AUTHORS = {"python-docx", "microsoft office user", "unknown", "author"}
# python-docx's blank template was saved on this day; a document still carrying it was never dated.
_PLACEHOLDER_DOCX_DATE = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.UTC)
_PRINTED_BY_BROWSER = re.compile(r"Skia/PDF|Chrom(?:e|ium)|Mozilla|Firefox|Print To PDF|wkhtmltopdf", re.I)
_TITLE_MAX_CHARS = 100
_TITLE_MAX_SENTENCE_WORDS = 12


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


def _text_title(text: str) -> str | None:
    """A real title line, else a short first sentence; None (then the file name) when the first line
    runs on: a title is never a paragraph cut at 100 characters."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = " ".join(line.split())
    if line and len(line) <= _TITLE_MAX_CHARS and looks_like_heading(line):
        return line
    first = split_sentences(line)[0] if line else ""
    if first and len(first.split()) <= _TITLE_MAX_SENTENCE_WORDS and len(first) <= _TITLE_MAX_CHARS:
        return first.rstrip(".")
    return None


def _document(
    source_id: str, path: Path, meta: SourceMeta | None, declared: Declared, default_kind: Kind,
    sections: list[Section], text: str, **more: object,
) -> Document:  # fmt: skip
    """The Document with its citation: sources.yaml first, then what the file declares, then what its
    text states (a date line); the publisher as ingest.provenance decides. `text`: the whole text."""
    meta = meta or SourceMeta(file=path.name)
    kind, publication = kind_and_publication(meta, declared, path, default_kind)
    return Document(
        source_id=source_id,
        kind=kind,
        title=_first(meta.title, declared.title) or _prettify_stem(path),
        publication=publication,
        date=_first(meta.date, declared.date, stated_date(text)),
        author=_first(meta.author, declared.author),
        url=_first(meta.url, declared.url),
        sections=sections,
        **more,  # type: ignore[arg-type]
    )


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
    return [_markdown_document(front, meta, path, source_id, first_h1, sections, body)]


def _dates(line: str, after_heading: bool) -> Validity:
    if not after_heading:  # quoted as text, it would read as a rule
        raise SkippedFile(f"'{line}' must be the first line under a ## heading")
    try:
        return parse_dates_line(line)
    except DatesLineError as error:  # a rule's dates misread could state a planned rule as law
        raise SkippedFile(str(error)) from error


def _markdown_document(
    front: dict,
    meta: SourceMeta | None,
    path: Path,
    source_id: str,
    h1: str | None,
    sections: list[Section],
    body: str,
) -> Document:
    declared = Declared(
        kind=_as_text(front.get("kind")),
        title=_first(_as_text(front.get("title")), h1),
        publication=_first(*(_as_text(front.get(key)) for key in _FRONT_MATTER_PUBLISHERS)),
        date=_first(*(iso_date(_as_text(front.get(key))) for key in _FRONT_MATTER_DATES)),
        author=_as_text(front.get("author")),
        url=_first(*(_web_address(front.get(key)) for key in _FRONT_MATTER_URLS)),
        factsheet_format=any(key in front for key in _FACTSHEET_KEYS),
    )
    return _document(source_id, path, meta, declared, "web", sections, body, extra=_factsheet_extra(front))


# Clippers write `created:` for the day the page was saved: that is not the document's date.
_FRONT_MATTER_DATES = ("date", "last_reviewed", "last_updated", "updated", "modified", "published")
_FRONT_MATTER_PUBLISHERS = ("publication", "publisher", "site_name", "site")
_FACTSHEET_KEYS = ("last_reviewed", "review_status")  # MiP's factsheet template (knowledge/README.md)
_FRONT_MATTER_URLS = ("url", "canonical_url", "canonical", "source", "source_url", "original_url")


def _web_address(value: object) -> str | None:
    text = _as_text(value)
    return text if text and re.match(r"https?://\S+$", text) else None


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


_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={2,}|-{2,})[ \t]*$")


class _TableRow(str):
    """A table row already read as a sentence ("Service: 3-5 years; Sick pay: ...")."""


def _markdown_blocks(body: str) -> Iterator[tuple[str, str]]:
    """("h1" | "heading" | "dates" | "paragraph" | "item", text): soft-wrapped lines joined,
    markup removed; each table row a paragraph of its own."""
    kind, lines = "paragraph", list[str]()
    for line in _read_tables(_without_page_controls(body.splitlines())):
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and kind == "paragraph" and lines:
            # "Title" over "=====" or "-----" is a heading; a lone underline is only a rule
            yield "h1" if underline.group(1)[0] == "=" else "heading", _markdown_inline(" ".join(lines))
            kind, lines = "paragraph", []
            continue
        line_kind, text = ("table", line) if isinstance(line, _TableRow) else _markdown_line(line)
        if line_kind == "text" and not underline:
            lines.append(text)
            continue
        if lines:
            yield kind, _markdown_inline(" ".join(lines))
        kind, lines = "paragraph", []
        if line_kind == "item":
            kind, lines = "item", [text]
        elif line_kind == "table":
            yield "paragraph", text
        elif line_kind not in ("break", "text"):
            yield line_kind, _markdown_inline(text)
    if lines:
        yield kind, _markdown_inline(" ".join(lines))


def _without_page_controls(lines: list[str]) -> list[str]:
    # A page exported to Markdown keeps "[Skip to main content](#main)", "Is this page useful?"...
    return [line for line in lines if not (line.strip() and is_page_control(_markdown_inline(line)))]


def _read_tables(lines: list[str]) -> Iterator[str]:
    """The lines, with each table's rows replaced by row sentences. A table is a row of cells over a
    delimiter line (| --- | --- |), which makes that row the header; rows of cells with no delimiter
    line under the first are a table whose header is judged by its text."""
    index = 0
    while index < len(lines):
        end = _table_end(lines, index)
        if end == index:
            yield lines[index]
            index += 1
            continue
        rows = [_table_cells(line) for line in lines[index:end] if not _MD_TABLE_SEPARATOR.match(line)]
        delimited = index + 1 < end and bool(_MD_TABLE_SEPARATOR.match(lines[index + 1]))
        yield from (_TableRow(s) for s in table_sentences(rows, header=True if delimited else None))
        index = end


def _table_end(lines: list[str], start: int) -> int:
    """Where the table starting at `start` ends (== start: no table there)."""
    first = lines[start]
    delimited = "|" in first and start + 1 < len(lines) and bool(_MD_TABLE_SEPARATOR.match(lines[start + 1]))
    if not (delimited or first.lstrip().startswith("|")):
        return start
    end = start + 1
    while end < len(lines) and ("|" in lines[end] if delimited else lines[end].lstrip().startswith("|")):
        end += 1
    return end


def _table_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [_markdown_inline(cell.replace("\\|", "|")).strip() for cell in re.split(r"(?<!\\)\|", inner)]


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
    return "text", line.strip().removeprefix(">").strip()


def _heading_kind(heading: re.Match[str]) -> str:
    # Only #, ## and ### start sections; deeper headings read as a line of text.
    level = len(heading.group(1))
    return "h1" if level == 1 else "heading" if level <= 3 else "paragraph"


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return strip_markup(text)  # exported Markdown keeps <br> and &amp; from the web page


# --- plain text ---------------------------------------------------------------------------------------


def _load_text(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    text = _decode_text(data)
    from ingest.cleanup import clean_single_article
    from ingest.magazine import looks_like_magazine_issue, split_issue

    if _is_magazine_issue(text, meta, looks_like_magazine_issue):
        return split_issue(text, source_id, meta)
    text = drop_page_controls(strip_markup(text))  # copied out of a web viewer or page
    cleaned = clean_single_article(text, meta).strip()
    if not cleaned:
        raise SkippedFile("no text left after removing page furniture")
    declared = Declared(title=_text_title(text))
    return [_document(source_id, path, meta, declared, "feature", [Section(text=cleaned)], text)]


def _is_magazine_issue(text: str, meta: SourceMeta | None, looks_like: Callable[[str], bool]) -> bool:
    # A manifest entry that gives a kind decides; without one, guess from the text.
    return meta.kind == MAGAZINE_ISSUE if meta and meta.kind else looks_like(text)


# --- HTML ---------------------------------------------------------------------------------------------

def _load_html(data: bytes, path: Path, source_id: str, meta: SourceMeta | None) -> list[Document]:
    from ingest.html_meta import declared_by_page, page_text
    from ingest.web_content import main_content

    raw = _decode_text(data)
    builder = _SectionBuilder()
    try:
        for block in main_content(raw):
            if block.kind == "heading":
                builder.heading(block.text)
            else:
                builder.block(block.text, list_item=block.list_item)
    except RecursionError as error:
        raise SkippedFile("HTML is nested too deeply to read") from error
    soup = BeautifulSoup(raw, "html.parser")
    declared = declared_by_page(soup, raw)
    return [_document(source_id, path, meta, declared, "web", builder.sections(), page_text(soup))]


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
    declared = Declared(
        # The raw first line, before repair runs it into the paragraph below it.
        title=_first(info.get("title"), _text_title(whole)),
        date=info.get("date"),
        author=info.get("author"),
    )
    return [_document(source_id, path, meta, declared, "feature", sections, whole, page=sections[0].page)]


def _pdf_pages(data: bytes) -> tuple[list[str], dict[str, str]]:
    """Each page's text layer and the title, author and date the PDF declares."""
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
    info["date"] = _pdf_date(declared)
    return pages, {key: value for key, value in info.items() if value}


def _pdf_date(declared) -> str | None:  # noqa: ANN001 - pypdf DocumentInformation or None
    """ModDate, else CreationDate, as ISO; a malformed date string means no date, not a bad file. A web
    page printed to PDF by a browser is dated the day it was printed: no date of the document."""
    made_by = f"{_safe(declared, 'producer')} {_safe(declared, 'creator')}"
    if _PRINTED_BY_BROWSER.search(made_by):
        return None
    for name in ("modification_date", "creation_date"):
        try:
            when = getattr(declared, name, None)
        except Exception:  # pypdf raises on dates it cannot parse
            continue
        if isinstance(when, dt.datetime):
            return when.date().isoformat()
    return None


def _safe(declared, name: str) -> str:  # noqa: ANN001 - pypdf DocumentInformation or None
    try:
        return str(getattr(declared, name, None) or "")
    except Exception:  # pypdf decodes lazily and may fail on a malformed entry
        return ""


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
    texts: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            _add_table(block, builder)
            continue
        texts.append(block.text)
        style = block.style.name if block.style is not None else ""
        if style.startswith(("Heading", "Title")):
            title = title or (block.text.strip() if style in ("Title", "Heading 1") else None)
            builder.heading(block.text)
        else:
            builder.block(block.text, list_item=style.startswith("List"))
    core = word.core_properties
    declared = Declared(
        title=_first(_as_text(core.title), title),
        date=_docx_date(core),
        author=_real_author(core.author),
    )
    return [_document(source_id, path, meta, declared, "feature", builder.sections(), "\n".join(texts))]


def _docx_date(core) -> str | None:  # noqa: ANN001 - docx.opc.coreprops.CoreProperties
    """Last saved, else created; python-docx's own template stamp is no date."""
    for when in (core.modified, core.created):
        if isinstance(when, dt.datetime) and _aware(when) != _PLACEHOLDER_DOCX_DATE:
            return when.date().isoformat()
    return None


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


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
    rows = [[cell.text for cell in row.cells] for row in table.rows]  # a merged cell repeats per column
    for sentence in table_sentences(rows, header=True if _has_heading_row(table) else None):
        builder.block(sentence)


def _has_heading_row(table) -> bool:  # noqa: ANN001 - docx.table.Table
    """Word marks a header row as "repeat as header row", or the first row is all bold."""
    from docx.oxml.ns import qn

    if not table.rows:
        return False
    first = table.rows[0]
    properties = first._tr.trPr
    if properties is not None and properties.find(qn("w:tblHeader")) is not None:
        return True
    runs = [run for cell in first.cells for paragraph in cell.paragraphs for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


_LOADERS: dict[str, Callable[[bytes, Path, str, SourceMeta | None], list[Document]]] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
