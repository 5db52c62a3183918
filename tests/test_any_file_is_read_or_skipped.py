"""Any file a union office might drop in the knowledge folder, however broken (random bytes, a
truncated or damaged PDF or Word file, bad encodings), is either read or skipped with a one-line
reason: ingest never stops on it. Property-based (hypothesis)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import given
from hypothesis import strategies as st

from ingest.loaders import SkippedFile, load_file

SUFFIXES = [".md", ".html", ".txt", ".pdf", ".docx"]


def a_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, "Redundancy pay\n\nYou are entitled to statutory redundancy pay after two years.")
    return bytes(pdf.output())


def a_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Notice periods", level=1)
    document.add_paragraph("An employer must give at least one week's notice.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


GOOD = {".pdf": a_pdf(), ".docx": a_docx()}


@st.composite
def damaged(draw: st.DrawFn, good: bytes) -> bytes:
    """A real file, cut short or with a few bytes overwritten: what a failed copy or a bad disk leaves."""
    data = bytearray(good)
    if draw(st.booleans()):
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if data:
            data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def read_or_skip(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"dropped{suffix}"
        path.write_bytes(data)
        try:
            documents = load_file(path, f"knowledge/dropped{suffix}", None)
        except SkippedFile as skipped:
            assert skipped.reason and "\n" not in skipped.reason and "Traceback" not in skipped.reason
            return
        assert documents and all(d.sections for d in documents)


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(data=st.binary(max_size=2048))
def test_any_bytes_are_read_or_skipped_with_a_reason(suffix: str, data: bytes) -> None:
    read_or_skip(suffix, data)


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_any_text_in_any_encoding_is_read_or_skipped(suffix: str, text: str, encoding: str) -> None:
    read_or_skip(suffix, text.encode(encoding, errors="replace"))


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
@given(data=st.data())
def test_a_damaged_pdf_or_word_file_is_read_or_skipped(suffix: str, data: st.DataObject) -> None:
    read_or_skip(suffix, data.draw(damaged(GOOD[suffix])))
