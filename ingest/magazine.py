"""Split an issue of Healthcare Manager into articles: one Document per article, page furniture dropped.

Issues arrive in two layouts:
- raw PDF text: narrow columns, running footers, news headlines printed after their story, and section
  labels ("kickers" such as COMMENT or legaleye) on every page of a feature. It is cut into pages, and
  consecutive pages that share a kicker make one article;
- clean text: one paragraph per line, a contents list with page numbers, "//" at the end of each
  feature. It is cut at those end marks and matched, in order, to the contents list.
News pages in both are split into items at their headlines. In both, column flow broken by captions
and pull quotes is repaired, and pull quotes, captions, adverts and mastheads are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from ingest.cleanup import (
    BULLET,
    continues,
    core,
    ends_incomplete,
    ends_sentence,
    group_lines,
    is_all_caps,
    is_page_furniture,
    join_text,
    letters_only,
    looks_like_heading,
    normalise_characters,
    split_blocks,
    squash,
    starts_bullet,
    starts_lowercase,
    starts_upper,
    strip_end_mark,
    tidy,
    typical_width,
    unwrap_lines,
    word_set,
    word_vocabulary,
    words,
)
from ingest.sources import SourceMeta
from knowledge.passage import Document, Kind, Section

PUBLICATION = "Healthcare Manager"
LEGAL_EYE = "Legal Eye"
ISSUE_MARK = re.compile(r"\bissue\s+(\d{1,3})\s*\|\s*(spring|summer|autumn|winter)\s+(\d{4})", re.I)
FOOTER = re.compile(r"^\s*(\d{1,3})?\s*healthcare manager\s*\|.*?\|\s*[a-z]+\s+\d{4}\s*(\d{1,3})?\s*$", re.I)
# Column names printed as page labels, keyed by their letters: "leadingedge", "THE SHARP END: LEADERSHIP".
COLUMNS = {
    "leadingedge": "Leading Edge",
    "legaleye": LEGAL_EYE,
    "tipster": "Tipster",
    "comment": "Comment",
    "thesharpend": "The Sharp End",
    "mipatwork": "MiP at Work",
    "analysis": "Analysis",
    "interview": "Interview",
    "meetyourreps": "Meet Your Reps",
    "headsup": "Heads Up",
    "noticeboard": "Noticeboard",
}
NEWS_LABELS = {"noticeboard"}  # a page label that opens a news item of its own
NAME_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z'’-]+"
NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}}"
BYLINES = (
    re.compile(rf"\b(?:[Hh]e|[Ss]he|[Tt]hey)\s+(?:talks|talked|spoke|speaks)\s+to\s+({NAME})"),
    re.compile(rf"\b(?:writes|[Ii]nterview by|[Ww]ords by|by)\s+({NAME})"),
    re.compile(
        rf"\b({NAME})\s+(?:explains|explores|argues|talks to|talked to|spoke to|speaks to|looks into|"
        r"looks at|runs through|taps into|outlines|offers|gives|says that|reports on|examines|"
        r"investigates|considers|reflects|on why|on how)\b"
    ),
)
BIO = re.compile(rf"^({NAME}) is (?:an?|the|MiP['’]s)\b")
SIGNATURE = re.compile(rf"^({NAME}),\s+(?i:editor|chief executive)\b")
DISCLAIMER = re.compile(r"does not (?:offer|give|provide) legal advice", re.I)
FURNITURE = [
    re.compile(pattern, re.I)
    for pattern in (
        r"^heads up$",
        r"^news you may have missed",
        r"[—–-]\s*pages?\s+\d",
        r"^ISSN\b",
        r"^all contents ©",
        r"^design & production",
        r"^contributors:",
        r"^opinions expressed",
        r"^printed by",
        r"^cover image",
        r"^published by",
        r"\s//\s.*\s//\s",
        r"^healthcare managers?$",
        r"^mip$",
        r"^issue \d+ \|",
        r"^the union for senior health",
    )
]
CAPTION = re.compile(
    r"\((?:photo|picture|image)\b[^)]*\)|\((?:right|left|centre|center|above|below|top|bottom)\)"
    r"|^a screenshot\b|^pictured\b",
    re.I,
)
CROSS_REFERENCE = re.compile(r"^(?:see|also read)\b.*(?:\bp\.?\s?\d+|\bpages?\s+\d+|back cover)", re.I)
XREF_TITLE = re.compile(r"^also read:\s*[‘'“\"](.+?)[’'”\"]\s*[–—-]\s*p\.?\s?(\d+)", re.I)
ADVERT = re.compile(
    r"\b0(?:800|808|844|845)\s?\d|\bcall (?:today|free|for a quote|us)\b|\bdiscounts?\b|\bcashback\b"
    r"|\binsurance\b|\bpledge\b|\bstanding up for\b|\binjured\b|\bexclusive\b|\bsave (?:up to|£)"
    r"|\bspecial offers?\b|\bfree (?:to attend|initial|no obligation)\b|\bwww\.",
    re.I,
)
CONTACT = re.compile(
    r"@|\bwww\.|\.(?:co\.uk|org\.uk|com|org)\b|\b0\d{3,4}\s?\d{3}|\b[A-Z]{1,2}\d{1,2}[A-Z]?\s\d[A-Z]{2}\b"
)
DATE_HEADING = re.compile(r"^\d{1,2}(?:-\d{1,2})?\s+[A-Z][a-z]+\s+\d{4}$")
CONTENTS_ENTRY = re.compile(r"^(?P<text>\S.*?\S)\s+(?P<page>\d{1,3})$")
POSTSCRIPT = re.compile(
    r"^(?:further reading|read the full|for (?:more|further) (?:information|details))", re.I
)
STOPWORDS = word_set(
    "nhs mip said says also from that this with have will which their they were been more than into about"
    " after what when would could should there these those other some such very just over only most staff"
    " health union unions england"
)


@dataclass
class Para:
    """A paragraph on its way into an article, with what the layout tells about it."""

    text: str
    page: int | None = None
    boxed: bool = False  # clean layout: follows a run of blank lines, as captions and sidebars do
    width: int = 0  # raw layout: its longest source line; standfirsts run wider than the columns
    heading: bool = False  # a sub-heading inside the article
    ends: bool = False  # carried the end-of-article mark
    skipped: bool = False  # a caption or pull quote that a sentence ran on past: dropped
    broken: bool = False  # raw layout: has a word hyphenated at a line end, so it is body text


@dataclass
class Draft:
    title: str
    kind: Kind
    paras: list[Para]
    author: str | None = None
    page: int | None = None
    single_page: bool = False  # every section is on `page`
    listing: bool = False  # a list of events: its short lines are not sub-headings
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """A line of the contents list: 'Legal Eye: How are people ... Jo Seery explains 22'."""

    label: str
    description: str
    page: int
    author: str | None = None


@dataclass(frozen=True)
class IssueInfo:
    number: str | None = None
    season: str | None = None
    year: str | None = None

    @property
    def label(self) -> str | None:
        if not self.number:
            return None
        return f"issue {self.number}, {self.season} {self.year}" if self.season else f"issue {self.number}"


# --- public API ---------------------------------------------------------------------------------------


def looks_like_magazine_issue(text: str) -> bool:
    """A long text carrying the masthead or running footer 'issue 67 | spring 2026'."""
    return bool(ISSUE_MARK.search(text)) and len(text.split()) > 3000


def split_issue(text: str, source_id: str, meta: SourceMeta | None) -> list[Document]:
    issue = read_issue(text)
    drafts = split_raw_layout(text) if is_raw_layout(text) else split_clean_layout(text)
    drafts = [finish(draft) for draft in drafts]
    apply_manifest(drafts, meta)
    anchors = unique_anchors(drafts)
    return [
        to_document(draft, f"{source_id}#{anchor}", issue, meta)
        for draft, anchor in zip(drafts, anchors, strict=True)
        if any(p.text and not p.heading for p in draft.paras)
    ]


def read_issue(text: str) -> IssueInfo:
    found = ISSUE_MARK.search(text)
    if not found:
        return IssueInfo()
    return IssueInfo(found.group(1), found.group(2).lower(), found.group(3))


def is_raw_layout(text: str) -> bool:
    """PDF column text: short lines, many ending in a hyphenated word."""
    lines = [line for line in text.split("\n") if line.strip()]
    broken = sum(1 for line in lines if re.search(r"[a-z]-\s*$", line))
    long_lines = sum(1 for line in lines if len(line) > 100)
    return broken >= 20 and long_lines < 0.05 * max(len(lines), 1)


# --- raw PDF layout: pages grouped by their kickers -------------------------------------------------


@dataclass
class Page:
    number: int | None
    lines: list[str]


def split_raw_layout(text: str) -> list[Draft]:
    vocabulary = word_vocabulary(text)
    pages = [page_paragraphs(page, vocabulary) for page in read_pages(text)]
    titles = cross_reference_titles(pages)
    drafts: list[Draft] = []
    for kind, group in group_pages(pages):
        if kind == "feature":
            drafts.append(raw_feature(group, titles))
        elif kind == "news":
            drafts.extend(raw_news(group[0], drafts))
    return drafts


def read_pages(text: str) -> list[Page]:
    """Pages end at a form feed; pdftotext also starts each page with a one-space indent. A running
    footer carries the number of the page that follows it."""
    pages: list[Page] = []
    for sheet in text.split("\f"):
        pages.append(Page(None, []))
        for line in normalise_characters(sheet).split("\n"):
            footer = FOOTER.match(line)
            if footer:
                pages.append(Page(int(footer.group(1) or footer.group(2) or 0) or None, []))
            elif starts_page(line) and sum(1 for kept in pages[-1].lines if kept.strip()) >= 8:
                pages.append(Page(None, [line]))
            elif not is_page_furniture(line):
                pages[-1].lines.append(line)
    pages = [page for page in pages if any(line.strip() for line in page.lines)]
    number_pages(pages)
    return pages


def starts_page(line: str) -> bool:
    return line.startswith(" ") and not line.startswith("  ")


def number_pages(pages: list[Page]) -> None:
    """Count on from each printed number, or back from the first one. Page 1 is the cover, so a count
    that lands below 2 is wrong and left empty."""
    anchors = [(i, page.number) for i, page in enumerate(pages) if page.number]
    if not anchors:
        return
    for i, page in enumerate(pages):
        before = [(j, n) for j, n in anchors if j <= i]
        j, n = before[-1] if before else anchors[0]
        number = n + (i - j)
        page.number = number if number >= 2 else None


def page_paragraphs(page: Page, vocabulary: set[str]) -> list[Para]:
    width = typical_width(page.lines)
    paras: list[Para] = []
    for block in split_blocks(page.lines):
        block_width = max(width, max(len(line.strip()) for line in block))
        for group in group_lines(block, block_width):
            text = unwrap_lines(group, block_width, vocabulary)[0]
            broken = any(re.search(r"[A-Za-z]-$", line) for line in group[:-1])
            paras.append(Para(text, page.number, width=max(len(line) for line in group), broken=broken))
    return join_paras(paras, vocabulary)


def join_paras(paras: list[Para], vocabulary: set[str]) -> list[Para]:
    joined: list[Para] = []
    for para in paras:
        if joined and runs_on(joined[-1], para):
            joined[-1] = merge(joined[-1], para, vocabulary)
        else:
            joined.append(para)
    return joined


def runs_on(previous: Para, para: Para) -> bool:
    """A block continues the one before: not across a kicker, nor from a column into a wider standfirst."""
    if is_kicker(para.text) or is_kicker(previous.text) or not continues(previous.text, para.text):
        return False
    return starts_lowercase(para.text) or para.width <= 1.25 * max(previous.width, 1)


def merge(left: Para, right: Para, vocabulary: set[str] | None = None) -> Para:
    text = join_text(left.text, right.text, vocabulary or set())
    width = max(left.width, right.width)
    return Para(text, left.page, left.boxed, width, left.heading, right.ends or left.ends, broken=True)


def raw_role(para: Para) -> str:
    text = para.text
    numbered = bool(re.match(r"^\d{1,2}[.)]?\s", text))
    if is_kicker(text) and not numbered:
        return "kicker"
    if is_all_caps(text) and not numbered:
        return "promo"
    if is_caption(text) or is_credit(text):
        return "caption"
    if CROSS_REFERENCE.search(text):
        return "xref"
    if SIGNATURE.match(text) or BIO.match(text):
        return "body"
    if is_news_label(text) or (looks_like_heading(text) and not CONTACT.search(text) and not para.broken):
        return "heading"
    return "body"


def is_kicker(text: str) -> bool:
    """A section label: a column name, or a few words in capitals without punctuation."""
    if letters_only(text) in COLUMNS:
        return True
    return is_all_caps(text) and len(text.split()) <= 6 and "," not in text and not ends_sentence(text)


def column_of(labels: list[str]) -> str | None:
    for label in labels:
        key = letters_only(label)
        for prefix, name in COLUMNS.items():
            if key.startswith(prefix):
                return name
    return None


def is_advert(paras: list[Para]) -> bool:
    selling = [p for p in paras if ADVERT.search(p.text)]
    return len(selling) >= 2 and len(selling) >= 0.4 * len(paras)


def page_kind(paras: list[Para], is_back_cover: bool) -> str:
    if is_back_cover or is_advert(paras):
        return "advert"
    return "feature" if any(raw_role(p) == "kicker" for p in paras) else "news"


def group_pages(pages: list[list[Para]]) -> list[tuple[str, list[list[Para]]]]:
    """Consecutive feature pages sharing a kicker are one article; every other page stands alone. The
    back cover of a whole issue is an advert."""
    groups: list[tuple[str, list[list[Para]]]] = []
    for i, paras in enumerate(pages):
        kind = page_kind(paras, is_back_cover=len(pages) >= 4 and i == len(pages) - 1)
        if groups and kind != "advert" and continues_feature(groups[-1], kind, paras):
            groups[-1][1].append(paras)
        else:
            groups.append((kind, [paras]))
    return groups


def continues_feature(group: tuple[str, list[list[Para]]], kind: str, paras: list[Para]) -> bool:
    previous_kind, previous_pages = group
    if previous_kind != "feature":
        return False
    if kind == "feature":
        return bool(kicker_keys(paras) & kicker_keys(previous_pages[-1]))
    body = [p for p in paras if raw_role(p) == "body"]
    return bool(body) and starts_lowercase(body[0].text)


def kicker_keys(paras: list[Para]) -> set[str]:
    return {letters_only(p.text) for p in paras if raw_role(p) == "kicker"}


def cross_reference_titles(pages: list[list[Para]]) -> dict[int, str]:
    """'Also read: "Active members, active managers..." - p10' names the article on page 10."""
    titles = {}
    for para in (p for page in pages for p in page):
        found = XREF_TITLE.search(para.text)
        if found:
            titles[int(found.group(2))] = found.group(1).strip()
    return titles


def raw_feature(pages: list[list[Para]], titles: dict[int, str]) -> Draft:
    paras = [p for page in pages for p in page]
    roles = feature_roles(paras)
    first = pages[0]
    kickers = [p.text for p in paras if roles[id(p)] == "kicker"]
    headline = next((p for p in first if roles[id(p)] == "heading" and not re.match(r"\d", p.text)), None)
    standfirst = pick_standfirst(first)
    body = [
        p for p in paras if roles[id(p)] in ("body", "heading") and p is not headline and p is not standfirst
    ]
    body = mark_lists(body)
    for para in body:
        para.heading = roles.get(id(para)) == "heading"
    body = repair_column_flow(body, across_case=False)
    column = column_of(kickers)
    page = first[0].page if first else None
    text = " ".join(p.text for p in body)
    title = raw_title(headline, kickers, titles.get(page or 0), text)
    lead = [standfirst] if standfirst else []
    author = find_byline(standfirst.text) if standfirst else None
    kind: Kind = "legal-eye" if column == LEGAL_EYE else "feature"
    draft = Draft(title, kind, lead + body, author=author, page=page)
    if column:
        draft.extra["column"] = column
    return draft


def feature_roles(paras: list[Para]) -> dict[int, str]:
    """Roles along the article; a heading-like line that runs on in lowercase (past a kicker or page
    break) is a body line cut by the column end."""
    roles = {id(p): raw_role(p) for p in paras}
    flow = [p for p in paras if roles[id(p)] in ("body", "heading")]
    for para, following in zip(flow, flow[1:], strict=False):
        if roles[id(para)] == "heading" and starts_lowercase(following.text):
            roles[id(para)] = "body"
    return roles


def raw_title(headline: Para | None, kickers: list[str], cross_reference: str | None, body: str) -> str:
    """The printed headline; else the title another page gives it ('Also read: ...'); else its kicker."""
    if cross_reference:
        return cross_reference
    if headline:
        return headline.text
    named = [k for k in kickers if letters_only(k) not in COLUMNS]
    if named:
        return recase(named[0], body)
    return column_of(kickers) or "Untitled"


def pick_standfirst(first_page: list[Para]) -> Para | None:
    """The summary under the headline: wider than the columns, with the author's byline if possible."""
    column = median_width(first_page)
    wide = [
        p
        for p in first_page
        if raw_role(p) == "body"
        and p.width >= 1.25 * column
        and 8 <= len(p.text.split()) <= 80
        and not CONTACT.search(p.text)
    ]
    signed = [p for p in wide if find_byline(p.text)]
    ranked = signed or sorted(wide, key=lambda p: -p.width)
    return ranked[0] if ranked else None


def median_width(paras: list[Para]) -> int:
    widths = sorted(p.width for p in paras if raw_role(p) == "body" and len(p.text.split()) >= 12)
    return widths[len(widths) // 2] if widths else 40


def raw_news(paras: list[Para], drafts: list[Draft]) -> list[Draft]:
    kept = [p for p in paras if raw_role(p) in ("body", "heading")]
    kept = repair_column_flow(mark_lists(kept), across_case=False)
    items, untitled = split_news(kept, headline_first=False)
    if not untitled:
        return items
    if not drafts and not items:  # prose before any article: the editor's letter
        return [Draft("Editorial", "feature", untitled, page=untitled[0].page)]
    if drafts and drafts[-1].kind == "news":
        drafts[-1].paras.extend(untitled)
        return items
    return [Draft("In brief", "news", untitled, page=untitled[0].page), *items]


# --- clean layout: end marks matched to the contents list ------------------------------------------


def split_clean_layout(text: str) -> list[Draft]:
    paras = clean_paragraphs(text)
    contents_start, contents_end, entries = find_contents(paras)
    drafts = editorial(paras[:contents_start])
    drafts += body_articles([p for p in paras[contents_end:] if not is_furniture(p.text)], entries)
    return drafts


def clean_paragraphs(text: str) -> list[Para]:
    """One paragraph per block; a block after two or more blank lines is 'boxed' (a caption, pull quote
    or sidebar in this layout)."""
    paras: list[Para] = []
    block: list[str] = []
    blanks = 0
    for line in normalise_characters(text).split("\n") + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            body, ends = strip_end_mark(block_text(block))
            paras.append(Para(body, boxed=blanks >= 2, ends=ends))
            block, blanks = [], 0
        blanks += 1
    return [p for p in paras if p.text]


def block_text(lines: list[str]) -> str:
    """Lines of one clean block: a table ('Name<tab>role') becomes 'Name (role); ...', a list keeps one
    item per line, anything else is one paragraph."""
    if all("\t" in line for line in lines):
        rows = [line.split("\t", 1) for line in lines]
        return "; ".join(f"{squash(name)} ({squash(role)})" for name, role in rows) + "."
    if all(starts_bullet(line) for line in lines):
        return "\n".join("- " + squash(BULLET.sub("", line.strip())) for line in lines)
    return squash(" ".join(line.strip() for line in lines))


def find_contents(paras: list[Para]) -> tuple[int, int, list[Entry]]:
    """The contents list: at least four 'title ... page' lines in page order, with section labels
    ('features', 'regulars') between them. Returns (start, end, entries); (0, 0, []) if none."""
    best: tuple[int, int, list[Entry]] = (0, 0, [])
    i = 0
    while i < len(paras):
        end, entries = contents_run(paras, i)
        if len(entries) >= 4 and len(entries) > len(best[2]):
            best = (i, end, entries)
        i = max(end, i + 1)
    return best


def contents_run(paras: list[Para], start: int) -> tuple[int, list[Entry]]:
    entries: list[Entry] = []
    i = start
    while i < len(paras):
        text = paras[i].text
        entry = parse_entry(text)
        if entry and (not entries or entry.page >= entries[-1].page):
            entries.append(entry)
        elif not (is_section_label(text) and i + 1 < len(paras) and parse_entry(paras[i + 1].text)):
            break
        i += 1
    return i, entries


def parse_entry(text: str) -> Entry | None:
    found = CONTENTS_ENTRY.match(text)
    if not found or len(found.group("text").split()) < 2 or int(found.group("page")) > 150:
        return None
    body = found.group("text")
    split = re.match(r"^(.{2,60}?(?:\?|(?=:)))\s*:?\s+(\S.*)$", body)
    if split and len(split.group(1).split()) <= 6:
        label, description = split.group(1).strip(), split.group(2).strip()
    else:
        label, description = body, ""
    return Entry(label, description, int(found.group("page")), find_byline(description))


def is_section_label(text: str) -> bool:
    return len(text.split()) <= 4 and text == text.lower() and not re.search(r"\d", text)


def editorial(front: list[Para]) -> list[Draft]:
    """The editor's letter before the contents: the run of prose that ends with the end mark."""
    end = next((i for i, p in enumerate(front) if p.ends), None)
    if end is None:
        return []
    start = end
    while (
        start > 0 and is_prose_or_continuation(front[start - 1]) and not is_furniture(front[start - 1].text)
    ):
        start -= 1
    body = repair_column_flow(front[start : end + 1], across_case=True)
    return [Draft("Editorial", "feature", body + postscript(front[end + 1 :]))]


def is_prose_or_continuation(para: Para) -> bool:
    return is_prose(para.text) or starts_lowercase(para.text)


def is_prose(text: str) -> bool:
    return len(text.split()) >= 12 or (ends_sentence(text) and len(text.split()) >= 6)


def body_articles(paras: list[Para], entries: list[Entry]) -> list[Draft]:
    ends = [i for i, p in enumerate(paras) if p.ends]
    chunks = [paras[a + 1 : b + 1] for a, b in zip([-1, *ends], ends, strict=False)]
    news_entry, features = split_entries(entries)
    if not chunks:
        return clean_news(paras, news_entry)
    matched: list[Entry | None] = list(features) if len(features) == len(chunks) else [None] * len(chunks)
    drafts: list[Draft] = []
    for k, chunk in enumerate(chunks):
        start = article_start(chunk, matched[k], whole=k == 0)
        if k == 0:
            drafts += clean_news(chunk[:start], news_entry)
        elif drafts:
            drafts[-1].paras += postscript(chunk[:start])
        following = matched[k + 1] if k + 1 < len(matched) else None
        next_page = following.page if following else None
        drafts.append(clean_feature(chunk[start:], matched[k], next_page))
    if drafts and ends:
        drafts[-1].paras += postscript(paras[ends[-1] + 1 :])
    return drafts


def split_entries(entries: list[Entry]) -> tuple[Entry | None, list[Entry]]:
    news = next((e for e in entries if "news" in e.label.lower()), None)
    return news, [e for e in entries if e is not news]


def article_start(chunk: list[Para], entry: Entry | None, whole: bool) -> int:
    """Where the article begins inside the text between two end marks: its headline, found above its
    first paragraph (the one matching its contents line when news comes before it)."""
    lead = best_contents_match(chunk, entry) if whole else first_lead(chunk)
    if lead is None:
        return len(chunk) if whole else 0  # no sign of where it starts: read it all as news
    start = lead
    while start > 0 and lead - start < 3 and is_headline_piece(chunk[start - 1]):
        start -= 1
    return start


def first_lead(chunk: list[Para]) -> int | None:
    """The first paragraph of the article proper. A short paragraph just above a standfirst that names
    the author is a quote set as the headline."""
    for i, para in enumerate(chunk):
        if is_postscript(para.text) or is_headline_piece(para) or ADVERT.search(para.text):
            continue
        following = chunk[i + 1].text if i + 1 < len(chunk) else ""
        if len(para.text.split()) <= 30 and not find_byline(para.text) and find_byline(following):
            continue
        return i
    return None


def best_contents_match(chunk: list[Para], entry: Entry | None) -> int | None:
    if entry is None:
        return None
    wanted = content_words(f"{entry.label} {entry.description}")
    scored = []
    for i, para in enumerate(chunk):
        after_headline = any(looks_like_heading(p.text) for p in chunk[max(0, i - 2) : i])
        if is_prose(para.text) and after_headline:
            score = len(wanted & content_words(para.text)) / max(len(wanted), 1)
            if entry.author and entry.author.split()[-1] in para.text:
                score += 1
            scored.append((score, -i))
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= 0.3 else None


def is_headline_piece(para: Para) -> bool:
    """Display type above an article: a headline, a quote set as a headline, or a broken line of one
    ('Precious few &', 'The Heat is', 'ON')."""
    text = para.text
    if para.ends or is_postscript(text):
        return False
    display = len(text.split()) <= 8 and not ends_sentence(text)
    return display or looks_like_heading(text) or (is_quote(text) and len(text.split()) <= 40)


def is_postscript(text: str) -> bool:
    """What follows an article's end mark but still belongs to it: disclaimer, reading list, the
    author's note or signature, a call to contact someone."""
    return bool(
        DISCLAIMER.search(text)
        or POSTSCRIPT.match(text)
        or BIO.match(text)
        or SIGNATURE.match(text)
        or ("@" in text and len(text.split()) <= 45)
    )


def postscript(paras: list[Para]) -> list[Para]:
    kept = []
    for para in paras:
        if not (is_postscript(para.text) or is_quote(para.text)):
            break
        kept.append(para)
    return kept


def clean_news(paras: list[Para], entry: Entry | None) -> list[Draft]:
    paras = repair_column_flow(mark_lists(paras), across_case=True)
    items, _untitled = split_news(paras, headline_first=True)
    if items and entry:
        items[0].page = entry.page
    return items


def clean_feature(paras: list[Para], entry: Entry | None, next_page: int | None) -> Draft:
    pieces = 0
    while pieces < len(paras) and pieces < 3 and is_headline_piece(paras[pieces]):
        pieces += 1
    headline = " ".join(p.text for p in paras[:pieces]) or None
    body = repair_column_flow(mark_lists(paras[pieces:]), across_case=True)
    title = clean_title(headline, entry, " ".join(p.text for p in body))
    is_legal_eye = entry is not None and letters_only(entry.label) == letters_only(LEGAL_EYE)
    draft = Draft(
        title, "legal-eye" if is_legal_eye else "feature", body, author=entry.author if entry else None
    )
    if entry:
        draft.page = entry.page
        draft.single_page = next_page == entry.page + 1
        if letters_only(entry.label) in COLUMNS:
            draft.extra["column"] = COLUMNS[letters_only(entry.label)]
    if draft.author is None:
        draft.author = next((a for p in body[:3] if (a := find_byline(p.text))), None)
    return draft


def clean_title(headline: str | None, entry: Entry | None, body: str) -> str:
    """The printed headline when it is a proper one; else the contents list's name for the article."""
    if (
        headline
        and looks_like_heading(headline)
        and not is_all_caps(headline)
        and not ends_incomplete(headline)
    ):
        return headline
    if entry and letters_only(entry.label) not in COLUMNS:
        return entry.label
    if entry and entry.description and len(entry.description.split()) <= 10:
        return f"{entry.label}: {entry.description}"
    if headline:
        return recase(headline, body)
    return entry.label if entry else "Untitled"


def is_furniture(text: str) -> bool:
    return any(pattern.search(text) for pattern in FURNITURE)


# --- news pages: items at their headlines -----------------------------------------------------------


def split_news(paras: list[Para], headline_first: bool) -> tuple[list[Draft], list[Para]]:
    """News items on a page: each headline owns the paragraphs next to it, after it in clean text and
    (mostly) before it in PDF text. Where two headlines share a run of paragraphs, the cut between
    them goes where the words of each story match its headline. Returns (items, untitled paragraphs)."""
    groups = headline_groups(paras, headline_first)
    if not groups:
        return [], paras
    bodies: list[list[Para]] = [[] for _ in groups]
    untitled = paras[: groups[0][0]]
    if untitled and not headline_first:
        bodies[0], untitled = untitled, []
    for g, (_start, end) in enumerate(groups):
        run_end = groups[g + 1][0] if g + 1 < len(groups) else len(paras)
        run = paras[end:run_end]
        if g + 1 == len(groups):
            bodies[g] += run
            continue
        cut = cut_run(
            run,
            headline_words(paras, groups[g]),
            headline_words(paras, groups[g + 1]),
            headline_first,
            needs_left=not bodies[g],
        )
        bodies[g] += run[:cut]
        bodies[g + 1] += run[cut:]
    items = [news_item(paras[start:end], body) for (start, end), body in zip(groups, bodies, strict=True)]
    return [item for item in items if item.paras], untitled


def headline_groups(paras: list[Para], headline_first: bool) -> list[tuple[int, int]]:
    """Runs of headline paragraphs (kicker, then headline) that head a story with real prose next to it."""
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(paras):
        if not is_news_heading(paras[i]):
            i += 1
            continue
        end = i + 1
        while (
            end < len(paras)
            and is_news_heading(paras[end])
            and end - i < 3
            and not is_news_label(paras[i].text)
        ):
            end += 1
        if qualifies_as_headline(paras, i, end, headline_first):
            groups.append((i, end))
        i = end
    return groups


def is_news_heading(para: Para) -> bool:
    text = para.text
    if is_news_label(text):
        return True
    plain = not (para.skipped or is_credit(text) or is_quote(text) or CONTACT.search(text))
    return plain and looks_like_heading(text)


def is_news_label(text: str) -> bool:
    return letters_only(text) in NEWS_LABELS


def qualifies_as_headline(paras: list[Para], start: int, end: int, headline_first: bool) -> bool:
    texts = [p.text for p in paras[start:end]]
    if any(is_news_label(t) for t in texts):
        return True
    if any(DATE_HEADING.match(t) for t in texts) or len(texts[-1].split()) < 3:
        return False
    after = paras[end : end + 2]
    neighbours = after if headline_first else paras[max(0, start - 3) : start] + after
    return any(is_story_prose(p.text) for p in neighbours)


def is_story_prose(text: str) -> bool:
    """A paragraph of a story, not a table or a list."""
    return len(text.split()) >= 20 and text.count(";") < 3 and not text.startswith("- ")


def headline_words(paras: list[Para], group: tuple[int, int]) -> set[str]:
    return content_words(" ".join(p.text for p in paras[group[0] : group[1]]))


def cut_run(run: list[Para], left: set[str], right: set[str], headline_first: bool, needs_left: bool) -> int:
    """How many paragraphs of the run go to the left headline. The layout decides unless the words of
    the stories clearly say otherwise."""
    low = 1 if needs_left and run else 0
    if headline_first:
        return len(run)
    default, margin = low, 1

    def score(cut: int) -> int:
        return sum(len(left & content_words(p.text)) for p in run[:cut]) + sum(
            len(right & content_words(p.text)) for p in run[cut:]
        )

    best = max(range(low, len(run) + 1), key=lambda cut: (score(cut), -abs(cut - default)), default=default)
    return best if score(best) - score(default) >= margin else default


def news_item(heads: list[Para], body: list[Para]) -> Draft:
    texts = [p.text for p in heads]
    title = "Noticeboard" if any(is_news_label(t) for t in texts) else texts[-1]
    draft = Draft(
        title, "news", body, page=(heads[0].page if heads else None), listing=title == "Noticeboard"
    )
    if len(texts) > 1 and not is_news_label(texts[0]):
        draft.extra["topic"] = texts[0]
    return draft


# --- column flow ------------------------------------------------------------------------------------


def repair_column_flow(paras: list[Para], across_case: bool) -> list[Para]:
    """Rejoin sentences cut where a column ends: a paragraph that stops mid-sentence continues in the
    next paragraph that starts in lowercase, past a caption or pull quote that interrupts it; failing
    that, in the story whose words match (a column continued further down the page). `across_case`
    also lets it continue in an uppercase paragraph ('...the' + 'UK's ageing population'), which is
    only safe in clean text where paragraph order is reliable."""
    paras = list(paras)
    join_nearby(paras)
    if across_case:
        join_adjacent_uppercase(paras)
    join_by_topic(paras)
    if across_case:
        join_over_box(paras)
    return [p for p in paras if not is_fragment(p.text)]


def is_fragment(text: str) -> bool:
    """Scraps of display type cut by the extraction: 'betw', 'agement', 'e of soaring ns'."""
    short = len(text.split()) <= 4 and len(text) <= 24
    return short and starts_lowercase(text) and not ends_sentence(text) and not is_news_label(text)


def is_open(para: Para) -> bool:
    text = para.text
    return not (
        para.heading or para.ends or ends_sentence(text) or is_fragment(text) or text.startswith("- ")
    )


def is_dangling(para: Para) -> bool:
    """Stops mid-sentence for sure: on a comma or a word like 'the', or too long for a headline."""
    if not is_open(para) or (para.boxed and is_inset(para)):
        return False
    return ends_incomplete(para.text) or (len(para.text.split()) >= 6 and not looks_like_heading(para.text))


def is_orphan(paras: list[Para], i: int) -> bool:
    """Starts in lowercase, so it continues a sentence from somewhere (a web address does not)."""
    text = paras[i].text
    first_token = text.split(" ", 1)[0]
    is_address = bool(re.search(r"[/@]|\.[a-z]", first_token))
    return starts_lowercase(text) and not is_fragment(text) and not paras[i].heading and not is_address


def is_inset(para: Para) -> bool:
    """A caption, pull quote or credit sitting inside the column flow."""
    text = para.text
    insetish = para.boxed or is_quote(text) or is_credit(text) or is_caption(text)
    return insetish and len(text.split()) <= 45 and not starts_lowercase(text)


def is_caption(text: str) -> bool:
    """'... sign the deal in Manchester (Photo: Joel Goodman).' A long paragraph may say '(pictured)'."""
    return bool(CAPTION.search(text)) and len(text.split()) <= 30


def is_quote(text: str) -> bool:
    return text[:1] in '“"' or bool(re.match(rf"^{NAME}:\s*“", text))


def is_credit(text: str) -> bool:
    """Photo credits and quote attributions: 'IAN DAVIDSON / ALAMY STOCK PHOTO', '—Helga Pile, UNISON'."""
    if re.match(r"^[—–]\s*\S", text) and len(text.split()) <= 8:
        return True
    return is_all_caps(text) and (bool(re.search(r"[,/©]", text)) or "PHOTO" in text) or text.startswith("©")


def join_nearby(paras: list[Para]) -> None:
    i = 0
    while i < len(paras):
        target = nearby_continuation(paras, i)
        if target is not None:
            for inset in paras[i + 1 : target]:
                inset.skipped = True
            paras[i] = merge(paras[i], paras.pop(target))
        else:
            i += 1


def nearby_continuation(paras: list[Para], i: int) -> int | None:
    if not is_open(paras[i]):
        return None
    for j in range(i + 1, min(i + 4, len(paras))):
        if is_orphan(paras, j):
            # Past a caption, a headline never runs on in lowercase: whatever stops here continues.
            return j if j == i + 1 or not (paras[i].boxed and is_inset(paras[i])) else None
        if not is_inset(paras[j]):
            return None
    return None


def join_adjacent_uppercase(paras: list[Para]) -> None:
    i = 0
    while i + 1 < len(paras):
        current, following = paras[i], paras[i + 1]
        if runs_on_in_capitals(following) and (is_dangling(current) or splits_name(current, following)):
            paras[i] = merge(current, paras.pop(i + 1))
        else:
            i += 1


def splits_name(current: Para, following: Para) -> bool:
    """'...regional director Clare' + 'Panniker. "We have...': a name cut in two, even after a short line."""
    return (
        is_open(current)
        and not current.boxed
        and bool(re.search(r"\b[A-Z][a-z]+$", core(current.text)))
        and bool(re.match(r"^[A-Z][a-z'’-]+[.,]\s", following.text))
    )


def runs_on_in_capitals(para: Para) -> bool:
    text = para.text
    return (
        not para.boxed
        and not para.heading
        and starts_upper(text)
        and not looks_like_heading(text)
        and not is_quote(text)
        and not is_credit(text)
    )


def join_by_topic(paras: list[Para]) -> None:
    """Pair each paragraph left hanging with an orphaned continuation further on, best topic match
    first, and move the continuation's run up behind it."""
    while True:
        pairs = [
            (topic_score(paras, d, o), d, o)
            for d in range(len(paras))
            if is_dangling(paras[d])
            for o in range(d + 2, len(paras))
            if is_orphan(paras, o)
        ]
        pairs = [pair for pair in pairs if pair[0] > 0]
        if not pairs:
            return
        _, d, o = max(pairs)
        end = run_end(paras, o)
        run = paras[o:end]
        del paras[o:end]
        paras[d] = merge(paras[d], run[0])
        paras[d + 1 : d + 1] = run[1:]


def topic_score(paras: list[Para], d: int, o: int) -> float:
    before = content_words(" ".join(p.text for p in paras[max(0, d - 2) : d + 1]))
    after = content_words(" ".join(p.text for p in paras[o : run_end(paras, o)][:3]))
    return len(before & after) + 0.5 - 0.05 * (o - d)


def run_end(paras: list[Para], start: int) -> int:
    """A continued column runs until a heading, another continuation or the next box."""
    end = start + 1
    while end < len(paras):
        para = paras[end]
        if para.heading or looks_like_heading(para.text) or starts_lowercase(para.text) or para.boxed:
            break
        end += 1
    return end


def join_over_box(paras: list[Para]) -> None:
    """'...turn the Ten' + [caption] + 'Year Health Plan into...': a box interrupts a sentence."""
    i = 0
    while i + 2 < len(paras):
        current, box, following = paras[i], paras[i + 1], paras[i + 2]
        if is_dangling(current) and box.boxed and is_inset(box) and runs_on_in_capitals(following):
            box.skipped = True
            paras[i] = merge(current, paras.pop(i + 2))
        else:
            i += 1


# --- finishing: metadata out, repeats and insets dropped, sections built ----------------------------


def finish(draft: Draft) -> Draft:
    paras = [
        replace(p, text=undo_drop_cap(tidy(p.text)) if "\n" not in p.text else p.text)
        for p in draft.paras
        if not p.skipped
    ]
    paras = take_metadata(draft, paras)
    paras = drop_repeats([p for p in paras if p.text and not is_credit(p.text) and not is_caption(p.text)])
    paras = mark_lists(paras)
    if not draft.listing:
        mark_headings(paras)
    draft.paras = paras
    return draft


def undo_drop_cap(text: str) -> str:
    """'“M y career...' -> '“My career...': a large first letter extracted as a word of its own."""
    return re.sub(r"^([“\"‘]?)([B-HJ-Z]) (?=[a-z])", r"\1\2", text)


def take_metadata(draft: Draft, paras: list[Para]) -> list[Para]:
    """Author notes, signatures and disclaimers are metadata, not text to quote."""
    kept = []
    for para in paras:
        text = para.text
        person = BIO.match(text) if len(text.split()) <= 30 else None
        person = person or SIGNATURE.match(text)
        if person and (not para.heading or SIGNATURE.match(text)):
            draft.author = draft.author or person.group(1)
            if BIO.match(text):
                draft.extra.setdefault("author_note", text)
        elif DISCLAIMER.search(text):
            draft.extra["disclaimer"] = text
        else:
            kept.append(para)
    return kept


def drop_repeats(paras: list[Para]) -> list[Para]:
    """Pull quotes repeat a sentence of the article; a repeated paragraph is printed twice."""
    seen: set[str] = set()
    kept = []
    for para in paras:
        key = letters_only(para.text)
        quotable = not para.heading and not looks_like_heading(para.text)
        if key in seen or (quotable and is_pull_quote(para, paras)):
            continue
        seen.add(key)
        kept.append(para)
    return kept


def is_pull_quote(para: Para, paras: list[Para]) -> bool:
    text = re.sub(rf"^{NAME}:\s*", "", para.text)
    pairs = bigrams(text)
    if len(pairs) < 4 or len(text.split()) > 80:
        return False
    for other in paras:
        if other is para or other.heading or not outranks(other, para):
            continue
        if len(pairs & bigrams(other.text)) >= 0.6 * len(pairs):
            return True
    return False


def outranks(source: Para, copy: Para) -> bool:
    """Which of two matching paragraphs is the original: the longer one, or the one not set as a quote."""
    if len(source.text) != len(copy.text) and len(source.text.split()) > len(copy.text.split()):
        return True
    return (is_quote(copy.text) or copy.boxed) and not (is_quote(source.text) or source.boxed)


def bigrams(text: str) -> set[tuple[str, str]]:
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))
    return set(zip(tokens, tokens[1:], strict=False))


def mark_lists(paras: list[Para]) -> list[Para]:
    """Short lines after 'including:' are list items, not sub-headings: '- item' per line."""
    merged: list[Para] = []
    in_list = False
    for para in paras:
        item = (in_list or starts_bullet(para.text)) and not para.heading and is_list_item(para.text)
        text = BULLET.sub("", para.text.strip())
        if item and merged and merged[-1].text.startswith("- "):
            merged[-1] = Para(merged[-1].text + "\n- " + text, merged[-1].page, ends=para.ends)
        elif item:
            merged.append(Para("- " + text, para.page, ends=para.ends))
        else:
            merged.append(para)
            in_list = para.text.rstrip().endswith(":")
            continue
        in_list = True
    return merged


def is_list_item(text: str) -> bool:
    if starts_bullet(text):
        return True
    return (
        len(text.split()) <= 25
        and starts_upper(text)
        and not text.rstrip().endswith((".", ":"))
        and "\n" not in text
    )


def mark_headings(paras: list[Para]) -> None:
    """A heading-like line followed by prose is a sub-heading of the article; a 'heading' with no text
    under it is only a line of text."""
    for i, para in enumerate(paras):
        following = paras[i + 1] if i + 1 < len(paras) else None
        if following is None or following.heading or looks_like_heading(following.text):
            para.heading = False
        elif not para.heading and looks_like_heading(para.text) and not para.broken:
            para.heading = not para.text.startswith("- ")


# --- documents --------------------------------------------------------------------------------------


def apply_manifest(drafts: list[Draft], meta: SourceMeta | None) -> None:
    """sources.yaml names the Legal Eye column: 'Title (Author, Firm)'. It wins over the text."""
    if not meta or not meta.legal_eye:
        return
    found = re.match(
        r"^(?P<title>.+?)\s*\((?P<author>[^,()]+)(?:,\s*(?P<firm>[^()]+))?\)\s*$", meta.legal_eye
    )
    for draft in (d for d in drafts if d.kind == "legal-eye"):
        draft.title = found.group("title") if found else meta.legal_eye
        if found:
            draft.author = found.group("author").strip()
            if found.group("firm"):
                draft.extra["author_firm"] = found.group("firm").strip()


def unique_anchors(drafts: list[Draft]) -> list[str]:
    anchors: list[str] = []
    for draft in drafts:
        base = "legal-eye" if draft.kind == "legal-eye" else slug(draft.title)
        anchor, n = base, 2
        while anchor in anchors or (anchor == "legal-eye" and draft.kind != "legal-eye"):
            anchor, n = f"{base}-{n}", n + 1
        anchors.append(anchor)
    return anchors


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    anchor = ""
    for part in parts:
        if len(anchor) + len(part) + 1 > limit:
            break
        anchor = f"{anchor}-{part}" if anchor else part
    return anchor or "article"


def to_document(draft: Draft, source_id: str, issue: IssueInfo, meta: SourceMeta | None) -> Document:
    return Document(
        source_id=source_id,
        kind=draft.kind,
        title=draft.title,
        publication=PUBLICATION,
        issue=issue.label,
        date=(meta.date if meta and meta.date else issue.year),
        author=draft.author,
        page=draft.page,
        extra=draft.extra,
        sections=build_sections(draft),
    )


def build_sections(draft: Draft) -> list[Section]:
    """Sections break at sub-headings and, where pages are known, at page turns (so each passage can
    be cited by its page)."""
    sections: list[Section] = []
    heading: str | None = None
    texts: list[str] = []
    page: int | None = None
    body = " ".join(p.text for p in draft.paras if not p.heading)
    for para in [*draft.paras, Para("", heading=True)]:
        turns_page = bool(texts) and para.page is not None and page is not None and para.page != page
        if para.heading or turns_page:
            if texts:
                text = "\n\n".join(texts)
                sections.append(Section(heading=heading, text=text, page=section_page(draft, page, sections)))
            texts, page = [], None
            if para.heading:
                heading = (recase(para.text, body) if is_all_caps(para.text) else para.text) or None
                continue
        if para.text:
            texts.append(para.text)
            page = page if page is not None else para.page
    return sections


def section_page(draft: Draft, page: int | None, earlier: list[Section]) -> int | None:
    if page is not None:
        return page
    return draft.page if draft.single_page or not earlier else None


# --- words ------------------------------------------------------------------------------------------


def content_words(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) >= 4 and w.lower() not in STOPWORDS}


def stem(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def find_byline(text: str) -> str | None:
    for pattern in BYLINES:
        found = pattern.search(text)
        if found:
            return found.group(1)
    return None


def recase(text: str, body: str) -> str:
    """'CONSTRUCTIVE DISMISSAL' -> 'Constructive dismissal', 'INTERVIEW: ANDREW CANNELL' -> 'Interview:
    Andrew Cannell': each capitalised word takes the form the article itself uses most."""
    forms = Counter(w for w in words(body) if not w.islower())
    lower = {w.lower() for w in words(body) if w.islower()}
    shouting = is_all_caps(text)

    def one(word: str) -> str:
        if word == "A" and shouting:
            return "a"
        if not (len(word) > 1 and word.isupper()):
            return word
        printed = [(n, form) for form, n in forms.items() if form.lower() == word.lower()]
        if printed and (max(printed)[1].isupper() or word.lower() not in lower):
            return max(printed)[1]
        return word.lower()

    out = re.sub(r"[A-Za-z][A-Za-z'’]*", lambda m: one(m.group(0)), text)
    out = re.sub(r"(^[^A-Za-z]*|[:?!.]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)
    return out
