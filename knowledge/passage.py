"""What the knowledge base holds: documents cut into passages that keep their citation."""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, Field

from knowledge.validity import Validity

Kind = Literal["factsheet", "legal-eye", "news", "feature", "minutes", "web"]
# Written as advice to members and kept to the law in force; the other kinds report events and views.
GUIDANCE: tuple[Kind, ...] = ("factsheet", "legal-eye")
MIP_FACTSHEET = "MiP factsheet"  # the publication of the union's own factsheets
# The union's own publications: anything naming MiP, and its members' magazine, Healthcare Manager.
_NAMES_MIP = re.compile(r"\bMiP\b|\bManagers in Partnership\b|^Healthcare Manager\b", re.I)


def publisher_of(publication: str | None) -> str | None:
    """Who stands behind a publication: "MiP" for the union's own ("MiP factsheet", "Healthcare
    Manager (MiP members' magazine)", "MiP website"), else the publication's own name; None if unknown."""
    return "MiP" if publication and _NAMES_MIP.search(publication) else publication


class Section(BaseModel):
    """A run of text under one heading, on one page where the source has pages."""

    heading: str | None = None
    text: str
    page: int | None = None
    validity: Validity | None = None  # when the section's rule applies (a factsheet's Dates line)


class Document(BaseModel):
    """One citable unit: a factsheet, a web page, or one article of a magazine issue."""

    source_id: str  # "corpus/healthcare-manager-67-spring-2026.txt#legal-eye"
    kind: Kind
    title: str
    publication: str | None = None
    issue: str | None = None  # "issue 67, spring 2026"
    date: str | None = None  # ISO, as precise as known: "2026-03", "2017-08-14"
    author: str | None = None
    url: str | None = None
    page: int | None = None  # first page of the article, where known
    extra: dict[str, str] = Field(default_factory=dict)  # e.g. factsheet legislation, last_reviewed
    sections: list[Section]


class Passage(BaseModel):
    """A retrievable piece of a document that carries everything needed to cite it."""

    id: str
    text: str
    source_id: str
    kind: Kind
    title: str
    publication: str | None = None
    issue: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    section: str | None = None
    page: int | None = None
    position: int = 0  # order within its document, so neighbours can be found
    content_hash: str
    validity: Validity | None = None  # None: in force as of the document's date

    @property
    def locator(self) -> str | None:
        """Where in the source: page and/or section, as a reader would look for it."""
        parts = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.section and self.section != self.title:
            parts.append(f"section '{self.section}'")
        return ", ".join(parts) or None

    @property
    def publisher(self) -> str | None:
        return publisher_of(self.publication)

    def citation(self) -> str:
        """Healthcare Manager, issue 67, spring 2026, Legal Eye: 'Title' (Author), p.22
        A source with no date says so: GOV.UK, undated, 'Holiday entitlement'."""
        when = self.issue or self.date
        if self.kind == "factsheet" and self.date:
            when = f"reviewed {self.date}"  # a factsheet's date is when an officer last checked it
        head = ", ".join(p for p in (self.publication, when) if p)
        label = "Legal Eye: " if self.kind == "legal-eye" else ""
        if not when:  # members must see that nothing says when this was true
            text = f"{self.publication}, undated, {label}'{self.title}'" if head else f"{label}'{self.title}', undated"
        else:
            text = f"{head}, {label}'{self.title}'"
        if self.author:
            text += f" ({self.author})"
        if self.locator:
            text += f", {self.locator}"
        return text


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def passage_id(source_id: str, record: str) -> str:
    """Stable across re-runs: an unchanged passage keeps its id and is never re-embedded."""
    return f"{source_id}@{content_hash(record)}"
