"""`iei-kg validate`: SHACL shapes (ontology/shapes.ttl) on a good graph and on broken ones."""

from __future__ import annotations

import sys

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

import iei_sample as sample
from iei_kg.cli import EXIT_ERROR, EXIT_OK, main
from iei_kg.errors import MissingDependencyError
from iei_kg.graph.store import Store
from iei_kg.ontology.namespace import DOC, IEI, OA

pytest.importorskip("pyshacl")
from iei_kg.graph.validate import validate  # noqa: E402

STATEMENT = DOC["paper-a/statement/0"]
STATEMENT_2 = DOC["paper-a/statement/2"]


def broken_graph():
    """The sample graph with one fault of each kind the shapes check."""
    g = sample.graph()
    g.remove((STATEMENT, IEI.concept, None))                                  # no concept
    g.add((STATEMENT_2, IEI.document, DOC["paper-z"]))                          # a second document (not a Document)
    position = URIRef(f"{DOC['paper-a/statement/1']}/position")
    g.set((position, OA.end, Literal(3, datatype=XSD.nonNegativeInteger)))    # end before start
    g.remove((URIRef(f"{DOC['paper-a/statement/3']}/quote"), OA.exact, None))  # no exact quote
    g.set((STATEMENT_2, IEI.stakeholderSource, Literal("guessed")))              # not a known source
    return g


@pytest.fixture(scope="module")
def good_kg(tmp_path_factory):
    return sample.make_kg(tmp_path_factory.mktemp("kg"), docs=("paper-a", "paper-b"))


def test_good_graph_conforms(good_kg):
    report = validate(good_kg)
    assert report.conforms and not report.violations
    assert report.summary().startswith("conforms:")


def test_broken_graph_does_not_conform(tmp_path):
    path = tmp_path / "broken.ttl"
    broken_graph().serialize(path, format="turtle")
    report = validate(path)
    assert not report.conforms
    messages = report.counts()
    assert messages["a statement has exactly one iei:concept (an IRI)"] == 1
    assert messages["a statement has exactly one iei:document, an iei:Document"] >= 1
    assert messages["a position selector has one integer oa:start >= 0, less than its oa:end"] == 1
    assert messages["a quote selector has one non-empty oa:exact string"] == 1
    assert messages['a statement has at most one iei:stakeholderSource: "sentence", "heading" or "section"'] == 1
    summary = report.summary()
    assert summary.startswith("does not conform:")
    assert str(STATEMENT) in summary and "iei:concept" in summary
    assert "Traceback" not in summary


def test_broken_graph_folder_via_cli(tmp_path, capsys):
    folder = tmp_path / "kg"
    store = Store(folder, create=True)
    store.replace_document("paper-a", broken_graph())
    store.flush()
    store.close()
    del store
    assert main(["validate", "--kg", str(folder)]) == EXIT_ERROR
    out = capsys.readouterr().out
    assert out.startswith("does not conform:") and "oa:exact" in out


def test_cli_on_a_good_file(good_kg, tmp_path, capsys):
    out = tmp_path / "good.nq"
    assert main(["export", "rdf", "--format", "nquads", "-o", str(out), "--kg", str(good_kg)]) == EXIT_OK
    capsys.readouterr()
    assert main(["validate", str(out)]) == EXIT_OK
    assert capsys.readouterr().out.startswith("conforms:")


def test_missing_pyshacl_is_a_clear_error(good_kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(MissingDependencyError, match=r"iei-kg\[validate\]"):
        validate(good_kg)
