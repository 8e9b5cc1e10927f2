"""Literature maps: the evidence gap map (countermeasures x problems) and the concept network, as one
self-contained interactive HTML file, static PNG/SVG figures, and exports for VOSviewer, Gephi and spreadsheets.

    from iei_kg.maps import make_map
    make_map("gap", "kg", "gap.html")
    make_map("network", "kg", "network.json", fmt="vosviewer", stakeholder="S-enterprise")

Modules: `data` (plain functions over statement records), `html`, `static` (matplotlib), `exports`.
"""

from __future__ import annotations

from pathlib import Path

from iei_kg.maps.data import (COLOUR_BY, KINDS, RELATIONS, DocumentFilter, GapMap, MapError, cell_colour,
                              concept_network, filter_statements, gap_map, select_documents)

MAP_KINDS = ("gap", "network")
FORMATS = {
    "gap": ("html", "png", "svg", "csv"),
    "network": ("html", "png", "svg", "csv", "vosviewer", "vos", "gexf", "graphml"),
}
SUFFIXES = {"html": ".html", "png": ".png", "svg": ".svg", "csv": ".csv", "vosviewer": ".json", "vos": ".txt",
            "gexf": ".gexf", "graphml": ".graphml"}

__all__ = ["make_map", "load_inputs", "gap_map", "concept_network", "filter_statements", "select_documents",
           "DocumentFilter", "GapMap", "MapError", "FORMATS", "MAP_KINDS", "COLOUR_BY", "cell_colour"]

CONCEPTS_SPARQL = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE { ?concept a skos:Concept ; skos:prefLabel ?label FILTER(lang(?label) = "en") }
"""
DOCUMENTS_SPARQL = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id ?type ?date WHERE {
  ?doc dcterms:identifier ?id . OPTIONAL { ?doc dcterms:type ?type } OPTIONAL { ?doc dcterms:date ?date }
}
"""


def load_inputs(kg) -> tuple[list[dict], dict[str, str], dict[str, dict]]:
    """(statements, concept labels of the scheme, document metadata {doc: {"type", "year"}}) of an open graph."""
    from iei_kg.api import _local

    statements = list(kg.statements())
    labels = {_local(row["concept"].value): row["label"].value for row in kg.store.query(CONCEPTS_SPARQL)}
    metadata: dict[str, dict] = {}
    for row in kg.store.query(DOCUMENTS_SPARQL):
        kind = _local(row["type"].value).lower() if row["type"] is not None else None
        date = row["date"].value if row["date"] is not None else ""
        year = int(date[:4]) if date[:4].isdigit() else None
        metadata[row["id"].value] = {"type": kind, "year": year}
    return statements, labels, metadata


def default_output(kind: str, fmt: str) -> Path:
    return Path(f"map-{kind}{SUFFIXES[fmt]}")


def make_map(kind: str, kg_dir: str | Path = "kg", output: str | Path | None = None, fmt: str | None = None,
             stakeholder: str | None = None, documents: tuple[str, ...] = (), doc_type: str | None = None,
             year_from: int | None = None, year_to: int | None = None, candidates: bool = False,
             colour_by: str = "kind", all_concepts: bool = False, seed: int = 42,
             gap_colour_by: str | None = None) -> list[Path]:
    """Make one map of a graph folder and write it; returns the files written.

    kind: "gap" or "network". fmt: see FORMATS (default: from the output's suffix, else html). Multi-file formats
    write beside `output`: gap csv -> OUT and OUT-evidence.csv; network csv -> OUT-nodes.csv and OUT-edges.csv;
    vos -> OUT-map.txt and OUT-network.txt. colour_by: the network's node colours ("kind" or "community");
    gap_colour_by: the gap map's bubbles, "type" (paper / policy), "year" or "none" (default: "type" when the
    graph's documents have types, else "none").
    """
    from iei_kg.api import open_graph

    if kind not in MAP_KINDS:
        raise MapError(f"unknown map '{kind}': choose one of {', '.join(MAP_KINDS)}")
    if fmt is None:   # from the output's suffix; an unknown suffix gets HTML
        suffix = Path(output).suffix.lower() if output else ".html"
        fmt = next((f for f, s in SUFFIXES.items() if s == suffix), "html")
    if fmt not in FORMATS[kind]:
        raise MapError(f"the {kind} map comes as {', '.join(FORMATS[kind])}, not {fmt}")
    if gap_colour_by is not None and (kind != "gap" or gap_colour_by not in COLOUR_BY):
        raise MapError(f"--colour-by is for the gap map: {', '.join(COLOUR_BY)} (the network has --colour)")
    output = Path(output) if output else default_output(kind, fmt)
    with open_graph(kg_dir) as kg:
        statements, labels, metadata = load_inputs(kg)
    if stakeholder and stakeholder not in labels and not any(
            stakeholder in (s.get("actors") or []) + (s.get("involves") or []) for s in statements):
        raise MapError(f"unknown stakeholder '{stakeholder}' (see `iei-kg concepts`; stakeholders start with S-)")
    if not statements:
        raise MapError(f"the graph in {kg_dir} holds no statement: build it first (iei-kg build CORPUS --kg {kg_dir})")
    filters = DocumentFilter(documents=tuple(documents), doc_type=doc_type, year_from=year_from, year_to=year_to)
    selected = select_documents({s["doc"] for s in statements} | set(metadata), filters, metadata)
    if not selected:
        raise MapError("no document of the graph passes the document filter")
    output.parent.mkdir(parents=True, exist_ok=True)
    if kind == "gap":
        kept = filter_statements(statements, selected, candidates=candidates)
        scheme = [c for c in labels if c[:2] in ("C-", "P-")] if all_concepts else []
        gap = gap_map(kept, labels, stakeholder=stakeholder, scheme_concepts=scheme,
                      title=_title("Evidence gap map", stakeholder, labels, filters), metadata=metadata)
        if gap_colour_by is None:
            gap_colour_by = "type" if any(m.get("type") for m in gap.metadata.values()) else "none"
        return _write_gap(gap, output, fmt, gap_colour_by)
    kept = filter_statements(statements, selected, stakeholder=stakeholder, candidates=candidates)
    graph = concept_network(kept, labels, seed=seed, layout=fmt in ("html", "png", "svg", "gexf", "csv"))
    return _write_network(graph, output, fmt, colour_by, _title("Concept network", stakeholder, labels, filters))


def _title(base: str, stakeholder: str | None, labels: dict, filters: DocumentFilter) -> str:
    parts = []
    if stakeholder:
        parts.append(f"stakeholder: {labels.get(stakeholder, stakeholder)}")
    if filters.documents:
        parts.append("documents: " + ", ".join(filters.documents))
    if filters.doc_type:
        parts.append(f"type: {filters.doc_type}")
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"years: {filters.year_from or ''}-{filters.year_to or ''}")
    return base + (f" ({'; '.join(parts)})" if parts else "")


def _write_gap(gap: GapMap, output: Path, fmt: str, colour_by: str = "none") -> list[Path]:
    if fmt == "html":
        from iei_kg.maps.html import render_gap_html

        return render_gap_html(gap, output, colour_by=colour_by)
    if fmt in ("png", "svg"):
        from iei_kg.maps.static import render_gap

        return render_gap(gap, output, colour_by=colour_by)
    from iei_kg.maps.exports import write_gap_csv

    return write_gap_csv(gap, output)


def _write_network(graph, output: Path, fmt: str, colour_by: str, title: str) -> list[Path]:
    from iei_kg.maps import exports

    if fmt == "html":
        from iei_kg.maps.html import render_network_html

        return render_network_html(graph, output, colour_by=colour_by, title=title)
    if fmt in ("png", "svg"):
        from iei_kg.maps.static import render_network

        return render_network(graph, output, colour_by=colour_by)
    writers = {"csv": exports.write_network_csv, "gexf": exports.write_gexf, "graphml": exports.write_graphml}
    if fmt in writers:
        return writers[fmt](graph, output)
    if fmt == "vosviewer":
        return exports.write_vosviewer_json(graph, output)
    return exports.write_vosviewer_files(graph, output)
