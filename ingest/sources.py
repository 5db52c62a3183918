"""Metadata about source files: from a sources.yaml beside them, when there is one."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

MANIFEST = "sources.yaml"


class SourceMeta(BaseModel):
    """One entry of sources.yaml. `kind` is the file's kind (magazine-issue, web-article, news,
    meeting-notes, factsheet...), not yet a passage kind: a magazine issue holds many kinds."""

    model_config = ConfigDict(extra="ignore")

    file: str
    kind: str | None = None
    publication: str | None = None
    publisher: str | None = None  # who published it, when no publication is named ("Acas")
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    legal_eye: str | None = None
    notes: str | None = None


def read_manifest(folder: Path) -> dict[str, SourceMeta]:
    """File name -> metadata. A missing or unreadable manifest means no metadata, not a failure."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        metas = [SourceMeta.model_validate({**e, "date": _iso(e.get("date"))}) for e in entries]
    except (yaml.YAMLError, ValidationError, TypeError, AttributeError, UnicodeDecodeError):
        return {}
    return {m.file: m for m in metas}


def _iso(value: object) -> str | None:
    # YAML reads 2017-08-14 as a date and 2026-03 as a string; keep both as ISO text.
    return None if value is None else str(value)
