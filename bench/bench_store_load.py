"""Store-load benchmark (not a test): what the main process of a build pays per document to write its graph.

    .venv/bin/python bench/bench_store_load.py --source /tmp/kg-1000pdf --docs 300 --json /tmp/load.json

Takes the document graphs of a built graph folder (--source, read only), and loads the first N of them, one
`Store.replace_document` each (one transaction, as `build` does with the N-Triples a worker returns), into a new
store in a temporary folder, flushing every FLUSH_EVERY documents as `build` does. Prints the wall time and the CPU
time of this process per document (the CPU time includes the store's background compaction threads) by blocks
of 50 documents, the number of documents per second that one main process can write at most, and how many files
the store holds at the end. `--bulk` loads each document with Oxigraph's `bulk_load` instead (not transactional),
for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from iei_kg.build import FLUSH_EVERY
from iei_kg.graph.rdf import graph_iri
from iei_kg.graph.store import Store


def document_graphs(kg: Path, docs: int) -> list[tuple[str, str]]:
    """(doc id, N-Triples) of the first `docs` document graphs of a graph folder, by doc id."""
    with Store(kg, read_only=True) as source:
        return [(doc_id, source.oxi.dump(format=ox.RdfFormat.N_TRIPLES,
                                         from_graph=ox.NamedNode(str(graph_iri(doc_id)))).decode("utf-8"))
                for doc_id in sorted(source.document_hashes())[:docs]]


def time_loads(graphs: list[tuple[str, str]], bulk: bool = False, block: int = 50) -> dict:
    with tempfile.TemporaryDirectory() as folder, Store(folder, create=True) as store:
        def write(doc_id: str, ntriples: str) -> None:
            if bulk:
                store.oxi.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                                    to_graph=ox.NamedNode(str(graph_iri(doc_id))))
            else:
                store.replace_document(doc_id, ntriples)

        blocks, started, cpu = [], time.perf_counter(), time.process_time()
        mark, mark_cpu, mark_docs = started, cpu, 0
        for i, (doc_id, ntriples) in enumerate(graphs, 1):
            write(doc_id, ntriples)
            if i % FLUSH_EVERY == 0:
                store.flush()
            if i % block == 0 or i == len(graphs):
                now, now_cpu, size = time.perf_counter(), time.process_time(), i - mark_docs
                blocks.append({"docs": i, "wall_ms_per_doc": round((now - mark) / size * 1000, 1),
                               "cpu_ms_per_doc": round((now_cpu - mark_cpu) / size * 1000, 1)})
                mark, mark_cpu, mark_docs = now, now_cpu, i
        store.flush()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        quads = len(store.oxi)
        files = sum(1 for path in Path(folder).rglob("*") if path.is_file())
    n = len(graphs)
    return {"method": "bulk_load" if bulk else "transaction", "store_files": files, "documents": n, "quads": quads, "quads_per_doc": round(quads / n), "wall_s": round(wall, 2),
            "wall_ms_per_doc": round(wall / n * 1000, 1), "cpu_ms_per_doc": round(cpu / n * 1000, 1),
            "max_docs_per_s": round(n / wall, 2), "blocks": blocks}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, required=True, help="a built graph folder (read only)")
    ap.add_argument("--docs", type=int, default=200, help="how many of its document graphs to load")
    ap.add_argument("--bulk", action="store_true", help="load with Oxigraph's bulk_load instead of a transaction")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    if args.docs < 1:
        ap.error("--docs must be at least 1")
    graphs = document_graphs(args.source, args.docs)
    if not graphs:
        ap.error(f"{args.source} holds no document graphs")
    result = {"source": str(args.source), **time_loads(graphs, args.bulk)}
    for b in result["blocks"]:
        print(f"documents up to {b['docs']:5}: {b['wall_ms_per_doc']:7.1f} ms wall, {b['cpu_ms_per_doc']:7.1f} ms CPU "
              "per document", flush=True)
    print(f"{result['documents']} documents, {result['quads']:,} quads ({result['quads_per_doc']:,} per document): "
          f"{result['wall_ms_per_doc']} ms wall and {result['cpu_ms_per_doc']} ms CPU per document; one main process "
          f"writes at most {result['max_docs_per_s']} documents/s ({result['method']}); the store holds "
          f"{result['store_files']} files")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
