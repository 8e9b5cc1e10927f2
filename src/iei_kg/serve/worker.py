"""The query worker of `iei-kg serve`: a separate process that owns one Oxigraph store and runs one request at a time.

Run by path (`python worker.py STORE_DIR read-only|read-write`), so it imports pyoxigraph and the standard library
only (importing the `iei_kg` package would load spaCy). The server kills a worker whose query runs past the time
limit and starts a fresh one: a thread cannot be stopped, a process can.

Before it opens the store, the worker forbids itself to create sockets (`procguard.deny_network`, a seccomp filter
on Linux): Oxigraph would otherwise fetch the URL of a SPARQL `SERVICE` or `LOAD`, and whatever the server's check of
the request misses, the kernel refuses. It also dies with the server (`procguard.die_with_parent`).

Protocol over stdin/stdout: the server writes one JSON line per request; the worker answers with one JSON line
`{"status", "headers", "length"}` followed by `length` bytes of body. The first answer, once the store is open,
is `{"ready": true, "network": null}` (`network`: null when sockets are denied, else why they are not), or
`{"error": "..."}` and exit.
"""

from __future__ import annotations

import json
import os
import sys

import pyoxigraph as ox

if __package__:
    from iei_kg import procguard
    from iei_kg.serve.formats import (GRAPH_CONTENT_TYPES, GRAPH_TYPES, RESULT_CONTENT_TYPES, RESULT_TYPES,
                                      negotiate, offered_types)
else:  # run by path
    import importlib.util

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from formats import (GRAPH_CONTENT_TYPES, GRAPH_TYPES, RESULT_CONTENT_TYPES, RESULT_TYPES,  # noqa: E402
                         negotiate, offered_types)

    _spec = importlib.util.spec_from_file_location(
        "iei_kg_procguard", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "procguard.py"))
    procguard = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(procguard)

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXT = "text/plain; charset=utf-8"


def text(status: int, message: str) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": TEXT}, (message.rstrip("\n") + "\n").encode("utf-8")


def term(spec: list):
    """A pyoxigraph term from its JSON form: ["iri", value] or ["literal", value, datatype, language]."""
    if spec[0] == "iri":
        return ox.NamedNode(spec[1])
    _, value, datatype, language = spec
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def run_query(store: ox.Store, request: dict) -> tuple[int, dict, bytes]:
    kwargs = {}
    if request.get("default_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    if request.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): term(v) for k, v in request["substitutions"].items()}
    try:
        result = store.query(request["query"], **kwargs)
        return answer(result, request)  # results are computed while they are read: errors come here too
    except SyntaxError as exc:
        return text(400, f"SPARQL syntax error: {exc}")
    except PermissionError as exc:  # procguard.deny_network: a SERVICE the server's check did not see
        return text(400, f"SPARQL query failed: this endpoint does not fetch other endpoints or URLs ({exc})")
    except (ValueError, OSError, RuntimeError) as exc:
        return text(400, f"SPARQL query failed: {exc}")


def answer(result, request: dict) -> tuple[int, dict, bytes]:
    max_rows = int(request.get("max_rows") or 0)
    accept = request.get("accept")
    if isinstance(result, ox.QueryBoolean):
        fmt = negotiate(accept, RESULT_TYPES)
        if fmt is None:
            return text(406, f"not acceptable: ASK results are offered as {offered_types(RESULT_TYPES)}")
        body = result.serialize(format=getattr(ox.QueryResultsFormat, fmt))
        return 200, {"Content-Type": RESULT_CONTENT_TYPES[fmt]}, body
    if isinstance(result, ox.QuerySolutions):
        fmt = negotiate(accept, RESULT_TYPES)
        if fmt is None:
            return text(406, f"not acceptable: SELECT results are offered as {offered_types(RESULT_TYPES)}")
        return select_results(result, fmt, max_rows)
    fmt = negotiate(accept, GRAPH_TYPES)
    if fmt is None:
        return text(406, f"not acceptable: CONSTRUCT/DESCRIBE results are offered as {offered_types(GRAPH_TYPES)}")
    triples, truncated = take(result, max_rows)
    body = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt)) or b""
    return 200, limit_headers(GRAPH_CONTENT_TYPES[fmt], len(triples), truncated, max_rows), body


def take(iterator, max_rows: int) -> tuple[list, bool]:
    """At most max_rows items (all when max_rows is 0) and whether more were left."""
    items = []
    for item in iterator:
        if max_rows and len(items) >= max_rows:
            return items, True
        items.append(item)
    return items, False


def select_results(result: ox.QuerySolutions, fmt: str, max_rows: int) -> tuple[int, dict, bytes]:
    """SELECT results, cut at max_rows: the kept rows are written as SPARQL TSV (each cell is the term in N-Triples
    syntax), parsed back by Oxigraph and serialized in the wanted format, so every format is Oxigraph's own."""
    variables = [v.value for v in result.variables]
    rows, truncated = take(result, max_rows)
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if row[v] is None else str(row[v]) for v in variables))
    tsv = "\n".join(lines) + "\n"
    if variables:
        solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        body = solutions.serialize(format=getattr(ox.QueryResultsFormat, fmt))
    else:  # SELECT with no variable: nothing Oxigraph's TSV parser could read back
        body = {"JSON": b'{"head":{"vars":[]},"results":{"bindings":[' + b",".join(b"{}" for _ in rows) + b"]}}",
                "XML": b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                       b"<results>" + b"<result/>" * len(rows) + b"</results></sparql>",
                "CSV": b"\r\n" * (len(rows) + 1), "TSV": b"\n" * (len(rows) + 1)}[fmt]
    return 200, limit_headers(RESULT_CONTENT_TYPES[fmt], len(rows), truncated, max_rows), body


def limit_headers(content_type: str, count: int, truncated: bool, max_rows: int) -> dict:
    headers = {"Content-Type": content_type, "X-Result-Count": str(count)}
    if truncated:
        headers["X-Result-Truncated"] = f"true; max-rows={max_rows}"
    return headers


def run_update(store: ox.Store, request: dict) -> tuple[int, dict, bytes]:
    try:
        store.update(request["update"])
    except SyntaxError as exc:
        return text(400, f"SPARQL update syntax error: {exc}")
    except PermissionError as exc:  # procguard.deny_network: a LOAD or SERVICE the server's check did not see
        return text(400, f"SPARQL update failed: this endpoint does not fetch URLs ({exc})")
    except (ValueError, OSError, RuntimeError) as exc:
        return text(400, f"SPARQL update failed: {exc}")
    store.flush()
    return text(200, "update done")


# Graph Store Protocol: Content-Type -> the format of the RDF payload of a PUT or POST
PAYLOAD_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                   "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                   "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


def graph_term(request: dict):
    return ox.DefaultGraph() if request.get("graph") is None else ox.NamedNode(request["graph"])


def graph_exists(store: ox.Store, graph) -> bool:
    if isinstance(graph, ox.DefaultGraph):
        return True
    return store.contains_named_graph(graph)


def gsp(store: ox.Store, request: dict) -> tuple[int, dict, bytes]:
    """SPARQL 1.1 Graph Store HTTP Protocol: GET, PUT (replace), POST (add), DELETE one graph."""
    method, graph = request["method"], graph_term(request)
    target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
    if method in ("GET", "HEAD"):
        if not graph_exists(store, graph):
            return text(404, f"no graph {graph}")
        fmt = negotiate(request.get("accept"), GRAPH_TYPES)
        if fmt is None:
            return text(406, f"not acceptable: graphs are offered as {offered_types(GRAPH_TYPES)}")
        max_rows = int(request.get("max_rows") or 0)
        triples, truncated = take((q.triple for q in store.quads_for_pattern(None, None, None, graph)), max_rows)
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt)) or b""
        return 200, limit_headers(GRAPH_CONTENT_TYPES[fmt], len(triples), truncated, max_rows), body
    if method == "DELETE":
        if not graph_exists(store, graph):
            return text(404, f"no graph {graph}")
        store.update(f"DROP SILENT {target}")
        store.flush()
        return 204, {}, b""
    rdf_format = PAYLOAD_FORMATS.get((request.get("content_type") or "").split(";")[0].strip().lower())
    if rdf_format is None:
        return text(415, f"send the graph as one of {', '.join(PAYLOAD_FORMATS)}")
    try:
        triples = [q.triple if isinstance(q, ox.Quad) else q
                   for q in ox.parse(request["data"].encode("utf-8"), format=rdf_format,
                                     base_iri=request.get("graph") or None)]
    except SyntaxError as exc:
        return text(400, f"the {rdf_format.name} payload does not parse: {exc}")
    existed = graph_exists(store, graph) and (not isinstance(graph, ox.DefaultGraph))
    data = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    insert = f"INSERT DATA {{ {target} {{ {data} }} }}" if target != "DEFAULT" else f"INSERT DATA {{ {data} }}"
    # one update: readers see the old graph or the new one, never half
    store.update((f"DROP SILENT {target} ; " if method == "PUT" else "") + insert)
    store.flush()
    return (204, {}, b"") if existed else (201, {"Content-Type": TEXT}, f"{len(triples)} triples\n".encode())


def void_counts(store: ox.Store) -> tuple[int, dict, bytes]:
    """Quads per named graph and the number of documents, as JSON (the server writes the VoID)."""
    graphs = {row["g"].value: int(row["n"].value) for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    default = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    documents = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/iei-kg/ontology#Document> }",
        use_default_graph_as_union=True)))["n"].value)
    body = json.dumps({"graphs": graphs, "default": default, "documents": documents}).encode()
    return 200, {"Content-Type": "application/json"}, body


def handle(store: ox.Store, request: dict) -> tuple[int, dict, bytes]:
    op = request.get("op")
    if op == "query":
        return run_query(store, request)
    if op == "update":
        return run_update(store, request)
    if op == "void":
        return void_counts(store)
    if op == "gsp":
        return gsp(store, request)
    return text(500, f"unknown worker operation {op!r}")


def write(out, header: dict, body: bytes = b"") -> None:
    out.write(json.dumps(dict(header, length=len(body))).encode() + b"\n")
    out.write(body)
    out.flush()


def main(argv: list[str]) -> int:
    path, mode = argv[1], argv[2]
    out = sys.stdout.buffer
    network = procguard.deny_network()  # before the store starts its threads: they inherit the filter
    procguard.die_with_parent(os.getppid())
    try:
        store = ox.Store.read_only(path) if mode == "read-only" else ox.Store(path)
    except OSError as exc:
        write(out, {"error": f"cannot open the store {path}: {exc}"})
        return 1
    write(out, {"ready": True, "network": network})
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            status, headers, body = handle(store, request)
        except Exception as exc:  # noqa: BLE001 - the worker answers every request
            status, headers, body = text(500, f"query worker error: {type(exc).__name__}: {exc}")
        write(out, {"status": status, "headers": headers}, body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
