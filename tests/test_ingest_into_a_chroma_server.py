"""`rightsbot ingest` into a Chroma server (RIGHTSBOT_CHROMA_URL) on a machine that has never run it:
the data folder for the keyword index is made, not "unable to open database file". A server that
does not answer is named, quickly, not waited on for ever."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from chroma_process import ChromaProcess, free_port

from bot.cli import main

FACTSHEET = """# Redundancy notice

Your employer must give you at least one week's notice for each complete year of service, up to
twelve weeks, before your employment ends by redundancy.
"""


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "redundancy-notice.md").write_text(FACTSHEET)
    return folder


@pytest.mark.slow
def test_a_first_ingest_into_a_chroma_server_makes_the_data_folder(
    tmp_path: Path,
    documents: Path,
    own_chroma_server: ChromaProcess,
    monkeypatch: pytest.MonkeyPatch,
    minilm,  # noqa: ANN001
) -> None:
    data_dir = tmp_path / "never-made" / "data"
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RIGHTSBOT_CHROMA_URL", own_chroma_server.url)

    assert main(["ingest", str(documents)]) == 0
    assert (data_dir / "keyword.sqlite3").is_file()
    assert main(["search", "notice of redundancy"]) == 0


def test_a_chroma_server_that_is_not_there_is_named_quickly(
    tmp_path: Path, documents: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("RIGHTSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RIGHTSBOT_CHROMA_URL", nobody)
    started = time.monotonic()

    assert main(["search", "notice of redundancy"]) == 2
    assert f"the Chroma server at {nobody} did not answer" in capsys.readouterr().err
    assert time.monotonic() - started < 5
