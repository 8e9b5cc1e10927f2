"""Build (or update) a knowledge graph from a corpus folder: read, extract, write each document's graph."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from rdflib import Graph

from iei_kg.config import ExtractorConfig
from iei_kg.errors import DocumentError
from iei_kg.graph.store import Store
from iei_kg.ingest import discover
from iei_kg.ingest.catalogue import Catalogue
from iei_kg.ingest.readers import file_hash, metadata_fingerprint
from iei_kg.ontology.scheme import load_scheme
from iei_kg.parallel import process_all
from iei_kg.ontology.namespace import BIBO
from iei_kg.resources import data_dir

CACHE_FILE = "cache/embeddings.sqlite"  # in the graph folder
FLUSH_EVERY = 20  # documents between flushes of the store's write buffers (memory stays flat)


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

    Unchanged documents (same bytes, same catalogue metadata, same scheme, rules and models) are kept as they are
    unless `force`; documents gone from the folder are removed; a file that cannot be read is reported in
    `BuildReport.skipped` (keeping what an earlier build made of it) and the rest go on. `workers` > 1 reads and
    extracts documents in that many processes (each loads the models once).
    """
    notify = on_event or (lambda kind, message: None)
    # An empty or mistyped folder must not be taken for "every document was deleted".
    if not discover(corpus_dir):
        raise DocumentError(str(corpus_dir), "no .txt, .md or .pdf files in this folder (nothing to build)")
    config = config or ExtractorConfig()
    if config.embedding_cache is None:
        config = replace(config, embedding_cache=str(Path(kg_dir) / CACHE_FILE))
    with Store(kg_dir, create=True) as store:
        return _build_into(store, config, corpus_dir, force, notify, workers)


def _build_into(store: Store, config: ExtractorConfig, corpus_dir, force: bool, notify, workers: int) -> BuildReport:
    store.set_scheme(load_scheme(config.scheme_path).graph, Graph().parse(data_dir("ontology") / "iei.ttl"))
    state = BuildState.load(store.kg_dir)
    extractor = config.fingerprint()
    if state.extractor not in (None, extractor):
        notify("warning", "the concept scheme, rules or models changed since the last build: extracting every document")
    state.extractor = extractor
    known = store.document_hashes()
    stored_doi = _stored_dois(store)
    report = BuildReport()
    seen: set[str] = set()
    paths = discover(corpus_dir)
    catalogue = Catalogue.load(corpus_dir, {p.stem for p in paths})  # metadata.csv, .bib, .ris, CSL-JSON
    for problem in catalogue.problems:
        notify("warning", problem)
    notify("start", str(len(paths)))

    def build_key(path: Path, doi: str | None) -> str:
        """Everything besides the file's bytes that decides what a document's graph holds."""
        return f"{extractor[:16]}:{metadata_fingerprint(path, catalogue, doi)}"

    def changed_paths():
        """The files that need reading and extracting: a file whose bytes and build key are as stored is not
        even read (a no-change rebuild of a large PDF corpus costs a hash per file)."""
        for path in paths:
            notify("reading", str(path))
            if path.stem in seen:
                report.skipped.append((str(path), f"duplicate document id '{path.stem}' (file stems must be unique)"))
                notify("skipped", f"{path}: duplicate document id '{path.stem}'")
                continue
            seen.add(path.stem)
            try:
                unchanged = (not force and known.get(path.stem) == file_hash(path)
                             and state.documents.get(path.stem) == build_key(path, stored_doi.get(path.stem)))
            except OSError:
                unchanged = False  # read_document says why
            if unchanged:
                report.unchanged.append(path.stem)
                notify("unchanged", path.stem)
                continue
            yield path

    # The models load only when a document needs extracting: a no-change rebuild stays fast.
    for result in process_all(changed_paths(), config, workers, catalogue):
        if result.statements is None:  # an unreadable file keeps what an earlier build made of it: no data lost
            report.skipped.append((str(result.path), result.error))
            notify("skipped", f"{result.path}: {result.error}")
            continue
        source = result.source
        store.replace_document(source.doc_id, result.ntriples)
        state.documents[source.doc_id] = build_key(result.path, source.doi)
        state.save_now_and_then(store.kg_dir)
        if len(report.built) % FLUSH_EVERY == FLUSH_EVERY - 1:
            store.flush()  # the store's write buffers otherwise grow to about 1 GB on a large corpus
        report.built.append(source.doc_id)
        report.statements += len(result.statements)
        notify("built", f"{source.doc_id}: {len(result.statements)} statements")
    for doc_id in sorted(set(known) - seen):
        store.remove_document(doc_id)
        state.documents.pop(doc_id, None)
        report.removed.append(doc_id)
        notify("removed", doc_id)
    # The summary is refreshed whenever its inputs differ from those of the last refresh, not only when this build
    # changed a document: a build cut short after writing or removing one (kill -9, Ctrl-C) left it stale.
    summary_input = _summary_input(store.document_hashes(), state)
    if report.built or report.removed or not store.has_summary() or state.summary_input != summary_input:
        store.refresh_summary()
    store.flush()
    state.summary_input = summary_input  # only now: a build stopped before this line leaves the older value
    state.save(store.kg_dir)
    return report


def _summary_input(hashes: dict[str, str], state: "BuildState") -> str:
    """A hash of what the corpus summary is computed from: each stored document (its id, the hash of its file and
    the key it was built with) and the extractor. Equal inputs give an equal summary."""
    documents = {doc_id: [content, state.documents.get(doc_id)] for doc_id, content in sorted(hashes.items())}
    data = json.dumps({"extractor": state.extractor, "documents": documents}, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class BuildState:
    """What the store does not say about how its documents were built: `<kg>/build-state.json`.

    Written after the store (now and then during a build, and at its end): a build cut short leaves an older
    state, whose mismatches only mean extracting a document again, never keeping a stale one. The same holds for
    the summary: `summary_input` is set only once the summary is refreshed, so a build cut short between its
    documents and its summary leaves a mismatch, and the next build refreshes the summary.
    """

    extractor: str | None = None  # ExtractorConfig.fingerprint() of the last build
    documents: dict[str, str] = field(default_factory=dict)  # doc id -> its build key when it was built
    summary_input: str | None = None  # _summary_input() when the corpus summary was last refreshed
    saved_at: float = field(default=0.0, repr=False)

    FILE = "build-state.json"
    SAVE_EVERY_S = 5.0

    @classmethod
    def load(cls, kg_dir: Path) -> "BuildState":
        try:
            data = json.loads((Path(kg_dir) / cls.FILE).read_text(encoding="utf-8"))
            return cls(data.get("extractor"), dict(data.get("documents", {})), data.get("summary_input"))
        except (OSError, ValueError, AttributeError):
            return cls()  # no state (an older graph): every document is extracted again once

    def save(self, kg_dir: Path) -> None:
        path = Path(kg_dir) / self.FILE
        temporary = path.with_suffix(".tmp")
        data = {"extractor": self.extractor, "summary_input": self.summary_input,
                "documents": dict(sorted(self.documents.items()))}
        temporary.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
        os.replace(temporary, path)
        self.saved_at = time.monotonic()

    def save_now_and_then(self, kg_dir: Path) -> None:
        if time.monotonic() - self.saved_at >= self.SAVE_EVERY_S:
            self.save(kg_dir)


def _stored_dois(store: Store) -> dict[str, str]:
    """doc id -> the DOI its document node holds: the catalogue may match a document by DOI."""
    rows = store.query(
        "SELECT ?id ?doi WHERE { GRAPH ?g { ?d a <https://w3id.org/iei-kg/ontology#Document> ;"
        f" <http://purl.org/dc/terms/identifier> ?id ; <{BIBO.doi}> ?doi }} }}"
    )
    return {row["id"].value: row["doi"].value for row in rows}
