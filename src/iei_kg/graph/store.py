"""The embedded on-disk store (Oxigraph): one named graph per document, replaced atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from iei_kg.errors import StoreError
from iei_kg.graph.rdf import ONTOLOGY_GRAPH, SCHEME_GRAPH, graph_iri
from iei_kg.ontology.namespace import IEI, SUMMARY_GRAPH

STORE_DIR = "oxigraph"
MARKER = "iei-kg.json"


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

    def replace_graph(self, name, graph: Graph) -> None:
        """Drop a named graph and write its new content in one update: readers see the old or the new, never half."""
        data = graph.serialize(format="nt")
        self.oxi.update(f"DROP SILENT GRAPH <{name}> ; INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")

    def replace_document(self, doc_id: str, graph: Graph | str) -> None:
        """Write a document's graph (an rdflib Graph, or its N-Triples as the build workers make them).

        A document new to the store is loaded in one transaction, without parsing a SPARQL update: the main
        process of a build with many workers writes every document, so its cost per document bounds the build."""
        name = graph_iri(doc_id)
        data = graph if isinstance(graph, str) else graph.serialize(format="nt")
        if self.oxi.contains_named_graph(ox.NamedNode(name)):
            self.oxi.update(f"DROP SILENT GRAPH <{name}> ; INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")
        else:
            self.oxi.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))

    def remove_document(self, doc_id: str) -> None:
        self.oxi.update(f"DROP SILENT GRAPH <{graph_iri(doc_id)}>")

    def set_scheme(self, scheme_graph: Graph, ontology_graph: Graph) -> None:
        self.replace_graph(SCHEME_GRAPH, scheme_graph)
        self.replace_graph(ONTOLOGY_GRAPH, ontology_graph)

    def refresh_summary(self) -> None:
        """Recompute the corpus summary graph (concept pairs and their number of documents) in one update.

        The build calls it at its end: concept-cooccurrence then reads at most one node per concept pair
        instead of counting pairs over every document graph."""
        self.oxi.update(f"""
            DROP SILENT GRAPH <{SUMMARY_GRAPH}> ;
            INSERT {{ GRAPH <{SUMMARY_GRAPH}> {{
                ?pair a <{IEI.CooccurrencePair}> ; <{IEI.conceptA}> ?a ; <{IEI.conceptB}> ?b ;
                      <{IEI.documentCount}> ?documents }} }}
            WHERE {{ {{ SELECT ?a ?b (COUNT(DISTINCT ?g) AS ?documents)
                        WHERE {{ GRAPH ?g {{ ?a <{IEI.cooccursWith}> ?b }} }} GROUP BY ?a ?b }}
                     # an IRI, not a blank node: a pushed copy of the graph stays identical
                     BIND(IRI(CONCAT("{SUMMARY_GRAPH}/pair/", ENCODE_FOR_URI(STR(?a)), "/",
                                     ENCODE_FOR_URI(STR(?b)))) AS ?pair) }}""")

    def has_summary(self) -> bool:
        return bool(self.oxi.query(f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}"))

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
