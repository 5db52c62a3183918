"""Healthcare Manager issues are split into articles members can be quoted from: the Legal Eye column
found and cited properly, no footers, broken words, adverts or page furniture in the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.magazine import looks_like_magazine_issue, split_issue
from ingest.sources import read_manifest
from knowledge.passage import Document

corpus = pytest.mark.corpus  # the tests below that read ../shared/corpus
Split = dict[tuple[str, bool], list[Document]]  # (file name, with sources.yaml metadata) -> articles

ISSUE_67 = "healthcare-manager-67-spring-2026.txt"
ISSUE_33 = "healthcare-manager-33-spring-2017.txt"
ISSUES = (ISSUE_67, ISSUE_33)
ADVERT_PHRASES = (
    "UNISONplus",
    "Travel Club",
    "Britannia Rescue",
    "UNISON Living",
    "benefits.unison.org.uk",
    "Thompsons pledge",
    "Our pledge to you",
    "Spirit of Brotherhood",
    "Free to attend for MiP members",
)
FURNITURE_PHRASES = (
    "ISSN",
    "Printed by",
    "Design & Production",
    "Opinions expressed",
    "News you may have missed",
)
# Words the issue 33 PDF text hyphenates across line ends.
BROKEN_IN_33 = ("dismissal", "constructive", "obligation", "contemporaneous", "immediately", "employer")


@pytest.fixture(scope="module")
def split(corpus_dir: Path) -> Split:
    """Each issue split with its sources.yaml entry and without any metadata."""
    manifest = read_manifest(corpus_dir)
    return {
        (name, with_meta): split_issue(
            (corpus_dir / name).read_text(encoding="utf-8"),
            f"corpus/{name}",
            manifest[name] if with_meta else None,
        )
        for name in ISSUES
        for with_meta in (True, False)
    }


def legal_eye(docs: list[Document]) -> Document:
    found = [d for d in docs if d.kind == "legal-eye"]
    assert len(found) == 1, [d.title for d in found]
    return found[0]


def text_of(doc: Document) -> str:
    return "\n\n".join(section.text for section in doc.sections)


def titled(docs: list[Document], title: str) -> Document:
    return next(d for d in docs if d.title == title)


# --- the Legal Eye column -----------------------------------------------------------------------------


@corpus
def test_issue_67_legal_eye_is_found_with_its_citation(split: Split) -> None:
    column = legal_eye(split[ISSUE_67, True])
    assert column.source_id == f"corpus/{ISSUE_67}#legal-eye"
    assert column.title == "I'm on a fixed-term contract. Do I have any redundancy rights?"
    assert column.author == "Jo Seery"
    assert column.page == 22
    assert (column.publication, column.issue, column.date) == (
        "Healthcare Manager",
        "issue 67, spring 2026",
        "2026-03",
    )
    assert "Regulation 3" in text_of(column)
    assert "Whiffen" in text_of(column)


@corpus
def test_issue_67_legal_eye_keeps_its_question_headings_on_page_22(split: Split) -> None:
    column = legal_eye(split[ISSUE_67, True])
    by_heading = {section.heading: section for section in column.sections}
    assert "Regulation 3" in by_heading["Can fixed term employees be selected for redundancy first?"].text
    assert "Can a FTC be terminated early?" in by_heading
    assert {section.page for section in column.sections} == {22}
    assert "does not offer legal advice" not in text_of(column)  # the disclaimer is metadata, not text


@corpus
def test_issue_33_legal_eye_is_found_with_its_citation(split: Split) -> None:
    column = legal_eye(split[ISSUE_33, True])
    assert column.source_id == f"corpus/{ISSUE_33}#legal-eye"
    assert column.title == "Constructive dismissal"
    assert column.author == "Iain Birrell"
    assert column.page == 20  # counted from the running footers on pages 13 and 24
    assert (column.issue, column.date) == ("issue 33, spring 2017", "2017-03")
    assert "constructive dismissal" in text_of(column)
    assert "Thompsons never advise anyone to resign purely because" in text_of(column)


@corpus
@pytest.mark.parametrize("name", ISSUES)
def test_without_metadata_the_legal_eye_comes_from_the_text_alone(split: Split, name: str) -> None:
    with_meta, without = legal_eye(split[name, True]), legal_eye(split[name, False])
    assert without.source_id == with_meta.source_id
    assert without.title.lower() == with_meta.title.lower()
    assert (without.author, without.page, without.issue) == (
        with_meta.author,
        with_meta.page,
        with_meta.issue,
    )
    assert without.publication == "Healthcare Manager"


# --- clean text ---------------------------------------------------------------------------------------


@corpus
@pytest.mark.parametrize("name", ISSUES)
def test_no_running_footers_or_page_furniture_in_any_article(split: Split, name: str) -> None:
    for doc in split[name, True]:
        text = text_of(doc)
        assert not re.search(r"healthcare manager\s*\|\s*issue", text, re.I), doc.title
        for phrase in FURNITURE_PHRASES:
            assert phrase not in text, (doc.title, phrase)


@corpus
@pytest.mark.parametrize("name", ISSUES)
def test_no_adverts_in_any_article(split: Split, name: str) -> None:
    for doc in split[name, True]:
        for phrase in ADVERT_PHRASES:
            assert phrase not in text_of(doc), (doc.title, phrase)


@corpus
@pytest.mark.parametrize("name", ISSUES)
def test_no_word_is_left_broken_across_a_line_end(split: Split, name: str) -> None:
    for doc in split[name, True]:
        assert not re.search(r"[a-z]- [a-z]", text_of(doc)), doc.title


@corpus
def test_known_hyphenated_words_of_issue_33_are_whole_again(split: Split) -> None:
    text = "\n\n".join(text_of(doc) for doc in split[ISSUE_33, True])
    for word in BROKEN_IN_33:
        assert word in text
        for cut in range(2, len(word) - 1):
            for broken in (f"{word[:cut]}- {word[cut:]}", f"{word[:cut]}-{word[cut:]}"):
                assert broken not in text, broken
    assert "full-time" in text and "day-to-day" in text  # real compounds keep their hyphen


@corpus
@pytest.mark.parametrize(
    ("name", "quote"),
    [
        (ISSUE_33, "Last year’s conference was probably our most successful yet."),
        (ISSUE_67, "not focusing on prevention is a bit like cutting your arm off"),
        (ISSUE_67, "Managers make up a small share of the workforce"),
    ],
)
def test_pull_quotes_are_not_printed_twice(split: Split, name: str, quote: str) -> None:
    article = next(d for d in split[name, True] if quote in text_of(d))
    assert text_of(article).count(quote) == 1


@corpus
def test_sentences_interrupted_by_captions_and_pull_quotes_are_rejoined(split: Split) -> None:
    issue_67 = "\n\n".join(text_of(doc) for doc in split[ISSUE_67, True])
    issue_33 = "\n\n".join(text_of(doc) for doc in split[ISSUE_33, True])
    assert "a major organisational change process made little sense" in issue_67
    assert "try to turn the Ten Year Health Plan into operational reality" in issue_67
    assert "growth in population numbers was a bigger factor than ageing" in issue_67
    assert "Feedback is also published on the app, so you can quickly see" in issue_33
    assert "his former chair was also very politically astute" in issue_33


@corpus
def test_sections_have_text_and_no_empty_articles(split: Split) -> None:
    for docs in split.values():
        for doc in docs:
            assert doc.sections, doc.title
            assert all(section.text.strip() for section in doc.sections), doc.title


# --- the articles found -------------------------------------------------------------------------------


@corpus
@pytest.mark.parametrize("name", ISSUES)
def test_a_sensible_number_of_articles_with_unique_anchors(split: Split, name: str) -> None:
    docs = split[name, True]
    assert 15 <= len(docs) <= 30
    ids = [doc.source_id for doc in docs]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"corpus/{re.escape(name)}#[a-z0-9-]+", i) for i in ids)


@corpus
def test_issue_67_articles_and_their_contents_pages(split: Split) -> None:
    docs = split[ISSUE_67, True]
    expected = {
        "In a £180 billion service, management isn't an optional overhead": ("feature", "Rhys McKenzie", 8),
        "Let's change the story and start taking management seriously": ("feature", "Jon Restell", 10),
        "Prêt-à-Porter?": ("feature", "Craig Ryan", 11),
        "How to design your future after redundancy": ("feature", "Charlie Keeney", 23),
        "Health department worst in Whitehall for leadership and change management": ("news", None, 2),
        "Yvonne Richards elected new MiP chair": ("news", None, None),
        "Editorial": ("feature", "Craig Ryan", None),
    }
    for title, (kind, author, page) in expected.items():
        doc = titled(docs, title)
        assert (doc.kind, doc.author, doc.page) == (kind, author, page), title


@corpus
def test_issue_33_articles_and_their_pages(split: Split) -> None:
    docs = split[ISSUE_33, True]
    expected = {
        "Supporting our EU colleagues": ("news", None, 2),
        "NHS staff committed but under pressure, survey reveals": ("news", None, 6),
        "Leading Edge": ("feature", "Jon Restell", 3),
        "How to save twenty billion quid": ("feature", "Umesh Prabhu", 8),
        "Interview: Andrew Cannell": ("feature", "Alison Moore", 12),
        "Working in partnership with trade unions": ("feature", "Craig Ryan", 21),
        "Marry in haste, repent at leisure": ("feature", None, 23),
    }
    for title, (kind, author, page) in expected.items():
        doc = titled(docs, title)
        assert (doc.kind, doc.author, doc.page) == (kind, author, page), title


@corpus
def test_a_feature_spanning_pages_cites_each_page(split: Split) -> None:
    interview = titled(split[ISSUE_33, True], "Interview: Andrew Cannell")
    assert [section.page for section in interview.sections] == [12, 13, 14]


@corpus
def test_news_stories_sharing_a_page_are_cut_where_their_words_change(split: Split) -> None:
    docs = split[ISSUE_33, True]
    redundancy = text_of(titled(docs, "Unions fight to protect redundancy rights in new talks"))
    holiday = text_of(titled(docs, "Union legal win brings holiday cheer to thousands of UK workers"))
    assert "Treasury’s redundancy proposals" in redundancy and "holiday" not in redundancy
    assert holiday.startswith("Thousands of British workers have won the right")


@corpus
def test_only_magazine_issues_look_like_magazine_issues(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        assert looks_like_magazine_issue(path.read_text(encoding="utf-8")) == (path.name in ISSUES), path.name


# --- an invented issue: the contract holds without the real corpus -----------------------------------

INVENTED_ISSUE = """issue 9 | winter 2030

Welcome to the winter issue. We look at rotas, relocation and pay this time around. Enjoy it. //

Alex Editor, Editor

heads up

News & noticeboard 2

features

Analysis: Pat Jones on why rotas matter 4

regulars

Legal Eye: Can my employer move me to another site? Sam Smith explains 6

Tipster: Alex Jones gives tips on better rotas 7

ISSN 1234-5678

heads up

Pay offer accepted by health unions

Health unions have accepted a pay offer worth four per cent for most staff, after a ballot in which a \
clear majority of members voted in favour of the deal.

The award will be paid in April.

Why rotas matter more than ever

Rotas decide whether a ward runs well, argues Pat Jones.

Good rotas are fair and predictable. They are published weeks ahead. //

Can my employer move me to another site?

Employers sometimes want staff to work elsewhere. Sam Smith explains.

Mobility clauses

Your contract may contain a mobility clause allowing the employer to change your place of work \
within a reasonable area.

Reasonableness

Even with a clause, the employer must act reasonably and give notice of the move. //

Legal Eye does not offer legal advice on individual cases.

Better rotas in five steps

Alex Jones gives tips on better rotas.

1. Plan early

Publish the rota six weeks ahead so staff can arrange their lives.

2. Be fair

Share unpopular shifts evenly across the team and record who worked them. //
"""


def test_an_invented_issue_splits_by_its_contents_list_and_end_marks() -> None:
    docs = {doc.title: doc for doc in split_issue(INVENTED_ISSUE, "corpus/hm-9.txt", None)}
    assert set(docs) == {
        "Editorial",
        "Pay offer accepted by health unions",
        "Why rotas matter more than ever",
        "Can my employer move me to another site?",
        "Better rotas in five steps",
    }
    column = docs["Can my employer move me to another site?"]
    assert (column.source_id, column.kind, column.author, column.page) == (
        "corpus/hm-9.txt#legal-eye",
        "legal-eye",
        "Sam Smith",
        6,
    )
    assert [(s.heading, s.page) for s in column.sections] == [
        (None, 6),
        ("Mobility clauses", 6),
        ("Reasonableness", 6),
    ]
    assert column.extra["disclaimer"] == "Legal Eye does not offer legal advice on individual cases."
    assert (column.issue, column.date, column.publication) == (
        "issue 9, winter 2030",
        "2030",
        "Healthcare Manager",
    )
    news = docs["Pay offer accepted by health unions"]
    assert (news.kind, news.page, news.sections[0].text.endswith("paid in April.")) == ("news", 2, True)
    assert (docs["Why rotas matter more than ever"].author, docs["Why rotas matter more than ever"].page) == (
        "Pat Jones",
        4,
    )
    tips = docs["Better rotas in five steps"]
    assert [s.heading for s in tips.sections] == [None, "1. Plan early", "2. Be fair"]
    assert docs["Editorial"].author == "Alex Editor"
    assert "ISSN" not in "".join(s.text for d in docs.values() for s in d.sections)
