"""Store: one named graph per document in an on-disk Oxigraph store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import iei_sample as sample
from iei_kg.errors import QueryError, StoreError
from iei_kg.graph.rdf import document_graph, graph_iri
from iei_kg.graph.store import MARKER, Store

PREFIX = "PREFIX iei: <https://w3id.org/iei-kg/ontology#>\n"


def quads(store: Store, doc_id: str) -> list:
    return list(store.oxi.quads_for_pattern(None, None, None, ox.NamedNode(str(graph_iri(doc_id)))))


def count(store: Store, sparql: str) -> int:
    return int(next(iter(store.query(PREFIX + sparql)))["n"].value)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "kg", create=True)


def test_create_writes_the_marker(tmp_path):
    Store(tmp_path / "kg", create=True)
    assert (tmp_path / "kg" / MARKER).is_file()
    assert (tmp_path / "kg" / "oxigraph").is_dir()


def test_replace_document_keeps_only_the_latest_version(store):
    first = sample.graph()
    store.replace_document("paper-a", first)
    assert len(quads(store, "paper-a")) == len(first)

    text = f"Revised.\n{sample.PROBLEM_SENTENCE}\n"
    problem = sample.statements()[0]
    problem.start, problem.end = sample.span(sample.PROBLEM_SENTENCE, text)
    second = document_graph(sample.source(text=text, content_hash="hash-b"), [problem],
                            sample.VERSION, generated=sample.GENERATED)
    assert len(second) < len(first)
    store.replace_document("paper-a", second)
    assert len(quads(store, "paper-a")) == len(second)
    assert store.document_hashes() == {"paper-a": "hash-b"}
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a iei:CountermeasureStatement }") == 0


def test_replace_document_takes_the_n_triples_that_build_workers_make(store):
    graph = sample.graph("paper-a")
    store.replace_document("paper-a", graph.serialize(format="nt"))  # new to the store: loaded
    assert len(quads(store, "paper-a")) == len(graph)
    again = sample.graph("paper-a", content_hash="hash-a2")
    store.replace_document("paper-a", again.serialize(format="nt"))  # already there: replaced in one update
    assert len(quads(store, "paper-a")) == len(again)
    assert store.document_hashes() == {"paper-a": "hash-a2"}


def test_replace_document_leaves_other_documents_alone(store):
    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
    store.replace_document("paper-a", sample.graph("paper-a", content_hash="hash-a2"))
    assert len(quads(store, "paper-b")) == len(sample.graph("paper-b"))
    assert store.document_hashes() == {"paper-a": "hash-a2", "paper-b": "hash-b"}


def test_remove_document(store):
    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
    store.remove_document("paper-a")
    assert quads(store, "paper-a") == []
    assert store.document_hashes() == {"paper-b": "hash-b"}
    store.remove_document("never-there")  # silent
    assert store.document_hashes() == {"paper-b": "hash-b"}


def test_document_hashes_persist_across_reopening(tmp_path):
    sample.make_kg(tmp_path / "kg", docs=("paper-a", "paper-b"))
    reopened = Store(tmp_path / "kg")
    assert reopened.document_hashes() == {"paper-a": "hash-a", "paper-b": "hash-a"}


def test_document_hashes_of_an_empty_store(store):
    assert store.document_hashes() == {}


def test_never_built_folder_raises_a_helpful_error(tmp_path):
    with pytest.raises(StoreError, match=r"iei-kg build") as info:
        Store(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert not (tmp_path / "oxigraph").exists()
    with pytest.raises(StoreError, match=r"iei-kg build"):
        Store(tmp_path / "missing")
    assert not (tmp_path / "missing").exists()


def test_a_store_in_use_gives_a_store_error(store):
    with pytest.raises(StoreError, match="another iei-kg process"):
        Store(store.kg_dir)


def test_query_sees_the_union_of_the_named_graphs(store):
    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b"))
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a iei:ProblemStatement }") == 2
    assert count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a iei:Document } }") == 2
    # the plain default graph holds nothing: the union is what makes the first count work
    default = store.oxi.query(PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?s a iei:ProblemStatement }")
    assert int(next(iter(default))["n"].value) == 0


def test_query_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        store.query("SELEKT * WHERE { ?s ?p ?o }")


def test_literals_with_quotes_and_newlines_survive_the_update(store):
    text = 'He said "no".\nThen: a \\ backslash and 中文 text } ; > end.\n'
    source = sample.source(text=text)
    statement = sample.statements()[0]
    statement.quote, statement.start, statement.end = text[:-1], 0, len(text) - 1
    store.replace_document("paper-a", document_graph(source, [statement], sample.VERSION, generated=sample.GENERATED))
    rows = list(store.query("PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?q WHERE { ?s oa:exact ?q }"))
    assert [r["q"].value for r in rows] == [text[:-1]]


def test_the_summary_counts_the_documents_of_each_concept_pair(store):
    pair = ("SELECT ?n WHERE { GRAPH <https://w3id.org/iei-kg/summary> { ?p iei:conceptA "
            "<https://w3id.org/iei-kg/concept/C-incentives> ; iei:conceptB "
            "<https://w3id.org/iei-kg/concept/P-enterprise-motivation> ; iei:documentCount ?n } }")
    assert not store.has_summary()
    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
    store.refresh_summary()
    assert store.has_summary() and count(store, pair) == 2
    store.remove_document("paper-a")
    store.refresh_summary()  # recomputed, not added to
    assert count(store, pair) == 1
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/iei-kg/summary> "
                        "{ ?p a iei:CooccurrencePair } }") == 1  # paper-b's one pair of scheme concepts


def test_every_document_tallies_its_concepts(store):
    store.replace_document("paper-a", sample.graph("paper-a"))
    tallies = count(store, "SELECT (SUM(?c) AS ?n) WHERE { ?d iei:tally ?t . ?t iei:statementCount ?c }")
    statements = count(store, "SELECT (COUNT(?s) AS ?n) WHERE { ?s iei:concept ?c ; iei:document ?d }")
    assert tallies == statements > 0


SUMMARY = "GRAPH <https://w3id.org/iei-kg/summary>"


def test_statements_carry_their_document_id_and_label_and_the_summary_one_label_per_concept(store):
    from rdflib import Graph

    store.set_scheme(sample.scheme_graph(), Graph())
    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
    store.refresh_summary()
    rows = {r["s"].value: (r["id"].value, r["label"].value) for r in store.query(
        PREFIX + "SELECT ?s ?id ?label WHERE { GRAPH ?g { ?s iei:concept ?c ; iei:documentId ?id ; "
                 "iei:conceptLabel ?label } }")}
    assert len(rows) == 8  # four statements in each document, in their own graph (not in the summary)
    assert all(statement.split("/doc/")[1].split("/")[0] == doc_id for statement, (doc_id, _) in rows.items())
    assert {label for _, label in rows.values()} == \
        {"low enterprise motivation", "unclear rights and interests", "incentives for enterprises",
         "virtual simulation lab"}
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {SUMMARY} {{ ?s iei:documentId ?id ; iei:concept ?c }} }}") == 0
    labels = {r["c"].value.rsplit("/", 1)[1]: r["l"].value for r in store.query(
        PREFIX + f"SELECT ?c ?l WHERE {{ {SUMMARY} {{ ?c iei:conceptLabel ?l }} }}")}
    assert labels["C-candidate-virtual-simulation-lab"] == "virtual simulation lab"  # once, though in two graphs
    assert labels["P-enterprise-motivation"] == "low enterprise motivation"


def test_the_summary_ranks_documents_per_concept_and_follows_a_rebuild(store):
    ranking = (f"SELECT ?rank ?id ?n WHERE {{ {SUMMARY} {{ <https://w3id.org/iei-kg/concept/P-enterprise-motivation> "
               "iei:documentRank ?rank . ?e a iei:RankedDocument ; iei:documentId ?id ; iei:statementCount ?n "
               "FILTER(STRENDS(STR(?e), CONCAT('/', STR(?rank)))) FILTER(CONTAINS(STR(?e), 'P-enterprise-motivation')) "
               "} } ORDER BY ?rank")

    def ranks():
        return [(int(r["rank"].value), r["id"].value, int(r["n"].value)) for r in store.query(PREFIX + ranking)]

    store.replace_document("paper-a", sample.graph("paper-a"))
    store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
    store.refresh_summary()
    assert ranks() == [(0, "paper-a", 1), (1, "paper-b", 1)]  # ties by identifier
    twice = sample.statements("paper-a")
    twice.append(twice[0])
    store.replace_document("paper-a", document_graph(sample.source("paper-a", content_hash="hash-a2"), twice,
                                                     sample.VERSION, generated=sample.GENERATED))
    store.refresh_summary()
    assert ranks() == [(0, "paper-a", 2), (1, "paper-b", 1)]
    store.remove_document("paper-a")
    store.refresh_summary()
    assert ranks() == [(0, "paper-b", 1)]


def summary_dump(store: Store) -> set[str]:
    return set(store.oxi.dump(format=ox.RdfFormat.N_TRIPLES,
                              from_graph=ox.NamedNode("https://w3id.org/iei-kg/summary")).decode().splitlines())


def test_a_refresh_of_an_unchanged_store_changes_nothing(store):
    from dataclasses import replace

    from rdflib import Graph

    store.set_scheme(sample.scheme_graph(), Graph())
    store.replace_document("paper-a", sample.graph("paper-a"))
    # a title that needs escaping: the computed lines must be written exactly as the store writes them back
    awkward = replace(sample.source("paper-b", content_hash="hash-b"), title='Die „Lernfabrik“: a "dual" \\ path\tnow')
    store.replace_document("paper-b", document_graph(awkward, sample.statements("paper-b"), sample.VERSION,
                                                     generated=sample.GENERATED))
    assert store.refresh_summary() > 0
    before = summary_dump(store)
    assert store.refresh_summary() == 0
    assert summary_dump(store) == before


def test_a_refresh_by_difference_gives_the_summary_a_whole_rewrite_gives(tmp_path, monkeypatch):
    import iei_kg.graph.store as store_module

    def summaries(store: Store):
        store.replace_document("paper-a", sample.graph("paper-a"))
        store.replace_document("paper-b", sample.graph("paper-b", content_hash="hash-b"))
        store.refresh_summary()
        yield summary_dump(store)
        twice = sample.statements("paper-a")
        twice.append(twice[0])
        store.replace_document("paper-a", document_graph(sample.source("paper-a", content_hash="hash-a2"), twice,
                                                         sample.VERSION, generated=sample.GENERATED))
        store.refresh_summary()
        yield summary_dump(store)
        store.remove_document("paper-b")
        store.refresh_summary()
        yield summary_dump(store)

    monkeypatch.setattr(store_module, "SUMMARY_DIFF_SHARE", 0.0)  # every refresh rewrites the summary whole
    expected = list(summaries(Store(tmp_path / "whole", create=True)))
    monkeypatch.setattr(store_module, "SUMMARY_DIFF_SHARE", 1.0)  # every refresh writes the difference
    got = list(summaries(Store(tmp_path / "kg", create=True)))
    assert got == expected and len(set(map(frozenset, got))) == 3


def test_an_older_summary_is_not_taken_for_the_current_one(store):
    store.replace_document("paper-a", sample.graph("paper-a"))
    # what a version-1 summary held: concept pairs only
    store.oxi.update(PREFIX + "INSERT DATA { GRAPH <https://w3id.org/iei-kg/summary> { "
                              "<https://w3id.org/iei-kg/summary/pair/x> iei:documentCount 1 } }")
    assert not store.has_summary()  # so the next build refreshes it
    store.refresh_summary()
    assert store.has_summary()
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {SUMMARY} {{ ?p iei:pairRank ?r }} }}") == 1
