"""The embedded on-disk store (Oxigraph): one named graph per document, replaced atomically."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph

from iei_kg.errors import StoreError
from iei_kg.graph.rdf import ONTOLOGY_GRAPH, SCHEME_GRAPH, graph_iri
from iei_kg.ontology.namespace import IEI, SUMMARY_GRAPH

STORE_DIR = "oxigraph"
MARKER = "iei-kg.json"
SUMMARY_VERSION = 3  # 1: concept pairs only; 2: + ranks, ranked documents, statement ids and labels; 3: no statements
# Does the store have a summary of the current layout?
SUMMARY_CURRENT = f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> <{IEI.summaryVersion}> {SUMMARY_VERSION} }} }}"
RANKED_DOCUMENTS = f"{SUMMARY_GRAPH}/documents/"  # + percent-encoded concept IRI + "/" + position
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUMMARY_DIFF_SHARE = 0.2  # a refresh that changes more of the summary than this rewrites it whole


class Store:
    """An Oxigraph store in `<kg_dir>/oxigraph`, with a marker file that says what built it."""

    def __init__(self, kg_dir: str | Path, create: bool = False, read_only: bool = False):
        self.kg_dir = Path(kg_dir)
        marker = self.kg_dir / MARKER
        if not create and not marker.exists():
            raise StoreError(f"{self.kg_dir} is not an iei-kg graph folder (run `iei-kg build` first)")
        self.kg_dir.mkdir(parents=True, exist_ok=True)
        path = str(self.kg_dir / STORE_DIR)
        try:
            self.oxi = ox.Store.read_only(path) if read_only else ox.Store(path)
        except OSError as exc:
            raise StoreError(f"cannot open the store in {self.kg_dir}: {exc} (is another iei-kg process using it?)") from exc
        if create and not marker.exists():
            marker.write_text(json.dumps({"format": 1}) + "\n")

    def replace_graph(self, name, graph: Graph | str) -> None:
        """Drop a named graph and write its new content (an rdflib Graph, or N-Triples as the build workers make
        them) in one transaction: readers see the old or the new, never half.

        A graph new to the store is loaded without parsing a SPARQL update: the main process of a build with many
        workers writes every document, so its cost per document bounds the build."""
        data = graph if isinstance(graph, str) else graph.serialize(format="nt")
        if self.oxi.contains_named_graph(ox.NamedNode(name)):
            self.oxi.update(f"DROP SILENT GRAPH <{name}> ; INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")
        else:
            self.oxi.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))

    def replace_document(self, doc_id: str, graph: Graph | str) -> None:
        self.replace_graph(graph_iri(doc_id), graph)

    def remove_document(self, doc_id: str) -> None:
        self.oxi.update(f"DROP SILENT GRAPH <{graph_iri(doc_id)}>")

    def set_scheme(self, scheme_graph: Graph, ontology_graph: Graph) -> None:
        self.replace_graph(SCHEME_GRAPH, scheme_graph)
        self.replace_graph(ONTOLOGY_GRAPH, ontology_graph)

    def refresh_summary(self) -> int:
        """Recompute the corpus summary graph from the document graphs, and return how many of its triples changed.
        The build calls it at its end whenever a document was added, changed or removed, and when the summary is
        missing or of an older layout (has_summary).

        It holds what the named queries would otherwise gather from every document graph per request:
        - concept pairs (iei:CooccurrencePair) with their number of documents and their position (iei:pairRank)
          by that number, for concept-cooccurrence;
        - per concept, its documents ranked by number of statements (iei:documentRank -> iei:RankedDocument with
          the document's identifier, title and count), for documents-for-concept;
        - per concept, one label (iei:conceptLabel; a candidate concept has one per document graph).
        Everything is recomputed from the per-document tallies and pairs, so a rebuilt or removed document leaves
        nothing stale behind; what is per statement stays in the document graphs (rdf.py).

        Only the difference to the stored summary is written, in one transaction: a build that changes a few
        documents of a large corpus changes a few thousand of its triples, and readers never see it half written.
        A summary that is missing or mostly different is dropped and loaded instead, which is faster at that size."""
        graph = ox.NamedNode(SUMMARY_GRAPH)
        new = set(summary_triples(self.oxi))
        old = set(self.oxi.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode("utf-8").splitlines())
        removed, added = old - new, new - old
        if len(removed) + len(added) > SUMMARY_DIFF_SHARE * len(new):
            # One SPARQL update of that many triples is several times slower than a drop and a load. Between the
            # two the store has no summary, and run_query refuses the queries that read it.
            self.oxi.update(f"DROP SILENT GRAPH <{SUMMARY_GRAPH}>")
            self.oxi.load("\n".join(new).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        elif removed or added:
            delete, insert = "\n".join(removed), "\n".join(added)
            self.oxi.update(f"DELETE DATA {{ GRAPH <{SUMMARY_GRAPH}> {{ {delete} }} }} ;\n"
                            f"INSERT DATA {{ GRAPH <{SUMMARY_GRAPH}> {{ {insert} }} }}")
        return len(removed) + len(added)

    def has_summary(self) -> bool:
        """Whether the store has a summary of the current layout (a build refreshes one that is missing or older)."""
        return bool(self.oxi.query(SUMMARY_CURRENT))

    def document_hashes(self) -> dict[str, str]:
        """doc id -> content hash of every document in the store (for incremental builds)."""
        rows = self.oxi.query(
            f"SELECT ?id ?hash WHERE {{ GRAPH ?g {{ ?d a <{IEI.Document}> ; <http://purl.org/dc/terms/identifier> ?id ;"
            f" <{IEI.contentHash}> ?hash }} }}"
        )
        return {row["id"].value: row["hash"].value for row in rows}

    def query(self, sparql: str, substitutions: dict | None = None):
        try:
            return self.oxi.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
        except SyntaxError as exc:
            from iei_kg.errors import QueryError

            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except RuntimeError as exc:  # e.g. a bound parameter the SELECT does not project
            from iei_kg.errors import QueryError

            raise QueryError(f"SPARQL query failed: {exc}") from exc

    def flush(self) -> None:
        self.oxi.flush()

    def close(self) -> None:
        """Release the store's lock now (Oxigraph holds it until its last reference goes)."""
        self.oxi = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def dataset(self) -> ox.Dataset:
        return ox.Dataset(self.oxi.quads_for_pattern(None, None, None, None))


def _rows(oxi: ox.Store, sparql: str):
    return oxi.query("PREFIX iei: <https://w3id.org/iei-kg/ontology#>\n"
                     "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + sparql)


def summary_triples(oxi: ox.Store) -> list[str]:
    """The summary graph's content as N-Triples lines (see Store.refresh_summary), computed from the document graphs.

    Terms are written as Oxigraph writes them (str() of an Oxigraph term, or <IRI>), so that the lines compare
    equal to a dump of the stored summary."""
    version, rank_p, label_p, id_p = (f"<{IEI.summaryVersion}>", f"<{IEI.pairRank}>", f"<{IEI.conceptLabel}>",
                                      f"<{IEI.documentId}>")
    lines = [f"<{SUMMARY_GRAPH}> {version} {_integer(SUMMARY_VERSION)} ."]
    # documents: graph -> (identifier, title)
    docs = {}
    for row in _rows(oxi, "SELECT ?g ?id ?title WHERE { GRAPH ?g { ?d a iei:Document ; dcterms:identifier ?id "
                          "OPTIONAL { ?d dcterms:title ?title } } }"):
        docs[row["g"].value] = (str(row["id"]), str(row["title"]) if row["title"] is not None else None,
                                row["id"].value)
    # labels: the scheme's English label, else a candidate concept's own (per document, and the least one overall)
    labels = {row["c"].value: str(row["l"]) for row in _rows(
        oxi, f"SELECT ?c ?l WHERE {{ GRAPH <{SCHEME_GRAPH}> {{ ?c skos:prefLabel ?l FILTER(lang(?l) = 'en') }} }}")}
    candidate_labels = {}
    for row in _rows(oxi, "SELECT ?c ?l WHERE { GRAPH ?g { ?c a iei:CandidateConcept ; skos:prefLabel ?l } }"):
        concept, label = row["c"].value, row["l"]
        if concept not in candidate_labels or label.value < candidate_labels[concept][0]:
            candidate_labels[concept] = (label.value, str(label))
    concept_labels = {**{c: nt for c, (_, nt) in candidate_labels.items()}, **labels}
    lines += [f"<{concept}> {label_p} {label} ." for concept, label in concept_labels.items()]
    # concept pairs, ranked by number of documents, then by their concepts
    pairs = [(int(row["n"].value), row["a"].value, row["b"].value) for row in _rows(
        oxi, "SELECT ?a ?b (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?a iei:cooccursWith ?b } } GROUP BY ?a ?b")]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    for rank, (n, a, b) in enumerate(pairs):
        # an IRI, not a blank node: a pushed copy of the graph stays identical
        pair = f"<{SUMMARY_GRAPH}/pair/{quote(a, safe='')}/{quote(b, safe='')}>"
        lines += [f"{pair} {RDF_TYPE} <{IEI.CooccurrencePair}> .", f"{pair} <{IEI.conceptA}> <{a}> .",
                  f"{pair} <{IEI.conceptB}> <{b}> .", f"{pair} <{IEI.documentCount}> {_integer(n)} .",
                  f"{pair} {rank_p} {_integer(rank)} ."]
    # per concept, its documents ranked by number of statements, then by identifier
    ranked: dict = {}
    for row in _rows(oxi, "SELECT ?g ?c ?n WHERE { GRAPH ?g { ?t iei:tallyConcept ?c ; iei:statementCount ?n } }"):
        if row["g"].value in docs:
            ranked.setdefault(row["c"].value, []).append((int(row["n"].value), docs[row["g"].value]))
    for concept, entries in ranked.items():
        entries.sort(key=lambda e: (-e[0], e[1][2]))
        prefix = RANKED_DOCUMENTS + quote(concept, safe="") + "/"
        for rank, (n, (doc_id, title, _)) in enumerate(entries):
            lines.append(f"<{concept}> <{IEI.documentRank}> {_integer(rank)} .")
            entry = f"<{prefix}{rank}>"
            lines += [f"{entry} {RDF_TYPE} <{IEI.RankedDocument}> .", f"{entry} {id_p} {doc_id} .",
                      f"{entry} <{IEI.statementCount}> {_integer(n)} ."]
            if title:
                lines.append(f"{entry} <{IEI.documentTitle}> {title} .")
    return lines


def _integer(n: int) -> str:
    return f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>'
