"""Text extracted from PDFs and web pages comes out as clean, quotable paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cleanup import clean_single_article, repair_pdf_text
from ingest.sources import SourceMeta, read_manifest

# --- words broken across lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a claim for constructive dis-\nmissal is hard", "a claim for constructive dismissal is hard"),
        ("staff on a fixed-\nterm contract", "staff on a fixed-term contract"),
        ("the full-\ntime national officer", "the full-time national officer"),
        ("in the day-to-\nday working lives", "in the day-to-day working lives"),
        ("what re-engineer-\ning can be done", "what re-engineering can be done"),
        ("the anti-\nEU campaign", "the anti-EU campaign"),
        ("if you need some-\none else to convince you", "if you need someone else to convince you"),
    ],
)
def test_words_hyphenated_at_line_ends_are_joined_unless_they_are_compounds(text: str, expected: str) -> None:
    assert repair_pdf_text(text) == expected


def test_a_word_printed_whole_elsewhere_is_joined_even_across_a_column_break() -> None:
    text = "Healthcare Manager is the magazine.\n\nRead Health-\ncare Manager every quarter."
    assert repair_pdf_text(text).endswith("Read Healthcare Manager every quarter.")


def test_web_addresses_broken_at_a_line_end_are_rejoined() -> None:
    text = "The materials are on the UNISON website: unison.org.uk/\nour-campaigns. See bit.\nly/hcm3303 too."
    assert "unison.org.uk/our-campaigns" in repair_pdf_text(text)
    assert "bit.ly/hcm3303" in repair_pdf_text(text)


# --- page furniture -----------------------------------------------------------------------------------


def test_running_footers_and_page_numbers_are_dropped() -> None:
    text = (
        "outreach services at other sites,\n\n\n\n"
        "  healthcare manager  |  issue 33  | spring 2017 13\n\n"
        "including many acute hospitals.\n\n"
        "24 healthcare manager  |  issue 33  | spring 2017\n\n"
        "17\n\n"
        "A new paragraph starts here."
    )
    repaired = repair_pdf_text(text)
    assert "healthcare manager" not in repaired.lower()
    assert "17" not in repaired
    assert repaired == (
        "outreach services at other sites, including many acute hospitals.\n\nA new paragraph starts here."
    )


# --- column lines into paragraphs ---------------------------------------------------------------------

COLUMN = """The government describes
constructive dismissal as “when
you’re forced to leave your
job against your will”.

Any delay between the event
and handing in your resignation
can cause problems. Some delays
can be fine, but others can

weaken a claim – sometimes
fatally.
Nobody disputes that.
The defining feature of construc-
tive dismissal is that the em-
ployee must have resigned."""


def test_narrow_column_lines_unwrap_into_paragraphs() -> None:
    paragraphs = repair_pdf_text(COLUMN).split("\n\n")
    assert paragraphs[0] == (
        "The government describes constructive dismissal as “when you’re forced to leave your job "
        "against your will”."
    )


def test_a_blank_line_mid_sentence_does_not_break_the_paragraph() -> None:
    paragraphs = repair_pdf_text(COLUMN).split("\n\n")
    assert paragraphs[1].startswith("Any delay between the event and handing in your resignation")
    assert "but others can weaken a claim – sometimes fatally." in paragraphs[1]


def test_a_short_line_ending_a_sentence_ends_the_paragraph() -> None:
    paragraphs = repair_pdf_text(COLUMN).split("\n\n")
    assert paragraphs[2] == "Nobody disputes that."
    assert (
        paragraphs[3]
        == "The defining feature of constructive dismissal is that the employee must have resigned."
    )


def test_a_line_ending_in_a_comma_runs_on_past_a_blank_line() -> None:
    text = "in England, Scotland,\n\nWales and Northern Ireland. The\nprogramme will support members."
    assert (
        repair_pdf_text(text)
        == "in England, Scotland, Wales and Northern Ireland. The programme will support members."
    )


def test_curly_quotes_are_kept_and_bullets_become_a_list() -> None:
    text = "Members can help:\n\n■■ Facebook or write to your MP\n\n■■ Share the “Time to talk” video"
    assert repair_pdf_text(text) == (
        "Members can help:\n\n- Facebook or write to your MP\n- Share the “Time to talk” video"
    )


def test_empty_text_stays_empty() -> None:
    assert repair_pdf_text("") == ""
    assert clean_single_article("  \n\n ", None) == ""


# --- single articles ----------------------------------------------------------------------------------

WEB_PAGE = """Jane Carter

A national voice for members in CSUs

Mon 14 Aug 2017

The group meets every quarter. We stand up for managers.

  • If you want to know more, contact Jane at j.carter@example.org.


Join MiP

As specialists in healthcare management we provide expert employment advice.

Reasons to JOIN MiP >

FDA Portfolio

MiP members get all the benefits provided by our sister unions.

Employment rights

We produce factsheets and briefings to keep you informed about your rights.

Find out more >"""


def test_site_navigation_after_a_web_article_is_removed() -> None:
    meta = SourceMeta(file="page.txt", title="A national voice for members in CSUs", author="Jane Carter")
    cleaned = clean_single_article(WEB_PAGE, meta)
    assert cleaned == (
        "The group meets every quarter. We stand up for managers.\n\n"
        "- If you want to know more, contact Jane at j.carter@example.org."
    )


def test_an_article_with_sub_headings_but_no_links_keeps_them() -> None:
    text = "Pay\n\nThe award is 3.3%.\n\nPensions\n\nNothing changes.\n\nHolidays\n\nSee the policy."
    assert clean_single_article(text, None) == text


def test_a_header_repeated_mid_document_is_dropped() -> None:
    header = "NATIONAL SOCIAL PARTNERSHIP FORUM – WIDER GROUP MEETING – 08 JUNE 2021"
    text = f"{header}\n\nWelcome\n\nThe minister opened the meeting.\n\n{header}\n\n\n\nHEE is working on it."
    cleaned = clean_single_article(text, None)
    assert cleaned.count(header) == 1
    assert cleaned.endswith("The minister opened the meeting.\n\nHEE is working on it.")


def test_the_end_of_article_mark_is_removed() -> None:
    assert clean_single_article("How these can be addressed for each STP footprint. .", None) == (
        "How these can be addressed for each STP footprint."
    )


# --- the real single-article files --------------------------------------------------------------------


@pytest.mark.corpus
def test_the_mip_web_article_loses_its_navigation_and_header(corpus_dir: Path) -> None:
    name = "mip-web-2017-08-14-csu-national-voice.txt"
    cleaned = clean_single_article(
        (corpus_dir / name).read_text(encoding="utf-8"), read_manifest(corpus_dir)[name]
    )
    assert cleaned.startswith("With mergers and the loss of some contracts")
    assert cleaned.endswith("contact Jane at j.carter@miphealth.org.uk.")
    for furniture in ("Join MiP", "FDA Portfolio", "Find out more", "Mon 14 Aug 2017"):
        assert furniture not in cleaned


@pytest.mark.corpus
def test_the_meeting_notes_keep_one_header_and_all_their_paragraphs(corpus_dir: Path) -> None:
    name = "spf-wider-group-2021-06-08.txt"
    raw = (corpus_dir / name).read_text(encoding="utf-8")
    cleaned = clean_single_article(raw, None)
    assert cleaned.count("WIDER GROUP MEETING KEY COMMUNICATIONS") == 1
    assert "HEE advised that these students should be supported" in cleaned
    assert "HEE is working on the future of workforce" in cleaned
    assert cleaned.endswith("The next Wider Group meeting will take place on Tuesday 14 September.")


@pytest.mark.corpus
def test_the_hsj_news_item_is_left_as_it_was(corpus_dir: Path) -> None:
    name = "hsj-2014-csu-redundancies.txt"
    raw = (corpus_dir / name).read_text(encoding="utf-8")
    cleaned = clean_single_article(raw, read_manifest(corpus_dir)[name])
    assert cleaned.split("\n\n") == [p.strip() for p in raw.split("\n\n") if p.strip()]
