"""Content negotiation and the SERVICE/LOAD guard: pure functions."""

from __future__ import annotations

import pytest

from iei_kg.serve.app import forbidden_keyword
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
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ('SELECT * { ?s ?p "SERVICE" }', None),
    ("SELECT ?service { ?service a <http://x/SERVICE> } # SERVICE", None),
    ("PREFIX service: <http://x/> SELECT * { ?s service:p ex:service }", None),
    ("LOAD <http://x/a.ttl>", "LOAD"),
])
def test_forbidden_keyword(sparql, found):
    assert forbidden_keyword(sparql, ("SERVICE", "LOAD")) == found
