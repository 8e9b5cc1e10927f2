"""`iei-kg push`: copy every named graph of a graph folder to a triple store over the SPARQL 1.1 Graph Store
HTTP Protocol: one PUT per named graph (replace: pushing twice leaves the same data), then a count per graph
through the SPARQL endpoint to check that the store holds what was sent.

Works with `iei-kg serve --allow-update` (graph store at /store), Oxigraph server (/store), Fuseki (/DATASET/data)
and Virtuoso (/sparql-graph-crud-auth); pass --graph-store for the last two.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from iei_kg.errors import PushError
from iei_kg.graph.store import Store


@dataclass
class PushedGraph:
    graph: str
    triples: int
    status: int
    remote_triples: int | None = None  # as counted through the SPARQL endpoint afterwards


def default_graph_store(endpoint: str) -> str:
    """`http://host/sparql` -> `http://host/store` (the layout of iei-kg serve and Oxigraph server)."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rsplit("/", 1)[0] + "/store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _request(url: str, method: str, data: bytes | None, headers: dict, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise PushError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from exc


def push(kg_dir: str | Path, endpoint: str, graph_store: str | None = None, token: str | None = None,
         timeout: float = 120.0, on_graph=None) -> list[PushedGraph]:
    """PUT each named graph of `kg_dir` to the graph store, then count each graph's triples at `endpoint`."""
    graph_store = graph_store or default_graph_store(endpoint)
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    store = Store(kg_dir, read_only=True)
    try:
        graphs: dict[str, list] = {}
        for quad in store.oxi.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    finally:
        store.close()
    pushed = []
    for graph, triples in sorted(graphs.items()):
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        separator = "&" if "?" in graph_store else "?"
        url = f"{graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"
        status, body = _request(url, "PUT", data, {"Content-Type": "application/n-triples", **auth}, timeout)
        if status >= 300:
            message = body.decode("utf-8", "replace").strip().splitlines()
            raise PushError(f"PUT {graph} -> {status}: {message[0] if message else 'no message'}")
        pushed.append(PushedGraph(graph, len(triples), status))
        if on_graph:
            on_graph(pushed[-1])
    counts = remote_counts(endpoint, [p.graph for p in pushed], auth, timeout)
    for p in pushed:
        p.remote_triples = counts.get(p.graph, 0)
    return pushed


def remote_counts(endpoint: str, graphs: list[str], auth: dict, timeout: float) -> dict[str, int]:
    """Triples per named graph at the SPARQL endpoint (only the given graphs)."""
    if not graphs:
        return {}
    values = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    status, body = _request(endpoint, "POST", urllib.parse.urlencode({"query": query}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json", **auth}, timeout)
    if status != 200:
        raise PushError(f"counting the pushed graphs at {endpoint} failed ({status}): "
                        f"{body.decode('utf-8', 'replace').strip()[:200]}")
    bindings = json.loads(body)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}
