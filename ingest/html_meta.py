"""What a saved web page says about itself: title, publisher, date, author and address.

Read from the page's own markup (Open Graph and Dublin Core meta tags, GOV.UK's govuk: tags, JSON-LD,
<time>, the canonical link, the "saved from url=" comment browsers write), then from the dates the
page states in its text ("Last updated 12 March 2025"). Nothing is guessed from the body's figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag
from bs4.element import PreformattedString

from ingest.dates import iso_date, stated_date
from ingest.provenance import Declared, publisher_of_url

# Most recent first: what was last checked is what a member should weigh.
_UPDATED_META = (
    "article:modified_time", "og:updated_time", "govuk:public-updated-at", "dc.date.modified",
    "dcterms.modified", "datemodified", "last-modified",
)  # fmt: skip
_PUBLISHED_META = (
    "article:published_time", "govuk:first-published-at", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "datepublished", "date", "pubdate", "publish-date",
)  # fmt: skip
_HIDDEN = {"script", "style", "noscript", "template", "head", "title"}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>https?://[^\s>]+)", re.I)


def declared_by_page(soup: BeautifulSoup, raw: str) -> Declared:
    """Everything the page declares; `raw` is the page source (for the browser's saved-from comment)."""
    meta = _meta_tags(soup)
    url = _first(_canonical_url(soup), meta.get("og:url"), _saved_from(raw))
    publication = _first(
        meta.get("og:site_name"), meta.get("dc.publisher"), meta.get("dcterms.publisher"), _govuk(meta)
    )
    return Declared(
        title=_title(soup, meta, publication or publisher_of_url(url)),
        publication=publication,
        date=_page_date(soup, meta),
        author=_first(meta.get("author"), meta.get("dc.creator"), _not_url(meta.get("article:author"))),
        url=url,
    )


def page_text(soup: BeautifulSoup) -> str:
    """The page's visible text, one element per line: where "Published\\n3 May 2024" can be read."""
    shown = (
        s
        for s in soup.find_all(string=True)
        if not isinstance(s, PreformattedString) and (s.parent is None or s.parent.name not in _HIDDEN)
    )
    lines = (line.strip() for text in shown for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = " ".join(str(tag.get("content") or "").split())
        if name and content:
            found.setdefault(str(name).strip().lower(), content)
    return found


def _govuk(meta: dict[str, str]) -> str | None:
    # Every GOV.UK page carries govuk:* tags (format, content id, publishing organisation).
    return "GOV.UK" if any(name.startswith("govuk:") for name in meta) else None


def _title(soup: BeautifulSoup, meta: dict[str, str], site: str | None) -> str | None:
    """og:title, else <title> without its " - GOV.UK" / " | Acas" tail, else the first <h1>."""
    titled = soup.title.get_text(" ") if isinstance(soup.title, Tag) else None
    h1 = soup.find("h1")
    heading = h1.get_text(" ") if isinstance(h1, Tag) else None
    for title in (meta.get("og:title"), meta.get("dc.title"), _without_site(titled, site), heading):
        if title and (text := " ".join(title.split())):
            return text
    return None


def _without_site(title: str | None, site: str | None) -> str | None:
    if not title or not site:
        return title
    return re.sub(rf"\s+[-|–—:]\s+{re.escape(site)}\s*$", "", title.strip(), flags=re.I)


def _page_date(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    updated = [iso_date(meta.get(name)) for name in _UPDATED_META]
    published = [iso_date(meta.get(name)) for name in _PUBLISHED_META]
    linked = _json_ld_dates(soup)
    return _first(*updated, linked.get("dateModified"), *published, linked.get("datePublished"), _time(soup)) or (
        stated_date(page_text(soup))
    )


def _json_ld_dates(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue  # a broken block of JSON-LD tells us nothing
        for key, value in _items(data):
            if key in ("dateModified", "datePublished") and (iso := iso_date(str(value))):
                found.setdefault(key, iso)
    return found


def _items(data: object) -> Iterator[tuple[str, object]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from _items(value)
    elif isinstance(data, list):
        for value in data:
            yield from _items(value)


def _time(soup: BeautifulSoup) -> str | None:
    tag = soup.find("time")
    if not isinstance(tag, Tag):
        return None
    return iso_date(str(tag.get("datetime") or "")) or iso_date(tag.get_text(" "))


def _canonical_url(soup: BeautifulSoup) -> str | None:
    tag = soup.find("link", rel="canonical")
    if not isinstance(tag, Tag):
        return None
    return str(tag.get("href") or "").strip() or None


def _saved_from(raw: str) -> str | None:
    match = _SAVED_FROM.search(raw[:2000])
    return match.group("url") if match else None


def _not_url(value: str | None) -> str | None:
    return None if value and value.startswith(("http://", "https://")) else value


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)
