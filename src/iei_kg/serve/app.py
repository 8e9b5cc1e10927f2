"""`iei-kg serve`: a SPARQL 1.1 Protocol endpoint over a graph folder's Oxigraph store.

The request handling is plain functions over (method, path, headers, body) -> Response, so it is testable without
sockets; `SparqlServer` (`server.py`) wraps it in a stdlib `ThreadingHTTPServer`. Queries run in worker processes
(`pool.py`, `worker.py`) that are killed when a query runs past the time limit.

Safe by default: binds 127.0.0.1, opens the store read-only, refuses SPARQL Update unless started with
`allow_update` and a token (then every request needs `Authorization: Bearer TOKEN`), limits time per query,
rows per result and bytes per request body, refuses SERVICE (and LOAD) on the parsed request, runs queries in
workers that cannot open sockets (so the server never fetches URLs, whatever the check misses), and sends CORS
headers only for the origin it was given.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from iei_kg.errors import ConfigError, IEIKGError
from iei_kg.serve.formats import GRAPH_TYPES, RESULT_TYPES
from iei_kg.serve.page import page_html
from iei_kg.serve.pool import WorkerPool

TEXT = "text/plain; charset=utf-8"
TURTLE = "text/turtle; charset=utf-8"
STORE_DIR = "oxigraph"


@dataclass
class ServeConfig:
    kg_dir: str | Path = "kg"
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0          # seconds per request (waiting for a worker + running the query)
    max_rows: int = 10000          # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per result; 0 = no limit
    max_body: int = 1 << 20        # bytes per request body
    cors: str | None = None        # origin allowed by CORS (e.g. https://example.org or *); None = no CORS header
    allow_update: bool = False
    token: str | None = None
    workers: int = 2               # query worker processes (1 when updates are allowed)

    def check(self) -> None:
        if self.allow_update and not self.token:
            raise ConfigError("--allow-update needs --token TOKEN (clients send 'Authorization: Bearer TOKEN')")
        if self.token and not self.allow_update:
            raise ConfigError("--token is only used with --allow-update")
        if self.timeout <= 0 or self.max_rows < 0 or self.max_body <= 0 or self.workers < 1:
            raise ConfigError("--timeout, --max-body and --workers must be positive, --max-rows zero or more")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes = b""


class _Unanswered(Exception):
    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response


def text(status: int, message: str, **headers) -> Response:
    return Response(status, {"Content-Type": TEXT, **headers}, (message.rstrip("\n") + "\n").encode("utf-8"))


FETCHING = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}  # rdflib's parse-tree names -> SPARQL keywords


def fetching_operations(sparql: str, update: bool = False) -> set[str]:
    """The operations of a SPARQL query (or update) that fetch a URL: {"SERVICE"}, {"LOAD"}, both or none.

    Decided on rdflib's parse of the request, not on its words: a keyword spelt in any case counts, the word in a
    string, IRI, comment, variable or prefixed name does not. Raises ValueError when rdflib cannot parse it (Oxigraph
    may still: the two parsers are not the same, which is why the workers also cannot open sockets)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = (parseUpdate if update else parseQuery)(sparql)
    except Exception as exc:  # noqa: BLE001 - pyparsing's errors, RecursionError on deep nesting, bad escapes
        raise ValueError(" ".join(str(exc).split()) or type(exc).__name__) from exc
    found, stack, seen = set(), [tree], set()
    while stack:  # iterative: a deeply nested query must not exhaust the stack here
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, bytes, int, float)):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name in FETCHING:
                found.add(FETCHING[node.name])
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif hasattr(node, "__iter__"):
            stack.extend(node)
    return found


class App:
    """The endpoint's request handling; `handle` is called once per HTTP request (from several threads)."""

    def __init__(self, config: ServeConfig):
        config.check()
        self.config = config
        kg_dir = Path(config.kg_dir)
        from iei_kg.graph.store import MARKER

        if not (kg_dir / MARKER).exists():
            raise ConfigError(f"{kg_dir} is not an iei-kg graph folder (run `iei-kg build` first)")
        workers = 1 if config.allow_update else config.workers  # a writer excludes readers in other processes
        try:
            self.pool = WorkerPool(kg_dir / STORE_DIR, read_only=not config.allow_update, size=workers)
        except Exception as exc:  # noqa: BLE001
            raise IEIKGError(f"cannot open the store in {kg_dir}: {exc}") from exc
        self.base = f"http://{config.host}:{config.port}"

    def close(self) -> None:
        self.pool.close()

    # -- routing ---------------------------------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict, body: bytes | None) -> Response:
        url = urlsplit(target)
        path = url.path
        params = parse_qs(url.query, keep_blank_values=True)
        if method == "OPTIONS":
            response = self.preflight()
        elif path == "/sparql":
            response = self.sparql(method, params, headers, body)
        elif path == "/store":
            response = self.graph_store(method, params, headers, body)
        elif method not in ("GET", "HEAD"):
            response = text(405, f"{method} is not allowed on {path}", Allow="GET, HEAD")
        elif path in ("/", "/index.html"):
            response = Response(200, {"Content-Type": "text/html; charset=utf-8",
                                      "Content-Security-Policy": PAGE_CSP}, PAGE)
        elif path == "/queries":
            response = self.list_queries()
        elif path.startswith("/queries/"):
            response = self.named_query(unquote(path[len("/queries/"):]), params, headers)
        elif path == "/.well-known/void":
            response = self.void()
        else:
            response = text(404, f"no such resource: {path} (try /sparql, /queries, /.well-known/void or /)")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if self.config.cors:
            response.headers["Access-Control-Allow-Origin"] = self.config.cors
            response.headers["Access-Control-Expose-Headers"] = "X-Result-Count, X-Result-Truncated"
            if self.config.cors != "*":
                response.headers["Vary"] = "Origin"
        return response

    def preflight(self) -> Response:
        if not self.config.cors:
            return text(405, "OPTIONS is only answered when the server runs with --cors", Allow="GET, POST, HEAD")
        return Response(204, {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                              "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
                              "Access-Control-Max-Age": "600"})

    # -- /sparql ---------------------------------------------------------------------------------------------
    def sparql(self, method: str, params: dict, headers: dict, body: bytes | None) -> Response:
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        query = update = None
        if method in ("GET", "HEAD"):
            if "update" in params:
                return text(400, "SPARQL Update must be sent by POST")
            query = _one(params, "query")
        elif method == "POST":
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs((body or b"").decode("utf-8", "replace"), keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
                query, update = _one(params, "query"), _one(params, "update")
            elif content_type == "application/sparql-query":
                query = (body or b"").decode("utf-8", "replace")
            elif content_type == "application/sparql-update":
                update = (body or b"").decode("utf-8", "replace")
            else:
                return text(415, "POST a form (application/x-www-form-urlencoded) with query= or update=, "
                                 "or a body of type application/sparql-query or application/sparql-update")
        else:
            return text(405, f"{method} is not allowed on /sparql", Allow="GET, POST, HEAD")
        if query is not None and update is not None:
            return text(400, "send either query or update, not both")
        if update is not None:
            return self.update(update, headers)
        if query is None:
            return Response(200, {"Content-Type": TURTLE}, self.service_description().encode("utf-8"))
        if not query.strip():
            return text(400, "the query is empty")
        refused = self.refuse_fetching(query, update=False)
        if refused:
            return refused
        request = {"op": "query", "query": query, "accept": headers.get("accept"),
                   "max_rows": self.config.max_rows,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])}
        return self.run(request)

    def authorize(self, headers: dict, what: str = "SPARQL Update") -> Response | None:
        """None when the request may write, else the 403/401 answer."""
        if not self.config.allow_update:
            return text(403, f"{what} is disabled on this endpoint (start it with --allow-update --token)")
        auth = headers.get("authorization") or ""
        if not auth.lower().startswith("bearer "):
            return text(401, f"{what} needs 'Authorization: Bearer TOKEN'",
                        **{"WWW-Authenticate": 'Bearer realm="iei-kg"'})
        if not hmac.compare_digest(auth[7:].strip().encode(), self.config.token.encode()):
            return text(403, f"wrong token for {what}")
        return None

    def update(self, update: str, headers: dict) -> Response:
        refused = self.authorize(headers)
        if refused:
            return refused
        if not update.strip():
            return text(400, "the update is empty")
        refused = self.refuse_fetching(update, update=True)
        if refused:
            return refused
        return self.run({"op": "update", "update": update})

    def refuse_fetching(self, sparql: str, update: bool) -> Response | None:
        """The 400 answer to a query or update that uses SERVICE or LOAD, else None.

        The guarantee is the workers': they cannot create sockets (`procguard.deny_network`), so a request this
        check misreads still fetches nothing. Where the workers could (not Linux), a request rdflib cannot parse
        is refused too: it cannot be checked."""
        what = "update" if update else "query"
        try:
            found = fetching_operations(sparql, update)
        except ValueError as exc:
            if self.pool.network is None:
                return None  # Oxigraph judges the syntax; the worker cannot reach the network anyway
            return text(400, f"this endpoint cannot check this {what} for SERVICE and LOAD ({self.pool.network}), "
                             f"and does not run what it cannot check: {exc}")
        if found:
            return text(400, f"{' and '.join(sorted(found))} {'are' if len(found) > 1 else 'is'} not allowed: "
                             f"this endpoint does not fetch other endpoints or URLs")
        return None

    # -- /store: SPARQL 1.1 Graph Store HTTP Protocol ---------------------------------------------------------
    def graph_store(self, method: str, params: dict, headers: dict, body: bytes | None) -> Response:
        if method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            return text(405, f"{method} is not allowed on /store", Allow="GET, HEAD, PUT, POST, DELETE")
        graph, default = _one(params, "graph"), "default" in params
        if (graph is None) == (not default):
            return text(400, "name one graph: /store?graph=IRI or /store?default")
        if graph is not None and not re.fullmatch(r"[a-zA-Z][\w+.-]*:[^<>\"{}|^`\\\s]*", graph):
            return text(400, f"not an absolute IRI: {graph!r}")
        if method not in ("GET", "HEAD"):
            refused = self.authorize(headers, "writing graphs")
            if refused:
                return refused
        request = {"op": "gsp", "method": method, "graph": graph, "accept": headers.get("accept"),
                   "max_rows": self.config.max_rows, "content_type": headers.get("content-type")}
        if method in ("PUT", "POST"):
            request["data"] = (body or b"").decode("utf-8", "replace")
        return self.run(request)

    def run(self, request: dict) -> Response:
        status, headers, body = self.pool.request(request, self.config.timeout)
        return Response(status, dict(headers), body)

    # -- named queries ---------------------------------------------------------------------------------------
    def list_queries(self) -> Response:
        from iei_kg.query.named import named_queries

        listing = [{"name": q.name, "description": q.description, "url": f"/queries/{q.name}",
                    "params": {n: {"kind": k, "help": h} for n, (k, h) in q.params.items()}, "sparql": q.sparql}
                   for q in named_queries().values()]
        return Response(200, {"Content-Type": "application/json"},
                        json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8"))

    def named_query(self, name: str, params: dict, headers: dict) -> Response:
        from iei_kg.errors import QueryError
        from iei_kg.query.named import bind_params, named_queries, query_text

        queries = named_queries()
        if name not in queries:
            return text(404, f"unknown query '{name}' (GET /queries lists them)")
        query = queries[name]
        values = {}
        for key, items in params.items():
            if len(items) != 1:
                return text(400, f"parameter '{key}' is given {len(items)} times")
            values[key] = items[0]
        try:
            bound = bind_params(query, values)
        except QueryError as exc:
            return text(400, str(exc).replace("--param ", "").replace("=...", "=..."))
        substitutions = {var.value: _term_json(term) for var, term in bound.items()}
        refusal = self.refusal(query, values, substitutions)
        if refusal is not None:
            return refusal
        return self.run({"op": "query", "query": query_text(query, values), "substitutions": substitutions,
                         "accept": headers.get("accept"), "max_rows": self.config.max_rows})

    def refusal(self, query, values: dict, substitutions: dict) -> Response | None:
        """What `iei-kg query` refuses too: a query of the corpus summary on a graph without a current one, a
        concept parameter that names nothing in the graph (an empty answer would read as "no literature")."""
        from iei_kg.graph.store import SUMMARY_CURRENT
        from iei_kg.query.named import (CONCEPT_IN_GRAPH, SCHEME_CONCEPTS, SUMMARY_IRI, concept_params,
                                        summary_missing_message, unknown_concept_message)

        try:
            if SUMMARY_IRI in query.sparql and not self.results(SUMMARY_CURRENT)["boolean"]:
                return text(503, summary_missing_message(query.name))
            for name in concept_params(query, values):
                if not self.results(CONCEPT_IN_GRAPH, {"concept": substitutions[name]})["boolean"]:
                    rows = self.results(SCHEME_CONCEPTS)["results"]["bindings"]
                    iris = [row["concept"]["value"] for row in rows]
                    return text(400, unknown_concept_message(name, values[name], iris))
        except _Unanswered as failed:  # a timeout or a busy pool: answered as the query itself would have been
            return failed.response
        return None

    def results(self, sparql: str, substitutions: dict | None = None) -> dict:
        """SPARQL JSON results of a query the endpoint asks itself."""
        response = self.run({"op": "query", "query": sparql, "substitutions": substitutions or {},
                             "accept": "application/sparql-results+json", "max_rows": 0})
        if response.status != 200:
            raise _Unanswered(response)
        return json.loads(response.body)

    # -- descriptions ----------------------------------------------------------------------------------------
    def service_description(self) -> str:
        endpoint = f"{self.base}/sparql"
        results = sorted({f"<http://www.w3.org/ns/formats/{n}>" for n in _FORMAT_IRIS.values()})
        languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if self.config.allow_update else "")
        return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .

<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {languages} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {", ".join(results)} ;
  sd:defaultDataset [
    a sd:Dataset ;
    void:sparqlEndpoint <{endpoint}> ;
    sd:defaultGraph [ a sd:Graph ]
  ] .
"""

    def void(self) -> Response:
        status, headers, body = self.pool.request({"op": "void"}, self.config.timeout)
        if status != 200:
            return Response(status, dict(headers), body)
        counts = json.loads(body)
        endpoint = f"{self.base}/sparql"
        dataset = f"{self.base}/.well-known/void#dataset"
        total = sum(counts["graphs"].values()) + counts["default"]
        lines = [
            "@prefix void: <http://rdfs.org/ns/void#> .",
            "@prefix dcterms: <http://purl.org/dc/terms/> .",
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
            "",
            f"<{dataset}> a void:Dataset ;",
            '  dcterms:title "iei-kg: statements on industry-education integration, with evidence" ;',
            f"  void:sparqlEndpoint <{endpoint}> ;",
            "  void:vocabulary <https://w3id.org/iei-kg/ontology#>, <http://www.w3.org/ns/oa#>, "
            "<http://www.w3.org/ns/prov#>, <http://www.w3.org/2004/02/skos/core#>, <http://purl.org/dc/terms/> ;",
            f"  void:triples {total} ;",
            f"  void:entities {counts['documents']} ;",
            "  void:uriSpace \"https://w3id.org/iei-kg/\" .",
        ]
        for i, (graph, n) in enumerate(sorted(counts["graphs"].items())):
            lines += [f"<{dataset}> void:subset <{dataset}-{i}> .",
                      f"<{dataset}-{i}> a void:Dataset, sd:NamedGraph ; sd:name <{_iri(graph)}> ; void:triples {n} ."]
        return Response(200, {"Content-Type": TURTLE}, ("\n".join(lines) + "\n").encode("utf-8"))


_FORMAT_IRIS = {"JSON": "SPARQL_Results_JSON", "XML": "SPARQL_Results_XML", "CSV": "SPARQL_Results_CSV",
                "TSV": "SPARQL_Results_TSV", "TURTLE": "Turtle", "N_TRIPLES": "N-Triples", "JSON_LD": "JSON-LD",
                "RDF_XML": "RDF_XML"}
assert set(RESULT_TYPES.values()) | set(GRAPH_TYPES.values()) == set(_FORMAT_IRIS)


def _iri(value: str) -> str:
    return re.sub(r'[<>"{}|^`\\\s]', lambda m: f"%{ord(m.group()):02X}", value)


def _one(params: dict, key: str) -> str | None:
    values = params.get(key)
    return values[-1] if values else None


def _term_json(term) -> list:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ["iri", term.value]
    return ["literal", term.value, term.datatype.value if term.datatype else None, term.language]


PAGE = page_html().encode("utf-8")
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; "
            f"script-src 'sha256-{__import__('base64').b64encode(hashlib.sha256(page_html(script_only=True).encode()).digest()).decode()}'")
