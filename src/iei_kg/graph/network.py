"""The graph for networkx (and GraphML): concept nodes, typed edges weighted by the number of documents."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable

import networkx as nx

MAX_EVIDENCE_PER_EDGE = 20


def to_networkx(statements: Iterable[dict]) -> nx.MultiDiGraph:
    """Nodes are concepts (kind, label, documents); edges addresses / causes / involves / actor.

    Each edge has `weight` (number of documents that state it) and `evidence`: a JSON list of
    {doc, quote, start, end, page}, so an edge leads back to its passages.
    """
    graph = nx.MultiDiGraph()
    node_docs: dict[str, set] = defaultdict(set)
    edges: dict[tuple[str, str, str], dict] = {}

    def node(concept: str, kind: str, label: str | None = None) -> None:
        if concept not in graph:
            graph.add_node(concept, kind=kind, label=label or concept)
        elif label and graph.nodes[concept]["label"] == concept:
            graph.nodes[concept]["label"] = label

    def edge(source: str, target: str, relation: str, s: dict) -> None:
        item = edges.setdefault((source, target, relation), {"docs": set(), "evidence": []})
        item["docs"].add(s["doc"])
        if len(item["evidence"]) < MAX_EVIDENCE_PER_EDGE:
            item["evidence"].append({k: s[k] for k in ("doc", "quote", "start", "end", "page")})

    for s in statements:
        kind = s["type"]
        if kind == "cause":
            node(s["concept"], "problem", s["label"])
            node(s["effect"], "problem")
            edge(s["concept"], s["effect"], "causes", s)
            continue
        node(s["concept"], kind, s["label"])
        node_docs[s["concept"]].add(s["doc"])
        for problem in s.get("addresses", []):
            node(problem, "problem")
            edge(s["concept"], problem, "addresses", s)
        for stakeholder in s.get("actors", []):
            node(stakeholder, "stakeholder")
            edge(s["concept"], stakeholder, "actor", s)
        for stakeholder in s.get("involves", []):
            node(stakeholder, "stakeholder")
            edge(s["concept"], stakeholder, "involves", s)
    for concept, docs in node_docs.items():
        graph.nodes[concept]["documents"] = len(docs)
    for concept in graph.nodes:
        graph.nodes[concept].setdefault("documents", 0)
    for (source, target, relation), item in sorted(edges.items()):
        graph.add_edge(source, target, key=relation, relation=relation, weight=len(item["docs"]),
                       documents=" ".join(sorted(item["docs"])), evidence=json.dumps(item["evidence"], ensure_ascii=False))
    return graph
