"""Exports of the maps for other tools: CSV (gap matrix, evidence, node and edge lists), VOSviewer (JSON; map and
network files), Gephi (GEXF) and GraphML."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import networkx as nx

from iei_kg.maps.data import GapMap

KIND_COLOURS = {"problem": "#d1495b", "countermeasure": "#2e86ab", "stakeholder": "#edae49"}
KIND_LABELS = {"problem": "Problems", "countermeasure": "Countermeasures", "stakeholder": "Stakeholders"}
DESCRIPTION_QUOTES = 5


def sibling(path: str | Path, suffix: str) -> Path:
    """`out/map.csv` + `-evidence.csv` -> `out/map-evidence.csv`."""
    path = Path(path)
    return path.with_name(path.stem + suffix)


# ---------------------------------------------------------------- gap map

def write_gap_csv(gap: GapMap, path: str | Path) -> list[Path]:
    """The matrix (countermeasures x problems, cells = number of documents) and, beside it, the long table with
    one row per evidence quote (`<stem>-evidence.csv`)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["countermeasure", "countermeasure_label"] + [c["id"] for c in gap.columns])
        writer.writerow(["", "problem_label"] + [c["label"] for c in gap.columns])
        for row, counts in zip(gap.rows, gap.matrix()):
            writer.writerow([row["id"], row["label"]] + counts)
    long_path = sibling(path, "-evidence.csv")
    fields = ["countermeasure", "countermeasure_label", "problem", "problem_label", "doc", "quote", "start", "end",
              "page", "section", "actors"]
    with open(long_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(gap.evidence_rows())
    return [path, long_path]


# ---------------------------------------------------------------- network

def write_network_csv(graph: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """`<stem>-nodes.csv` and `<stem>-edges.csv` (evidence as a JSON column)."""
    nodes_path, edges_path = sibling(path, "-nodes.csv"), sibling(path, "-edges.csv")
    with open(nodes_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "label", "kind", "documents", "community", "x", "y", "docs", "evidence"])
        for node, d in graph.nodes(data=True):
            writer.writerow([node, d["label"], d["kind"], d["documents"], d.get("community", ""), d.get("x", ""),
                             d.get("y", ""), d["docs"], d["evidence"]])
    with open(edges_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["source", "target", "relation", "weight", "documents", "evidence"])
        for u, v, d in graph.edges(data=True):
            writer.writerow([u, v, d["relation"], d["weight"], d["documents"], d["evidence"]])
    return [nodes_path, edges_path]


def _description(node: str, data: dict) -> str:
    """HTML for VOSviewer's item description: every text from a document is HTML-escaped."""
    parts = [f"<b>{html.escape(data['label'])}</b> ({html.escape(node)}, {html.escape(data['kind'])}); "
             f"{data['documents']} document(s): {html.escape(data['docs'])}"]
    for e in json.loads(data["evidence"])[:DESCRIPTION_QUOTES]:
        quote = " ".join(e["quote"].split())
        parts.append(f"&ldquo;{html.escape(quote)}&rdquo; ({html.escape(e['doc'])}, {e['start']}-{e['end']})")
    return "<br>".join(parts)


def _vos_items(graph: nx.MultiDiGraph, cluster_by: str = "community"):
    ids = {node: i for i, node in enumerate(sorted(graph.nodes), 1)}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, d in graph.edges(data=True):
        if u != v:
            simple.add_edge(u, v, weight=(simple[u][v]["weight"] if simple.has_edge(u, v) else 0) + d["weight"])
    kind_cluster = {k: i for i, k in enumerate(KIND_COLOURS, 1)}
    items = []
    for node in sorted(graph.nodes):
        d = graph.nodes[node]
        cluster = kind_cluster[d["kind"]] if cluster_by == "kind" else d.get("community", 1)
        items.append({"id": ids[node], "label": d["label"], "cluster": cluster,
                      "weights": {"Documents": d["documents"], "Links": simple.degree(node),
                                  "Total link strength": simple.degree(node, weight="weight")},
                      "scores": {"Documents": d["documents"]},
                      "description": _description(node, d), "concept": node, "kind": d["kind"]})
    links = [{"source_id": ids[u], "target_id": ids[v], "strength": d["weight"]}
             for u, v, d in sorted(simple.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]]))]
    if cluster_by == "kind":
        clusters = [{"cluster": i, "label": KIND_LABELS[k]} for k, i in kind_cluster.items()]
    else:
        clusters = [{"cluster": c, "label": f"Community {c}"}
                    for c in sorted({item["cluster"] for item in items})]
    return items, links, clusters


def write_vosviewer_json(graph: nx.MultiDiGraph, path: str | Path, cluster_by: str = "community") -> list[Path]:
    """VOSviewer JSON (app.vosviewer.com/docs/file-types/json-file-type): network.items / links / clusters."""
    items, links, clusters = _vos_items(graph, cluster_by)
    for item in items:
        del item["concept"], item["kind"]
    data = {"network": {"items": items, "links": links, "clusters": clusters}}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return [Path(path)]


def _vos_field(value) -> str:
    text = " ".join(str(value).split())
    if any(ch in text for ch in ',;"'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def write_vosviewer_files(graph: nx.MultiDiGraph, path: str | Path, cluster_by: str = "community") -> list[Path]:
    """VOSviewer map file `<stem>-map.txt` (tab-separated: id, label, cluster, weight<Documents>, weight<Links>,
    score<Documents>, description) and network file `<stem>-network.txt` (id1, id2, strength; no header)."""
    items, links, _ = _vos_items(graph, cluster_by)
    map_path, network_path = sibling(path, "-map.txt"), sibling(path, "-network.txt")
    header = ["id", "label", "cluster", "weight<Documents>", "weight<Links>", "score<Documents>", "description"]
    with open(map_path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for item in items:
            f.write("\t".join(_vos_field(v) for v in (item["id"], item["label"], item["cluster"],
                                                      item["weights"]["Documents"], item["weights"]["Links"],
                                                      item["scores"]["Documents"], item["description"])) + "\n")
    with open(network_path, "w", encoding="utf-8", newline="") as f:
        for link in links:
            f.write(f"{link['source_id']}\t{link['target_id']}\t{link['strength']}\n")
    return [map_path, network_path]


def _hex_rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers (what GraphML and GEXF can hold)."""
    plain = nx.MultiDiGraph()
    for node, d in graph.nodes(data=True):
        plain.add_node(node, **{k: v for k, v in d.items() if isinstance(v, (str, int, float))})
    for u, v, key, d in graph.edges(keys=True, data=True):
        plain.add_edge(u, v, key=key, **{k: val for k, val in d.items() if isinstance(val, (str, int, float))})
    return plain


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """GEXF for Gephi, with the layout, kind colours and document-count sizes as `viz` attributes."""
    out = plain_graph(graph)
    for node, d in out.nodes(data=True):
        d["viz"] = {"position": {"x": float(d.get("x", 0.0)), "y": -float(d.get("y", 0.0)), "z": 0.0},
                    "color": _hex_rgb(KIND_COLOURS[d["kind"]]), "size": 4.0 + 3.0 * d["documents"] ** 0.5}
    for u, v, key, d in out.edges(keys=True, data=True):
        d["id"] = f"{u}|{key}|{v}"
        d["label"] = key
    nx.write_gexf(out, path)
    return [Path(path)]


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    nx.write_graphml(plain_graph(graph), path)
    return [Path(path)]
