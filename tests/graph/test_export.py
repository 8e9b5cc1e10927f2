"""`iei-kg export rdf`: the store as N-Quads, TriG (named graphs kept), JSON-LD and Turtle (their union)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset

import iei_sample as sample
from iei_kg.cli import EXIT_OK, main
from iei_kg.errors import ConfigError
from iei_kg.graph.export import export_rdf
from iei_kg.graph.store import Store

DOCS = ("paper-a", "paper-b")


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    folder = sample.make_kg(tmp_path_factory.mktemp("kg"), docs=DOCS)
    store = Store(folder, read_only=True)
    quads = list(store.oxi.quads_for_pattern(None, None, None, None))
    store.close()
    return folder, quads


def graph_names(quads) -> set[str]:
    return {q.graph_name.value for q in quads}


@pytest.mark.parametrize("fmt,rdf_format,rdflib_format", [
    ("nquads", ox.RdfFormat.N_QUADS, "nquads"),
    ("trig", ox.RdfFormat.TRIG, "trig"),
    ("jsonld", ox.RdfFormat.JSON_LD, "json-ld"),
])
def test_dataset_formats_round_trip(kg, tmp_path, fmt, rdf_format, rdflib_format):
    folder, quads = kg
    out = tmp_path / f"graph.{fmt}"
    assert export_rdf(folder, fmt, out) == len(quads)
    parsed = list(ox.parse(path=str(out), format=rdf_format))
    assert len(parsed) == len(quads)
    assert set(parsed) == set(quads)  # no blank nodes in the graph, so the quads compare as they are
    assert graph_names(parsed) == graph_names(quads)
    assert {f"https://w3id.org/iei-kg/graph/{d}" for d in DOCS} <= graph_names(parsed)
    if fmt != "jsonld":  # rdflib agrees on the count and the graph names
        dataset = Dataset()
        dataset.parse(out, format=rdflib_format)
        named = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert named == graph_names(quads)
        assert sum(len(g) for g in dataset.graphs()) == len(quads)


def test_turtle_is_the_union(kg, tmp_path):
    folder, quads = kg
    out = tmp_path / "graph.ttl"
    distinct = {q.triple for q in quads}
    assert export_rdf(folder, "turtle", out) == len(distinct) < len(quads)  # the two documents share concept edges
    assert {q.triple for q in ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)} == distinct
    assert "@prefix iei: <https://w3id.org/iei-kg/ontology#>" in out.read_text(encoding="utf-8")


def test_unknown_format(kg):
    with pytest.raises(ConfigError):
        export_rdf(kg[0], "rdfxml")


def test_cli_export_rdf(kg, tmp_path, capsys):
    folder, quads = kg
    out = tmp_path / "graph.nq"
    assert main(["export", "rdf", "--format", "nquads", "-o", str(out), "--kg", str(folder)]) == EXIT_OK
    assert f"{len(quads)} quads -> {out}" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(quads)
