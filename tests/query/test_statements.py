"""KnowledgeGraph over a folder made without the pipeline: statements() and query() give back what was written."""

from __future__ import annotations

import pytest

import iei_sample as sample
from iei_kg.api import KnowledgeGraph
from iei_kg.errors import StoreError

FIELDS = ("doc", "type", "concept", "label", "quote", "start", "end", "page", "section", "confidence",
          "actors", "addresses", "involves", "effect", "stakeholder_source")


@pytest.fixture(scope="module")
def statements(kg_dir) -> list[dict]:
    return list(KnowledgeGraph(kg_dir).statements())


def test_statements_round_trip(statements):
    expected = [{k: getattr(s, k) for k in FIELDS} for s in sample.statements()]
    got = [{k: s[k] for k in FIELDS} for s in statements]
    key = lambda s: (s["start"], s["type"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)


def test_statement_records_have_exactly_the_mention_keys(statements):
    assert statements
    for s in statements:
        assert set(s) == set(FIELDS)
        assert isinstance(s["start"], int) and isinstance(s["end"], int)
        assert isinstance(s["confidence"], float)
        assert sample.TEXT[s["start"]:s["end"]] == s["quote"]


def test_statements_come_in_document_order(statements):
    starts = [s["start"] for s in statements]
    assert starts == sorted(starts)


def test_statements_of_several_documents(tmp_path):
    sample.make_kg(tmp_path, docs=("paper-b", "paper-a"))
    got = list(KnowledgeGraph(tmp_path).statements())
    assert len(got) == 2 * len(sample.statements())
    assert [s["doc"] for s in got] == ["paper-a"] * 4 + ["paper-b"] * 4


def test_page_round_trips(tmp_path):
    from iei_kg.graph.rdf import document_graph
    from iei_kg.graph.store import Store

    source = sample.source()
    source.media_type, source.page_starts = "application/pdf", [0, 170]
    records = sample.statements()
    for s in records:
        s.page = source.page_at(s.start)
    store = Store(tmp_path, create=True)
    store.replace_document("paper-a", document_graph(source, records, sample.VERSION, generated=sample.GENERATED))
    del store
    pages = {s["quote"]: s["page"] for s in KnowledgeGraph(tmp_path).statements()}
    assert pages == {s.quote: s.page for s in records}
    assert sorted(pages.values()) == [1, 1, 2, 2]


def test_query_through_the_api(kg_dir):
    columns, rows = KnowledgeGraph(kg_dir).query("problems-for-stakeholder", {"stakeholder": "S-enterprise"})
    assert columns[0] == "stakeholder"
    assert [(r["label"], r["quote"]) for r in rows] == [("low enterprise motivation", sample.PROBLEM_SENTENCE)]


def test_knowledge_graph_of_an_unbuilt_folder(tmp_path):
    with pytest.raises(StoreError, match="iei-kg build"):
        KnowledgeGraph(tmp_path)
