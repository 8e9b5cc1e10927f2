"""The endpoint never fetches a URL: SERVICE and LOAD, in every spelling SPARQL allows, reach no other server.

A local HTTP listener on 127.0.0.1 stands for the other server. It records each request and answers as a SPARQL
endpoint would (one row, LEAKED), so a request that got through would show in the answer as well as in the record.
"""

from __future__ import annotations

import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import iei_sample as sample
from serve_helpers import TOKEN, http

ROW = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[{"s":{"type":"literal","value":"LEAKED"},' \
      b'"p":{"type":"literal","value":"LEAKED"},"o":{"type":"literal","value":"LEAKED"}}]}}'


@pytest.fixture
def listener():
    """(url, requests): a server on 127.0.0.1 that records who contacted it; shut down after the test."""
    contacted: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        timeout = 5

        def _answer(self):
            contacted.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(min(length, 1 << 20))
            turtle = self.path.endswith(".ttl")
            body = b'<http://x/LEAKED> <http://x/LEAKED> "LEAKED" .\n' if turtle else ROW
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle" if turtle else "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", contacted
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def queries(url: str) -> dict[str, str]:
    """SERVICE spelt every way SPARQL allows, each placed where the store would evaluate it."""
    host = url[len("http://"):]
    return {
        "lower case": f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        "mixed case": f"SeLeCt * WHERE {{ SeRvIcE SiLeNt <{url}/sparql> {{ ?s ?p ?o }} }}",
        # the bypass of issue 23: an escaped '#' in a local name hid the rest of the line from the keyword filter
        "after ex:a\\#": f"PREFIX ex: <http://x/>\nSELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <{url}/sparql> "
                         f"{{ ?s ?p ?o }} }}",
        "%23 in the IRI": f"SELECT * WHERE {{ SERVICE <{url}/sparql%23x> {{ ?s ?p ?o }} }}",
        "after a comment": f"SELECT * WHERE {{ # a comment with SERVICE in it }}\n"
                           f"SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "unicode escapes in the IRI": f"SELECT * WHERE {{ SERVICE <http://\\u0031{host[1:]}/\\u0073parql> "
                                      f"{{ ?s ?p ?o }} }}",
        "unicode escape in the keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service IRI in a variable": f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }} }}",
    }


@pytest.mark.parametrize("spelling", list(queries("http://127.0.0.1:1")))
def test_service_reaches_no_other_server(server, listener, spelling):
    url, contacted = listener
    query = queries(url)[spelling]
    for method in ("GET", "POST"):
        if method == "GET":
            status, _, body = http(server.url + "/sparql?query=" + urllib.parse.quote(query))
        else:
            status, _, body = http(server.url + "/sparql", data=query.encode(),
                                   headers={"Content-Type": "application/sparql-query"})
        assert status == 400, (status, body)
        assert b"LEAKED" not in body
    assert contacted == []


def test_load_with_the_token_reaches_no_other_server(make_server, listener, tmp_path):
    url, contacted = listener
    srv = make_server(sample.make_kg(tmp_path / "kg"), allow_update=True, token=TOKEN, timeout=20)
    updates = [f"LOAD <{url}/x.ttl>",
               f"load silent <{url}/x.ttl> into graph <http://x/g>",
               f"PREFIX ex: <http://x/>\nINSERT DATA {{ ex:a\\# ex:b ex:c }} ; LOAD <{url}/x.ttl>",
               f"INSERT DATA {{ <http://x/a> <http://x/b> \"c\" }} # LOAD\n; LoAd <{url}/%23x.ttl>",
               f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"]
    for update in updates:
        status, _, body = http(srv.url + "/sparql", data=update.encode(),
                               headers={"Content-Type": "application/sparql-update",
                                        "Authorization": f"Bearer {TOKEN}"})
        assert status == 400, (update, status, body)
    assert contacted == []
    status, _, body = http(srv.url + "/sparql?query=" + urllib.parse.quote('ASK { ?s ?p "LEAKED" }'),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and b"false" in body


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the socket ban is a Linux seccomp filter")
def test_a_query_worker_cannot_open_sockets(make_server, listener):
    """The guarantee under the check: a request the parse check lets through still reaches nothing."""
    url, contacted = listener
    srv = make_server(workers=1)
    assert srv.app.pool.network is None
    query = f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    status, _, body = srv.app.pool.request({"op": "query", "query": query, "accept": None, "max_rows": 0}, 20)
    assert status == 400 and b"Permission denied" in body, body
    assert contacted == []
