"""Named queries (queries/*.rq): headers, parameter binding as RDF terms, and results on a hand-built graph."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import iei_sample as sample
from iei_kg.errors import QueryError
from iei_kg.query.named import (NamedQuery, bind_params, named_queries, parse_query, query_text, resolve_query,
                                 run_query, term_value)

QUERIES = named_queries()
CONCEPTS_TTL = (Path(__file__).parents[2] / "ontology" / "concepts.ttl").read_text(encoding="utf-8")
CONCEPT = "https://w3id.org/iei-kg/concept/"

# name -> (params, (column, value) that a row on the sample graph must have)
EXPECTED = {
    "actors-of-countermeasure": ({"countermeasure": "C-incentives"}, ("concept", CONCEPT + "S-government")),
    "causes-of-problem": ({"problem": "P-enterprise-motivation"}, ("concept", CONCEPT + "P-unclear-rights-interests")),
    "concept-cooccurrence": ({}, ("b", CONCEPT + "P-enterprise-motivation")),
    "countermeasures-for-problem": ({"problem": "P-enterprise-motivation"}, ("concept", CONCEPT + "C-incentives")),
    "documents-for-concept": ({"concept": "P-enterprise-motivation"}, ("docId", "paper-a")),
    "evidence-for-concept": ({"concept": "C-incentives"}, ("quote", sample.COUNTERMEASURE_SENTENCE)),
    "problems-for-stakeholder": ({"stakeholder": "S-enterprise"}, ("concept", CONCEPT + "P-enterprise-motivation")),
}
INJECTION = 'P-enterprise-motivation> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'


def test_there_are_named_queries():
    assert len(QUERIES) >= 7
    assert set(QUERIES) == set(EXPECTED), "add the new query to EXPECTED"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_header(name):
    query = QUERIES[name]
    assert query.description and not query.description.startswith("#")
    assert "param:" not in query.description
    assert "PREFIX" not in query.description
    declared = set(re.findall(r"^#\s*param:\s*(\w+)", query.sparql, re.MULTILINE))
    assert set(query.params) == declared
    for param, (kind, help_text) in query.params.items():
        assert kind in {"concept", "iri", "integer", "string", "limit", "offset"}
        assert help_text
        if kind in {"limit", "offset"}:  # written into the query's one LIMIT / OFFSET clause
            assert len(re.findall(rf"\b{kind.upper()} \d+", query.sparql)) == 1
            assert "default" in help_text
            continue
        assert re.search(rf"\?{param}\b", query.sparql), f"?{param} is declared but not used"
        for example in re.findall(r"e\.g\. ([A-Z]-[\w-]+)", help_text):
            assert f"c:{example} a " in CONCEPTS_TTL, f"example {example} is not a concept of the scheme"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_the_sample_graph(store, name):
    params, (column, value) = EXPECTED[name]
    columns, rows = run_query(store, QUERIES[name], params)
    assert columns and rows
    assert all(set(row) == set(columns) for row in rows)
    assert any(row[column] == value for row in rows), rows
    for param, bound in params.items():
        if param in columns:
            assert {row[param] for row in rows} == {CONCEPT + bound}


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if EXPECTED[n][0]))
def test_a_concept_the_graph_does_not_hold_is_an_error_naming_the_nearest(store, name):
    (param, value), = EXPECTED[name][0].items()
    misspelt = value[:-2] + value[-1]  # "C-incentivs"
    with pytest.raises(QueryError, match=rf"'{param}': no concept '{misspelt}' in this graph \(did you mean {value}"):
        run_query(store, QUERIES[name], {param: misspelt})


def test_a_problem_no_countermeasure_addresses_gives_no_rows(store):
    assert run_query(store, QUERIES["causes-of-problem"], {"problem": "P-enterprise-motivation"})[1]
    assert run_query(store, QUERIES["countermeasures-for-problem"], {"problem": "P-unclear-rights-interests"})[1] == []


def test_countermeasures_for_problem_gives_quote_and_relevance(store):
    columns, rows = run_query(store, QUERIES["countermeasures-for-problem"], {"problem": "P-enterprise-motivation"})
    assert len(rows) == 1
    start, end = sample.span(sample.COUNTERMEASURE_SENTENCE)
    assert rows[0] == {
        "problem": CONCEPT + "P-enterprise-motivation",
        "concept": CONCEPT + "C-incentives",
        "label": "incentives for enterprises",
        "docId": "paper-a",
        "quote": sample.COUNTERMEASURE_SENTENCE,
        "start": start,
        "end": end,
        "page": None,
        "confidence": 0.9,
        "relevance": 0.712,
        "method": "scheme",
    }
    assert sample.TEXT[rows[0]["start"]:rows[0]["end"]] == rows[0]["quote"]


def test_a_full_iri_is_accepted_for_a_concept(store):
    _, rows = run_query(store, QUERIES["countermeasures-for-problem"], {"problem": CONCEPT + "P-enterprise-motivation"})
    assert [r["concept"] for r in rows] == [CONCEPT + "C-incentives"]


# --- bind_params errors -------------------------------------------------------------------------------

def test_unknown_parameter():
    with pytest.raises(QueryError, match=r"no parameter colour") as info:
        bind_params(QUERIES["countermeasures-for-problem"], {"problem": "P-x", "colour": "red"})
    assert "problem" in str(info.value)  # names the parameters it does have


def test_parameter_of_a_query_without_parameters():
    with pytest.raises(QueryError, match=r"no parameter problem.*none"):
        bind_params(NamedQuery("all", "All.", "SELECT * WHERE { ?s ?p ?o }"), {"problem": "P-x"})


def test_missing_parameter():
    with pytest.raises(QueryError, match=r"--param problem=\.\.\."):
        bind_params(QUERIES["countermeasures-for-problem"], {})


INT_QUERY = NamedQuery("top", "Top n.", "SELECT ?n WHERE { BIND(?limit AS ?n) }",
                       {"limit": ("integer", "how many"), "name": ("string", "a name"), "where": ("iri", "an IRI")})


@pytest.mark.parametrize("bad", ["ten", "1.5", "", "3; DROP ALL", "0x10"])
def test_bad_integer(bad):
    with pytest.raises(QueryError, match=rf"parameter 'limit' must be an integer, not '{re.escape(bad)}'"):
        bind_params(INT_QUERY, {"limit": bad, "name": "x", "where": "http://example.org/"})


def test_parameters_are_bound_as_rdf_terms():
    bound = bind_params(INT_QUERY, {"limit": "-12", "name": 'a "b" }', "where": "http://example.org/x"})
    xsd_integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert bound[ox.Variable("limit")] == ox.Literal("-12", datatype=xsd_integer)
    assert bound[ox.Variable("name")] == ox.Literal('a "b" }')
    assert bound[ox.Variable("where")] == ox.NamedNode("http://example.org/x")
    concept = bind_params(QUERIES["countermeasures-for-problem"], {"problem": "P-enterprise-motivation"})
    assert concept == {ox.Variable("problem"): ox.NamedNode(CONCEPT + "P-enterprise-motivation")}
    candidate = bind_params(QUERIES["countermeasures-for-problem"], {"problem": "P-candidate-x"})
    assert candidate[ox.Variable("problem")] == ox.NamedNode(CONCEPT + "candidate/P-candidate-x")


def test_an_invalid_iri_is_a_query_error():
    with pytest.raises(QueryError, match="parameter 'where'"):
        bind_params(INT_QUERY, {"limit": "1", "name": "x", "where": "http://example.org/a b>"})
    with pytest.raises(QueryError, match="parameter 'problem'"):
        bind_params(QUERIES["countermeasures-for-problem"], {"problem": "https://example.org/a> } ;"})


# --- injection: a parameter is a term, never query text -------------------------------------------------

def test_injection_text_in_a_concept_is_no_concept(store):
    before = len(list(store.oxi.quads_for_pattern(None, None, None, None)))
    for name in ("countermeasures-for-problem", "causes-of-problem"):
        with pytest.raises(QueryError, match="no concept 'P-enterprise-motivation> } ; DROP ALL"):
            run_query(store, QUERIES[name], {"problem": INJECTION})
    assert len(list(store.oxi.quads_for_pattern(None, None, None, None))) == before


def test_injection_text_in_a_string_returns_no_rows(store, tmp_path):
    path = tmp_path / "quote.rq"
    path.write_text('# Statements with this exact quote.\n# param: text (string) - the quote\n'
                    'PREFIX oa: <http://www.w3.org/ns/oa#>\n'
                    'SELECT ?s ?text WHERE { ?s oa:exact ?text }\n', encoding="utf-8")
    query = resolve_query(str(path))
    assert query.params == {"text": ("string", "the quote")}
    assert len(run_query(store, query, {"text": sample.PROBLEM_SENTENCE})[1]) == 1
    assert run_query(store, query, {"text": '" } ; DROP ALL ; #'})[1] == []
    assert run_query(store, query, {"text": sample.PROBLEM_SENTENCE + '" || true || "'})[1] == []


# --- parse / resolve -------------------------------------------------------------------------------------

def test_parse_query_reads_the_header(tmp_path):
    path = tmp_path / "two-lines.rq"
    path.write_text("# First line of the description,\n# second line.\n# param: n (integer) - how many\n"
                    "#\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n# not header\n", encoding="utf-8")
    query = parse_query(path)
    assert query.name == "two-lines"
    assert query.description == "First line of the description, second line."
    assert query.params == {"n": ("integer", "how many")}


def test_resolve_unknown_query_names_the_known_ones():
    with pytest.raises(QueryError, match=r"unknown query 'nonexistent'.*countermeasures-for-problem"):
        resolve_query("nonexistent")


def test_a_construct_query_is_refused(store, tmp_path):
    path = tmp_path / "construct.rq"
    path.write_text("# A graph.\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="not a SELECT query"):
        run_query(store, resolve_query(str(path)))


def test_a_parameter_the_select_does_not_project_is_a_query_error(store, tmp_path):
    # Oxigraph binds substitutions only for projected variables; the failure must be a QueryError, not a crash
    path = tmp_path / "hidden.rq"
    path.write_text("# Hidden parameter.\n# param: text (string) - a quote\n"
                    "SELECT ?s WHERE { ?s <http://www.w3.org/ns/oa#exact> ?text }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="text"):
        run_query(store, resolve_query(str(path)), {"text": "x"})


def test_a_syntax_error_is_a_query_error(store, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# Broken.\nSELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run_query(store, resolve_query(str(path)))


# --- paging: limit / offset written into the query's LIMIT / OFFSET clause ---------------------------------

@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_pages(name):
    assert {kind for kind, _ in QUERIES[name].params.values()} >= {"limit", "offset"}


def test_paging_parameters_are_optional_and_not_substituted():
    query = QUERIES["problems-for-stakeholder"]
    assert bind_params(query, {"stakeholder": "S-enterprise"}) == \
        bind_params(query, {"stakeholder": "S-enterprise", "limit": "5", "offset": "2"})
    assert query_text(query, {"stakeholder": "S-enterprise"}) == query.sparql
    text = query_text(query, {"stakeholder": "S-enterprise", "limit": "5", "offset": "20"})
    assert "LIMIT 5 OFFSET 20" in text and "LIMIT 100" not in text


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory):
    from iei_kg.graph.store import Store

    with Store(sample.make_kg(tmp_path_factory.mktemp("kg2"), docs=("paper-a", "paper-b")), read_only=True) as store:
        yield store


def test_limit_and_offset_page_the_rows(two_docs):
    query = QUERIES["evidence-for-concept"]
    params = {"concept": "C-incentives"}
    everything = run_query(two_docs, query, {**params, "limit": "1000"})[1]
    assert len(everything) == 2
    first = run_query(two_docs, query, {**params, "limit": "1"})[1]
    second = run_query(two_docs, query, {**params, "limit": "1", "offset": "1"})[1]
    assert len(first) == len(second) == 1 and first != second
    assert first[0] in everything and second[0] in everything
    assert run_query(two_docs, query, {**params, "offset": "1000"})[1] == []


@pytest.mark.parametrize("bad", ["-1", "ten", "1.5", "", "3 OFFSET 1"])
def test_bad_paging_value(bad):
    with pytest.raises(QueryError, match=rf"parameter 'limit' must be a non-negative integer, not '{re.escape(bad)}'"):
        bind_params(QUERIES["evidence-for-concept"], {"concept": "C-incentives", "limit": bad})


def test_a_paging_parameter_needs_one_clause():
    query = NamedQuery("q", "Q.", "SELECT * WHERE { ?s ?p ?o }", {"limit": ("limit", "rows, default all")})
    with pytest.raises(QueryError, match="exactly one LIMIT clause"):
        bind_params(query, {"limit": "3"})


def test_concept_cooccurrence_counts_documents(two_docs):
    _, rows = run_query(two_docs, QUERIES["concept-cooccurrence"], {"limit": "1"})
    assert [(r["a"], r["b"], r["documents"]) for r in rows] == \
        [(CONCEPT + "C-incentives", CONCEPT + "P-enterprise-motivation", 2)]
    assert rows[0]["labelA"] == "incentives for enterprises"


# --- one row per statement, pages from the summary's rankings -----------------------------------------------

CANDIDATE = CONCEPT + "candidate/C-candidate-virtual-simulation-lab"


def test_a_candidate_label_in_several_documents_gives_one_row_per_statement(two_docs):
    # A candidate concept's label is asserted in every document graph that mentions it: reading it from the union of
    # the graphs gave one row per (statement, document holding the label), so a page of 100 held more rows.
    _, rows = run_query(two_docs, QUERIES["evidence-for-concept"], {"concept": "C-candidate-virtual-simulation-lab"})
    assert sorted(r["docId"] for r in rows) == ["paper-a", "paper-b"]
    assert {r["label"] for r in rows} == {"virtual simulation lab"}
    _, rows = run_query(two_docs, QUERIES["actors-of-countermeasure"],
                        {"countermeasure": "C-candidate-virtual-simulation-lab"})
    assert sorted((r["docId"], r["concept"], r["label"]) for r in rows) == \
        [(doc, CONCEPT + "S-vocational-college", "vocational colleges") for doc in ("paper-a", "paper-b")]


@pytest.mark.parametrize("name, params", [(n, EXPECTED[n][0]) for n in sorted(EXPECTED)])
def test_a_page_never_has_more_rows_than_its_limit(two_docs, name, params):
    everything = run_query(two_docs, QUERIES[name], {**params, "limit": "1000"})[1]
    pages = [run_query(two_docs, QUERIES[name], {**params, "limit": "1", "offset": str(i)})[1]
             for i in range(len(everything) + 1)]
    assert all(len(page) == 1 for page in pages[:-1]) and pages[-1] == []
    key = lambda row: json_key(row)  # noqa: E731
    assert sorted(key(p[0]) for p in pages[:-1]) == sorted(map(key, everything))  # the pages partition the rows


def json_key(row: dict) -> str:
    import json

    return json.dumps(row, sort_keys=True, default=str)


def test_documents_for_concept_pages_follow_the_ranking(tmp_path):
    from iei_kg.graph.rdf import document_graph
    from iei_kg.graph.store import Store

    # paper-b has two statements about P-enterprise-motivation, paper-a and paper-c one each
    store = Store(sample.make_kg(tmp_path / "kg", docs=("paper-c", "paper-a")))
    statements = sample.statements("paper-b")
    statements.append(statements[0])
    store.replace_document("paper-b", document_graph(sample.source("paper-b"), statements, sample.VERSION,
                                                     generated=sample.GENERATED))
    store.refresh_summary()
    query, params = QUERIES["documents-for-concept"], {"concept": "P-enterprise-motivation"}
    rows = run_query(store, query, params)[1]
    assert [(r["docId"], r["statements"]) for r in rows] == [("paper-b", 2), ("paper-a", 1), ("paper-c", 1)]
    assert rows[0]["title"] == "Deepening industry-education integration"
    pages = [run_query(store, query, {**params, "limit": "2", "offset": str(o)})[1] for o in (0, 2, 4)]
    assert [[r["docId"] for r in page] for page in pages] == [["paper-b", "paper-a"], ["paper-c"], []]
    store.remove_document("paper-b")
    store.refresh_summary()
    assert [r["docId"] for r in run_query(store, query, params)[1]] == ["paper-a", "paper-c"]


def test_concept_cooccurrence_pages_follow_the_ranking(two_docs):
    query = QUERIES["concept-cooccurrence"]
    everything = run_query(two_docs, query, {})[1]
    ranked = sorted(everything, key=lambda r: (-r["documents"], r["a"], r["b"]))
    assert everything == ranked
    pages = [run_query(two_docs, query, {"limit": "1", "offset": str(i)})[1] for i in range(len(everything))]
    assert [p[0] for p in pages] == ranked


def test_a_query_of_the_summary_on_a_graph_without_one_says_to_rebuild(tmp_path):
    from iei_kg.graph.store import Store

    store = Store(tmp_path / "kg", create=True)
    store.replace_document("paper-a", sample.graph("paper-a"))  # built, but its summary never written
    with pytest.raises(QueryError, match="iei-kg build"):
        run_query(store, QUERIES["documents-for-concept"], {"concept": "C-incentives"})
    assert run_query(store, QUERIES["evidence-for-concept"], {"concept": "C-incentives"})[1]  # reads no summary
    store.refresh_summary()
    assert run_query(store, QUERIES["documents-for-concept"], {"concept": "C-incentives"})[1]


def test_term_value_converts_numbers_by_datatype_and_keeps_other_literals_as_text():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert term_value(ox.Literal("42", datatype=ox.NamedNode(xsd + "integer"))) == 42
    assert term_value(ox.Literal("0.75", datatype=ox.NamedNode(xsd + "decimal"))) == 0.75
    assert term_value(ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))) == "true"
    assert term_value(ox.Literal("12", datatype=ox.NamedNode(xsd + "gYear"))) == "12"
    assert term_value(ox.Literal("teachers", language="en")) == "teachers"
    assert term_value(ox.NamedNode("https://w3id.org/iei-kg/concept/S-teacher")) == \
        "https://w3id.org/iei-kg/concept/S-teacher"
    assert term_value(None) is None
