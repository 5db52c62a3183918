"""Turn text extracted from PDFs and web pages into clean paragraphs that can be quoted to members.

PDF text arrives as narrow column lines: words hyphenated across line ends, paragraphs broken wherever
a column ends, running footers between pages. Web pages arrive with the site's navigation after the
article. Everything here works on plain strings and returns paragraphs separated by blank lines.
"""

from __future__ import annotations

import html
import re
import statistics
from collections.abc import Iterable

from ingest.sources import SourceMeta

TERMINAL = ".!?…:;"
CLOSERS = "”’\"')]*»"
OPENING_QUOTES = "“‘\"'"


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS = word_set(
    "a an the and or but nor of to in on at for with from by as into onto than which who whom whose is are"
    " was were be been being has have had will would can could may might must should shall their its his"
    " her our your my between under while when where if such"
)  # words a sentence cannot end on
# Words that form real compounds ("fixed-term", "full-time", "city-centre") when a hyphen falls at a line end.
COMPOUND_HEADS = word_set(
    "fixed full part short long high low well self non cross anti multi semi mid half two three four five"
    " six year month week day front top hard city like broad wide large small open first single double old"
    " new ill"
)
# Hyphenated compounds built around these keep every hyphen: "day-to-day", "year-by-year".
COMPOUND_LINKERS = word_set("to by and of in on for the a or")
# A line-end fragment that is only a suffix was a word cut in two: "short-age", "like-ly".
SUFFIXES = word_set(
    "ing ings ed er ers est ly ness ment ments tion tions sion sions ity ive ives ous al ally age ages ic ics"
    " ish ful less ship hood able ible ance ence ant ants ent ents ure ures ward wards ise ize ised ized ist"
    " ists ism"
)
BULLET = re.compile(r"^(?:■+|•|»|-\s*»)\s*")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
RUNNING_FOOTER = re.compile(
    r"^\s*(?:\d{1,3}\s+)?[\w &]{3,40}?\s*\|\s*issue\s+\d{1,3}\s*\|\s*[a-z]+\s+\d{4}(?:\s+\d{1,3})?\s*$", re.I
)
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
# The end-of-article mark: "//" in clean text, a stray " ." where the PDF lost the glyph.
END_MARK = re.compile(r"(?:\s+//|(?<=[.!?…])\s+\.|(?<=[.!?…][”’\"])\s*\.)\s*$")
EMPHASIS = re.compile(r"(\*{1,2})(?=\S)([^*\n]+?)(?<=\S)\1")
# Site navigation after a web article: calls to action such as "Find out more >".
NAV_LINK = re.compile(r"(?:>|»|›)\s*$")
# Markup left in text copied out of web viewers: only real tag names, so "pay < £30k" stays text.
_TAG_NAMES = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|dd|del|dfn|div|dl|dt|em|font|h[1-6]|hr|i|img|ins|kbd"
    "|li|mark|nobr|ol|p|pre|q|s|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|wbr"
)
MARKUP_TAG = re.compile(rf"</?(?P<name>{_TAG_NAMES})(?:\s[^<>]*)?/?>(?P<newline>[ \t]*\n)?", re.I)
_LINE_BREAK_TAGS = {"br", "tr", "li", "dt", "dd", "wbr"}
_PARAGRAPH_TAGS = {"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "hr", "pre"}
ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
# A whole line or block that is only a web page's controls, or its cookie banner: what a saved or
# copied page brings with it. Whole-line matches only, so a sentence about cookies in the text stays.
PAGE_CONTROL = re.compile(
    r"^(?:is this page useful|was this (?:page|information|article) (?:useful|helpful)|did you find (?:this|what you)"
    r".{0,40}|report a problem(?: with this page)?|skip to (?:the )?(?:main )?content|view a printable version.{0,40}"
    r"|print (?:this|the|entire) (?:page|guide)|back to top|share this page|hide (?:this )?message"
    r"|(?:accept|reject) (?:all |additional |analytics )?cookies|(?:view|set) cookie(?:s| preferences| settings)"
    r"|cookie (?:settings|preferences|policy)|cookies on [\w .]{2,40})[?.!\s]*$",
    re.I,
)
COOKIE_BANNER_LINE = re.compile(
    r"^(?:we use (?:some )?(?:essential |necessary |additional )?cookies|we(?:'|’)d (?:also )?like to (?:set|use)"
    r" (?:additional |analytics )?cookies|this (?:web)?site uses cookies)\b",
    re.I,
)
DATE_LINE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9},?\s+\d{4}$", re.I
)


# --- public API ---------------------------------------------------------------------------------------


def repair_pdf_text(text: str) -> str:
    """Join words hyphenated across line ends, unwrap column lines into paragraphs, drop running
    footers and page numbers. A blank line is a paragraph break unless the text clearly runs on: a
    line without terminal punctuation followed by a lowercase line, or one ending in a comma."""
    lines = [line for line in normalise_characters(text).split("\n") if not is_page_furniture(line)]
    vocabulary = word_vocabulary(text)
    width = typical_width(lines)
    paragraphs = [p for block in split_blocks(lines) for p in unwrap_lines(block, width, vocabulary)]
    paragraphs = join_continuations(paragraphs, vocabulary)
    return "\n\n".join(finish_paragraph(p) for p in merge_bullets(paragraphs) if p)


def clean_single_article(text: str, meta: SourceMeta | None) -> str:
    """One-article files (web page, news item, minutes): repair_pdf_text's normalisation, minus the header
    lines repeated mid-document, the title/author/date lines the manifest already gives, and the site
    navigation after the article."""
    lines = drop_repeated_headers(normalise_characters(text).split("\n"))
    paragraphs = repair_pdf_text("\n".join(lines)).split("\n\n")
    paragraphs = strip_site_navigation(drop_header_lines(paragraphs, meta))
    return "\n\n".join(p for p in paragraphs if p.strip())


def is_page_control(text: str) -> bool:
    """'Is this page useful?', 'Report a problem with this page', 'Skip to main content', 'Accept
    additional cookies', 'We use some essential cookies to make this website work.': page furniture."""
    line = text.strip().strip("[]()#*_>-• ").strip()
    return bool(PAGE_CONTROL.match(line) or (COOKIE_BANNER_LINE.match(line) and len(line.split()) <= 40))


def drop_page_controls(text: str) -> str:
    """Text copied or exported from a web page, without its lines of page controls and cookie banner."""
    return "\n".join(line for line in text.split("\n") if not is_page_control(line))


def strip_markup(text: str) -> str:
    """Text copied from a web viewer: tags out (<br /> and list items end a line, <p> a paragraph),
    entities decoded (&amp; -> &). Only real HTML tag names count as markup."""
    return ENTITY.sub(lambda m: html.unescape(m.group(0)), MARKUP_TAG.sub(_tag_break, text))


def _tag_break(tag: re.Match[str]) -> str:
    # "line<br />" + newline is one line end, not two
    name, newline = tag.group("name").lower(), "\n" if tag.group("newline") else ""
    if name in _PARAGRAPH_TAGS:
        return "\n\n"
    if name in _LINE_BREAK_TAGS:
        return "\n"
    return newline or (" " if name in ("td", "th") else "")


# --- characters and words -----------------------------------------------------------------------------


def normalise_characters(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\u200b", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def tidy(text: str) -> str:
    """One paragraph on one line: single spaces, no markdown emphasis, no end-of-article mark."""
    return strip_end_mark(squash(text))[0]


def squash(text: str) -> str:
    text = EMPHASIS.sub(r"\2", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def finish_paragraph(text: str) -> str:
    return "\n".join(tidy(line) for line in text.split("\n"))


def strip_end_mark(text: str) -> tuple[str, bool]:
    """'...happen. //' -> ('...happen.', True): the mark ends an article in Healthcare Manager."""
    stripped = END_MARK.sub("", text.rstrip())
    return stripped, stripped != text.rstrip()


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_vocabulary(text: str) -> set[str]:
    """Every whole word of a document, lowercased; the judge of whether 'dis-missal' is one word."""
    return {w.lower().replace("’", "'") for w in words(text)}


def last_word(text: str) -> str:
    found = words(text)
    return found[-1].lower() if found else ""


def core(text: str) -> str:
    """The text without trailing quotes, brackets or emphasis marks: what its punctuation really is."""
    return text.rstrip().rstrip(CLOSERS).rstrip()


def ends_sentence(text: str) -> bool:
    stripped = core(text)
    return bool(stripped) and stripped[-1] in TERMINAL


def ends_incomplete(text: str) -> bool:
    """Clearly mid-sentence: a comma, a hyphen or a word like 'the' cannot end a paragraph."""
    stripped = core(text)
    if not stripped:
        return False
    return stripped[-1] in ",-–—&" or (stripped[-1].isalpha() and last_word(stripped) in FUNCTION_WORDS)


def first_letter(text: str) -> str:
    for char in text:
        if char.isalnum():
            return char
    return ""


def starts_lowercase(text: str) -> bool:
    return first_letter(text).islower()


def starts_upper(text: str) -> bool:
    letter = first_letter(text)
    return letter.isupper() or letter.isdigit()


def is_all_caps(text: str) -> bool:
    """Set in capitals; a stray 'MiP' in a capitals line does not count."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def looks_like_heading(text: str) -> bool:
    """A headline or sub-heading: short, starts with a capital, no sentence punctuation at the end."""
    count = len(text.split())
    if not 1 <= count <= 16 or not starts_upper(text) or ends_incomplete(text):
        return False
    stripped = core(text)
    return stripped[-1] not in ".:;…" if stripped else False


# --- lines and blocks ---------------------------------------------------------------------------------


def is_page_furniture(line: str) -> bool:
    return bool(RUNNING_FOOTER.match(line) or PAGE_NUMBER.match(line))


def typical_width(lines: Iterable[str]) -> int:
    """The width of a full column line: paragraph ends and headings are shorter than this."""
    lengths = [len(line.strip()) for line in lines if len(line.strip()) >= 20]
    return int(statistics.median(lengths)) if lengths else 60


def split_blocks(lines: list[str]) -> list[list[str]]:
    """Blank lines separate blocks; so does a line indented by one space, where pdftotext starts a new
    page or text frame."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            blocks.append([])
            continue
        if starts_frame(line):
            blocks.append([])
        blocks[-1].append(line)
    return [block for block in blocks if block]


def starts_frame(line: str) -> bool:
    return line.startswith(" ") and not line.startswith("  ") and len(line.strip()) > 0


def starts_bullet(line: str) -> bool:
    return bool(BULLET.match(line.strip()))


def unwrap_lines(lines: list[str], width: int, vocabulary: set[str]) -> list[str]:
    """Column lines of one block -> paragraphs. Lines run on unless one clearly ends a paragraph."""
    return [join_lines(group, vocabulary) for group in group_lines(lines, width)]


def group_lines(lines: list[str], width: int) -> list[list[str]]:
    groups: list[list[str]] = []
    for line in (line.strip() for line in lines):
        if groups and not is_paragraph_break(groups[-1], line, width):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def is_paragraph_break(current: list[str], line: str, width: int) -> bool:
    previous = current[-1]
    if starts_bullet(line):
        return True
    if starts_lowercase(line):
        return False
    if is_all_caps(previous) and not is_all_caps(line):
        return True
    if ends_sentence(previous):
        # A full-width line that ends a sentence is only the end of a line, not of a paragraph.
        return len(previous) < 0.8 * width or line[:1] in OPENING_QUOTES
    return ends_title_lines(current, line, width)


def ends_title_lines(current: list[str], line: str, width: int) -> bool:
    """'We're setting leaders up / to fail / It's my job...': short title lines, then body text."""
    previous = current[-1]
    title = " ".join(current)
    return (
        all(len(piece) < 0.75 * width and not piece.endswith("-") for piece in current)
        and len(previous) < 0.6 * width
        and len(title.split()) >= 2
        and looks_like_heading(title)
        and starts_upper(line)
        and (len(line) >= 0.7 * width or line.endswith("-"))
    )


def join_lines(lines: list[str], vocabulary: set[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text = join_text(text, line, vocabulary)
    return text


def join_text(left: str, right: str, vocabulary: set[str]) -> str:
    left, right = left.rstrip(), right.strip()
    if re.search(r"[A-Za-z]-$", left) and first_letter(right).isalpha() and right[:1].isalpha():
        return join_broken_word(left, right, vocabulary)
    if breaks_address(left, right):
        return left + right
    return f"{left} {right}"


def breaks_address(left: str, right: str) -> bool:
    """'unison.org.uk/' + 'our-campaigns', 'bit.' + 'ly/hcm3301', 'name@' + 'example.org'."""
    token = left.rsplit(" ", 1)[-1]
    if re.search(r"[\w.-]+[/@]$", token) and re.match(r"[\w-]", right):
        return True
    return bool(re.fullmatch(r"\(?[a-z]{2,8}\.", token) and re.match(r"[a-z]{2,3}/\w", right))


def join_broken_word(left: str, right: str, vocabulary: set[str]) -> str:
    """'dis-' + 'missal' -> 'dismissal'; 'fixed-' + 'term' -> 'fixed-term'."""
    token = left.rsplit(" ", 1)[-1][:-1]
    tail = (WORD.match(right) or re.match(r"\S+", right)).group(0)  # type: ignore[union-attr]
    glue = "-" if keeps_hyphen(token, tail, vocabulary) else ""
    return f"{left[:-1]}{glue}{right}"


def keeps_hyphen(token: str, tail: str, vocabulary: set[str]) -> bool:
    """Keep it for a real compound: printed whole elsewhere ('day-to-day'), built around 'to'/'by', or
    made of a compound-forming word and a whole word ('full-time'); otherwise the word was only split."""
    token = re.sub(r"^\W+", "", token).lower()
    head = token.rsplit("-", 1)[-1]
    if tail[:1].isupper() or tail[:1].isdigit():
        return True
    if f"{token}-{tail}".lower() in vocabulary or ("-" in token and head in COMPOUND_LINKERS):
        return True
    if f"{head}{tail}".lower() in vocabulary:
        return False
    return head in COMPOUND_HEADS and tail.lower() not in SUFFIXES


def join_continuations(paragraphs: list[str], vocabulary: set[str]) -> list[str]:
    """Rejoin a paragraph cut by a column break: the next block continues it in lowercase, or it ended
    on a comma, a hyphen or a word like 'the'."""
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and continues(joined[-1], paragraph):
            joined[-1] = join_text(joined[-1], paragraph, vocabulary)
        else:
            joined.append(paragraph)
    return joined


def continues(previous: str, paragraph: str) -> bool:
    if not paragraph or starts_bullet(paragraph) or ends_sentence(previous):
        return False
    if starts_lowercase(paragraph):
        return True
    return ends_incomplete(previous) and first_letter(paragraph) != "" and not looks_like_heading(paragraph)


def merge_bullets(paragraphs: list[str]) -> list[str]:
    """Consecutive bullet paragraphs become one list, one '- item' per line."""
    merged: list[str] = []
    for paragraph in paragraphs:
        if starts_bullet(paragraph):
            item = "- " + BULLET.sub("", paragraph.strip())
            if merged and merged[-1].startswith("- "):
                merged[-1] += "\n" + item
                continue
            merged.append(item)
        else:
            merged.append(paragraph)
    return merged


# --- single articles ----------------------------------------------------------------------------------


def drop_repeated_headers(lines: list[str]) -> list[str]:
    """A page header (capitals, or the first line) printed again mid-document is dropped after its
    first appearance."""
    first = next((line.strip() for line in lines if line.strip()), "")
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = line.strip()
        if key and (key == first or is_all_caps(key)) and key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return kept


def drop_header_lines(paragraphs: list[str], meta: SourceMeta | None) -> list[str]:
    """Leading lines that repeat the manifest's title or author, or only give the date."""
    known = {letters_only(value) for value in (meta.title, meta.author) if value} if meta else set()
    start = 0
    while start < min(len(paragraphs), 4) and is_header_line(paragraphs[start], known):
        start += 1
    return paragraphs[start:]


def is_header_line(paragraph: str, known: set[str]) -> bool:
    text = paragraph.strip()
    return bool(DATE_LINE.match(text)) or (bool(known) and letters_only(text) in known)


def letters_only(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def strip_site_navigation(paragraphs: list[str]) -> list[str]:
    """Cut the trailing site furniture: from the first heading after which only headings, short blurbs
    and 'Find out more >' links follow (at least one link, at least two headings)."""
    for start, paragraph in enumerate(paragraphs):
        if looks_like_heading(paragraph) and is_navigation(paragraphs[start:]):
            return paragraphs[:start]
    return paragraphs


def is_navigation(tail: list[str]) -> bool:
    links = [p for p in tail if NAV_LINK.search(p.strip())]
    headings = [p for p in tail if looks_like_heading(p) and p not in links]
    short = all(len(p.split()) <= 60 for p in tail)
    return short and bool(links) and len(headings) >= 2
