"""to_networkx(): concept nodes and typed edges weighted by the number of documents, and GraphML."""

from __future__ import annotations

import json

import networkx as nx
import pytest

import iei_sample as sample
from iei_kg.graph.network import MAX_EVIDENCE_PER_EDGE, to_networkx


def mentions(doc_id: str) -> list[dict]:
    """The statements of a document as KnowledgeGraph.statements() gives them."""
    records = []
    for s in sample.statements(doc_id):
        record = s.as_mention()
        del record["candidate"]
        records.append(record)
    return records


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    # paper-a and paper-b say the same things; paper-a says the countermeasure twice
    a = mentions("paper-a")
    repeat = dict(a[2], start=a[2]["start"] + 1)
    return to_networkx(a + [repeat] + mentions("paper-b"))


def edge(graph, source, target, relation) -> dict:
    assert graph.has_edge(source, target, key=relation), f"no {relation} edge {source} -> {target}"
    return graph.edges[source, target, relation]


def test_typed_edges(graph):
    relations = {(u, v, k) for u, v, k in graph.edges(keys=True)}
    assert relations == {
        ("P-enterprise-motivation", "S-enterprise", "involves"),
        ("P-unclear-rights-interests", "P-enterprise-motivation", "causes"),
        ("C-incentives", "P-enterprise-motivation", "addresses"),
        ("C-incentives", "S-government", "actor"),
        ("C-candidate-virtual-simulation-lab", "S-vocational-college", "actor"),
    }
    for u, v, k, data in graph.edges(keys=True, data=True):
        assert data["relation"] == k


def test_weight_counts_distinct_documents(graph):
    addresses = edge(graph, "C-incentives", "P-enterprise-motivation", "addresses")
    assert addresses["weight"] == 2  # three statements, two documents
    assert addresses["documents"] == "paper-a paper-b"
    assert edge(graph, "P-unclear-rights-interests", "P-enterprise-motivation", "causes")["weight"] == 2
    single = to_networkx(mentions("paper-a"))
    assert single.edges["C-incentives", "P-enterprise-motivation", "addresses"]["weight"] == 1


def test_evidence_leads_back_to_the_passages(graph):
    evidence = json.loads(edge(graph, "C-incentives", "P-enterprise-motivation", "addresses")["evidence"])
    assert len(evidence) == 3
    start, end = sample.span(sample.COUNTERMEASURE_SENTENCE)
    assert evidence[0] == {"doc": "paper-a", "quote": sample.COUNTERMEASURE_SENTENCE, "start": start, "end": end,
                           "page": None}
    assert {e["doc"] for e in evidence} == {"paper-a", "paper-b"}
    for e in evidence:
        assert set(e) == {"doc", "quote", "start", "end", "page"}


def test_evidence_is_capped():
    many = [dict(mentions("paper-a")[2], doc=f"d{i}") for i in range(MAX_EVIDENCE_PER_EDGE + 5)]
    data = to_networkx(many).edges["C-incentives", "P-enterprise-motivation", "addresses"]
    assert data["weight"] == MAX_EVIDENCE_PER_EDGE + 5
    assert len(json.loads(data["evidence"])) == MAX_EVIDENCE_PER_EDGE


def test_nodes_have_kinds_labels_and_document_counts(graph):
    nodes = graph.nodes
    assert nodes["P-enterprise-motivation"]["kind"] == "problem"
    assert nodes["P-enterprise-motivation"]["label"] == "low enterprise motivation"
    assert nodes["P-enterprise-motivation"]["documents"] == 2
    assert nodes["C-incentives"]["kind"] == "countermeasure"
    assert nodes["C-incentives"]["label"] == "incentives for enterprises"
    assert nodes["C-candidate-virtual-simulation-lab"]["kind"] == "countermeasure"
    assert nodes["S-government"]["kind"] == "stakeholder"
    assert nodes["S-government"]["label"] == "S-government"  # known only as an edge end: the id stands in
    assert nodes["S-government"]["documents"] == 0
    assert nodes["P-unclear-rights-interests"]["kind"] == "problem"


def test_graphml_round_trip(graph, tmp_path):
    path = tmp_path / "graph.graphml"
    nx.write_graphml(graph, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(graph.nodes)
    assert {n: d["kind"] for n, d in back.nodes(data=True)} == {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert {n: d["documents"] for n, d in back.nodes(data=True)} == \
        {n: d["documents"] for n, d in graph.nodes(data=True)}
    weights = {(u, v, d["relation"]): d["weight"] for u, v, d in back.edges(data=True)}
    assert weights == {(u, v, k): d["weight"] for u, v, k, d in graph.edges(keys=True, data=True)}
    assert all(isinstance(w, int) for w in weights.values())
    evidence = [json.loads(d["evidence"]) for _, _, d in back.edges(data=True)]
    assert all(e and e[0]["quote"] for e in evidence)
