"""Build (or update) a knowledge graph from a corpus folder: read, extract, write each document's graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph

from iei_kg import __version__
from iei_kg.config import ExtractorConfig
from iei_kg.errors import DocumentError
from iei_kg.graph.rdf import bibliographic_terms, document_graph
from iei_kg.graph.store import Store
from iei_kg.ingest import discover, read_document
from iei_kg.ingest.metadata import Catalogue
from iei_kg.ontology.scheme import load_scheme
from iei_kg.parallel import extract_all
from iei_kg.records import SourceDocument
from iei_kg.resources import data_dir

# A document with every metadata field set: which properties `bibliographic_terms` can write.
_PROBE = SourceDocument("probe", "", "", "", "", title="t", authors=["a"], year=2000, venue="v", doi="10.1/x",
                        language="en", type="paper")


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    statements: int = 0

    @property
    def ok(self) -> bool:
        return not self.skipped


def build(corpus_dir: str | Path, kg_dir: str | Path, config: ExtractorConfig | None = None, force: bool = False,
          on_event: Callable[[str, str], None] | None = None, workers: int = 1) -> BuildReport:
    """Build the graph of every .txt/.md/.pdf under `corpus_dir` into `kg_dir`.

    Unchanged documents (same content hash) are kept as they are unless `force`; documents gone from the
    folder are removed; a file that cannot be read is reported in `BuildReport.skipped` and the rest go on.
    `workers` > 1 extracts documents in that many processes (each loads the models once).
    """
    notify = on_event or (lambda kind, message: None)
    # An empty or mistyped folder must not be taken for "every document was deleted".
    if not discover(corpus_dir):
        raise DocumentError(str(corpus_dir), "no .txt, .md or .pdf files in this folder (nothing to build)")
    config = config or ExtractorConfig()
    with Store(kg_dir, create=True) as store:
        return _build_into(store, config, corpus_dir, force, notify, workers)


def _build_into(store: Store, config: ExtractorConfig, corpus_dir, force: bool, notify, workers: int) -> BuildReport:
    store.set_scheme(load_scheme(config.scheme_path).graph, Graph().parse(data_dir("ontology") / "iei.ttl"))
    known = store.document_hashes()
    stored_metadata = _stored_metadata(store)
    report = BuildReport()
    seen: set[str] = set()
    paths = discover(corpus_dir)
    catalogue = Catalogue.load(corpus_dir, {p.stem for p in paths})  # metadata.csv, .bib, .ris, CSL-JSON
    for problem in catalogue.problems:
        notify("warning", problem)
    notify("start", str(len(paths)))

    def changed_sources():
        """Read every file; yield the documents that need extracting, account for the others."""
        for path in paths:
            notify("reading", str(path))
            try:
                source = read_document(path, catalogue=catalogue)
            except DocumentError as exc:
                report.skipped.append((exc.path, exc.reason))
                notify("skipped", str(exc))
                seen.add(path.stem)  # keep what an earlier build made of it: an unreadable file loses no data
                continue
            if source.doc_id in seen:
                report.skipped.append((str(path), f"duplicate document id '{source.doc_id}' (file stems must be unique)"))
                notify("skipped", f"{path}: duplicate document id '{source.doc_id}'")
                continue
            seen.add(source.doc_id)
            if (not force and known.get(source.doc_id) == source.content_hash
                    and stored_metadata.get(source.doc_id) == _metadata_key(source)):  # a new .bib record rebuilds
                report.unchanged.append(source.doc_id)
                notify("unchanged", source.doc_id)
                continue
            yield source

    # The models load only when a document needs extracting: a no-change rebuild stays fast.
    for source, statements, error in extract_all(changed_sources(), config, workers):
        if error is not None:
            report.skipped.append((source.path, error))
            notify("skipped", f"{source.path}: {error}")
            continue
        store.replace_document(source.doc_id, document_graph(source, statements, __version__))
        report.built.append(source.doc_id)
        report.statements += len(statements)
        notify("built", f"{source.doc_id}: {len(statements)} statements")
    for doc_id in sorted(set(known) - seen):
        store.remove_document(doc_id)
        report.removed.append(doc_id)
        notify("removed", doc_id)
    store.flush()
    return report


def _metadata_key(source) -> frozenset:
    return frozenset((str(prop), str(value)) for prop, value in bibliographic_terms(source))


def _stored_metadata(store: Store) -> dict[str, frozenset]:
    """doc id -> the metadata its document node holds (as `_metadata_key`), to notice metadata-only changes."""
    props = {str(prop) for prop, _ in bibliographic_terms(_PROBE)}
    values = " ".join(f"<{p}>" for p in sorted(props))
    rows = store.query(
        "SELECT ?id ?p ?o WHERE { GRAPH ?g { ?d a <https://w3id.org/iei-kg/ontology#Document> ;"
        f" <http://purl.org/dc/terms/identifier> ?id ; ?p ?o }} VALUES ?p {{ {values} }} }}"
    )
    found: dict[str, set] = {}
    for row in rows:
        found.setdefault(row["id"].value, set()).add((row["p"].value, row["o"].value))
    return {doc_id: frozenset(pairs) for doc_id, pairs in found.items()}
