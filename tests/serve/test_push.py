"""Graph Store Protocol on `iei-kg serve --allow-update` (/store) and `iei-kg push` against it."""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest

import iei_sample as sample
from iei_kg.cli import EXIT_OK, main
from iei_kg.graph.push import PushError, default_graph_store, push
from iei_kg.graph.store import Store
from serve_helpers import TOKEN, http

GRAPH = "https://w3id.org/iei-kg/graph/paper-a"


def quads_of(folder) -> set:
    store = Store(folder, read_only=True)
    try:
        return set(store.oxi.quads_for_pattern(None, None, None, None))
    finally:
        store.close()


@pytest.fixture
def target(make_server, tmp_path):
    """An empty graph folder served with updates allowed."""
    folder = tmp_path / "target"
    Store(folder, create=True).close()
    return make_server(folder, allow_update=True, token=TOKEN, timeout=20)


def test_default_graph_store():
    assert default_graph_store("http://127.0.0.1:7878/sparql") == "http://127.0.0.1:7878/store"


def test_push_copies_every_named_graph_and_is_idempotent(tmp_path, target, capsys):
    source = sample.make_kg(tmp_path / "source", docs=("paper-a", "paper-b"))
    expected = quads_of(source)
    pushed = push(source, target.url + "/sparql", token=TOKEN)
    assert {p.graph for p in pushed} == {q.graph_name.value for q in expected}
    assert all(p.remote_triples == p.triples and p.status == 201 for p in pushed)
    # again, through the CLI: the graphs are replaced, not doubled
    assert main(["push", "--endpoint", target.url + "/sparql", "--token", TOKEN, "--kg", str(source)]) == EXIT_OK
    assert "counts checked at the endpoint" in capsys.readouterr().out
    target.close()  # release the target store, then compare
    assert quads_of(target.app.config.kg_dir) == expected


def test_push_without_token_fails_clearly(tmp_path, target):
    source = sample.make_kg(tmp_path / "source")
    with pytest.raises(PushError, match="401"):
        push(source, target.url + "/sparql")


def test_graph_store_get_put_delete(target, server):
    url = target.url + "/store?" + urllib.parse.urlencode({"graph": "http://x/g"})
    data = b"<http://x/a> <http://x/b> <http://x/c> .\n"
    assert http(url, data=data, method="PUT", headers={"Content-Type": "application/n-triples"})[0] == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, _ = http(url, data=data, method="PUT", headers={"Content-Type": "application/n-triples", **auth})
    assert status == 201
    status, _, _ = http(url, data=data, method="PUT", headers={"Content-Type": "text/turtle", **auth})
    assert status == 204
    status, headers, body = http(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 1
    assert http(url, data=b"not rdf <", method="PUT", headers={"Content-Type": "text/turtle", **auth})[0] == 400
    assert http(url, method="DELETE", headers=auth)[0] == 204
    assert http(url)[0] == 404
    # the read-only server refuses writes whatever the token
    ro = server.url + "/store?" + urllib.parse.urlencode({"graph": "http://x/g"})
    assert http(ro, data=data, method="PUT", headers={"Content-Type": "application/n-triples", **auth})[0] == 403
    assert http(server.url + "/store?graph=" + urllib.parse.quote(GRAPH))[0] == 200
    assert http(server.url + "/store")[0] == 400
