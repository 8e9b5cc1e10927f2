"""Data preparation for the literature maps: plain functions over statement records.

The records are those of `KnowledgeGraph.statements()` (the `iei-kg export mentions` format), so every function
here runs on a list of dicts, without a store, a model or a browser.
"""

from __future__ import annotations

import fnmatch
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from iei_kg.errors import MapError

KINDS = ("problem", "countermeasure", "stakeholder")
RELATIONS = ("addresses", "causes", "involves", "actor")
MAX_EVIDENCE_PER_NODE = 20
EVIDENCE_KEYS = ("doc", "quote", "start", "end", "page", "section")
COLOUR_BY = ("type", "year", "none")   # what a gap map's bubbles are coloured by
DOC_TYPES = ("paper", "policy")
TYPE_COLOURS = {"paper": "#2e86ab", "policy": "#e07a2f", "unknown": "#b5b5b5"}
UNKNOWN_COLOUR = TYPE_COLOURS["unknown"]
NO_COLOUR = "#2e86ab"                   # colour_by "none": every bubble alike
YEAR_STOPS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")   # viridis, earliest -> latest


@dataclass
class DocumentFilter:
    """Which documents a map draws on.

    `documents` are glob patterns over document ids (e.g. ``"*-2025"``); `doc_type` and `year_from`/`year_to`
    read the documents' `dcterms:type` / `dcterms:date` (from the document itself or the corpus's metadata.csv,
    BibTeX, RIS, CSL-JSON) and stop with a message when no document has them, rather than guessing.
    """

    documents: tuple[str, ...] = ()
    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    @property
    def needs_metadata(self) -> bool:
        return self.doc_type is not None or self.year_from is not None or self.year_to is not None


def is_candidate(concept: str | None) -> bool:
    return bool(concept) and "-candidate-" in concept


def kind_of(concept: str) -> str | None:
    return {"P": "problem", "C": "countermeasure", "S": "stakeholder"}.get(concept.split("-", 1)[0])


def select_documents(doc_ids: Iterable[str], filters: DocumentFilter,
                     metadata: dict[str, dict] | None = None) -> set[str]:
    """The document ids that pass the filter. `metadata`: {doc: {"type": str|None, "year": int|None}}."""
    selected = set(doc_ids)
    if filters.documents:
        selected = {d for d in selected if any(fnmatch.fnmatchcase(d, p) for p in filters.documents)}
    if filters.needs_metadata:
        metadata = metadata or {}
        if filters.doc_type is not None:
            if not any(m.get("type") for m in metadata.values()):
                raise MapError("the documents in this graph have no type (paper/policy): give it in the corpus's "
                               "metadata.csv (or .bib/.ris) and rebuild, or filter by document id with --doc PATTERN")
            selected = {d for d in selected if (metadata.get(d) or {}).get("type") == filters.doc_type}
        if filters.year_from is not None or filters.year_to is not None:
            if not any(m.get("year") for m in metadata.values()):
                raise MapError("the documents in this graph have no year: give it in the corpus's metadata.csv "
                               "(or .bib/.ris) and rebuild, or filter by document id with --doc PATTERN (e.g. '*2025*')")
            low = filters.year_from if filters.year_from is not None else -10**9
            high = filters.year_to if filters.year_to is not None else 10**9
            selected = {d for d in selected
                        if (metadata.get(d) or {}).get("year") is not None and low <= metadata[d]["year"] <= high}
    return selected


def filter_statements(statements: Iterable[dict], documents: set[str] | None = None,
                      stakeholder: str | None = None, roles: tuple[str, ...] = ("actors", "involves"),
                      candidates: bool = False) -> list[dict]:
    """Statements of the given documents; with `stakeholder`, only those naming it in one of `roles` (or about it).

    Without `candidates`, statements about candidate concepts (`*-candidate-*`, proposed by the extractor for
    passages no concept of the scheme fits) are left out, and so are links to them.
    """
    kept = []
    for s in statements:
        if documents is not None and s["doc"] not in documents:
            continue
        if stakeholder and not (s["concept"] == stakeholder or any(stakeholder in (s.get(r) or []) for r in roles)):
            continue
        if not candidates:
            if is_candidate(s["concept"]) or is_candidate(s.get("effect")):
                continue
            s = dict(s, **{k: [c for c in (s.get(k) or []) if not is_candidate(c)]
                           for k in ("addresses", "actors", "involves")})
        kept.append(s)
    return kept


def evidence(s: dict, **extra) -> dict:
    return {**{k: s.get(k) for k in EVIDENCE_KEYS}, **extra}


# ---------------------------------------------------------------- evidence gap map

@dataclass
class GapMap:
    """Countermeasures (rows) x problems (columns); a cell holds the evidence that the row addresses the column."""

    rows: list[dict]                      # {"id", "label", "documents"}: documents with any link in the row
    columns: list[dict]
    cells: dict[tuple[str, str], dict]    # (countermeasure, problem) -> {"documents": [...], "evidence": [...]}
    documents: list[str]                  # the documents the map draws on
    stakeholders: dict[str, str] = field(default_factory=dict)   # actor id -> label, for the page's filter
    title: str = "Evidence gap map"
    metadata: dict[str, dict] = field(default_factory=dict)      # doc -> {"type", "year"}, for the colours

    def years(self) -> tuple[int, int] | None:
        """(earliest, latest) year of the map's documents; None when none has a year."""
        return year_range(self.documents, self.metadata)

    def cell_colours(self, colour_by: str = "type") -> dict[tuple[str, str], dict]:
        """(row, column) -> `cell_colour` of every cell with evidence."""
        years = self.years()
        return {key: cell_colour(cell["documents"], self.metadata, colour_by, years)
                for key, cell in self.cells.items()}

    def count(self, row: str, column: str) -> int:
        cell = self.cells.get((row, column))
        return len(cell["documents"]) if cell else 0

    def matrix(self) -> list[list[int]]:
        return [[self.count(r["id"], c["id"]) for c in self.columns] for r in self.rows]

    def gaps(self) -> list[tuple[str, str]]:
        return [(r["id"], c["id"]) for r in self.rows for c in self.columns if not self.count(r["id"], c["id"])]

    def evidence_rows(self) -> list[dict]:
        """One row per evidence quote: the long table."""
        labels = {x["id"]: x["label"] for x in self.rows + self.columns}
        out = []
        for r in self.rows:
            for c in self.columns:
                for e in (self.cells.get((r["id"], c["id"])) or {}).get("evidence", []):
                    out.append({"countermeasure": r["id"], "countermeasure_label": labels[r["id"]],
                                "problem": c["id"], "problem_label": labels[c["id"]], "doc": e["doc"],
                                "quote": e["quote"], "start": e["start"], "end": e["end"], "page": e["page"],
                                "section": e["section"], "actors": " ".join(e.get("actors") or [])})
        return out


def gap_map(statements: Iterable[dict], labels: dict[str, str] | None = None, stakeholder: str | None = None,
            scheme_concepts: Iterable[str] = (), title: str = "Evidence gap map",
            metadata: dict[str, dict] | None = None) -> GapMap:
    """The evidence gap map of (already filtered) statements.

    Rows are the countermeasures and columns the problems that the statements mention (plus `scheme_concepts`,
    to show concepts no document mentions); a cell counts the documents with a countermeasure statement of the
    row that `addresses` the column. With `stakeholder`, only countermeasure statements naming it as actor count.
    `metadata` ({doc: {"type", "year"}}, as `load_inputs` returns it) is kept for the map's documents: it colours
    the bubbles (`GapMap.cell_colours`).
    """
    labels = dict(labels or {})
    statements = list(statements)
    rows: dict[str, set] = {}
    columns: dict[str, set] = {}
    cells: dict[tuple[str, str], dict] = {}
    actors: set[str] = set()
    for s in statements:
        labels.setdefault(s["concept"], s.get("label") or s["concept"])
        if s["type"] == "problem":
            columns.setdefault(s["concept"], set())
        elif s["type"] == "cause":
            columns.setdefault(s["concept"], set())
            if s.get("effect"):
                columns.setdefault(s["effect"], set())
        elif s["type"] == "countermeasure":
            actors.update(s.get("actors") or [])
            if stakeholder and stakeholder not in (s.get("actors") or []):
                continue
            rows.setdefault(s["concept"], set())
            for problem in s.get("addresses") or []:
                columns.setdefault(problem, set())
                cell = cells.setdefault((s["concept"], problem), {"documents": set(), "evidence": [], "seen": set()})
                cell["documents"].add(s["doc"])
                key = (s["doc"], s["start"], s["end"])
                if key not in cell["seen"]:
                    cell["seen"].add(key)
                    cell["evidence"].append(evidence(s, actors=list(s.get("actors") or [])))
                rows[s["concept"]].add(s["doc"])
                columns[problem].add(s["doc"])
    for concept in scheme_concepts:
        {"countermeasure": rows, "problem": columns}.get(kind_of(concept), {}).setdefault(concept, set())
    for cell in cells.values():
        cell["documents"] = sorted(cell["documents"])
        cell["evidence"].sort(key=lambda e: (e["doc"], e["start"]))
        del cell["seen"]

    def axis(items: dict[str, set]) -> list[dict]:
        ordered = sorted(items, key=lambda c: (-len(items[c]), labels.get(c, c).lower(), c))
        return [{"id": c, "label": labels.get(c, c), "documents": len(items[c])} for c in ordered]

    documents = sorted({s["doc"] for s in statements})
    metadata = metadata or {}
    return GapMap(rows=axis(rows), columns=axis(columns), cells=cells, documents=documents,
                  stakeholders={a: labels.get(a, a) for a in sorted(actors)}, title=title,
                  metadata={d: dict(metadata[d]) for d in documents if d in metadata})


def doc_type(doc: str, metadata: dict[str, dict]) -> str:
    """"paper", "policy" or "unknown" (no metadata, or a type that is neither)."""
    kind = (metadata.get(doc) or {}).get("type")
    return kind if kind in DOC_TYPES else "unknown"


def doc_year(doc: str, metadata: dict[str, dict]) -> int | None:
    year = (metadata.get(doc) or {}).get("year")
    return year if isinstance(year, int) else None


def year_range(documents: Iterable[str], metadata: dict[str, dict]) -> tuple[int, int] | None:
    years = [y for y in (doc_year(d, metadata) for d in documents) if y is not None]
    return (min(years), max(years)) if years else None


def year_colour(year: float | None, years: tuple[int, int] | None) -> str:
    """The colour of `year` on the sequential scale YEAR_STOPS over `years` (earliest, latest); grey for None."""
    if year is None or years is None:
        return UNKNOWN_COLOUR
    low, high = years
    t = 0.5 if high == low else min(max((year - low) / (high - low), 0.0), 1.0)
    position = t * (len(YEAR_STOPS) - 1)
    i = min(int(position), len(YEAR_STOPS) - 2)
    f = position - i
    a, b = YEAR_STOPS[i], YEAR_STOPS[i + 1]
    channels = [round(int(a[k:k + 2], 16) * (1 - f) + int(b[k:k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def cell_colour(documents: Iterable[str], metadata: dict[str, dict], colour_by: str = "type",
                years: tuple[int, int] | None = None) -> dict:
    """How a cell's bubble is coloured, from the documents that argue the link.

    type: {"counts": {"paper", "policy", "unknown"}, "colour": the colour of the most frequent (ties: paper, then
    policy)}; the renderers draw a pie of the counts. year: {"year": mean year of the documents with one (None
    when none has), "known", "unknown": documents with and without a year, "colour" on the scale over `years`}.
    none: {"colour"}. Documents without the metadata count as unknown, grey.
    """
    documents = list(documents)
    if colour_by not in COLOUR_BY:
        raise MapError(f"unknown colouring '{colour_by}': choose one of {', '.join(COLOUR_BY)}")
    if colour_by == "type":
        counts = {k: 0 for k in TYPE_COLOURS}
        for d in documents:
            counts[doc_type(d, metadata)] += 1
        top = max(counts, key=lambda k: counts[k]) if documents else "unknown"
        return {"counts": counts, "colour": TYPE_COLOURS[top]}
    if colour_by == "year":
        known = [y for y in (doc_year(d, metadata) for d in documents) if y is not None]
        mean = round(sum(known) / len(known), 1) if known else None
        years = years if years is not None else year_range(documents, metadata)
        return {"year": mean, "known": len(known), "unknown": len(documents) - len(known),
                "colour": year_colour(mean, years)}
    return {"colour": NO_COLOUR}


# ---------------------------------------------------------------- concept network

def concept_network(statements: Iterable[dict], labels: dict[str, str] | None = None,
                    kinds: Iterable[str] = KINDS, relations: Iterable[str] = RELATIONS, seed: int = 42,
                    layout: bool = True) -> nx.MultiDiGraph:
    """Problems, countermeasures and stakeholders, with addresses / causes / involves / actor edges.

    Nodes: `kind`, `label`, `documents` (number of documents that mention the concept: as a statement's concept,
    or as what it addresses, causes, involves or names as actor), `docs` (their ids, space-separated), `evidence`
    (JSON list of the concept's own quotes, at most 20), `community` (Louvain on the undirected weighted graph,
    seeded, numbered from 1 by size) and `x`, `y` (seeded spring layout, in 0..1000).
    Edges (key = relation): `relation`, `weight` (number of documents), `documents`, `evidence` (JSON).
    """
    from iei_kg.graph.network import to_networkx

    labels = labels or {}
    kinds, relations = set(kinds), set(relations)
    statements = list(statements)
    full = to_networkx(statements)
    node_docs: dict[str, set] = defaultdict(set)
    node_evidence: dict[str, list] = defaultdict(list)
    for s in statements:
        for concept in [s["concept"], s.get("effect"), *(s.get("addresses") or []), *(s.get("actors") or []),
                        *(s.get("involves") or [])]:
            if concept:
                node_docs[concept].add(s["doc"])
        if s["type"] != "cause" and len(node_evidence[s["concept"]]) < MAX_EVIDENCE_PER_NODE:
            node_evidence[s["concept"]].append(evidence(s))
    graph = nx.MultiDiGraph()
    for node, data in full.nodes(data=True):
        if data["kind"] not in kinds:
            continue
        label = labels.get(node) or (data["label"] if data["label"] != node else node)
        graph.add_node(node, kind=data["kind"], label=label, documents=len(node_docs[node]),
                       docs=" ".join(sorted(node_docs[node])),
                       evidence=json.dumps(node_evidence[node], ensure_ascii=False))
    for u, v, key, data in full.edges(keys=True, data=True):
        if key in relations and u in graph and v in graph:
            graph.add_edge(u, v, key=key, **data)
    add_communities(graph, seed)
    if layout:
        add_layout(graph, seed)
    return graph


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One weighted edge per pair of nodes (weights of all relations summed)."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        w = simple[u][v]["weight"] if simple.has_edge(u, v) else 0
        simple.add_edge(u, v, weight=w + data.get("weight", 1))
    return simple


def add_communities(graph: nx.MultiDiGraph, seed: int = 42) -> None:
    simple = undirected(graph)
    if simple.number_of_nodes() == 0:
        return
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    for number, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c))), 1):
        for node in members:
            graph.nodes[node]["community"] = min(number, 1000)   # VOSviewer clusters are 1..1000


def add_layout(graph: nx.MultiDiGraph, seed: int = 42) -> None:
    simple = undirected(graph)
    n = simple.number_of_nodes()
    if n == 0:
        return
    # unweighted, with a long ideal distance: weighted springs pull the hubs (enterprise, government ...) into
    # one knot; the weights show in node and edge sizes instead
    k = 3.0 / max(n, 1) ** 0.5
    if n < 500:
        pos = nx.spring_layout(simple, seed=seed, weight=None, k=k, iterations=200)
    else:   # networkx's sparse variant takes ~16 s for 1,000 nodes; this vectorised one ~2 s
        pos = dict(zip(simple.nodes, force_layout(nx.to_numpy_array(simple, weight=None), k, seed)))
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    for node, (x, y) in pos.items():
        graph.nodes[node]["x"] = round((x - min(xs)) / span * 1000, 2)
        graph.nodes[node]["y"] = round((y - min(ys)) / span * 1000, 2)


def force_layout(adjacency, k: float, seed: int = 42, iterations: int = 80, gravity: float = 1.0):
    """Fruchterman-Reingold on a dense adjacency matrix (numpy, float32): positions in [0, 1]^2."""
    import numpy as np

    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    a = adjacency.astype(np.float32)
    t = 0.1
    for _ in range(iterations):
        sq = (pos ** 2).sum(1)
        dist2 = sq[:, None] + sq[None, :] - 2 * pos @ pos.T           # squared distances, n x n
        np.maximum(dist2, 1e-4, out=dist2)
        force = k * k / dist2 - a * np.sqrt(dist2) / k                # (repulsion - attraction) / distance
        disp = force.sum(1)[:, None] * pos - force @ pos              # sum_j force_ij * (pos_i - pos_j)
        disp -= gravity * n * k * k * (pos - pos.mean(0))             # keeps unlinked nodes near the rest
        length = np.maximum(np.sqrt((disp ** 2).sum(-1)), 0.01)
        pos += disp * (t / length)[:, None]
        t -= 0.1 / (iterations + 1)
    return pos.astype(float)
