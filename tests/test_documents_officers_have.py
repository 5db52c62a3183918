"""The documents officers really have: web pages saved from GOV.UK and Acas, Markdown exported by other
tools, text copied out of web viewers, Word files with tables. Each is cited to members as what it is
(only MiP's own content as MiP's), read without the site's furniture, and dated only where it says
when it was true.

Every page and file here is written by the test: small pages in the shape of the real sites, with
text of our own (no GOV.UK or Acas text is copied into the repository).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from bot.settings import Settings
from bot.wiring import open_knowledge
from ingest.chunker import chunk_document
from ingest.loaders import load_file
from ingest.pipeline import ingest
from ingest.sources import SourceMeta, read_manifest
from knowledge.embedder import HashingEmbedder
from knowledge.passage import Document, Passage, publisher_of
from knowledge.sentences import split_sentences

# --- saved web pages, in the shape of the real sites ----------------------------------------------------

SKIP_LINK = '<a href="#main-content" class="govuk-skip-link">Skip to main content</a>'
COOKIE_BANNER = """
<div class="gem-c-cookie-banner" id="global-cookie-message" role="region" aria-label="Cookies on GOV.UK">
  <h2 class="govuk-cookie-banner__heading">Cookies on GOV.UK</h2>
  <p>We use some essential cookies to make this website work.</p>
  <p>We'd like to set additional cookies to understand how you use GOV.UK.</p>
  <button>Accept additional cookies</button><button>Reject additional cookies</button>
  <a href="/help/cookies">View cookies</a>
</div>"""
BREADCRUMBS = """
<div class="govuk-breadcrumbs"><ol>
  <li><a href="/">Home</a></li><li><a href="/working">Working, jobs and pensions</a></li>
  <li><a href="/time-off">Time off work</a></li>
</ol></div>"""
FEEDBACK = """
<div class="gem-c-feedback">
  <div class="gem-c-feedback__prompt">
    <h2>Is this page useful?</h2>
    <button>Yes</button> <button>No</button>
    <button>Report a problem with this page</button>
  </div>
  <form class="gem-c-feedback__form"><h3>Help us improve GOV.UK</h3>
    <p>Don't include personal or financial information like your National Insurance number.</p>
    <label>What were you doing?</label><input name="what_doing"><button>Send</button>
  </form>
</div>"""
PRINTABLE = '<p><a href="/time-off-for-dependants/print">View a printable version of the whole guide</a></p>'
FOOTER = """
<footer class="govuk-footer"><h2>Support links</h2>
  <ul><li><a href="/help">Help</a></li><li><a href="/help/cookies">Cookies</a></li>
  <li><a href="/contact">Contact</a></li></ul>
  <p>All content is available under the Open Government Licence v3.0</p><a>&copy; Crown copyright</a>
</footer>"""
FURNITURE = (
    "Skip to main content",
    "cookies",
    "Cookies",
    "Is this page useful",
    "Report a problem",
    "View a printable version",
    "Working, jobs and pensions",
    "Help us improve",
    "National Insurance number",
    "What were you doing",
    "Open Government Licence",
    "Crown copyright",
    "Support links",
)

GOVUK_PAGE = f"""<!DOCTYPE html>
<!-- saved from url=(0058)https://www.gov.uk/time-off-for-dependants/your-rights -->
<html lang="en"><head><meta charset="utf-8">
<title>Time off for family and dependants: Your rights - GOV.UK</title>
<meta property="og:site_name" content="GOV.UK">
<meta name="govuk:format" content="guide">
<link rel="canonical" href="https://www.gov.uk/time-off-for-dependants/your-rights">
</head><body>
{SKIP_LINK}{COOKIE_BANNER}
<header><a href="/">GOV.UK</a><nav><a href="/browse">Menu</a><a href="/search">Search</a></nav></header>
{BREADCRUMBS}
<main id="main-content" role="main">
  <h1>Time off for family and dependants</h1>
  <div class="gem-c-metadata"><dl><dt>Published</dt><dd>3 May 2024</dd>
    <dt>Last updated</dt><dd>12 March 2025 <a href="#history">see all updates</a></dd></dl></div>
  <h2>Your rights</h2>
  <p>Employees may take a reasonable amount of time off to deal with an emergency involving a dependant.</p>
  <p>A dependant could be a partner, a child, a parent or someone who depends on the employee for care.</p>
  <h2>Pay</h2>
  <p>An employer does not have to pay for this time off, but some contracts say they will.</p>
  {PRINTABLE}
  {FEEDBACK}
</main>
{FOOTER}
</body></html>"""

# An Acas-style page: no <main>, content in plain divs, its own banner and "Was this page helpful?".
ACAS_PAGE = """<!DOCTYPE html>
<html><head><title>Flexible working: making a request | Acas</title>
<link rel="canonical" href="https://www.acas.org.uk/flexible-working/making-a-request">
<meta name="DC.date.modified" content="2024-04-06">
</head><body>
<a class="skip-link" href="#content">Skip to main content</a>
<div class="cookie-consent"><p>Acas uses cookies to make this site work and to collect information about how
you use it.</p><button>Accept all cookies</button><button>Set cookie preferences</button></div>
<div class="site-header"><a href="/">Acas home</a> <a href="/advice">Advice</a> <a href="/training">Training</a></div>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/advice">Advice</a> &gt; Flexible working</div>
<div class="page">
  <div class="region-content">
    <h1>Flexible working: making a request</h1>
    <p>An employee can ask for flexible working from their first day with an employer.</p>
    <h2>What the request should include</h2>
    <p>The request should say what change the employee wants and the date they want it to start.</p>
    <p>The employee can make two requests in any 12-month period.</p>
    <h2>How the employer should respond</h2>
    <p>The employer must consult the employee before refusing a request and decide within two months.</p>
    <p><a href="/print">Print this page</a></p>
  </div>
  <div class="feedback-block"><h2>Was this page helpful?</h2><button>Yes</button><button>No</button>
    <p>Report a problem with this page</p></div>
</div>
<div class="footer"><h2>Acas helpline</h2><p>Find out about our helpline and how we use cookies.</p>
  <p>&copy; Acas</p></div>
</body></html>"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_one(path: Path, meta: SourceMeta | None = None) -> Document:
    [document] = load_file(path, f"docs/{path.name}", meta)
    return document


def passages(document: Document) -> list[Passage]:
    return chunk_document(document)


def all_text(document: Document) -> str:
    return "\n".join(f"{s.heading or ''}\n{s.text}" for s in document.sections)


# --- 1. only MiP's own content is cited as MiP's ---------------------------------------------------------


def test_markdown_with_no_front_matter_is_not_cited_as_an_mip_factsheet(tmp_path: Path) -> None:
    page = write(tmp_path / "downloads", "holiday.md", "# Holiday entitlement\n\nWorkers get 5.6 weeks.\n")

    document = load_one(page)

    assert (document.kind, document.publication) == ("web", None)
    assert all("MiP" not in p.citation() for p in passages(document))


def test_markdown_in_the_factsheets_folder_is_an_mip_factsheet(tmp_path: Path) -> None:
    sheet = write(tmp_path / "knowledge" / "factsheets", "leave.md", "# Annual leave\n\nAt least 5.6 weeks.\n")

    document = load_one(sheet)

    assert (document.kind, document.publication) == ("factsheet", "MiP factsheet")


@pytest.mark.parametrize(
    ("front_matter", "publication"),
    [("publisher: MiP", "MiP factsheet"), ("kind: factsheet", "MiP factsheet"), ("publisher: Acas", "Acas"),
     ("publication: NHS Employers", "NHS Employers"), ("source: https://www.gov.uk/holiday-entitlement-rights", "GOV.UK"),
     ("url: https://www.example.org/guides/leave", "example.org")],
)  # fmt: skip
def test_front_matter_says_whose_markdown_it_is(tmp_path: Path, front_matter: str, publication: str) -> None:
    page = write(tmp_path, "leave.md", f"---\n{front_matter}\n---\n# Leave\n\nSome text about leave.\n")

    assert load_one(page).publication == publication


def test_sources_yaml_can_make_a_file_mip_content_or_name_its_publisher(tmp_path: Path) -> None:
    write(tmp_path, "sources.yaml", "- file: ours.md\n  kind: factsheet\n- file: theirs.md\n  publisher: Acas\n")
    ours = write(tmp_path, "ours.md", "# Ours\n\nOur text.\n")
    theirs = write(tmp_path, "theirs.md", "# Theirs\n\nTheir text.\n")
    manifest = read_manifest(tmp_path)

    assert load_one(ours, manifest["ours.md"]).publication == "MiP factsheet"
    assert (load_one(theirs, manifest["theirs.md"]).kind, load_one(theirs, manifest["theirs.md"]).publication) == (
        "web",
        "Acas",
    )


def test_saved_pages_cite_their_own_publisher_from_the_page_itself(tmp_path: Path) -> None:
    govuk = load_one(write(tmp_path, "dependants.html", GOVUK_PAGE))
    acas = load_one(write(tmp_path, "flexible.html", ACAS_PAGE))
    govuk_tags_only = GOVUK_PAGE.replace('<meta property="og:site_name" content="GOV.UK">', "").replace(
        '<link rel="canonical" href="https://www.gov.uk/time-off-for-dependants/your-rights">', ""
    )

    assert (govuk.publication, govuk.title, govuk.kind) == ("GOV.UK", "Time off for family and dependants: Your rights", "web")
    assert (acas.publication, acas.title) == ("Acas", "Flexible working: making a request")
    assert load_one(write(tmp_path, "tags.html", govuk_tags_only)).publication == "GOV.UK"


def test_a_word_or_text_file_outside_the_factsheets_folder_has_no_mip_label(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Band 5 nurses start on the first pay point.")
    document.save(str(tmp_path / "pay.docx"))
    note = write(tmp_path, "note.txt", "Pay points\n\nBand 5 nurses start on the first pay point.\n")

    assert load_one(tmp_path / "pay.docx").publication is None
    assert load_one(note).publication is None


def test_sources_lists_each_documents_publisher_kind_and_date_or_undated(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    write(folder / "factsheets", "leave.md", "---\nlast_reviewed: 2026-11-01\n---\n# Annual leave\n\nAt least 5.6 weeks.\n")
    write(folder / "saved", "dependants.html", GOVUK_PAGE)
    write(folder / "saved", "notes.md", "# Notes\n\nSome notes without a date.\n")
    knowledge = open_knowledge(Settings(data_dir=tmp_path / "data"), HashingEmbedder())
    ingest([folder], knowledge.store, knowledge.embedder)

    listed = {s.source_id: s for s in knowledge.store.sources()}

    sheet, page, notes = (listed[f"knowledge/{name}"] for name in ("factsheets/leave.md", "saved/dependants.html", "saved/notes.md"))
    assert (sheet.publisher, sheet.kind, sheet.date, sheet.undated) == ("MiP", "factsheet", "2026-11-01", False)
    assert (page.publisher, page.kind, page.date, page.undated) == ("GOV.UK", "web", "2025-03-12", False)
    assert (notes.publisher, notes.kind, notes.date, notes.undated) == (None, "web", None, True)


@pytest.mark.parametrize(
    ("publication", "publisher"),
    [("MiP factsheet", "MiP"), ("Healthcare Manager", "MiP"), ("MiP website", "MiP"), ("GOV.UK", "GOV.UK"),
     ("HSJ", "HSJ"), (None, None)],
)  # fmt: skip
def test_the_publisher_shown_is_mip_only_for_the_unions_own_publications(
    publication: str | None, publisher: str | None
) -> None:
    assert publisher_of(publication) == publisher


# --- 2. setext headings ---------------------------------------------------------------------------------


def test_setext_headings_start_sections_and_give_the_title(tmp_path: Path) -> None:
    text = "Holiday entitlement\n===================\n\nIntro text.\n\nPart-time workers\n-----------------\n"
    text += "Part-time workers get the same 5.6 weeks, pro rata.\n"

    document = load_one(write(tmp_path, "holiday.md", text))

    assert document.title == "Holiday entitlement"
    assert [(s.heading, s.text) for s in document.sections] == [
        ("Holiday entitlement", "Intro text."),
        ("Part-time workers", "Part-time workers get the same 5.6 weeks, pro rata."),
    ]


def test_a_dash_line_under_a_paragraph_is_a_heading_but_after_a_blank_line_a_rule(tmp_path: Path) -> None:
    text = "---\ntitle: Sick pay\n---\nIntro.\n\nWho qualifies\n---\nEmployees who are ill.\n\n---\n\nMore text.\n"

    document = load_one(write(tmp_path, "sick.md", text))

    assert document.title == "Sick pay"  # the front matter still works
    assert [(s.heading, s.text) for s in document.sections] == [
        (None, "Intro."),
        ("Who qualifies", "Employees who are ill.\n\nMore text."),
    ]


def test_a_dash_line_after_a_list_is_a_rule_not_a_heading(tmp_path: Path) -> None:
    document = load_one(write(tmp_path, "list.md", "# Steps\n\n- write to HR\n- keep a copy\n---\nAfter.\n"))

    assert [s.heading for s in document.sections] == ["Steps"]
    assert "write to HR\nkeep a copy" in document.sections[0].text


# --- 3. page furniture ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [GOVUK_PAGE, ACAS_PAGE], ids=["govuk", "acas"])
def test_saved_pages_lose_their_furniture_and_keep_their_sections(tmp_path: Path, page: str) -> None:
    document = load_one(write(tmp_path, "page.html", page))
    text = all_text(document)

    for furniture in (*FURNITURE, "Was this page helpful", "Print this page", "Acas helpline", "Training"):
        assert furniture not in text, furniture
    assert len(document.sections) >= 2
    assert all(s.heading for s in document.sections)


def test_a_govuk_page_keeps_its_headings_and_paragraphs(tmp_path: Path) -> None:
    document = load_one(write(tmp_path, "page.html", GOVUK_PAGE))

    assert [s.heading for s in document.sections] == ["Your rights", "Pay"]
    assert document.sections[1].text == "An employer does not have to pay for this time off, but some contracts say they will."


def test_a_page_without_main_or_article_tags_keeps_its_headings(tmp_path: Path) -> None:
    page = ACAS_PAGE.replace('<div class="page">', "<div>").replace('<div class="region-content">', "<div>")

    document = load_one(write(tmp_path, "plain.html", page))

    assert [s.heading for s in document.sections] == [
        "Flexible working: making a request",
        "What the request should include",
        "How the employer should respond",
    ]


def test_a_keyword_search_for_cookies_does_not_find_the_banner(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    write(folder, "dependants.html", GOVUK_PAGE)
    write(folder, "flexible.html", ACAS_PAGE)
    knowledge = open_knowledge(Settings(data_dir=tmp_path / "data"), HashingEmbedder())
    ingest([folder], knowledge.store, knowledge.embedder)

    assert knowledge.store.keyword_search("cookies", k=5) == []
    assert knowledge.store.keyword_search("useful", k=5) == []
    assert knowledge.store.keyword_search("dependant emergency", k=5)


# --- 4. markup in text files ----------------------------------------------------------------------------


def test_markup_copied_from_a_web_viewer_is_removed_from_titles_and_passages(tmp_path: Path) -> None:
    text = "<strong>Pay &amp; conditions</strong><br />\nStaff on Band 8a get 27 days&#39; leave.<br />\n"
    text += "<p>Ask your rep &ndash; they can help.</p>\n"

    document = load_one(write(tmp_path, "viewer.txt", text))
    body = " ".join(p.text for p in passages(document))

    assert document.title == "Pay & conditions"
    assert "Staff on Band 8a get 27 days' leave." in body and "Ask your rep – they can help." in body
    assert not any(mark in body for mark in ("<", ">", "&amp;", "&#39;", "&ndash;"))


def test_a_first_line_that_runs_on_is_not_the_title(tmp_path: Path) -> None:
    run_on = "Holiday pay is changing. " + "From April the rules on rolled-up holiday pay apply to irregular hours workers and " * 3
    short_sentence = load_one(write(tmp_path, "holiday-pay.txt", run_on + "\n"))
    no_sentence = load_one(write(tmp_path, "notes_on_pay.txt", "word " * 60 + "\n"))
    named = load_one(write(tmp_path, "x.txt", run_on + "\n"), SourceMeta(file="x.txt", title="Holiday pay changes"))

    assert short_sentence.title == "Holiday pay is changing"
    assert no_sentence.title == "Notes on pay"
    assert named.title == "Holiday pay changes"


# --- 5. tables ------------------------------------------------------------------------------------------

SICK_PAY_ROWS = [
    ("During the first year of service", "one month's full pay + two months' half pay"),
    ("3-5 years", "five months' full pay + five months' half pay"),
]
SICK_PAY_SENTENCE = "Service: 3-5 years; Sick pay: five months' full pay + five months' half pay."


def assert_rows_are_sentences(document: Document) -> None:
    sentences = [s for p in passages(document) for s in split_sentences(p.text)]
    assert SICK_PAY_SENTENCE in sentences
    assert split_sentences(SICK_PAY_SENTENCE) == [SICK_PAY_SENTENCE]


@pytest.mark.parametrize("edge_pipes", [True, False])
def test_a_markdown_table_row_becomes_a_sentence_with_its_headers(tmp_path: Path, edge_pipes: bool) -> None:
    lines = ["Service | Sick pay", "--- | ---", *(f"{a} | {b}" for a, b in SICK_PAY_ROWS)]
    if edge_pipes:
        lines = [f"| {line} |" for line in lines]
    document = load_one(write(tmp_path, "sick.md", "# Sick pay\n\nThe scale:\n\n" + "\n".join(lines) + "\n\nAfter.\n"))

    assert document.sections[0].text.split("\n\n") == [
        "The scale:",
        "Service: During the first year of service; Sick pay: one month's full pay + two months' half pay.",
        SICK_PAY_SENTENCE,
        "After.",
    ]
    assert_rows_are_sentences(document)


def test_an_html_table_row_becomes_a_sentence_with_its_headers(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in SICK_PAY_ROWS)
    page = GOVUK_PAGE.replace(
        "<h2>Pay</h2>", f"<h2>Sick pay</h2><table><thead><tr><th>Service</th><th>Sick pay</th></tr></thead><tbody>{rows}</tbody></table><h2>Pay</h2>"
    )

    assert_rows_are_sentences(load_one(write(tmp_path, "page.html", page)))


@pytest.mark.parametrize("bold_header", [True, False])
def test_a_word_table_row_becomes_a_sentence_with_its_headers(tmp_path: Path, bold_header: bool) -> None:
    document = docx.Document()
    document.add_heading("Sick pay", level=1)
    table = document.add_table(rows=1 + len(SICK_PAY_ROWS), cols=2)
    for row, cells in zip(table.rows, [("Service", "Sick pay"), *SICK_PAY_ROWS], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].add_run(text).bold = bold_header and row is table.rows[0]
    document.save(str(tmp_path / "sick.docx"))

    assert_rows_are_sentences(load_one(tmp_path / "sick.docx"))


def test_a_cell_of_several_sentences_stays_inside_its_rows_sentence(tmp_path: Path) -> None:
    table = "| Service | Sick pay |\n|---|---|\n| 5 years | Full pay for six months. Then half pay. |\n"

    [passage] = passages(load_one(write(tmp_path, "t.md", table)))

    assert split_sentences(passage.text) == ["Service: 5 years; Sick pay: Full pay for six months, Then half pay."]


# --- 6. dates -------------------------------------------------------------------------------------------


def test_a_figures_date_never_dates_the_document(tmp_path: Path) -> None:
    text = "Statutory caps\n\nThe cap is currently £15,750 (from April 2019) and rises each year.\n"

    document = load_one(write(tmp_path, "caps.txt", text))

    assert document.date is None
    assert all(p.date is None and "undated" in p.citation() for p in passages(document))


@pytest.mark.parametrize(
    ("line", "date"),
    [("Published 3 May 2024", "2024-05-03"), ("Last updated 12 March 2025", "2025-03-12"),
     ("Updated: April 2024", "2024-04"), ("Page last reviewed: 2 June 2023", "2023-06-02"),
     ("Published 3 May 2024\nLast updated 12 March 2025", "2025-03-12")],
)  # fmt: skip
def test_a_date_the_text_states_for_itself_dates_it(tmp_path: Path, line: str, date: str) -> None:
    text = f"Holiday pay\n\n{line}\n\nWorkers get 5.6 weeks of paid holiday.\n"

    assert load_one(write(tmp_path, "holiday.txt", text)).date == date
    assert load_one(write(tmp_path, "holiday.md", f"# Holiday pay\n\n{line}\n\nText.\n")).date == date


def test_a_sentence_mentioning_publication_does_not_date_the_document(tmp_path: Path) -> None:
    text = "Reports\n\nThe review published 3 May 2019 found problems. Updated guidance followed in 2020.\n"

    assert load_one(write(tmp_path, "reports.txt", text)).date is None


def test_metadata_dates_win_over_the_text(tmp_path: Path) -> None:
    write(tmp_path, "sources.yaml", "- file: a.txt\n  date: 2021-06-08\n")
    dated = load_one(write(tmp_path, "a.txt", "Title\n\nPublished 3 May 2024\n"), read_manifest(tmp_path)["a.txt"])
    front = load_one(write(tmp_path, "b.md", "---\ndate: 2022-01-05\n---\nPublished 3 May 2024\n"))
    reviewed = load_one(write(tmp_path, "c.md", "---\nlast_reviewed: 2026-11-26\ncreated: 2026-12-01\n---\nText.\n"))

    assert (dated.date, front.date, reviewed.date) == ("2021-06-08", "2022-01-05", "2026-11-26")


@pytest.mark.parametrize(
    ("head", "date"),
    [('<meta property="article:published_time" content="2017-08-14T09:30:00+01:00">', "2017-08-14"),
     ('<meta name="DC.date" content="2023-02-01">', "2023-02-01"),
     ('<meta name="govuk:public-updated-at" content="2025-03-12T10:00:00+00:00">', "2025-03-12")],
)  # fmt: skip
def test_a_web_page_is_dated_by_its_meta_tags(tmp_path: Path, head: str, date: str) -> None:
    page = f"<html><head>{head}</head><body><main><h1>Leave</h1><p>Workers get paid leave each year.</p></main></body></html>"

    assert load_one(write(tmp_path, "p.html", page)).date == date


def test_a_web_page_is_dated_by_its_time_element_or_its_stated_date(tmp_path: Path) -> None:
    timed = '<html><body><main><h1>Leave</h1><p>Posted <time datetime="2024-05-03">3 May</time></p><p>Workers get leave.</p></main></body></html>'
    undated = "<html><body><main><h1>Leave</h1><p>The cap is £15,750 (from April 2019).</p></main></body></html>"

    assert load_one(write(tmp_path, "t.html", timed)).date == "2024-05-03"
    assert load_one(write(tmp_path, "g.html", GOVUK_PAGE)).date == "2025-03-12"  # "Last updated 12 March 2025"
    assert load_one(write(tmp_path, "u.html", undated)).date is None


def test_a_word_document_is_dated_by_its_properties_unless_never_saved_by_word(tmp_path: Path) -> None:
    saved = docx.Document()
    saved.core_properties.modified = dt.datetime(2024, 9, 30, 12, 0)
    saved.add_paragraph("Flexible working requests.")
    saved.save(str(tmp_path / "saved.docx"))
    template = docx.Document()  # python-docx's blank template carries its own 2013 stamp
    template.add_paragraph("Flexible working requests.")
    template.save(str(tmp_path / "template.docx"))

    assert load_one(tmp_path / "saved.docx").date == "2024-09-30"
    assert load_one(tmp_path / "template.docx").date is None


def test_a_pdf_is_dated_by_its_metadata(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2022, 11, 4, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Notice periods explained")
    pdf.output(str(tmp_path / "notice.pdf"))

    assert load_one(tmp_path / "notice.pdf").date == "2022-11-04"


def test_a_web_page_printed_to_pdf_is_not_dated_the_day_it_was_printed(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    pdf.set_producer("Skia/PDF m120")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in ("Holiday entitlement", "Last updated 12 March 2025", "Workers get 5.6 weeks."):
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "printed.pdf"))

    assert load_one(tmp_path / "printed.pdf").date == "2025-03-12"


def test_a_layout_table_around_a_page_keeps_its_headings(tmp_path: Path) -> None:
    page = (
        "<html><body><table>"
        "<tr><td><h1>Redundancy pay</h1><p>Employees with two years' service are entitled to redundancy pay.</p>"
        "<h2>How much</h2><p>The amount depends on age, length of service and weekly pay.</p></td></tr>"
        "</table></body></html>"
    )

    document = load_one(write(tmp_path, "old.html", page))

    assert [s.heading for s in document.sections] == ["Redundancy pay", "How much"]


def test_a_page_without_main_or_article_tags_keeps_its_lists_but_not_its_menus(tmp_path: Path) -> None:
    page = (
        "<html><body><nav><ul><li>Home</li><li>Join us</li></ul></nav>"
        "<h1>Collective consultation</h1><p>An employer proposing 20 or more redundancies must consult.</p>"
        "<ul><li>at least 30 days before the first dismissal for 20 to 99 posts</li>"
        "<li>at least 45 days before the first dismissal for 100 or more posts</li></ul>"
        "<footer><ul><li>Privacy</li><li>Accessibility</li></ul></footer></body></html>"
    )

    document = load_one(write(tmp_path, "consultation.html", page))

    assert [(s.heading, s.text) for s in document.sections] == [
        (
            "Collective consultation",
            "An employer proposing 20 or more redundancies must consult.\n\n"
            "at least 30 days before the first dismissal for 20 to 99 posts\n"
            "at least 45 days before the first dismissal for 100 or more posts",
        )
    ]


COPIED_PAGE_LINES = [
    "Skip to main content",
    "Cookies on GOV.UK",
    "We use some essential cookies to make this website work.",
    "Accept additional cookies",
    "Reject additional cookies",
    "Is this page useful?",
    "Report a problem with this page",
    "View a printable version of the whole guide",
]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_page_copied_or_exported_as_text_loses_its_controls_and_cookie_banner(tmp_path: Path, suffix: str) -> None:
    head, tail = COPIED_PAGE_LINES[:5], COPIED_PAGE_LINES[5:]
    if suffix == ".md":
        head[0] = "[Skip to main content](#main-content)"
    body = "Time off for dependants\n\nEmployees can take time off to deal with an emergency. You can refuse cookies on our site.\n"
    text = "\n\n".join([*head, body, *tail]) + "\n"

    document = load_one(write(tmp_path, "copied" + suffix, text))
    quoted = " ".join(p.text for p in passages(document))

    assert "Employees can take time off to deal with an emergency." in quoted
    assert "You can refuse cookies on our site." in quoted  # a sentence about cookies is text
    for line in COPIED_PAGE_LINES:
        assert line not in quoted, line


def test_front_matter_in_mips_factsheet_format_makes_a_factsheet_but_a_clippers_does_not(tmp_path: Path) -> None:
    ours = "---\ntitle: Sickness absence\nlast_reviewed: 2025-10-01\n---\nSick pay depends on service.\n"
    clipped = "---\ntitle: Sick pay\nsource: https://www.example.org/sick-pay\ncreated: 2026-11-30\n---\nText.\n"

    sheet = load_one(write(tmp_path / "mixed", "sickness.md", ours))
    page = load_one(write(tmp_path / "mixed", "clipped.md", clipped))

    assert (sheet.kind, sheet.publication, sheet.date) == ("factsheet", "MiP factsheet", "2025-10-01")
    assert (page.kind, page.publication, page.date) == ("web", "example.org", None)  # `created` is the clip date
