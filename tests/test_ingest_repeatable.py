"""Ingest is repeatable: unchanged passages are never re-embedded, edits replace, deletions remove,
bad files are skipped with a reason, and a crash mid-way leaves the previous index usable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.wiring import open_knowledge
from ingest.pipeline import ingest
from knowledge.embedder import HashingEmbedder

FACTSHEET = """---
title: "Notice periods"
topics: [notice]
last_reviewed: 2026-11-01
legislation: ["Employment Rights Act 1996"]
review_status: needs-officer-review
---
Everyone is entitled to a minimum period of notice.

## How much notice must my employer give?
An employer must give at least one week's notice after one month of employment. The statutory minimum
rises by one week for each complete year of employment, up to twelve weeks.

## Can my contract give more?
A contract can give more notice than the statutory minimum, but never less.
"""


class CountingEmbedder(HashingEmbedder):
    """The fake embedder, counting what it is asked to embed, and failing on demand."""

    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__()
        self.embedded = 0
        self.fail_after = fail_after

    def embed_with_parts(self, texts: Sequence[str], parts):  # noqa: ANN001, ANN201 - the pipeline's one call
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise RuntimeError("power cut")
        self.embedded += len(texts)
        return super().embed_with_parts(texts, parts)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    (root / "factsheets").mkdir(parents=True)
    (root / "factsheets" / "notice.md").write_text(FACTSHEET)
    (root / "factsheets" / "leave.md").write_text(
        "# Annual leave\n\nFull-time staff get at least 5.6 weeks of paid holiday a year.\n"
    )
    return root


def run(settings: Settings, paths: list[Path], embedder: HashingEmbedder):  # noqa: ANN201
    return ingest(paths, open_knowledge(settings, embedder).store, embedder)


def test_a_second_run_over_unchanged_files_embeds_and_writes_nothing(
    settings: Settings, folder: Path
) -> None:
    first = run(settings, [folder], CountingEmbedder())
    embedder = CountingEmbedder()
    second = run(settings, [folder], embedder)
    assert first.added == first.passages > 0 and first.documents == 2
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, first.passages)
    assert embedder.embedded == 0


def test_an_edited_file_replaces_only_its_changed_passages(settings: Settings, folder: Path) -> None:
    run(settings, [folder], CountingEmbedder())
    notice = folder / "factsheets" / "notice.md"
    notice.write_text(notice.read_text().replace("but never less", "but not less"))
    embedder = CountingEmbedder()
    report = run(settings, [folder], embedder)
    assert (report.updated, report.removed, embedder.embedded) == (1, 1, 1)
    store = open_knowledge(settings, embedder).store
    texts = [p.text for p in store.document("knowledge/factsheets/notice.md")]
    assert any("but not less" in t for t in texts) and not any("never less" in t for t in texts)


def test_passages_of_a_deleted_file_are_removed(settings: Settings, folder: Path) -> None:
    run(settings, [folder], CountingEmbedder())
    (folder / "factsheets" / "leave.md").unlink()
    report = run(settings, [folder], CountingEmbedder())
    assert report.removed == 1
    sources = [s.source_id for s in open_knowledge(settings, HashingEmbedder()).store.sources()]
    assert sources == ["knowledge/factsheets/notice.md"]


def test_ingesting_another_folder_keeps_what_is_already_stored(
    settings: Settings, folder: Path, tmp_path: Path
) -> None:
    run(settings, [folder], CountingEmbedder())
    other = tmp_path / "corpus"
    other.mkdir()
    (other / "news.txt").write_text(
        "Trusts must consult the union before any restructuring of management posts.\n"
    )
    report = run(settings, [other], CountingEmbedder())
    assert report.removed == 0 and report.added == 1
    assert len(open_knowledge(settings, HashingEmbedder()).store.sources()) == 3


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_ingested(
    settings: Settings, folder: Path
) -> None:
    (folder / "empty.md").write_text("   \n")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    report = run(settings, [folder, folder / "missing.md"], CountingEmbedder())
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.md", "blob.txt", "sheet.xlsx", "broken.pdf", "missing.md"}
    assert reasons["sheet.xlsx"] == "unsupported file type .xlsx"
    assert reasons["missing.md"] == "no such file or folder"
    assert report.documents == 2


def test_a_crash_mid_way_leaves_the_previous_index_usable(settings: Settings, folder: Path) -> None:
    first = run(settings, [folder], CountingEmbedder())
    notice = folder / "factsheets" / "notice.md"
    notice.write_text(
        notice.read_text().replace("twelve weeks", "12 weeks") + "\nA new closing sentence is here.\n"
    )
    with pytest.raises(RuntimeError, match="power cut"):
        run(settings, [folder], CountingEmbedder(fail_after=0))
    store = open_knowledge(settings, HashingEmbedder()).store
    assert store.count() == first.passages
    assert store.keyword_search("statutory minimum notice", k=1)
    recovered = run(settings, [folder], CountingEmbedder())
    assert (
        recovered.removed >= 1
        and recovered.unchanged + recovered.updated + recovered.added == recovered.passages
    )
