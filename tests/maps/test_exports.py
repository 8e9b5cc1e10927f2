"""Exports parse in the tools that read them: GEXF and GraphML (networkx readers), VOSviewer JSON and map/network
files, CSV."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from iei_kg.maps import concept_network, filter_statements, gap_map
from iei_kg.maps import exports

MEASURE, PROBLEM = "C-incentives", "P-enterprise-motivation"


@pytest.fixture(scope="module")
def graph(statements, labels):
    return concept_network(filter_statements(statements), labels)


def test_gap_csv_matrix_and_long_table(statements, labels, tmp_path):
    gap = gap_map(filter_statements(statements), labels)
    matrix_path, long_path = exports.write_gap_csv(gap, tmp_path / "gap.csv")
    assert long_path.name == "gap-evidence.csv"
    rows = list(csv.reader(matrix_path.open(encoding="utf-8")))
    header = rows[0]
    assert header[:2] == ["countermeasure", "countermeasure_label"]
    body = {r[0]: dict(zip(header, r)) for r in rows[2:]}
    assert body[MEASURE][PROBLEM] == "2" and body[MEASURE]["P-unclear-rights-interests"] == "0"
    assert body[MEASURE]["countermeasure_label"] == "incentives for enterprises"
    long = list(csv.DictReader(long_path.open(encoding="utf-8")))
    assert [r["doc"] for r in long] == ["paper-a", "paper-b"]
    assert long[0]["quote"].startswith("The government should offer") and long[0]["problem"] == PROBLEM


def test_gexf_reads_back(graph, tmp_path):
    (path,) = exports.write_gexf(graph, tmp_path / "net.gexf")
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes[PROBLEM]["kind"] == "problem" and back.nodes[PROBLEM]["documents"] == 2
    assert "viz" in back.nodes[PROBLEM]
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert relations == {"addresses", "causes", "involves", "actor"}


def test_graphml_reads_back(graph, tmp_path):
    (path,) = exports.write_graphml(graph, tmp_path / "net.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(graph.nodes)
    data = back.nodes[MEASURE]
    assert data["label"] == "incentives for enterprises" and data["documents"] == 2
    assert all(isinstance(v, (str, int, float)) for _, d in back.nodes(data=True) for v in d.values())
    (edge,) = [d for u, v, d in back.edges(data=True) if d["relation"] == "addresses"]
    assert edge["weight"] == 2 and json.loads(edge["evidence"])[0]["doc"] == "paper-a"


def test_vosviewer_json(graph, tmp_path):
    (path,) = exports.write_vosviewer_json(graph, tmp_path / "net.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    network = data["network"]
    assert set(network) == {"items", "links", "clusters"}
    items = {item["label"]: item for item in network["items"]}
    assert len(items) == graph.number_of_nodes()
    for item in network["items"]:
        assert set(item) >= {"id", "label", "cluster", "weights", "scores", "description"}
        assert isinstance(item["id"], int) and 1 <= item["cluster"] <= 1000
        assert all(v >= 0 for v in item["weights"].values())
    item = items["incentives for enterprises"]
    assert item["weights"]["Documents"] == 2
    assert "The government should offer tax incentives" in item["description"]
    ids = {i["id"] for i in network["items"]}
    assert all({"source_id", "target_id", "strength"} <= set(link) and link["source_id"] in ids
               and link["target_id"] in ids and link["strength"] > 0 for link in network["links"])
    assert len(network["links"]) == 4
    assert {c["cluster"] for c in network["clusters"]} == {i["cluster"] for i in network["items"]}


def test_vosviewer_description_is_escaped(tmp_path):
    from maps_samples import synthetic_statements

    graph = concept_network(synthetic_statements(concepts=30, docs=3, per_doc=5), layout=False)
    exports.write_vosviewer_json(graph, tmp_path / "net.json")
    text = (tmp_path / "net.json").read_text(encoding="utf-8")
    descriptions = [i["description"] for i in json.loads(text)["network"]["items"]]
    assert all("<img" not in d and "</script>" not in d for d in descriptions)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in d for d in descriptions)


def test_vosviewer_map_and_network_files(graph, tmp_path):
    map_path, network_path = exports.write_vosviewer_files(graph, tmp_path / "net.txt")
    assert (map_path.name, network_path.name) == ("net-map.txt", "net-network.txt")
    lines = map_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:4] == ["id", "label", "cluster", "weight<Documents>"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == graph.number_of_nodes() and all(len(r) == len(header) for r in rows)
    ids = {int(r[0]) for r in rows}
    links = [line.split("\t") for line in network_path.read_text(encoding="utf-8").splitlines()]
    assert len(links) == 4 and all(len(link) == 3 and {int(link[0]), int(link[1])} <= ids for link in links)


def test_network_csv(graph, tmp_path):
    nodes_path, edges_path = exports.write_network_csv(graph, tmp_path / "net.csv")
    nodes = list(csv.DictReader(nodes_path.open(encoding="utf-8")))
    edges = list(csv.DictReader(edges_path.open(encoding="utf-8")))
    assert {n["id"] for n in nodes} == set(graph.nodes) and len(edges) == 4
    assert {e["relation"] for e in edges} == {"addresses", "causes", "involves", "actor"}
    assert all(e["weight"] == "2" for e in edges)
