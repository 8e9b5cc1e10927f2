"""Content negotiation for the SPARQL endpoint: the Accept header -> a result format (pure functions).

Kept free of imports beyond the standard library: the query worker (`worker.py`) loads this file by path.
"""

from __future__ import annotations

# media type -> pyoxigraph QueryResultsFormat attribute name, for SELECT and ASK results (first = default;
# wildcards such as text/* take the first match, so aliases come last)
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/javascript": "JSON",
    "application/javascript": "JSON",
}
# media type -> pyoxigraph RdfFormat attribute name, for CONSTRUCT and DESCRIBE results (first = default)
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/x-turtle": "TURTLE",
    "application/turtle": "TURTLE",
    "text/plain": "N_TRIPLES",
    "text/n3": "TURTLE",
    "text/rdf+n3": "TURTLE",
}
# the Content-Type sent for each format
RESULT_CONTENT_TYPES = {
    "JSON": "application/sparql-results+json; charset=utf-8",
    "XML": "application/sparql-results+xml; charset=utf-8",
    "CSV": "text/csv; charset=utf-8",
    "TSV": "text/tab-separated-values; charset=utf-8",
}
GRAPH_CONTENT_TYPES = {
    "TURTLE": "text/turtle; charset=utf-8",
    "N_TRIPLES": "application/n-triples; charset=utf-8",
    "JSON_LD": "application/ld+json",
    "RDF_XML": "application/rdf+xml; charset=utf-8",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media type, q)] from an Accept header, best first (ties keep the header's order)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    entries = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        entries.append((-q, index, media, q))
    return [(media, q) for _, _, media, q in sorted(entries)]


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The format name of the best offered media type for an Accept header, or None (-> 406)."""
    default = next(iter(offered.values()))
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            for offer, name in offered.items():
                if offer.startswith(prefix):
                    return name
            continue
        if media in offered:
            return offered[media]
    return None


def offered_types(offered: dict[str, str]) -> str:
    return ", ".join(offered)
