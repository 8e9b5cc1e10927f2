"""Build benchmark (not a test): build time, per-stage times, memory, SPARQL latency and baselines on a scaled corpus.

    .venv/bin/python bench/bench_build.py --docs 20 --format both --million
    .venv/bin/python bench/bench_build.py --docs 6 --format txt --workers 1,2 --keep /tmp/bench-corpus

1. Generates N documents per format from the demo papers in corpus/ (sections shuffled between papers, some words
   replaced by synonyms, unique file stems): .txt files and/or two-column ten-page PDFs drawn with reportlab.
2. Runs `iei_kg.build` on them, timing the stages in this process by wrapping the stage functions (read, layout +
   segmentation + classification, embeddings, concept linking, graph write); peak memory; a no-change rebuild;
   `workers=2` vs 1 when `build` accepts `workers=`.
3. SPARQL p50/p95 for every named query in queries/ on the built graph and (`--million`) on a >= 1M-triple copy.
4. Baselines: pypdfium2 vs pdfplumber pages/s, blank spaCy vs the full pipeline words/s, the embedding model alone
   sentences/s, rdflib in-memory SPARQL vs Oxigraph for one named query.
5. Prints a table and writes bench/results-<date>.md and .json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import json
import os
import platform
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.ingest.pdf_samples: the reportlab layout the PDF tests use

import iei_kg  # noqa: E402
from iei_kg.config import DEFAULT_EMBEDDING_MODEL, ExtractorConfig  # noqa: E402

QUERY_PARAMS = {
    "countermeasures-for-problem": {"problem": "P-enterprise-motivation"},
    "problems-for-stakeholder": {"stakeholder": "S-enterprise"},
    "causes-of-problem": {"problem": "P-enterprise-motivation"},
    "actors-of-countermeasure": {"countermeasure": "C-incentives"},
    "documents-for-concept": {"concept": "P-enterprise-motivation"},
    "evidence-for-concept": {"concept": "C-incentives"},
    "concept-cooccurrence": {},
}
SYNONYMS = {
    "enterprises": "companies", "enterprise": "company", "colleges": "institutions", "problems": "difficulties",
    "improve": "enhance", "promote": "advance", "cooperation": "collaboration", "important": "significant",
    "students": "learners", "teachers": "instructors", "establish": "set up", "lack": "shortage",
    "government": "state", "training": "cultivation", "develop": "build up", "measures": "steps",
    "effectively": "efficiently", "obvious": "evident", "strengthen": "reinforce", "various": "diverse",
}
HEADING = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.)\s+\S")


# ---------------------------------------------------------------- corpus

def _sections(text: str) -> tuple[str, list[str]]:
    """(front matter, sections): a section starts at a numbered heading line."""
    lines = text.splitlines(keepends=True)
    front, sections, current = [], [], None
    for line in lines:
        if HEADING.match(line) and len(line) < 120:
            current = [line]
            sections.append(current)
        elif current is None:
            front.append(line)
        else:
            current.append(line)
    return "".join(front), ["".join(s) for s in sections]


def _vary(text: str, rnd: random.Random, rate: float = 0.3) -> str:
    def swap(m):
        word = m.group(0)
        new = SYNONYMS.get(word.lower())
        if new is None or rnd.random() > rate:
            return word
        return new[0].upper() + new[1:] if word[0].isupper() else new
    return re.sub(r"\b[A-Za-z]+\b", swap, text)


def _cite(text: str, rnd: random.Random) -> str:
    """A citation mark at the end of every sentence ("... cooperation [37]."): the generated documents share
    sections, and without it most of their sentences would be exact repeats, which the embedding cache would
    serve instead of the model (real corpora repeat far less)."""
    return re.sub(r"(?<=[a-z])\.(?=\s)", lambda m: f" [{rnd.randint(1, 99)}].", text)


def _document_text(papers: list[tuple[str, list[str]]], i: int, rnd: random.Random, min_chars: int = 0,
                   unique: bool = True) -> str:
    """Paper i % 5's front matter, then its sections with some swapped for other papers' sections, varied."""
    front, sections = papers[i % len(papers)]
    pool = [s for _, secs in papers for s in secs]
    chosen = [s if rnd.random() > 0.35 else rnd.choice(pool) for s in sections]
    rnd.shuffle(chosen[1:]) if len(chosen) > 2 else None
    body = list(chosen)
    while sum(map(len, body)) + len(front) < min_chars:  # long enough for ten PDF pages
        body.append(rnd.choice(pool))
    text = _vary(front + "".join(body), rnd)
    return _cite(text, rnd) if unique else text


def make_corpus(folder: Path, docs: int, formats: list[str], seed: int = 11, unique: bool = True) -> dict:
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    papers = [_sections(p.read_text(encoding="utf-8")) for p in sources]
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    info = {"txt": 0, "pdf": 0, "pdf_pages": 0, "chars": 0}
    for fmt in formats:
        for i in range(docs):
            stem = f"bench-{fmt}-{i:04d}-{sources[i % len(sources)].stem[:24]}"
            if fmt == "txt":
                text = _document_text(papers, i, rnd, unique=unique)
                (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
                info["chars"] += len(text)
            else:
                text = _document_text(papers, i, rnd, min_chars=60_000, unique=unique)
                info["pdf_pages"] += write_pdf(folder / f"{stem}.pdf", text, pages=10)
                info["chars"] += len(text)  # drawn text is cut at ten pages: an upper bound
            info[fmt] += 1
    return info


def write_pdf(path: Path, text: str, pages: int = 10) -> int:
    """Two columns, running header/footer, page numbers, bold headings (tests/ingest/pdf_samples.py's layout)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from tests.ingest import pdf_samples as ps

    pdf = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 1, "column": 0, "y": ps.TOP, "full": False}

    def furniture():
        pdf.setFont(ps.FONT, 8)
        pdf.drawString(ps.MARGIN, ps.PAGE_H - 40, ps.HEADER_LEFT)
        pdf.drawRightString(ps.PAGE_W - ps.MARGIN, ps.PAGE_H - 40, ps.HEADER_RIGHT)
        pdf.drawString(ps.MARGIN, 36, ps.FOOTER)
        pdf.drawCentredString(ps.PAGE_W / 2, 24, f"- {state['page']} -")

    def draw_line(line: str, font: str = ps.FONT) -> bool:
        if state["y"] < ps.BOTTOM:
            if state["column"] == 0:
                state["column"], state["y"] = 1, state["top"]
            elif state["page"] >= pages:
                state["full"] = True
                return False
            else:
                pdf.showPage()
                state.update(page=state["page"] + 1, column=0, y=ps.TOP, top=ps.TOP)
                furniture()
        pdf.setFont(font, ps.SIZE)
        pdf.drawString(ps.MARGIN + state["column"] * (ps.COLUMN_W + ps.GUTTER), state["y"], line)
        state["y"] -= ps.LEADING
        return True

    furniture()
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    title = paragraphs[0].split("\n")[0].strip()[:70] if paragraphs else path.stem
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(ps.PAGE_W / 2, ps.TOP, title)
    state["top"] = state["y"] = ps.TOP - 30
    for para in paragraphs:
        lines = para.strip().split("\n")
        if HEADING.match(lines[0]) and len(lines[0]) < 120:
            if not draw_line(lines[0].strip(), "Helvetica-Bold"):
                break
            lines = lines[1:]
        for line in ps._wrap(" ".join(lines).split(), ps.COLUMN_W, []):
            if not draw_line(line):
                break
        if state["full"]:
            break
    pdf.showPage()
    pdf.save()
    return state["page"]


# ---------------------------------------------------------------- stage timers

class StageTimer:
    """Wraps functions with timers (this process only); a stage nested in another is not counted twice."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)
        self.active: list[str] = []
        self.undo: list = []

    def wrap(self, owner, name: str, stage: str) -> None:
        original = getattr(owner, name)
        timer = self

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if stage in timer.active:  # the same stage nested in itself: counted once
                return original(*args, **kwargs)
            timer.active.append(stage)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timer.seconds[stage] += time.perf_counter() - started
                timer.calls[stage] += 1
                timer.active.pop()

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)
        self.undo.clear()


def install_timers() -> tuple[StageTimer, dict]:
    parallel_mod = importlib.import_module("iei_kg.parallel")
    doc_mod = importlib.import_module("iei_kg.extract.document")
    from iei_kg.extract.linking import ConceptLinker
    from iei_kg.graph.store import Store

    timer = StageTimer()
    counts = {"segments": 0, "typed": 0}
    timer.wrap(parallel_mod, "read_document", "read")
    timer.wrap(doc_mod, "analyse_layout", "nlp")
    timer.wrap(doc_mod, "segment_document", "nlp")
    original_classify = doc_mod.classify_segments

    def classify(segments, cues):  # a list, so its length can be counted without consuming a generator
        counts["segments"] += len(segments)
        out = list(original_classify(segments, cues))
        counts["typed"] += sum(1 for t in out if t.type)
        return out

    doc_mod.classify_segments = classify
    timer.undo.append((doc_mod, "classify_segments", original_classify))
    timer.wrap(doc_mod, "classify_segments", "nlp")
    timer.wrap(doc_mod.Extractor, "encode", "embeddings")
    timer.wrap(ConceptLinker, "scores", "linking")
    timer.wrap(ConceptLinker, "link", "linking")
    timer.wrap(parallel_mod, "document_ntriples", "graph write")  # in the worker (here: in-process)
    timer.wrap(Store, "replace_document", "graph write")  # in the main process
    timer.wrap(doc_mod.Extractor, "extract", "extract (all)")  # outer: nested stages counted inside it
    return timer, counts


# ---------------------------------------------------------------- helpers

def maxrss_mib(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def percentiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return s[len(s) // 2], s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def time_queries(run, names: list[str], repeats: int, budget_s: float = 60) -> dict:
    out = {}
    for name in names:
        samples, rows = [], 0
        deadline = time.monotonic() + budget_s
        for _ in range(repeats):
            started = time.perf_counter()
            rows = run(name)
            samples.append(time.perf_counter() - started)
            if time.monotonic() > deadline:
                break
        p50, p95 = percentiles(samples)
        out[name] = {"p50_ms": p50 * 1000, "p95_ms": p95 * 1000, "runs": len(samples), "rows": rows}
    return out


class MemorySampler:
    """Peak resident memory of this process and all its descendants together (worker processes included),
    sampled from /proc every `interval` seconds in a thread."""

    def __init__(self, interval: float = 0.5):
        import threading

        self.interval, self.peak_mib, self.peak_processes = interval, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _tree_rss_kib(os.getpid())
            if sum(rss) / 1024 > self.peak_mib:
                self.peak_mib, self.peak_processes = sum(rss) / 1024, len(rss)
            self._stop.wait(self.interval)


def _tree_rss_kib(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as fh:
                    parents[int(entry.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    out = []
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as fh:
                out += [int(line.split()[1]) for line in fh if line.startswith("VmRSS:")]
        except OSError:
            continue
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (worker processes are joined when a build ends)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def subset(corpus: Path, docs: int, folder: Path) -> Path:
    """The first `docs` files of a corpus, as symbolic links in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".pdf"))[:docs]:
        (folder / path.name).symlink_to(path.resolve())
    return folder


# ---------------------------------------------------------------- parts

def bench_stages(corpus: Path, work: Path, results: dict, docs: int, config: ExtractorConfig) -> None:
    """Where the time goes: an in-process build (one worker, cold embedding cache) of the first `docs` files."""
    sample = subset(corpus, docs, work / "stage-corpus")
    timer, counts = install_timers()
    started = time.perf_counter()
    report = iei_kg.build(sample, work / "kg-stages", config)
    total = time.perf_counter() - started
    timer.restore()
    stages = dict(timer.seconds)
    named = sum(v for k, v in stages.items() if k not in ("extract (all)",))
    in_extract = sum(stages.get(k, 0) for k in ("nlp", "embeddings", "linking"))
    stages["extract: other (relations, stakeholders, candidates)"] = stages.get("extract (all)", 0) - in_extract
    stages["outside stages (model loading, scheme, summary, flush)"] = total - (named - in_extract) - in_extract \
        - stages["extract: other (relations, stakeholders, candidates)"]
    results["stages"] = {"documents": len(report.built), "seconds": total, "segments": counts["segments"],
                         "typed_segments": counts["typed"], "statements": report.statements, "stages_s": stages}
    shutil.rmtree(work / "kg-stages", ignore_errors=True)


def bench_build(corpus: Path, work: Path, results: dict, workers: int, pages: int, config: ExtractorConfig) -> Path:
    """The whole corpus with `workers` processes: time, CPU, peak memory of the process tree; no-change rebuild."""
    kg = work / "kg"
    shutil.rmtree(kg, ignore_errors=True)
    cpu = cpu_seconds()
    with MemorySampler() as memory:
        started = time.perf_counter()
        report = iei_kg.build(corpus, kg, config, workers=workers)
        total = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    built = len(report.built)
    cache = kg / "cache" / "embeddings.sqlite"
    results["build"] = {
        "workers": workers, "documents": built, "skipped": len(report.skipped), "skipped_because": report.skipped[:5],
        "pages": pages,
        "statements": report.statements, "seconds": total, "docs_per_s": built / total,
        "pages_per_s": pages / total if pages else None, "statements_per_s": report.statements / total,
        "cpu_seconds": cpu, "cpu_seconds_per_doc": cpu / max(built, 1),
        "peak_rss_tree_mib": memory.peak_mib, "processes_at_peak": memory.peak_processes,
        "embedding_cache_mib": cache.stat().st_size / 2**20 if cache.exists() else 0.0,
        "load_average_after": os.getloadavg()[0],
    }
    started = time.perf_counter()
    again = iei_kg.build(corpus, kg, config, workers=workers)
    results["rebuild_no_change"] = {"seconds": time.perf_counter() - started, "unchanged": len(again.unchanged),
                                    "built": len(again.built)}
    return kg


def bench_workers(corpus: Path, work: Path, results: dict, docs: int, workers: int, config: ExtractorConfig) -> None:
    """The first `docs` files built with one worker and with `workers`: the speed-up, over the whole build and in
    the steady state (the second half of the documents, after every worker has loaded its models)."""
    sample = subset(corpus, docs, work / "workers-corpus")
    out = results["workers"] = {"documents": docs}
    for w in (1, workers):
        kg = work / f"kg-w{w}"
        shutil.rmtree(kg, ignore_errors=True)
        done: list[float] = []
        started = time.perf_counter()
        iei_kg.build(sample, kg, config, workers=w,
                     on_event=lambda kind, _: done.append(time.perf_counter()) if kind == "built" else None)
        out[str(w)] = time.perf_counter() - started
        half = len(done) // 2
        out[f"steady_s_per_doc_{w}"] = (done[-1] - done[half - 1]) / (len(done) - half) if half else None
        shutil.rmtree(kg, ignore_errors=True)
    out["speedup"] = out["1"] / out[str(workers)]
    steady = out[f"steady_s_per_doc_{workers}"]
    out["speedup_steady"] = out["steady_s_per_doc_1"] / steady if steady else None


def bench_sparql(kg: Path, results: dict, repeats: int, million: bool, work: Path) -> None:
    from iei_kg.query.named import named_queries

    names = sorted(named_queries())
    with iei_kg.open_graph(kg) as graph:
        quads = len(graph.store.oxi)
        results["sparql"] = {"quads": quads, "queries": time_queries(
            lambda n: len(graph.query(n, QUERY_PARAMS.get(n, {}))[1]), names, repeats)}
        source_quads = list(graph.store.oxi.quads_for_pattern(None, None, None, None)) if million else []
    if quads <= RDFLIB_MAX_QUADS:
        dump = work / "graph.nq"
        with iei_kg.open_graph(kg) as graph, open(dump, "wb") as fh:
            graph.store.oxi.dump(fh, format=__import__("pyoxigraph").RdfFormat.N_QUADS)
        try:
            results["rdflib_vs_oxigraph"] = rdflib_compare(kg, dump, "countermeasures-for-problem", repeats)
        except Exception as exc:  # noqa: BLE001 - a baseline must not lose the rest of the run
            results["rdflib_vs_oxigraph_error"] = repr(exc)
    if million:
        try:
            results["sparql_million"] = million_graph(source_quads, work, max(5, repeats // 2))
        except Exception as exc:  # noqa: BLE001
            results["sparql_million_error"] = repr(exc)


RDFLIB_MAX_QUADS = 300_000  # rdflib's in-memory baseline is skipped above this (minutes of loading, GBs of memory)


def million_graph(quads: list, work: Path, repeats: int) -> dict:
    """Renamed copies of the built document graphs until the store holds >= 1M quads (bench_queries.py)."""
    from bench_queries import build_large_store, copies_for, time_named_queries

    from iei_kg.graph.store import Store

    kg = work / "kg-million"
    shutil.rmtree(kg, ignore_errors=True)
    out = build_large_store(quads, kg, copies_for(quads, 1_000_000))
    with Store(kg, read_only=True) as store:
        out["queries"] = time_named_queries(store, repeats, budget_s=30)
    shutil.rmtree(kg, ignore_errors=True)
    return out


def rdflib_compare(kg: Path, dump: Path, name: str, repeats: int) -> dict:
    from rdflib import Dataset, Graph
    from rdflib.plugins.sparql import prepareQuery

    from iei_kg.query.named import resolve_query

    query = resolve_query(name)
    text = query.sparql
    started = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(dump), format="nquads")
    load_s = time.perf_counter() - started
    # rdflib applies initBindings after evaluating the pattern (minutes here), so the parameter is written into
    # the pattern instead: the same plan Oxigraph gets from its substitutions.
    for k, v in QUERY_PARAMS[name].items():
        iri = f"<https://w3id.org/iei-kg/concept/{v}>"
        text = re.sub(rf"(SELECT[^{{]*?)\?{k}\b", rf"\1({iri} AS ?{k})", text)  # projected, as in every SELECT
        text = re.sub(rf"(?<!AS )\?{k}\b", iri, text)
    prepared = prepareQuery(text)
    dataset_s = _dataset_query_seconds(ds, prepared, limit_s=30)
    union = Graph()
    for triple in ds.triples((None, None, None)):
        union.add(triple)
    graph_s = _dataset_query_seconds(union, prepared, limit_s=30)
    samples, rows = ([graph_s], "-") if isinstance(graph_s, float) else ([float("nan")], graph_s)
    p50 = p95 = samples[0]
    with iei_kg.open_graph(kg) as graph:
        ox_rows = len(graph.query(name, QUERY_PARAMS[name])[1])
        ox_samples = []
        for _ in range(max(3, repeats // 4)):
            t = time.perf_counter()
            graph.query(name, QUERY_PARAMS[name])
            ox_samples.append(time.perf_counter() - t)
    o50, o95 = percentiles(ox_samples)
    return {"query": name, "rdflib_load_s": load_s, "rdflib_dataset_union_one_run_s": dataset_s, "rdflib_p50_ms": p50 * 1000, "rdflib_p95_ms": p95 * 1000,
            "rdflib_rows": rows, "oxigraph_p50_ms": o50 * 1000, "oxigraph_p95_ms": o95 * 1000, "oxigraph_rows": ox_rows}


def _dataset_query_seconds(ds, prepared, limit_s: float):
    """One run of the query on the rdflib Dataset's default union, in a forked child killed after limit_s."""
    import multiprocessing as mp

    def one(q):
        t = time.perf_counter()
        len(list(ds.query(prepared)))
        q.put(time.perf_counter() - t)

    ctx = mp.get_context("fork")
    q = ctx.Queue()
    child = ctx.Process(target=one, args=(q,))
    child.start()
    child.join(limit_s)
    if child.is_alive():
        child.kill()
        child.join()
        return f"> {limit_s:.0f} s (killed)"
    return q.get() if not q.empty() else "failed"


def bench_baselines(corpus: Path, results: dict, sample_pages: int, config: ExtractorConfig) -> None:
    out = results.setdefault("baselines", {})
    pdfs = sorted(corpus.glob("*.pdf"))
    if pdfs:
        import pdfplumber
        import pypdfium2 as pdfium

        started, pages = time.perf_counter(), 0
        for p in pdfs:
            doc = pdfium.PdfDocument(str(p))
            for page in doc:
                page.get_textpage().get_text_range()
                pages += 1
            doc.close()
        out["pypdfium2_pages_per_s"] = pages / (time.perf_counter() - started)
        out["pypdfium2_pages"] = pages
        started, pages = time.perf_counter(), 0
        for p in pdfs:
            with pdfplumber.open(str(p)) as doc:
                for page in doc.pages[: max(1, sample_pages // len(pdfs))]:
                    page.extract_text()
                    pages += 1
            if pages >= sample_pages:
                break
        out["pdfplumber_pages_per_s"] = pages / (time.perf_counter() - started)
        out["pdfplumber_pages"] = pages
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))] or \
        [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts = texts[:5]
    words = sum(len(t.split()) for t in texts)
    import spacy

    from iei_kg.extract.nlp import load_pipeline

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    started = time.perf_counter()
    sentences = [s.text for t in texts for s in blank(t).sents]
    out["spacy_blank_words_per_s"] = words / (time.perf_counter() - started)
    full = load_pipeline(None)
    started = time.perf_counter()
    for t in texts:
        full(t)
    out["spacy_full_words_per_s"] = words / (time.perf_counter() - started)
    out["spacy_words"] = words
    from iei_kg.extract.embeddings import Embedder

    sentences = [" ".join(s.split()) for s in sentences if s.strip()][:2000]
    embedder = Embedder(config.embedding_model, config.device)
    embedder.encode(sentences[:64])  # warm-up
    started = time.perf_counter()
    vectors = embedder.encode(sentences)
    out["embedding_sentences_per_s"] = len(sentences) / (time.perf_counter() - started)
    out["embedding_sentences"] = len(sentences)
    out["embedding_device"] = config.device
    if config.device != "cpu":  # the same sentences in half precision: speed, and how far the vectors move
        embedder.model.half()
        embedder.encode(sentences[:64])
        started = time.perf_counter()
        half = embedder.encode(sentences)
        out["embedding_fp16_sentences_per_s"] = len(sentences) / (time.perf_counter() - started)
        out["embedding_fp16_min_cosine"] = float((vectors * half).sum(axis=1).min())


# ---------------------------------------------------------------- report

def markdown(results: dict) -> str:
    lines = [f"# Build benchmark {results['date']}", "",
             f"Command: `{results['command']}`  ",
             f"Machine: {results['machine']}  ",
             f"Corpus: {results['corpus']}", "", "| measure | value |", "| --- | --- |"]
    b = results.get("build")
    if b:
        r = results["rebuild_no_change"]
        pages = f", {b['pages_per_s']:.1f} pages/s" if b["pages_per_s"] else ""
        lines += [
            f"| build, {b['workers']} worker(s): {b['documents']} docs ({b['pages']} PDF pages), {b['statements']:,} "
            f"statements | {b['seconds']:.1f} s = {b['seconds'] / 60:.1f} min: {b['docs_per_s']:.2f} docs/s{pages} |",
            f"| CPU time (all processes) | {b['cpu_seconds']:.0f} s, {b['cpu_seconds_per_doc']:.2f} s per document |",
            f"| peak memory, all processes together | {b['peak_rss_tree_mib']:.0f} MiB ({b['processes_at_peak']} processes) |",
            f"| embedding cache on disk | {b['embedding_cache_mib']:.0f} MiB |",
            f"| no-change rebuild ({r['unchanged']} unchanged, {r['built']} built) | {r['seconds']:.2f} s |",
            f"| load average after the build | {b['load_average_after']:.2f} |"]
    w = results.get("workers")
    if w:
        other = [k for k in w if k.isdigit() and k != "1"][0]
        lines.append(f"| first {w['documents']} docs: 1 worker / {other} workers | {w['1']:.1f} s / {w[other]:.1f} s: "
                     f"{w['speedup']:.2f}x |")
        if w.get("speedup_steady"):
            lines.append(f"| steady state (second half of the documents): s per document, 1 worker / {other} workers | "
                         f"{w['steady_s_per_doc_1']:.2f} / {w['steady_s_per_doc_' + other]:.2f}: "
                         f"{w['speedup_steady']:.2f}x |")
    st = results.get("stages")
    if st:
        lines.append(f"| stage split: in-process build of {st['documents']} docs ({st['segments']} segments, "
                     f"{st['typed_segments']} typed, {st['statements']} statements) | {st['seconds']:.1f} s |")
        for stage, secs in st["stages_s"].items():
            lines.append(f"| stage: {stage} | {secs:.1f} s ({100 * secs / st['seconds']:.0f}%) |")
    for k, v in results.get("baselines", {}).items():
        lines.append(f"| baseline: {k} | {v:,.1f} |" if isinstance(v, float) else f"| baseline: {k} | {v} |")
    c = results.get("rdflib_vs_oxigraph")
    if c:
        lines.append(f"| {c['query']}: rdflib Graph (union copied) p50/p95 (load {c['rdflib_load_s']:.1f} s) | "
                     f"{c['rdflib_p50_ms']:.0f} / {c['rdflib_p95_ms']:.0f} ms, {c['rdflib_rows']} rows |")
        lines.append(f"| {c['query']}: rdflib Dataset (default union), one run | {c['rdflib_dataset_union_one_run_s']} |")
        lines.append(f"| {c['query']}: Oxigraph p50/p95 | {c['oxigraph_p50_ms']:.1f} / {c['oxigraph_p95_ms']:.1f} ms, "
                     f"{c['oxigraph_rows']} rows |")
    s, m = results.get("sparql"), results.get("sparql_million", {})
    if s:
        lines += ["", "| named query | p50 ms | p95 ms | rows | p50 ms (1M) | p95 ms (1M) | rows (1M) |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, q in s["queries"].items():
            mq = m.get("queries", {}).get(name)
            tail = f"{mq['p50_ms']:.1f} | {mq['p95_ms']:.1f} | {mq['rows']}" if mq else "- | - | -"
            lines.append(f"| {name} | {q['p50_ms']:.1f} | {q['p95_ms']:.1f} | {q['rows']} | {tail} |")
        lines.append(f"\nBuilt graph: {s['quads']:,} quads." + (
            f" Large graph: {m['quads']:,} quads ({m['copies']} renamed copies of the document graphs), bulk load "
            f"{m['bulk_load_s']:.1f} s." if m else ""))
    for k in ("rdflib_vs_oxigraph_error", "sparql_million_error"):
        if k in results:
            lines.append(f"\n{k}: {results[k]}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10, help="documents per format to generate")
    ap.add_argument("--format", choices=["txt", "pdf", "both"], default="both")
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder instead of a generated one")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the main build (default 2)")
    ap.add_argument("--stage-docs", type=int, default=8, help="documents of the in-process stage split (0: skip)")
    ap.add_argument("--compare-docs", type=int, default=0,
                    help="build this many documents with 1 worker and with --workers to measure the speed-up")
    ap.add_argument("--no-build", action="store_true", help="skip the main build (stage split, workers only)")
    ap.add_argument("--keep", type=Path, help="generate the corpus (and graph) here and keep it")
    ap.add_argument("--million", action="store_true", help="also time the named queries on a >= 1M-quad graph")
    ap.add_argument("--repeats", type=int, default=20, help="runs per named query")
    ap.add_argument("--pdfplumber-pages", type=int, default=20, help="pages in the pdfplumber baseline sample")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    ap.add_argument("--tag", default="", help="added to the results file names")
    ap.add_argument("--device", default="cpu", help="torch device for the embeddings (cpu, cuda)")
    ap.add_argument("--embedding-model", default=DEFAULT_EMBEDDING_MODEL, help="sentence-transformers name or folder")
    args = ap.parse_args(argv)
    config = ExtractorConfig(embedding_model=args.embedding_model, device=args.device)
    formats = ["txt", "pdf"] if args.format == "both" else [args.format]
    work = args.keep or Path(tempfile.mkdtemp(prefix="iei-bench-"))
    results = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "command": "python bench/bench_build.py " + " ".join(argv if argv is not None else sys.argv[1:]),
               "machine": f"{platform.platform()}, {os.cpu_count()} CPUs, load average at start "
                          f"{os.getloadavg()[0]:.2f}, Python {platform.python_version()}"}
    if args.device != "cpu":
        import torch

        results["machine"] += f", embeddings on {args.device} ({torch.cuda.get_device_name()}, torch {torch.__version__})"
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d") + (f"-{args.tag}" if args.tag else "")

    def save() -> str:  # after every part: a long run cut short keeps what it measured
        text = markdown(results)
        (args.out / f"results-{stamp}.md").write_text(text, encoding="utf-8")
        (args.out / f"results-{stamp}.json").write_text(json.dumps(results, indent=2, default=str) + "\n",
                                                       encoding="utf-8")
        return text

    try:
        if args.corpus:
            corpus = args.corpus
            files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".pdf"))
            pages = count_pdf_pages([p for p in files if p.suffix == ".pdf"])
            results["corpus"] = f"{corpus}: {len(files)} files, {pages} PDF pages"
        else:
            corpus = work / "corpus"
            started = time.perf_counter()
            info = make_corpus(corpus, args.docs, formats)
            pages = info["pdf_pages"]
            results["corpus"] = (f"{info['txt']} .txt + {info['pdf']} two-column PDFs ({pages} pages), "
                                 f"{info['chars']:,} characters generated in {time.perf_counter() - started:.1f} s")
        print(results["corpus"], flush=True)
        # The main build first: the in-process builds below load the models into this process.
        if not args.no_build:
            kg = bench_build(corpus, work, results, args.workers, pages, config)
            print(f"build: {results['build']['seconds']:.1f} s; no-change rebuild "
                  f"{results['rebuild_no_change']['seconds']:.2f} s", flush=True)
            bench_sparql(kg, results, args.repeats, args.million, work)
            print("sparql done", flush=True)
            save()
        if args.compare_docs:
            bench_workers(corpus, work, results, args.compare_docs, args.workers, config)
            print(f"workers: {results['workers']}", flush=True)
            save()
        if args.stage_docs:
            bench_stages(corpus, work, results, args.stage_docs, config)
            print(f"stage split: {results['stages']['seconds']:.1f} s", flush=True)
            save()
        if not args.no_baselines:
            bench_baselines(corpus, results, args.pdfplumber_pages, config)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(save())
    return 0


def count_pdf_pages(pdfs: list[Path]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in pdfs:
        doc = pdfium.PdfDocument(str(path))
        pages += len(doc)
        doc.close()
    return pages


if __name__ == "__main__":
    sys.exit(main())
