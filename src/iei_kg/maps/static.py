"""Static figures (PNG, SVG) of the maps with matplotlib (the optional extra `iei-kg[maps]`), Agg backend."""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx

from iei_kg.errors import MissingDependencyError
from iei_kg.maps.data import NO_COLOUR, TYPE_COLOURS, UNKNOWN_COLOUR, YEAR_STOPS, GapMap
from iei_kg.maps.exports import KIND_COLOURS, KIND_LABELS

EDGE_COLOURS = {"addresses": "#5b8fb0", "causes": "#c0392b", "involves": "#a8a8a8", "actor": "#d9a441"}
COMMUNITY_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                     "#9c755f", "#bab0ac"]


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingDependencyError("matplotlib", "PNG and SVG maps", "maps") from exc
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _pie_markers(ax, x: float, y: float, size: float, counts: dict) -> None:
    """A pie of `counts` ({type: n}) at (x, y): one scatter per wedge, with a wedge-shaped marker, so the pie stays
    round whatever the axes' aspect (the marker is scaled so that the whole pie has area `size`)."""
    import numpy as np

    total = sum(counts.values())
    start = 0.0
    for kind, n in counts.items():
        if not n:
            continue
        end = start + n / total
        if end - start >= 0.999:
            ax.scatter([x], [y], s=size, color=TYPE_COLOURS[kind], edgecolors="white", linewidths=0.6, zorder=2)
            return
        angles = np.linspace(2 * np.pi * start, 2 * np.pi * end, max(3, int(60 * (end - start)) + 2))
        verts = np.column_stack([np.concatenate([[0], np.sin(angles), [0]]),
                                 np.concatenate([[0], np.cos(angles), [0]])])   # clockwise from the top
        ax.scatter([x], [y], marker=verts, s=size * np.abs(verts).max() ** 2, color=TYPE_COLOURS[kind],
                   edgecolors="white", linewidths=0.6, zorder=2)
        start = end


def render_gap(gap: GapMap, path: str | Path, dpi: int = 110, colour_by: str = "none") -> list[Path]:
    """Bubble matrix: countermeasures (rows) x problems (columns), bubble area = number of documents; empty
    cells (the gaps) are marked with a small grey dot. colour_by "type": each bubble a pie of its paper / policy
    / unknown documents; "year": the documents' mean year on a sequential scale (colour bar); "none": one colour.
    Documents without the metadata are grey."""
    plt = _pyplot()
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.lines import Line2D

    rows, columns = gap.rows, gap.columns
    width = max(6.0, 3.6 + 0.32 * len(columns)) + (1.0 if colour_by != "none" else 0.0)
    height = max(4.0, 3.2 + 0.3 * len(rows))
    fig, ax = plt.subplots(figsize=(width, height))
    counts = gap.matrix()
    colours = gap.cell_colours(colour_by) if colour_by != "none" else {}
    top = max([c for row in counts for c in row] + [1])
    xs, ys, sizes, fills, gx, gy = [], [], [], [], [], []
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            if count:
                xs.append(j), ys.append(i), sizes.append(40 + 360 * count / top)
                key = (rows[i]["id"], columns[j]["id"])
                fills.append(colours[key] if colours else {"colour": NO_COLOUR})
            else:
                gx.append(j), gy.append(i)
    ax.scatter(gx, gy, s=4, color="#cccccc", zorder=1)
    if colour_by == "type":
        for x, y, size, fill in zip(xs, ys, sizes, fills):
            _pie_markers(ax, x, y, size, fill["counts"])
    else:
        ax.scatter(xs, ys, s=sizes, c=[f["colour"] for f in fills] or None, alpha=0.85, edgecolors="white",
                   zorder=2)
    for x, y, count in zip(xs, ys, [c for row in counts for c in row if c]):
        ax.annotate(str(count), (x, y), ha="center", va="center", fontsize=7, color="white", zorder=3,
                    path_effects=_outline())
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([_short(c["label"], 38) for c in columns], rotation=55, ha="right", fontsize=7)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(r["label"], 44) for r in rows], fontsize=7)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="#eeeeee", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("problems", fontsize=9)
    ax.set_ylabel("countermeasures", fontsize=9)
    ax.set_title(f"{gap.title}: documents arguing that a countermeasure addresses a problem "
                 f"({len(gap.documents)} documents; grey dot = gap)", fontsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    shown = sorted({1, max(1, top // 2), top})
    key_colour = NO_COLOUR if colour_by == "none" else UNKNOWN_COLOUR
    handles = [ax.scatter([], [], s=40 + 360 * n / top, color=key_colour, alpha=0.85) for n in shown]
    names = [f"{n} doc(s)" for n in shown]
    if colour_by == "type":
        handles += [Line2D([], [], marker="o", linestyle="", color=TYPE_COLOURS[k], markersize=8) for k in TYPE_COLOURS]
        names += list(TYPE_COLOURS)
    elif colour_by == "year":
        handles.append(Line2D([], [], marker="o", linestyle="", color=UNKNOWN_COLOUR, markersize=8))
        names.append("no year")
    title = {"type": "documents; colour: type", "year": "documents"}.get(colour_by, "documents")
    ax.legend(handles, names, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              title_fontsize=8, frameon=False, labelspacing=1.4, borderpad=1.0)
    if colour_by == "year":
        years = gap.years()
        low, high = years if years else (0, 1)
        norm = Normalize(low, high) if high > low else Normalize(low - 0.5, low + 0.5)   # one year: mid-scale
        scale = plt.cm.ScalarMappable(norm=norm,
                                      cmap=LinearSegmentedColormap.from_list("years", list(YEAR_STOPS)))
        bar = fig.colorbar(scale, ax=ax, location="right", fraction=0.04, pad=0.28, shrink=0.5, anchor=(0.0, 0.0))
        bar.set_label("mean year" if years else "mean year (no document has one)", fontsize=8)
        bar.ax.tick_params(labelsize=7)
        if years and high == low:
            bar.set_ticks([low])
        elif years:
            bar.ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return [Path(path)]


def _outline():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=1.5, foreground="#00000099")]


def render_network(graph: nx.MultiDiGraph, path: str | Path, colour_by: str = "kind", labels: int = 40,
                   dpi: int = 110) -> list[Path]:
    """Nodes at their layout, sized by documents, coloured by kind or community; labels for the `labels` largest
    nodes; edge width by weight."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(11, 8.5))
    pos = {n: (d.get("x", 0.0), -d.get("y", 0.0)) for n, d in graph.nodes(data=True)}

    def colour(d: dict) -> str:
        if colour_by == "community":
            return COMMUNITY_COLOURS[(d.get("community", 1) - 1) % len(COMMUNITY_COLOURS)]
        return KIND_COLOURS[d["kind"]]

    styles = {"addresses": "-", "causes": "--", "involves": ":", "actor": "-."}
    from matplotlib.collections import LineCollection

    for relation, style in styles.items():   # one collection per relation: fast for thousands of edges
        edges = [(pos[u], pos[v], d["weight"]) for u, v, d in graph.edges(data=True) if d["relation"] == relation]
        if edges:
            ax.add_collection(LineCollection([(a, b) for a, b, _ in edges], linestyles=style,
                                             colors=EDGE_COLOURS[relation],
                                             linewidths=[min(0.4 + 0.5 * w, 5.0) for _, _, w in edges],
                                             alpha=0.45, zorder=1))
    nodes = list(graph.nodes(data=True))
    top = max([d["documents"] for _, d in nodes] + [1])

    def area(d: dict) -> float:
        return 30 + 300 * d["documents"] / top

    ax.scatter([pos[n][0] for n, _ in nodes], [pos[n][1] for n, _ in nodes], s=[area(d) for _, d in nodes], c=[colour(d) for _, d in nodes],
               edgecolors="white", linewidths=0.8, zorder=2)
    ax.margins(0.06)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    from matplotlib.transforms import Bbox

    obstacles = {}   # the nodes' discs in display coordinates: a label may not cover another node
    for n, d in nodes:
        x, y = ax.transData.transform(pos[n])
        r = area(d) ** 0.5 / 2 * fig.dpi / 72
        obstacles[n] = Bbox([[x - r, y - r], [x + r, y + r]])
    placed = []   # labels of the largest nodes first, at the first of four spots that covers no other label
    for rank, (n, d) in enumerate(sorted(nodes, key=lambda x: (-x[1]["documents"], x[0]))[:labels]):
        r = area(d) ** 0.5 / 2 + 2   # points
        text_ = "\n".join(textwrap.wrap(_short(d["label"], 48), 22))
        spots = [((0, r), "center", "bottom"), ((0, -r), "center", "top"), ((r, 0), "left", "center"),
                 ((-r, 0), "right", "center")]
        for strict in (True, False) if rank < 12 else (True,):   # the 12 largest may cover a node, not a label
            done = False
            for offset, ha, va in spots:
                text = ax.annotate(text_, pos[n], fontsize=7, ha=ha, va=va, xytext=offset,
                                   textcoords="offset points", zorder=3,
                                   bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})
                box = text.get_window_extent(renderer)
                if any(box.overlaps(other) for other in placed) or (strict and any(
                        box.overlaps(b) for m, b in obstacles.items() if m != n)):
                    text.remove()
                    continue
                placed.append(box)
                done = True
                break
            if done:
                break
    if colour_by == "community":
        shown = sorted({d.get("community", 1) for _, d in nodes})[:10]
        handles = [Line2D([], [], marker="o", linestyle="", color=COMMUNITY_COLOURS[(c - 1) % 10], markersize=7,
                          label=f"community {c}") for c in shown]
    else:
        handles = [Line2D([], [], marker="o", linestyle="", color=c, markersize=7, label=KIND_LABELS[k])
                   for k, c in KIND_COLOURS.items()]
    handles += [Line2D([], [], linestyle=s, color=EDGE_COLOURS[r], label=r) for r, s in styles.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"Concept network: {graph.number_of_nodes()} concepts, {graph.number_of_edges()} links "
                 f"(node size = documents, edge width = documents)", fontsize=10)
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return [Path(path)]
