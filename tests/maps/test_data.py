"""Data preparation: the gap matrix (cell counts, gaps, filters) and the concept network, on make_kg data."""

from __future__ import annotations

import pytest

from iei_kg.maps import DocumentFilter, MapError, concept_network, filter_statements, gap_map, select_documents
from iei_kg.maps.data import undirected

MEASURE, PROBLEM, CAUSE = "C-incentives", "P-enterprise-motivation", "P-unclear-rights-interests"
CANDIDATE = "C-candidate-virtual-simulation-lab"


def test_gap_cells_count_documents(statements, labels):
    gap = gap_map(filter_statements(statements), labels)
    assert [r["id"] for r in gap.rows] == [MEASURE]
    assert {c["id"] for c in gap.columns} == {PROBLEM, CAUSE}
    assert gap.count(MEASURE, PROBLEM) == 2                       # paper-a and paper-b
    assert gap.cells[(MEASURE, PROBLEM)]["documents"] == ["paper-a", "paper-b"]
    quotes = gap.cells[(MEASURE, PROBLEM)]["evidence"]
    assert [q["doc"] for q in quotes] == ["paper-a", "paper-b"]
    assert all(q["quote"].startswith("The government should offer tax incentives") for q in quotes)
    assert quotes[0]["actors"] == ["S-government"]
    assert gap.documents == ["paper-a", "paper-b"]
    assert gap.stakeholders == {"S-government": "government"}
    assert gap.rows[0]["label"] == "incentives for enterprises"


def test_gap_cells_are_empty(statements):
    gap = gap_map(filter_statements(statements))
    assert gap.count(MEASURE, CAUSE) == 0
    assert (MEASURE, CAUSE) not in gap.cells
    assert gap.gaps() == [(MEASURE, CAUSE)]
    matrix = gap.matrix()
    assert sum(v == 0 for row in matrix for v in row) == 1 and sum(map(sum, matrix)) == 2


def test_gap_long_table_has_one_row_per_quote(statements):
    rows = gap_map(filter_statements(statements)).evidence_rows()
    assert len(rows) == 2
    assert rows[0]["countermeasure"] == MEASURE and rows[0]["problem"] == PROBLEM
    assert rows[0]["actors"] == "S-government" and rows[0]["section"] == "2 Countermeasures"


def test_candidates_are_left_out_unless_asked(statements):
    assert CANDIDATE not in {r["id"] for r in gap_map(filter_statements(statements)).rows}
    gap = gap_map(filter_statements(statements, candidates=True))
    assert CANDIDATE in {r["id"] for r in gap.rows}
    assert all(gap.count(CANDIDATE, c["id"]) == 0 for c in gap.columns)   # a whole row of gaps


def test_stakeholder_filter_on_actors(statements):
    kept = filter_statements(statements)
    assert gap_map(kept, stakeholder="S-government").count(MEASURE, PROBLEM) == 2
    nobody = gap_map(kept, stakeholder="S-enterprise")       # involved in the problem, never an actor
    assert nobody.rows == [] and nobody.cells == {}
    college = gap_map(filter_statements(statements, candidates=True), stakeholder="S-vocational-college")
    assert [r["id"] for r in college.rows] == [CANDIDATE] and college.cells == {}


def test_document_filter(statements):
    docs = select_documents({"paper-a", "paper-b"}, DocumentFilter(documents=("*-a",)))
    assert docs == {"paper-a"}
    gap = gap_map(filter_statements(statements, documents=docs))
    assert gap.count(MEASURE, PROBLEM) == 1 and gap.documents == ["paper-a"]
    assert select_documents({"paper-a"}, DocumentFilter(documents=("nothing*",))) == set()


def test_year_and_type_filters_need_metadata(inputs):
    assert inputs[2] == {"paper-a": {"type": None, "year": None}, "paper-b": {"type": None, "year": None}}
    with pytest.raises(MapError, match="no year"):
        select_documents({"paper-a"}, DocumentFilter(year_from=2020), {"paper-a": {"type": None, "year": None}})
    with pytest.raises(MapError, match="no type"):
        select_documents({"paper-a"}, DocumentFilter(doc_type="policy"), {})
    metadata = {"a": {"type": "policy", "year": 2019}, "b": {"type": "paper", "year": 2023}, "c": {}}
    assert select_documents(set(metadata), DocumentFilter(year_from=2020), metadata) == {"b"}
    assert select_documents(set(metadata), DocumentFilter(year_to=2020, doc_type="policy"), metadata) == {"a"}


def test_scheme_concepts_add_empty_rows_and_columns(statements):
    gap = gap_map(filter_statements(statements), scheme_concepts=["P-legal-gap", "C-funding", "S-enterprise"])
    assert "C-funding" in {r["id"] for r in gap.rows} and "P-legal-gap" in {c["id"] for c in gap.columns}
    assert gap.count("C-funding", PROBLEM) == 0


def test_concept_network(statements):
    graph = concept_network(filter_statements(statements))
    assert set(graph.nodes) == {MEASURE, PROBLEM, CAUSE, "S-enterprise", "S-government"}
    assert {(u, v, k) for u, v, k in graph.edges(keys=True)} == {
        (PROBLEM, "S-enterprise", "involves"), (CAUSE, PROBLEM, "causes"), (MEASURE, PROBLEM, "addresses"),
        (MEASURE, "S-government", "actor")}
    assert all(d["weight"] == 2 for _, _, d in graph.edges(data=True))
    assert graph.nodes[PROBLEM]["documents"] == 2 and graph.nodes[PROBLEM]["kind"] == "problem"
    assert graph.nodes["S-government"]["docs"] == "paper-a paper-b"
    assert all(0 <= d["x"] <= 1000 and 0 <= d["y"] <= 1000 and d["community"] >= 1 for _, d in graph.nodes(data=True))


def test_network_is_reproducible_and_filterable(statements):
    kept = filter_statements(statements)
    a, b = concept_network(kept, seed=3), concept_network(kept, seed=3)
    assert [(n, d["x"], d["y"], d["community"]) for n, d in a.nodes(data=True)] == \
           [(n, d["x"], d["y"], d["community"]) for n, d in b.nodes(data=True)]
    only = concept_network(kept, kinds=("problem", "countermeasure"), relations=("addresses",))
    assert set(only.nodes) == {MEASURE, PROBLEM, CAUSE} and only.number_of_edges() == 1
    stake = concept_network(filter_statements(statements, stakeholder="S-government"))
    assert set(stake.nodes) == {MEASURE, PROBLEM, "S-government"}


def test_synthetic_network_of_1000_concepts():
    from maps_samples import synthetic_statements

    graph = concept_network(synthetic_statements())
    assert graph.number_of_nodes() == 1000
    assert undirected(graph).number_of_edges() > 1000
    assert max(d["community"] for _, d in graph.nodes(data=True)) > 1
