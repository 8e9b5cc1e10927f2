"""Named-query benchmark (not a test): p50/p95/rows of every named query on a large copy of a built graph.

    .venv/bin/iei-kg build corpus --kg /tmp/kg-demo -q
    .venv/bin/python bench/bench_queries.py --source /tmp/kg-demo --target-quads 1000000 --kg /tmp/kg-1m
    .venv/bin/python bench/bench_queries.py --kg /tmp/kg-1m --repeats 50 --json /tmp/q.json   # reuse the store
    .venv/bin/python bench/bench_queries.py --kg /tmp/kg-1m --refresh-summary   # rewrite its summary graph first

--refresh-summary recomputes the store's summary graph (Store.refresh_summary, as a build does at its end) and times
it: for a store whose summary an older version wrote (the named queries read the summary of the current layout).

The large store holds the scheme and ontology graphs of the source once and its document graphs N times, each copy
with renamed document, statement and evidence IRIs (concepts stay shared, as in a corpus of N times more papers).
The parameters are bench_build.py's QUERY_PARAMS.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import QUERY_PARAMS, percentiles  # noqa: E402
from iei_kg.graph.store import Store  # noqa: E402
from iei_kg.query.named import named_queries, run_query  # noqa: E402

IDENTIFIER = "http://purl.org/dc/terms/identifier"


def is_document_quad(q: ox.Quad) -> bool:
    g = getattr(q.graph_name, "value", "")
    return "/graph/" in g and not g.endswith(("/scheme", "/ontology"))


def _rename(term, suffix: str):
    """Documents, statements, evidence (all under /doc/): a new IRI per copy; concepts stay shared."""
    if isinstance(term, ox.NamedNode) and "/doc/" in term.value:
        return ox.NamedNode(term.value + suffix)
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(term.value + suffix.replace("-", "_"))
    return term


def copied_quads(quads: Iterable[ox.Quad], copies: int) -> Iterator[ox.Quad]:
    """The scheme/ontology quads once, then `copies` renamed copies of the document graphs."""
    doc_quads = []
    for q in quads:
        if is_document_quad(q):
            doc_quads.append(q)
        else:
            yield q
    for k in range(copies):
        suffix = f"-copy{k}"
        for q in doc_quads:
            o = q.object
            if isinstance(o, ox.Literal) and q.predicate.value == IDENTIFIER:
                o = ox.Literal(o.value + suffix)
            else:
                o = _rename(o, suffix)
            yield ox.Quad(_rename(q.subject, suffix), q.predicate, o, ox.NamedNode(q.graph_name.value + suffix))


def copies_for(quads: list[ox.Quad], target_quads: int) -> int:
    docs = sum(map(is_document_quad, quads))
    return max(1, -(-(target_quads - (len(quads) - docs)) // max(1, docs)))


def build_large_store(quads: list[ox.Quad], kg: Path, copies: int) -> dict:
    """Bulk-loads the copies into a new graph folder `kg`; returns its size and load time."""
    started = time.perf_counter()
    store = Store(kg, create=True)
    store.oxi.bulk_extend(copied_quads(quads, copies))
    store.refresh_summary()  # as a build does at its end: the copies' concept pairs counted
    store.oxi.optimize()
    info = {"quads": len(store.oxi), "copies": copies, "bulk_load_s": time.perf_counter() - started}
    store.close()
    return info


def time_named_queries(store: Store, repeats: int, folder: Path | None = None, budget_s: float = 60) -> dict:
    """p50/p95 (ms) and row count of each named query, after one untimed warm-up run."""
    out = {}
    for name, query in named_queries(folder).items():
        params = QUERY_PARAMS.get(name, {})
        rows = len(run_query(store, query, params)[1])
        samples, deadline = [], time.monotonic() + budget_s
        for _ in range(repeats):
            started = time.perf_counter()
            run_query(store, query, params)
            samples.append(time.perf_counter() - started)
            if time.monotonic() > deadline:
                break
        p50, p95 = percentiles(samples)
        out[name] = {"p50_ms": p50 * 1000, "p95_ms": p95 * 1000, "runs": len(samples), "rows": rows}
        print(f"{name:30} p50 {p50 * 1000:9.1f} ms  p95 {p95 * 1000:9.1f} ms  rows {rows:7}  runs {len(samples)}",
              flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, help="a built graph folder whose document graphs are copied")
    ap.add_argument("--kg", type=Path, required=True, help="the large graph folder: built here from --source, "
                                                           "or reused when it exists and no --source is given")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--copies", type=int, help="copies of the document graphs")
    size.add_argument("--target-quads", type=int, default=1_000_000, help="copies until the store holds this many")
    ap.add_argument("--repeats", type=int, default=20, help="timed runs per query")
    ap.add_argument("--budget-s", type=float, default=60, help="stop timing a query after this many seconds")
    ap.add_argument("--queries", type=Path, help="a folder of .rq files to time instead of queries/ (e.g. old ones)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--refresh-summary", action="store_true",
                    help="recompute the summary graph of --kg before timing (as a build does at its end)")
    args = ap.parse_args(argv)
    results: dict = {"kg": str(args.kg)}
    if args.source:
        if args.kg.exists():
            ap.error(f"{args.kg} exists: remove it, or give no --source to reuse it")
        with Store(args.source, read_only=True) as source:
            quads = list(source.oxi.quads_for_pattern(None, None, None, None))
        copies = args.copies or copies_for(quads, args.target_quads)
        results.update(build_large_store(quads, args.kg, copies), source=str(args.source))
        print(f"loaded {results['quads']:,} quads ({copies} copies) in {results['bulk_load_s']:.1f} s", flush=True)
    if args.refresh_summary:
        with Store(args.kg) as store:
            started = time.perf_counter()
            store.refresh_summary()
            results["refresh_summary_s"] = time.perf_counter() - started
        print(f"summary refreshed in {results['refresh_summary_s']:.1f} s", flush=True)
    with Store(args.kg, read_only=True) as store:
        results["quads"] = len(store.oxi)
        results["queries"] = time_named_queries(store, args.repeats, args.queries, args.budget_s)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
