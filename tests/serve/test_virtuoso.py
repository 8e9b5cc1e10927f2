"""`iei-kg push` into a real Virtuoso server, and a named query answered the same there as by the embedded store.

Needs OpenLink Virtuoso (`virtuoso-t` and its `isql-vt`; Debian: `apt-get install virtuoso-opensource`, which
scripts/test.sh tries); skips, naming what failed, when it is missing or does not start.

How the server is set up (all in the test's temporary folder, nothing of a system install is used or touched):
- a minimal virtuoso.ini: database files in the temp folder, ISQL and HTTP on free 127.0.0.1 ports, small buffers;
- `virtuoso-t -f` (foreground) in its own process group, killed in a finalizer;
- writes go to the Graph Store endpoint `/sparql-graph-crud` (no authentication) after granting the anonymous
  HTTP user "SPARQL" the SPARQL_UPDATE role over ISQL (`isql-vt PORT dba dba exec=...`, dba/dba being the
  password of a fresh database). Virtuoso's authenticated endpoint `/sparql-graph-crud-auth` wants HTTP digest
  authentication, which `push` does not speak (it sends a bearer token only).

Default graph: the named queries rely on the default graph being the union of the named graphs (Oxigraph's
use_default_graph_as_union, set by iei-kg's store). A Virtuoso query without FROM matches triples of every graph,
so the query text runs unchanged except for the parameter, which Virtuoso cannot bind from outside: the test adds
`VALUES ?problem { <iri> }` to the WHERE clause. The union behaviour is checked, not assumed: push sends named
graphs only (one per document, plus scheme and ontology), so non-empty rows equal to the embedded store's show that
the query's patterns are matched across those graphs.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import iei_sample as sample
from iei_kg.api import KnowledgeGraph
from iei_kg.cli import EXIT_OK, main
from iei_kg.graph.push import push, remote_counts
from iei_kg.graph.rdf import concept_iri
from iei_kg.query.named import resolve_query
from serve_helpers import http as http_call

pytestmark = pytest.mark.slow

QUERY = "countermeasures-for-problem"
PROBLEM = "P-enterprise-motivation"
START_TIMEOUT = 60.0
GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL"; '
          'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
          'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";')

INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort        = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed       = ., {d}
NumberOfBuffers   = 10000
MaxDirtyBuffers   = 6000
CheckpointInterval = 60

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {d}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 10000
"""


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    fallback = Path("/usr/bin") / name
    return str(fallback) if fallback.is_file() and os.access(fallback, os.X_OK) else None


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:]) or "(no output)"
    except OSError:
        return "(no output)"


def _stop(process: subprocess.Popen) -> None:
    """Kill the server's process group: SIGTERM (it shuts down cleanly), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Virtuoso:
    def __init__(self, http_port: int):
        self.base = f"http://127.0.0.1:{http_port}"
        self.endpoint = self.base + "/sparql"
        self.graph_store = self.base + "/sparql-graph-crud"

    def select(self, query: str) -> list[dict]:
        data = urllib.parse.urlencode({"query": query}).encode()
        status, _, body = http_call(self.endpoint, data=data, method="POST",
                                    headers={"Content-Type": "application/x-www-form-urlencoded",
                                             "Accept": "application/sparql-results+json"})
        assert status == 200, f"Virtuoso answered {status}: {body.decode('utf-8', 'replace')[:500]}"
        return json.loads(body)["results"]["bindings"]


@pytest.fixture
def virtuoso(tmp_path_factory, request):
    """A fresh Virtuoso in a temp folder, anonymous SPARQL updates allowed; stopped in a finalizer."""
    server_bin, isql_bin = _binary("virtuoso-t"), _binary("isql-vt")
    if not server_bin:
        pytest.skip("virtuoso-t not found (install virtuoso-opensource)")
    if not isql_bin:
        pytest.skip("isql-vt (Virtuoso's ISQL client) not found (install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_ports(2)
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "stdout.log"
    with open(log, "wb") as out:
        try:
            process = subprocess.Popen([server_bin, "-f", "-c", "virtuoso.ini"], cwd=folder, stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            pytest.skip(f"could not start {server_bin}: {exc}")
    request.addfinalizer(lambda: _stop(process))
    server = Virtuoso(http_port)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.skip(f"virtuoso-t exited with status {process.returncode} while starting: {_tail(log)}")
        try:
            with urllib.request.urlopen(server.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                        timeout=5) as answer:
                if answer.status == 200:
                    break
        except (OSError, http.client.HTTPException):  # URLError and HTTPError are OSErrors
            pass
        if time.monotonic() > deadline:
            pytest.skip(f"virtuoso-t did not answer HTTP on 127.0.0.1:{http_port} within {START_TIMEOUT:.0f} s: "
                        f"{_tail(log)}")
        time.sleep(0.3)
    try:
        grant = subprocess.run([isql_bin, str(sql_port), "dba", "dba", f"exec={GRANTS}"], capture_output=True,
                               text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"isql-vt could not grant SPARQL updates: {exc}")
    if grant.returncode != 0 or "Error" in grant.stdout + grant.stderr:
        pytest.skip(f"isql-vt could not grant SPARQL updates (status {grant.returncode}): "
                    f"{(grant.stdout + grant.stderr).strip()[-300:]}")
    return server


def with_problem(sparql: str, problem_iri: str) -> str:
    """The named query's text with its parameter bound by a VALUES block (Virtuoso takes no outside bindings)."""
    bound, n = re.subn(r"\bWHERE\s*\{", lambda m: m.group(0) + f"\n  VALUES ?problem {{ <{problem_iri}> }}",
                       sparql, count=1)
    assert n == 1, "the query has no WHERE clause to bind ?problem in"
    return bound


def rows_key(rows) -> set:
    return {(r["concept"], r["docId"], r["quote"], r["method"], round(float(r["relevance"]), 6)) for r in rows}


def test_push_to_virtuoso_and_query_it_like_the_embedded_store(tmp_path, virtuoso, capsys):
    kg = sample.make_kg(tmp_path / "kg", docs=("paper-a", "paper-b"))

    first = push(kg, virtuoso.endpoint, graph_store=virtuoso.graph_store)
    assert first and all(p.status == 201 for p in first), [(p.graph, p.status) for p in first]
    assert all(p.remote_triples == p.triples for p in first), [(p.graph, p.triples, p.remote_triples) for p in first]
    graphs = sorted(p.graph for p in first)
    counts = {p.graph: p.triples for p in first}

    # again, through the CLI: each graph is replaced, not doubled (the CLI fails when a count differs)
    assert main(["push", "--endpoint", virtuoso.endpoint, "--graph-store", virtuoso.graph_store,
                 "--kg", str(kg)]) == EXIT_OK
    assert "counts checked at the endpoint" in capsys.readouterr().out
    assert remote_counts(virtuoso.endpoint, graphs, {}, 30) == counts

    # the named query, parameter bound textually, against Virtuoso's default graph (no FROM)
    problem_iri = str(concept_iri(PROBLEM))
    remote = [{k: v["value"] for k, v in b.items()}
              for b in virtuoso.select(with_problem(resolve_query(QUERY).sparql, problem_iri))]
    with KnowledgeGraph(kg) as local_kg:
        _, local = local_kg.query(QUERY, {"problem": PROBLEM})
    assert local, "the sample graph should give rows for the problem"
    assert {r["problem"] for r in remote} == {problem_iri}
    assert {(r["concept"], r["docId"], r["quote"]) for r in remote} == \
        {(r["concept"], r["docId"], r["quote"]) for r in local}
    assert rows_key(remote) == rows_key(local)
    assert len(remote) == len(local)
