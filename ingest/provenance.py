"""Whose document it is: only the union's own content is cited as MiP's.

A document is MiP's when it sits in a `factsheets` folder of the knowledge base, or when sources.yaml
or its front matter says it is a factsheet or names MiP as its publisher, or its front matter is in
MiP's factsheet format (a `last_reviewed` or `review_status` key, which no other tool writes). Everything else cites its
own publisher: as sources.yaml or the file itself names it (front matter, og:site_name, a GOV.UK
page's own markers), else the owner of its address ("www.acas.org.uk" -> "Acas"), else nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit

from ingest.sources import SourceMeta
from knowledge.passage import MIP_FACTSHEET, Kind

FACTSHEETS_FOLDER = "factsheets"
_MIP_NAMES = {"mip", "managersinpartnership", "mipfactsheet"}  # the union itself, as a publisher

# sources.yaml describes files ("web-article"); passages need a Kind ("web").
_KIND_BY_FILE_KIND: dict[str, Kind] = {
    "web-article": "web",
    "web-page": "web",
    "news": "news",
    "meeting-notes": "minutes",
    "factsheet": "factsheet",
    "legal-eye": "legal-eye",
}
# Publishers members know by name rather than by web address.
_PUBLISHER_BY_DOMAIN = {
    "gov.uk": "GOV.UK",
    "legislation.gov.uk": "legislation.gov.uk",
    "acas.org.uk": "Acas",
    "nhsemployers.org": "NHS Employers",
    "nhs.uk": "NHS",
    "england.nhs.uk": "NHS England",
    "equalityhumanrights.com": "Equality and Human Rights Commission",
    "citizensadvice.org.uk": "Citizens Advice",
    "miphealth.org.uk": "MiP website",
}


@dataclass(frozen=True)
class Declared:
    """What a file says about itself (front matter, HTML meta tags, document properties); sources.yaml
    wins over all of it. Dates are ISO text; `url` is where the document was published."""

    kind: str | None = None
    title: str | None = None
    publication: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    factsheet_format: bool = False  # front matter in MiP's factsheet format (knowledge/README.md)


def passage_kind(file_kind: str | None, default: Kind) -> Kind:
    """The passage kind for a file kind from sources.yaml or front matter; unknown kinds get the default."""
    if file_kind in get_args(Kind):
        return file_kind  # type: ignore[return-value]
    return _KIND_BY_FILE_KIND.get(file_kind or "", default)


def kind_and_publication(
    meta: SourceMeta, declared: Declared, path: Path, default: Kind
) -> tuple[Kind, str | None]:
    """(passage kind, the publication citations name). Raises nothing."""
    file_kind = meta.kind or declared.kind
    named = meta.publication or meta.publisher or declared.publication
    mip_itself = bool(named) and re.sub(r"[^a-z]", "", (named or "").lower()) in _MIP_NAMES
    unnamed = not (file_kind or named)
    own = file_kind == "factsheet" or mip_itself or (unnamed and (declared.factsheet_format or in_factsheets(path)))
    kind = passage_kind(file_kind, "factsheet" if own else default)
    if own and kind == "factsheet" and (mip_itself or not named):
        return kind, MIP_FACTSHEET
    return kind, named or publisher_of_url(meta.url or declared.url)


def in_factsheets(path: Path) -> bool:
    """knowledge/factsheets/redundancy.md: the folder where MiP keeps its own factsheets."""
    return FACTSHEETS_FOLDER in path.resolve().parent.parts


def publisher_of_url(url: str | None) -> str | None:
    """'https://www.gov.uk/holiday-entitlement-rights' -> 'GOV.UK'; an unknown site is named by its
    domain ('example.org'); no address, no publisher."""
    host = (urlsplit(url).hostname or "") if url and re.match(r"https?://", url) else ""
    host = host.lower().removeprefix("www.")
    return _PUBLISHER_BY_DOMAIN.get(host, host) if host else None
