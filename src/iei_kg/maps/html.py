"""Interactive HTML maps: ONE self-contained file each, no network access (no CDN, no fonts, no images).

The data goes in as JSON inside `<script type="application/json">` with `<`, `>` and `&` escaped, and the page's
plain JavaScript (assets/*.js, written for this project) inserts every text with `textContent`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx

from iei_kg.maps.data import (COLOUR_BY, NO_COLOUR, RELATIONS, TYPE_COLOURS, UNKNOWN_COLOUR, YEAR_STOPS, GapMap, MapError,
                              doc_type, doc_year)
from iei_kg.maps.exports import KIND_COLOURS
from iei_kg.maps.static import COMMUNITY_COLOURS

ASSETS = Path(__file__).parent / "assets"


def embed_json(data) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def page(title: str, controls: str, body: str, data, scripts: list[str]) -> str:
    js = "\n".join(_asset(s) for s in ["common.js", *scripts]).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="iei-kg map">
<link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>
{_asset("maps.css")}
</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
{controls}
</header>
<main>
{body}
<aside id="panel"><p class="hint">Click a cell or a node to see its evidence: the quotes and the documents they come from.</p></aside>
</main>
<script type="application/json" id="map-data">{embed_json(data)}</script>
<script>
{js}
</script>
</body>
</html>
"""


def gap_data(gap: GapMap, colour_by: str = "none") -> dict:
    rows = {r["id"]: i for i, r in enumerate(gap.rows)}
    cols = {c["id"]: j for j, c in enumerate(gap.columns)}
    evidence = []
    for (row, col), cell in gap.cells.items():
        if row in rows and col in cols:
            for e in cell["evidence"]:
                evidence.append([rows[row], cols[col], e["doc"], e["quote"], e["start"], e["end"], e["page"],
                                 e["section"], e.get("actors") or []])
    years = gap.years()
    return {"title": gap.title, "rows": gap.rows, "columns": gap.columns, "evidence": evidence,
            "documents": gap.documents, "stakeholders": [[k, v] for k, v in gap.stakeholders.items()],
            "colour": {"by": colour_by, "types": TYPE_COLOURS, "unknown": UNKNOWN_COLOUR, "none": NO_COLOUR,
                       "stops": list(YEAR_STOPS), "years": list(years) if years else None},
            "meta": {d: [doc_type(d, gap.metadata), doc_year(d, gap.metadata)] for d in gap.documents}}


def colour_legend(gap: GapMap, colour_by: str) -> str:
    """The key of the bubble colours (static HTML: only our own words and colours, no document text)."""
    def swatch(colour: str, name: str) -> str:
        return f'<span class="swatch" style="background:{colour}"></span>{name}'

    unknown = swatch(UNKNOWN_COLOUR, "unknown")
    if colour_by == "type":
        keys = " ".join(swatch(TYPE_COLOURS[k], k) for k in ("paper", "policy"))
        return f'<span class="legend" id="colour-legend">colour: share of {keys} {unknown}</span>'
    if colour_by == "year":
        years = gap.years()
        ramp = f'<span class="ramp" style="background:linear-gradient(to right,{",".join(YEAR_STOPS)})"></span>'
        span = f"{years[0]} {ramp} {years[1]}" if years else f"(no years) {ramp}"
        return f'<span class="legend" id="colour-legend">colour: mean year {span} {unknown}</span>'
    return ""


def render_gap_html(gap: GapMap, path: str | Path, colour_by: str = "none") -> list[Path]:
    """colour_by: "type" (a pie of paper / policy / unknown documents per bubble), "year" (mean year) or "none"."""
    if colour_by not in COLOUR_BY:
        raise MapError(f"unknown colouring '{colour_by}': choose one of {', '.join(COLOUR_BY)}")
    bubble = f"background:{NO_COLOUR if colour_by == 'none' else UNKNOWN_COLOUR}"
    controls = f"""<label>Stakeholder (actor) <select id="stakeholder"><option value="">all</option></select></label>
<label>Document <select id="document"><option value="">all</option></select></label>
<span class="legend"><span class="bubble" style="width:10px;height:10px;{bubble}"></span><span class="bubble"
 style="width:22px;height:22px;{bubble}"></span> documents arguing the link
 &nbsp;<span class="gapkey"></span> gap</span>
{colour_legend(gap, colour_by)}
<span class="note" id="summary"></span>"""
    text = page(gap.title, controls, '<div id="view"></div>', gap_data(gap, colour_by), ["gap.js"])
    Path(path).write_text(text, encoding="utf-8")
    return [Path(path)]


def network_data(graph: nx.MultiDiGraph) -> dict:
    index = {node: i for i, node in enumerate(graph.nodes)}
    nodes = [[node, d["label"], d["kind"], d["documents"], d.get("community", 1), d.get("x", 0.0), d.get("y", 0.0),
              d["docs"], json.loads(d["evidence"])] for node, d in graph.nodes(data=True)]
    edges = [[index[u], index[v], d["relation"], d["weight"], d["documents"], json.loads(d["evidence"])]
             for u, v, d in graph.edges(data=True)]
    return {"nodes": nodes, "edges": edges, "kind_colours": KIND_COLOURS, "community_colours": COMMUNITY_COLOURS}


def render_network_html(graph: nx.MultiDiGraph, path: str | Path, colour_by: str = "kind",
                        title: str = "Concept network") -> list[Path]:
    kinds = sorted({d["kind"] for _, d in graph.nodes(data=True)}, key=list(KIND_COLOURS).index)
    relations = [r for r in RELATIONS if any(d["relation"] == r for _, _, d in graph.edges(data=True))]
    kind_boxes = " ".join(f'<label><input type="checkbox" data-kind="{k}" checked> {k}</label>' for k in kinds)
    rel_boxes = " ".join(f'<label><input type="checkbox" data-relation="{r}" checked> {r}</label>' for r in relations)
    selected = {"kind": "", "community": ""}
    selected[colour_by if colour_by in selected else "kind"] = " selected"
    controls = f"""<label>Search <input type="search" id="search" placeholder="concept or id" size="18"></label>
<span class="note" id="found"></span>
<span>{kind_boxes}</span>
<span>{rel_boxes}</span>
<label>Colour <select id="colour"><option value="kind"{selected['kind']}>by kind</option>
<option value="community"{selected['community']}>by community (Louvain)</option></select></label>
<label><input type="checkbox" id="all-labels"> all labels</label>
<span class="note" id="legend"></span>
<span class="note" id="shown"></span>"""
    body = """<div id="view"><svg id="net" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="concept network"></svg>
<div class="zoombox"><button id="zoom-in" title="zoom in">+</button><button id="zoom-out" title="zoom out">&minus;</button>
<button id="reset" title="fit the whole network">&#x2922;</button></div></div>"""
    text = page(title, controls, body, network_data(graph), ["network.js"])
    Path(path).write_text(text, encoding="utf-8")
    return [Path(path)]
