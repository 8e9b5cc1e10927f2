"""The SPARQL 1.1 Protocol endpoint (`iei-kg serve`) queried over HTTP, by SPARQLWrapper and by plain urllib."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

import iei_sample as sample
from iei_kg.api import KnowledgeGraph
from iei_kg.query.named import named_queries, term_value
from serve_helpers import TOKEN, http

PREFIX = "PREFIX iei: <https://w3id.org/iei-kg/ontology#>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n"
QUOTES = PREFIX + "SELECT ?s ?quote WHERE { ?s a iei:ProblemStatement ; iei:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote }"
CONSTRUCT = PREFIX + "CONSTRUCT { ?s oa:exact ?quote } WHERE { ?s oa:exact ?quote }"
# 4 patterns over ~260 triples: ~4.6e9 solutions to count, far beyond any time limit here
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(server, query: str, fmt=JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def test_select_json(server):
    result = wrapper(server, QUOTES).query().convert()
    assert result["head"]["vars"] == ["s", "quote"]
    assert [b["quote"]["value"] for b in result["results"]["bindings"]] == [sample.PROBLEM_SENTENCE]


def test_select_xml(server):
    document = wrapper(server, QUOTES, XML).query().convert()  # an xml.dom document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == [sample.PROBLEM_SENTENCE]


def test_select_csv(server):
    body = wrapper(server, QUOTES, CSV).query().convert()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert [r["quote"] for r in rows] == [sample.PROBLEM_SENTENCE]
    assert rows[0]["s"].startswith("https://w3id.org/iei-kg/doc/paper-a/statement/")


def test_select_tsv(server):
    body = wrapper(server, QUOTES, TSV).query().convert().decode("utf-8")
    header, row = body.strip("\n").split("\n")
    assert header == "?s\t?quote"
    assert row.split("\t")[1] == f'"{sample.PROBLEM_SENTENCE}"'


def test_ask(server):
    assert wrapper(server, PREFIX + "ASK { ?s a iei:CauseStatement }").query().convert()["boolean"] is True


def test_construct_turtle(server):
    body = wrapper(server, CONSTRUCT, TURTLE).query().convert()
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) == 4
    assert sample.COUNTERMEASURE_SENTENCE in {str(o) for o in graph.objects()}


def test_construct_ntriples_and_jsonld(server):
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": CONSTRUCT})
    status, headers, body = http(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 4
    status, headers, body = http(url, headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    assert len(list(ox.parse(body, format=ox.RdfFormat.JSON_LD))) == 4


def test_post_form_and_direct(server):
    sw = wrapper(server, QUOTES)
    sw.setMethod(POST)
    assert len(sw.query().convert()["results"]["bindings"]) == 1
    sw.setRequestMethod(POSTDIRECTLY)
    assert len(sw.query().convert()["results"]["bindings"]) == 1
    status, headers, body = http(server.url + "/sparql", data=QUOTES.encode(),
                                 headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_malformed_query_is_400_with_message(server):
    with pytest.raises(QueryBadFormed) as info:
        wrapper(server, "SELECT ?s WHERE { ?s ?p }").query()
    assert "syntax error" in str(info.value)
    status, headers, body = http(server.url + "/sparql?query=" + urllib.parse.quote("SELEC * {}"))
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("SPARQL syntax error")


def test_unsupported_accept_is_406(server):
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": QUOTES})
    status, _, body = http(url, headers={"Accept": "image/png"})
    assert status == 406 and b"text/csv" in body
    status, _, _ = http(url, headers={"Accept": "image/png, */*;q=0.1"})
    assert status == 200
    construct = server.url + "/sparql?" + urllib.parse.urlencode({"query": CONSTRUCT})
    assert http(construct, headers={"Accept": "text/csv"})[0] == 406


def test_service_is_refused(server):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    status, _, body = http(server.url + "/sparql?query=" + urllib.parse.quote(query))
    assert status == 400 and b"SERVICE is not allowed" in body
    # the word in a string, IRI, variable or prefixed name is fine
    ok = 'PREFIX service: <http://x/service#> SELECT ?service WHERE { BIND("SERVICE" AS ?service) }'
    assert http(server.url + "/sparql?query=" + urllib.parse.quote(ok))[0] == 200


def test_update_refused_by_default(server):
    sw = wrapper(server, 'INSERT DATA { <http://x/a> <http://x/b> "c" }')
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    status, _, body = http(server.url + "/sparql", data=b"update=CLEAR+ALL",
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Authorization": f"Bearer {TOKEN}"})
    assert status == 403 and b"--allow-update" in body
    assert wrapper(server, "ASK { GRAPH ?g { ?s ?p ?o } }").query().convert()["boolean"] is True


def test_update_with_token(make_server, tmp_path):
    folder = sample.make_kg(tmp_path / "kg")
    srv = make_server(folder, allow_update=True, token=TOKEN, timeout=20)
    update = 'INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> "pushed" } }'
    check = 'ASK { <http://x/a> <http://x/b> "pushed" }'

    sw = wrapper(srv, update)
    sw.setMethod(POST)
    with pytest.raises(Unauthorized):  # no token: 401
        sw.query()
    sw.addCustomHttpHeader("Authorization", "Bearer wrong-token")
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    assert wrapper(srv, check).query().convert()["boolean"] is False

    sw.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert sw.query().response.status == 200
    assert wrapper(srv, check).query().convert()["boolean"] is True
    status, _, body = http(srv.url + "/sparql", data=b"LOAD <http://127.0.0.1:1/x.ttl>",
                           headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 400 and b"LOAD is not allowed" in body


def test_allow_update_needs_a_token(kg_dir):
    from iei_kg.errors import ConfigError
    from iei_kg.serve import ServeConfig, SparqlServer

    with pytest.raises(ConfigError):
        SparqlServer(ServeConfig(kg_dir=kg_dir, port=0, allow_update=True))


def test_slow_query_is_stopped_and_the_server_recovers(make_server):
    srv = make_server(timeout=1.0, workers=1)
    url = srv.url + "/sparql?query=" + urllib.parse.quote(SLOW)
    started = time.monotonic()
    status, _, body = http(url)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit of 1 s" in body
    assert elapsed < 5
    # the killed worker is replaced: the next query is answered
    status, _, body = http(srv.url + "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
    assert status == 200 and b"true" in body


def test_row_limit_truncates_and_says_so(make_server):
    srv = make_server(max_rows=3, timeout=20)
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, headers, body = http(srv.url + "/sparql?query=" + urllib.parse.quote(query))
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 3
    assert headers["X-Result-Truncated"] == "true; max-rows=3"
    status, headers, body = http(srv.url + "/sparql?query=" + urllib.parse.quote(CONSTRUCT),
                                 headers={"Accept": "application/n-triples"})
    assert len(body.decode().strip().splitlines()) == 3 and headers["X-Result-Truncated"]
    status, headers, _ = http(srv.url + "/sparql?query=" + urllib.parse.quote(QUOTES))
    assert "X-Result-Truncated" not in headers and headers["X-Result-Count"] == "1"


def test_body_limit_is_413(make_server):
    srv = make_server(max_body=100, timeout=20)
    query = QUOTES + " #" + "x" * 200
    status, _, body = http(srv.url + "/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"100 bytes" in body


def test_cors_only_when_asked(server, make_server):
    url = "/sparql?query=" + urllib.parse.quote("ASK {}")
    assert "Access-Control-Allow-Origin" not in http(server.url + url)[1]
    srv = make_server(cors="https://example.org", timeout=20)
    status, headers, _ = http(srv.url + url)
    assert headers["Access-Control-Allow-Origin"] == "https://example.org"
    status, headers, _ = http(srv.url + "/sparql", method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_named_query_list(server):
    status, headers, body = http(server.url + "/queries")
    listing = {q["name"]: q for q in json.loads(body)}
    assert set(listing) == set(named_queries())
    assert listing["countermeasures-for-problem"]["params"]["problem"]["kind"] == "concept"


def rows_of(body: bytes) -> list[dict]:
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    return [{n: term_value(s[n]) for n in names} for s in solutions]


@pytest.mark.parametrize("name,params", [
    ("countermeasures-for-problem", {"problem": "P-enterprise-motivation"}),
    ("problems-for-stakeholder", {"stakeholder": "S-enterprise"}),
    ("concept-cooccurrence", {}),
    ("evidence-for-concept", {"concept": "C-incentives"}),
])
def test_named_query_returns_the_rows_of_knowledge_graph_query(server, kg_dir, name, params):
    status, _, body = http(f"{server.url}/queries/{name}?{urllib.parse.urlencode(params)}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    with KnowledgeGraph(kg_dir) as kg:
        columns, expected = kg.query(name, params)
    assert rows_of(body) == expected and expected


def test_named_query_errors(server):
    assert http(server.url + "/queries/no-such-query")[0] == 404
    status, _, body = http(server.url + "/queries/countermeasures-for-problem")
    assert status == 400 and b"problem" in body
    status, _, body = http(server.url + "/queries/countermeasures-for-problem?problem=P-x&bogus=1")
    assert status == 400 and b"bogus" in body
    injection = urllib.parse.quote("P-x> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #")
    status, _, body = http(server.url + "/queries/countermeasures-for-problem?problem=" + injection)
    assert status == 400 and b"no concept 'P-x> } ; DROP ALL" in body


def test_a_named_query_for_a_concept_the_graph_lacks_says_so_as_the_cli_does(server):
    status, _, body = http(server.url + "/queries/countermeasures-for-problem?problem=P-enterprise-motivaton")
    assert status == 400
    assert b"no concept 'P-enterprise-motivaton' in this graph (did you mean P-enterprise-motivation" in body
    status, _, body = http(server.url + "/queries/countermeasures-for-problem?problem=P-unclear-rights-interests",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["results"]["bindings"] == []  # in the graph, addressed by nothing


def test_service_description_and_void(server):
    status, headers, body = http(server.url + "/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    assert len(list(sd.query(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> ASK { ?s a sd:Service ; sd:endpoint ?e }")))
    status, headers, body = http(server.url + "/.well-known/void")
    void = Graph().parse(data=body, format="turtle")
    names = {str(o) for o in void.objects(predicate=None) if "iei-kg/graph/" in str(o)}
    assert "https://w3id.org/iei-kg/graph/paper-a" in names


def test_query_page_is_offline_and_safe(server):
    status, headers, body = http(server.url + "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "innerHTML" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page.replace("https://w3id.org/iei-kg/ontology#", "")
    assert "textContent" in page and "<textarea" in page
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]


def test_unknown_path_and_method(server):
    assert http(server.url + "/nothing")[0] == 404
    assert http(server.url + "/queries", data=b"x", headers={"Content-Type": "text/plain"})[0] == 405
    assert http(server.url + "/sparql", data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_a_named_query_of_the_summary_on_a_graph_without_one_says_to_rebuild(make_server, tmp_path):
    from iei_kg.graph.store import Store

    with Store(tmp_path / "kg", create=True) as store:
        store.replace_document("paper-a", sample.graph("paper-a"))  # built, but its summary never written
    srv = make_server(folder=tmp_path / "kg")
    status, _, body = http(srv.url + "/queries/documents-for-concept?concept=C-incentives")
    assert status == 503 and b"iei-kg build" in body
    status, _, _ = http(srv.url + "/queries/evidence-for-concept?concept=C-incentives")
    assert status == 200  # reads no summary
