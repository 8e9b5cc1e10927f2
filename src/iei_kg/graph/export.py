"""The whole graph as an RDF file (`iei-kg export rdf`): N-Quads, TriG and JSON-LD keep the named graphs (one per
document, plus scheme and ontology); Turtle holds their union (each distinct triple once)."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from iei_kg.errors import ConfigError, OutputError
from iei_kg.graph.store import Store

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
           "jsonld": ox.RdfFormat.JSON_LD}
PREFIXES = {
    "iei": "https://w3id.org/iei-kg/ontology#",
    "concept": "https://w3id.org/iei-kg/concept/",
    "doc": "https://w3id.org/iei-kg/doc/",
    "graph": "https://w3id.org/iei-kg/graph/",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def export_rdf(kg_dir: str | Path, fmt: str = "nquads", output: str | Path | None = None) -> int:
    """Write the graph folder's store in `fmt` (turtle, nquads, trig, jsonld) to `output` (default: standard output).

    Returns the number of statements written: quads for the dataset formats, distinct triples for Turtle."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown RDF format '{fmt}' (choose from {', '.join(FORMATS)})")
    rdf_format = FORMATS[fmt]
    if output:
        OutputError.check(output)
    store = Store(kg_dir, read_only=True)
    try:
        quads = list(store.oxi.quads_for_pattern(None, None, None, None))
    finally:
        store.close()
    if rdf_format.supports_datasets:
        items = quads
    else:
        items = list(dict.fromkeys(q.triple for q in quads))
    prefixes = None if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD) else PREFIXES
    if output:
        ox.serialize(items, str(output), format=rdf_format, prefixes=prefixes)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(ox.serialize(items, format=rdf_format, prefixes=prefixes) or b"")
        sys.stdout.buffer.flush()
    return len(items)
