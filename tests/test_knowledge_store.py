"""One contract, two Chromas: the same store tests run against embedded Chroma and a real Chroma
server on 127.0.0.1 (RIGHTSBOT_TEST_CHROMA_URL, started by .ci/run), so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from knowledge.embedder import HashingEmbedder
from knowledge.passage import Passage, content_hash, passage_id
from knowledge.store import KnowledgeStore, Rebuild, StoreError, open_store

EMBEDDER = HashingEmbedder()


def make_passage(source_id: str, text: str, position: int = 0, **fields: object) -> Passage:
    return Passage(
        id=passage_id(source_id, text),
        text=text,
        source_id=source_id,
        kind="factsheet",
        title=fields.pop("title", "Redundancy"),
        position=position,
        content_hash=content_hash(text),
        **fields,  # type: ignore[arg-type]
    )


PASSAGES = [
    make_passage("knowledge/a.md", "Statutory redundancy pay needs two years of continuous employment.", 0),
    make_passage("knowledge/a.md", "The statutory trial period in a new job lasts four weeks.", 1),
    make_passage(
        "knowledge/b.md",
        "Flexible working requests can be made from the first day of employment.",
        0,
        title="Flexible working",
        section="Who can ask?",
        page=3,
    ),
]


def add(store: KnowledgeStore, passages: list[Passage]) -> None:
    store.add(passages, EMBEDDER.embed([p.text for p in passages]))


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.chroma_server)])
def client(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    """Embedded Chroma on a temp folder, or the CI's Chroma server on a fresh database."""
    if request.param == "embedded":
        return chromadb.PersistentClient(
            path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
        )
    return request.getfixturevalue("chroma_server_client")


@pytest.fixture
def store(client, tmp_path: Path) -> KnowledgeStore:  # noqa: ANN001
    return open_store(client, tmp_path / "keywords.sqlite3", EMBEDDER.name)


def test_added_passages_come_back_whole_with_their_citation(store: KnowledgeStore) -> None:
    add(store, PASSAGES)
    got = store.get([PASSAGES[2].id])
    assert got == [PASSAGES[2]]
    assert got[0].citation() == "'Flexible working', undated, p.3, section 'Who can ask?'"  # no date: said so
    assert store.count() == 3 and store.ids() == {p.id for p in PASSAGES}


def test_dense_search_finds_the_closest_passage_first(store: KnowledgeStore) -> None:
    add(store, PASSAGES)
    hits = store.dense_search(EMBEDDER.embed_query("flexible working requests first day"), k=2)
    assert hits[0][0] == PASSAGES[2].id
    assert hits[0][1] > hits[1][1]


def test_keyword_search_matches_stemmed_words(store: KnowledgeStore) -> None:
    add(store, PASSAGES)
    hits = store.keyword_search("trials periods?", k=3)
    assert [h[0] for h in hits] == [PASSAGES[1].id]


def test_removed_passages_are_gone_from_both_indexes(store: KnowledgeStore) -> None:
    add(store, PASSAGES)
    store.remove([PASSAGES[0].id])
    assert store.count() == 2
    assert PASSAGES[0].id not in {
        i for i, _ in store.dense_search(EMBEDDER.embed_query("redundancy pay"), k=3)
    }
    assert PASSAGES[0].id not in {i for i, _ in store.keyword_search("statutory redundancy pay", k=3)}


def test_sources_lists_each_document_with_its_passage_count(store: KnowledgeStore) -> None:
    add(store, PASSAGES)
    assert [(s.source_id, s.passages) for s in store.sources()] == [
        ("knowledge/a.md", 2),
        ("knowledge/b.md", 1),
    ]


def test_a_document_reads_back_in_order(store: KnowledgeStore) -> None:
    add(store, PASSAGES[::-1])
    assert [p.position for p in store.document("knowledge/a.md")] == [0, 1]


def test_a_lost_keyword_index_is_rebuilt_from_chroma(client, tmp_path: Path) -> None:  # noqa: ANN001
    store = open_store(client, tmp_path / "one.sqlite3", EMBEDDER.name)
    add(store, PASSAGES)
    store.mark_written()
    fresh = open_store(client, tmp_path / "other-machine.sqlite3", EMBEDDER.name)
    assert fresh.keyword_search("trial period", k=1)[0][0] == PASSAGES[1].id


def test_vectors_from_another_embedder_are_refused(client, tmp_path: Path) -> None:  # noqa: ANN001
    open_store(client, tmp_path / "k.sqlite3", EMBEDDER.name)
    with pytest.raises(StoreError, match="--rebuild"):
        open_store(client, tmp_path / "k.sqlite3", "another-model")


def test_a_rebuild_replaces_the_index_only_when_committed(client, tmp_path: Path) -> None:  # noqa: ANN001
    keywords = tmp_path / "k.sqlite3"
    add(open_store(client, keywords, EMBEDDER.name), PASSAGES[:1])
    rebuild = Rebuild(client, keywords, EMBEDDER.name)
    add(rebuild.store, PASSAGES[1:])
    assert open_store(client, keywords, EMBEDDER.name).ids() == {PASSAGES[0].id}  # still the old index
    rebuild.commit()
    assert open_store(client, keywords, EMBEDDER.name).ids() == {p.id for p in PASSAGES[1:]}


def test_sentence_vectors_are_kept_and_survive_a_keyword_rebuild(client, tmp_path: Path) -> None:  # noqa: ANN001
    texts = [p.text for p in PASSAGES]
    vectors, parts = EMBEDDER.embed_with_parts(texts, [[(0, 10), (11, 30)]] * len(texts))
    store = open_store(client, tmp_path / "one.sqlite3", EMBEDDER.name)
    store.add(PASSAGES, vectors, parts)
    store.mark_written()
    rebuilt = open_store(client, tmp_path / "other.sqlite3", EMBEDDER.name)
    for one in (store, rebuilt):
        got = one.parts([PASSAGES[0].id])[PASSAGES[0].id]
        assert got.shape == (2, 384) and abs(float(got[1] @ parts[0][1]) - 1.0) < 1e-3


def test_a_large_index_scores_only_a_budget_of_passages_for_common_words(tmp_path: Path) -> None:
    from knowledge.keyword_index import ROW_BUDGET, KeywordIndex

    index = KeywordIndex(tmp_path / "keyword.sqlite3")
    common = [
        make_passage(f"knowledge/{n}.md", f"Notice of redundancy pay for staff number {n}.")
        for n in range(ROW_BUDGET)
    ]
    rare = make_passage("knowledge/rare.md", "Redundancy pay and the secondment allowance for staff.")
    index.add([*common, rare])

    # "notice", "staff", "redundancy" and "pay" each match every passage: only the rarest word is kept
    assert index.search("notice staff redundancy pay secondment", 5)[0][0] == rare.id
    assert index._discriminating(["notice", "staff", "redundancy", "secondment"]) == ["secondment"]
