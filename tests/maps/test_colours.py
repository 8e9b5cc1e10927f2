"""Gap map bubbles coloured by document type (paper / policy) or year: the cell colour data, unknown metadata in
grey, the legend in the HTML, the static figures, and `--colour-by` on the CLI."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

import iei_sample
from iei_kg.cli import main
from iei_kg.maps import MapError, cell_colour, filter_statements, gap_map
from iei_kg.maps.data import TYPE_COLOURS, UNKNOWN_COLOUR, YEAR_STOPS, year_colour
from iei_kg.maps.html import render_gap_html

MEASURE, PROBLEM = "C-incentives", "P-enterprise-motivation"
DOCS = ("doc-a", "doc-b", "doc-c")
METADATA = {"doc-a": {"type": "policy", "year": 2019}, "doc-b": {"type": "policy", "year": 2021},
            "doc-c": {"type": "paper", "year": 2023}}


@pytest.fixture(scope="module")
def three_docs(tmp_path_factory):
    """(statements, labels) of a make_kg graph whose three documents all say C-incentives addresses
    P-enterprise-motivation."""
    from iei_kg.api import open_graph
    from iei_kg.maps import load_inputs

    kg = iei_sample.make_kg(tmp_path_factory.mktemp("kg3"), docs=DOCS)
    with open_graph(kg) as graph:
        statements, labels, _ = load_inputs(graph)
    return filter_statements(statements), labels


def html_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', text, re.S)[1])


def test_type_colour_counts_paper_and_policy(three_docs):
    statements, labels = three_docs
    gap = gap_map(statements, labels, metadata=METADATA)
    assert gap.metadata == METADATA
    colour = gap.cell_colours("type")[(MEASURE, PROBLEM)]
    assert colour == {"counts": {"paper": 1, "policy": 2, "unknown": 0}, "colour": TYPE_COLOURS["policy"]}
    assert (MEASURE, "P-unclear-rights-interests") not in gap.cell_colours("type")   # a gap has no bubble


def test_year_colour_is_the_mean_year_on_the_scale(three_docs):
    statements, labels = three_docs
    gap = gap_map(statements, labels, metadata=METADATA)
    assert gap.years() == (2019, 2023)
    colour = gap.cell_colours("year")[(MEASURE, PROBLEM)]
    assert colour == {"year": 2021.0, "known": 3, "unknown": 0, "colour": YEAR_STOPS[2]}   # mid-scale
    assert year_colour(2019, (2019, 2023)) == YEAR_STOPS[0] and year_colour(2023, (2019, 2023)) == YEAR_STOPS[-1]
    assert year_colour(2020, (2020, 2020)) == YEAR_STOPS[2]                                 # one year: mid-scale


def test_unknown_metadata_is_grey(three_docs):
    statements, labels = three_docs
    partial = {"doc-a": {"type": "policy", "year": 2019}, "doc-b": {"type": "report", "year": None}}
    gap = gap_map(statements, labels, metadata=partial)
    assert gap.cell_colours("type")[(MEASURE, PROBLEM)]["counts"] == {"paper": 0, "policy": 1, "unknown": 2}
    assert gap.cell_colours("type")[(MEASURE, PROBLEM)]["colour"] == UNKNOWN_COLOUR
    year = gap.cell_colours("year")[(MEASURE, PROBLEM)]
    assert (year["year"], year["known"], year["unknown"]) == (2019.0, 1, 2)
    bare = gap_map(statements, labels)                                   # no metadata at all
    assert bare.cell_colours("type")[(MEASURE, PROBLEM)]["colour"] == UNKNOWN_COLOUR
    assert bare.cell_colours("year")[(MEASURE, PROBLEM)] == {"year": None, "known": 0, "unknown": 3,
                                                             "colour": UNKNOWN_COLOUR}
    assert cell_colour([], {}, "type")["colour"] == UNKNOWN_COLOUR
    with pytest.raises(MapError, match="type, year, none"):
        cell_colour(["doc-a"], METADATA, "colour")


@pytest.mark.parametrize("colour_by,words", [("type", ["paper", "policy", "unknown"]),
                                             ("year", ["mean year", "2019", "2023", "unknown"])])
def test_html_has_the_legend_and_the_metadata(three_docs, tmp_path, colour_by, words):
    statements, labels = three_docs
    (path,) = render_gap_html(gap_map(statements, labels, metadata=METADATA), tmp_path / "gap.html",
                              colour_by=colour_by)
    legend = re.search(r'<span class="legend" id="colour-legend">(.*?)</span>\n', path.read_text(encoding="utf-8"))
    assert legend and all(w in legend[1] for w in words)
    data = html_data(path)
    assert data["colour"]["by"] == colour_by and data["colour"]["years"] == [2019, 2023]
    assert data["meta"] == {"doc-a": ["policy", 2019], "doc-b": ["policy", 2021], "doc-c": ["paper", 2023]}


def test_html_without_colours_has_no_colour_legend(three_docs, tmp_path):
    statements, labels = three_docs
    (path,) = render_gap_html(gap_map(statements, labels), tmp_path / "gap.html")
    assert 'id="colour-legend"' not in path.read_text(encoding="utf-8")
    assert html_data(path)["meta"]["doc-a"] == ["unknown", None]


@pytest.mark.parametrize("colour_by", ["type", "year", "none"])
@pytest.mark.parametrize("metadata", [METADATA, {}], ids=["metadata", "no-metadata"])
def test_static_figures_render(three_docs, tmp_path, colour_by, metadata):
    pytest.importorskip("matplotlib")
    from iei_kg.maps.static import render_gap

    statements, labels = three_docs
    gap = gap_map(statements, labels, metadata=metadata)
    (png,) = render_gap(gap, tmp_path / "gap.png", colour_by=colour_by)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (svg,) = render_gap(gap, tmp_path / "gap.svg", colour_by=colour_by)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text[:2000]
    if colour_by == "type" and metadata:
        assert TYPE_COLOURS["policy"] in text and TYPE_COLOURS["paper"] in text   # the pie's two wedges


@pytest.fixture(scope="module")
def typed_kg(tmp_path_factory):
    """A graph folder whose documents carry dcterms:type and dcterms:date (as a corpus with metadata.csv)."""
    from rdflib import Graph

    from iei_kg.graph.rdf import document_graph
    from iei_kg.graph.store import Store
    from iei_kg.resources import data_dir

    folder = tmp_path_factory.mktemp("typed")
    store = Store(folder, create=True)
    store.set_scheme(iei_sample.scheme_graph(), Graph().parse(data_dir("ontology") / "iei.ttl"))
    for doc, meta in METADATA.items():
        source = dataclasses.replace(iei_sample.source(doc), type=meta["type"], year=meta["year"])
        store.replace_document(doc, document_graph(source, iei_sample.statements(doc), iei_sample.VERSION,
                                                   generated=iei_sample.GENERATED))
    store.flush()
    del store
    return folder


def test_cli_colour_by(typed_kg, kg_dir, tmp_path, capsys):
    out = tmp_path / "gap.html"
    assert main(["map", "gap", "--kg", str(typed_kg), "-o", str(out)]) == 0          # typed documents: by type
    data = html_data(out)
    assert data["colour"]["by"] == "type" and data["meta"]["doc-c"] == ["paper", 2023]
    assert main(["map", "gap", "--kg", str(typed_kg), "-o", str(out), "--colour-by", "year"]) == 0
    assert html_data(out)["colour"] == {**data["colour"], "by": "year"}
    assert main(["map", "gap", "--kg", str(kg_dir), "-o", str(out)]) == 0            # no metadata: one colour
    assert html_data(out)["colour"]["by"] == "none"
    assert main(["map", "gap", "--kg", str(kg_dir), "-o", str(out), "--colour-by", "type"]) == 0
    assert html_data(out)["meta"] == {"paper-a": ["unknown", None], "paper-b": ["unknown", None]}
    capsys.readouterr()
    assert main(["map", "network", "--kg", str(kg_dir), "-o", str(tmp_path / "n.html"), "--colour-by", "year"]) == 1
    assert "--colour-by is for the gap map" in capsys.readouterr().err
