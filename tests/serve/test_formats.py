"""Content negotiation and the SERVICE/LOAD guard: pure functions."""

from __future__ import annotations

import pytest

from iei_kg.serve.app import fetching_operations
from iei_kg.serve.formats import GRAPH_TYPES, RESULT_TYPES, negotiate, parse_accept


@pytest.mark.parametrize("accept,expected", [
    (None, "JSON"),
    ("", "JSON"),
    ("*/*", "JSON"),
    ("text/csv", "CSV"),
    ("text/*", "CSV"),
    ("application/sparql-results+xml", "XML"),
    ("text/tab-separated-values; charset=utf-8", "TSV"),
    ("text/csv;q=0.5, application/sparql-results+xml", "XML"),
    ("image/png", None),
    ("text/csv;q=0", None),
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", "JSON"),
])
def test_negotiate_results(accept, expected):
    assert negotiate(accept, RESULT_TYPES) == expected


@pytest.mark.parametrize("accept,expected", [
    (None, "TURTLE"),
    ("application/n-triples", "N_TRIPLES"),
    ("application/ld+json", "JSON_LD"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "RDF_XML"),
    ("application/sparql-results+json", None),
])
def test_negotiate_graphs(accept, expected):
    assert negotiate(accept, GRAPH_TYPES) == expected


def test_parse_accept_orders_by_q():
    assert [m for m, _ in parse_accept("a/b;q=0.2, c/d, e/f;q=0.9")] == ["c/d", "e/f", "a/b"]


@pytest.mark.parametrize("sparql,found", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
    ("SeLeCt * { SeRvIcE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * { # a comment }\n SERVICE <http://x/a%23b> { ?s ?p ?o } }", {"SERVICE"}),
    (r"SELECT * { SERVICE <http://x/\u0073parql> { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }", {"SERVICE"}),
    ('SELECT * { ?s ?p "SERVICE" }', set()),
    ("SELECT ?service { ?service a <http://x/SERVICE#a> } # SERVICE <http://x/> { }", set()),
    ("PREFIX service: <http://x/> SELECT * { ?s service:p service:service }", set()),
])
def test_fetching_operations_of_a_query(sparql, found):
    assert fetching_operations(sparql) == found


@pytest.mark.parametrize("sparql,found", [
    ("LOAD <http://x/a.ttl>", {"LOAD"}),
    ("load silent <http://x/a.ttl> into graph <http://x/g>", {"LOAD"}),
    ('INSERT DATA { <http://x/a> <http://x/b> "LOAD" } ; LoAd <http://x/a.ttl>', {"LOAD"}),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
    ('INSERT DATA { <http://x/a> <http://x/b> "LOAD <http://x/>" }', set()),
])
def test_fetching_operations_of_an_update(sparql, found):
    assert fetching_operations(sparql, update=True) == found


def test_fetching_operations_raises_on_what_it_cannot_parse():
    with pytest.raises(ValueError):
        fetching_operations("SELECT * WHERE { ?s ?p }")
