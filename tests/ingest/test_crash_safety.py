"""Crash safety: `iei-kg build` killed with SIGKILL at several points leaves a store that opens, holds only
complete document graphs, and a rebuild gives the same statements as a clean build.

Each kill goes on from the store the previous kill left behind, so the test also covers resuming after a crash
more than once. `--embedding-model none` keeps it fast (spaCy still loads).

Every build runs with the same PYTHONHASHSEED: concept linking sums IDF weights over a set of lemmas
(extract/linking.py), so near-tied concepts can flip between processes with different hash seeds; that is
not what this test is about.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import iei_kg
from iei_kg.graph.store import MARKER, Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUILD = "import sys; from iei_kg.cli import main; sys.exit(main(sys.argv[1:]))"
PREFIXES = """
PREFIX iei: <https://w3id.org/iei-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


ENV = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONHASHSEED="0")


def _command(corpus: Path, kg: Path) -> list[str]:
    return [sys.executable, "-c", BUILD, "build", str(corpus), "--kg", str(kg), "--embedding-model", "none"]


def _run_and_kill(corpus: Path, kg: Path, after_seconds: float | None = None, after_built: int | None = None) -> dict:
    """Start a build; SIGKILL it after some seconds or after N 'built:' lines. What happened, for the report."""
    proc = subprocess.Popen(_command(corpus, kg), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=ENV, cwd=ROOT)
    built: list[str] = []
    enough = threading.Event()

    def read():
        for line in proc.stderr:
            if line.startswith("built:"):
                built.append(line.strip())
                if after_built is not None and len(built) >= after_built:
                    enough.set()
        enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    started = time.monotonic()
    enough.wait(timeout=after_seconds if after_seconds is not None else 120)
    finished_first = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=5)
    return {"killed_after_s": round(time.monotonic() - started, 1), "built_before_kill": len(built),
            "finished_first": finished_first}


def _check_store(kg: Path) -> dict:
    """The store opens; every document graph is whole. Returns counts for the report."""
    if not (kg / MARKER).exists():
        return {"documents": 0, "statements": 0, "store": "not created yet"}
    with Store(kg) as store:
        docs = list(store.query(PREFIXES + """
            SELECT ?g ?id ?hash WHERE { GRAPH ?g { ?d a iei:Document ; dcterms:identifier ?id .
                                                   OPTIONAL { ?d iei:contentHash ?hash } } }"""))
        assert all(row["hash"] is not None for row in docs), "a document node without its content hash"
        graphs = {row["g"].value for row in docs}
        assert len(graphs) == len(docs), "one document per named graph"
        orphans = list(store.query(PREFIXES + """
            SELECT ?g ?s WHERE { GRAPH ?g { ?s iei:document ?d .
                FILTER NOT EXISTS { ?s iei:evidence ?e . ?e oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p .
                                    ?q oa:exact ?x . ?p oa:start ?start ; oa:end ?end } } }"""))
        assert orphans == [], f"statements without evidence: {orphans[:3]}"
        stray = list(store.query(PREFIXES + """
            SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s iei:document ?d }
                FILTER NOT EXISTS { GRAPH ?g { ?d a iei:Document ; iei:contentHash ?h } } }"""))
        assert stray == [], f"statements in a graph without its document: {stray}"
        count = len(list(store.query(PREFIXES + "SELECT ?s WHERE { ?s iei:document ?d }")))
    return {"documents": len(docs), "statements": count}


def _statements(kg: Path) -> set[tuple]:
    with iei_kg.open_graph(kg) as graph:
        return {(s["doc"], s["type"], s["concept"], s["start"], s["end"]) for s in graph.statements()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted((ROOT / "corpus").iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


def test_sigkill_during_build_leaves_a_whole_store_and_the_rebuild_matches(corpus, tmp_path, capsys):
    clean = tmp_path / "clean"
    done = subprocess.run(_command(corpus, clean), capture_output=True, text=True, cwd=ROOT, env=ENV,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    expected = _statements(clean)
    assert expected

    kg = tmp_path / "crashed"
    report = []
    for point in ({"after_seconds": 1.0}, {"after_seconds": 3.0}, {"after_seconds": 5.0},
                  {"after_built": 1}, {"after_built": 2}):
        outcome = _run_and_kill(corpus, kg, **point)
        outcome.update(point)
        outcome.update(_check_store(kg))
        report.append(outcome)
    rebuilt = subprocess.run(_command(corpus, kg), capture_output=True, text=True, cwd=ROOT, env=ENV,
                          timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr
    report.append({"rebuild": rebuilt.stdout.strip(), **_check_store(kg)})
    got = _statements(kg)
    with capsys.disabled():
        for line in report:
            print(f"\n  crash test: {line}", end="")
        print()
    assert got == expected
    assert any(r.get("documents") for r in report[:-1]), "no kill happened after a document was written"


def _worker_pids(parent: int) -> set[int]:
    """The pool workers among the children of `parent` (multiprocessing's spawn: `spawn_main` in the command)."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"spawn_main" in (stat.parent / "cmdline").read_bytes():
                pids.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return pids


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever reaps it; it runs nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_sigkill_of_a_two_worker_build_ends_its_workers(corpus, tmp_path):
    """`kill -9` of `build --workers 2`: the workers must not run on as orphans (issue 23, item 10)."""
    many = tmp_path / "many"
    many.mkdir()
    for copy in range(6):  # enough documents that the workers are busy when the build is killed
        for path in corpus.iterdir():
            shutil.copy(path, many / f"{path.stem}-{copy}{path.suffix}")
    proc = subprocess.Popen(_command(many, tmp_path / "kg") + ["--workers", "2"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env=ENV, cwd=ROOT)
    workers: set[int] = set()
    try:
        built = threading.Event()

        def read():
            for line in proc.stderr:
                if line.startswith("built:"):
                    built.set()

        threading.Thread(target=read, daemon=True).start()
        assert built.wait(timeout=180), "the build built nothing"
        workers = _worker_pids(proc.pid)
        assert len(workers) == 2 and all(_running(pid) for pid in workers), workers
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _running(pid)], "workers still running 10 s after the build was killed"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for pid in workers:  # what this test started, if the check above failed
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


# `build` with SIGKILL at the summary step: after the documents are written and removed, before the summary is.
KILLED_AT_SUMMARY = ("import os, signal, sys; from iei_kg.graph.store import Store; "
                     "Store.refresh_summary = lambda self: os.kill(os.getpid(), signal.SIGKILL); "
                     "from iei_kg.cli import main; sys.exit(main(sys.argv[1:]))")


def _summary(kg: Path) -> set[str]:
    import pyoxigraph as ox

    from iei_kg.ontology.namespace import SUMMARY_GRAPH

    with Store(kg) as store:
        dump = store.oxi.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(SUMMARY_GRAPH))
    return set(dump.decode("utf-8").splitlines())


def test_sigkill_of_an_update_build_at_the_summary_step_is_repaired_by_the_next(corpus, tmp_path):
    """Issue 23: every later build said '0 built, N unchanged' and kept the stale summary (a removed document
    ranked first by documents-for-concept) until --force."""
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    kg, clean = tmp_path / "kg", tmp_path / "clean"
    first = subprocess.run(_command(folder, kg), capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300)
    assert first.returncode == 0, first.stderr
    removed, edited = sorted(folder.iterdir())[:2]
    removed.unlink()
    edited.write_text(edited.read_text(encoding="utf-8") + "\nTeachers lack practical experience in enterprises.\n",
                      encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_SUMMARY] + _command(folder, kg)[3:],
                            capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert f"removed: {removed.stem}" in killed.stderr and f"built: {edited.stem}" in killed.stderr
    again = subprocess.run(_command(folder, kg), capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300)
    assert again.returncode == 0, again.stderr
    done = subprocess.run(_command(folder, clean), capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _summary(kg) == _summary(clean)
    assert _statements(kg) == _statements(clean)
