"""Group candidate concepts for curation: many phrasings of one new idea become one cluster with one label."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

CLUSTER_SIMILARITY = 0.6  # a statement joins a cluster whose centroid is at least this close


@dataclass
class CandidateCluster:
    kind: str
    label: str
    concepts: list[str]
    statements: list[dict] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return sorted({s["doc"] for s in self.statements})


def cluster_candidates(statements: list[dict], encode, similarity: float = CLUSTER_SIMILARITY) -> list[CandidateCluster]:
    """Cluster the candidate-concept statements (mentions records) of each kind by quote embeddings.

    `encode(texts) -> unit vectors`, or None to group by the candidate id alone. Largest clusters first.
    """
    clusters: list[CandidateCluster] = []
    for kind in ("problem", "countermeasure"):
        items = [s for s in statements if s["type"] == kind and "-candidate-" in s["concept"]]
        if not items:
            continue
        if encode is None:
            groups: dict[str, list[dict]] = {}
            for s in items:
                groups.setdefault(s["concept"], []).append(s)
            members = list(groups.values())
        else:
            vectors = np.asarray(encode([" ".join(s["quote"].split()) for s in items]))
            centroids: list[np.ndarray] = []
            members = []
            for s, v in zip(items, vectors):
                sims = [float(v @ c / (np.linalg.norm(c) or 1)) for c in centroids]
                best = int(np.argmax(sims)) if sims else -1
                if best >= 0 and sims[best] >= similarity:
                    members[best].append(s)
                    centroids[best] = centroids[best] + v
                else:
                    members.append([s])
                    centroids.append(v.copy())
        for group in members:
            label = Counter(s["label"] for s in group).most_common(1)[0][0]
            clusters.append(CandidateCluster(kind, label, sorted({s["concept"] for s in group}), group))
    return sorted(clusters, key=lambda c: (-len(c.documents), -len(c.statements), c.label))
