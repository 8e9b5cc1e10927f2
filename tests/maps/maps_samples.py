"""Synthetic statement records for the map tests (a module of its own: every test folder has a conftest)."""

from __future__ import annotations

import random
from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"


def synthetic_statements(concepts: int = 1000, docs: int = 60, per_doc: int = 40, seed: int = 7) -> list[dict]:
    """Mentions records over `concepts` concepts (40% problems, 40% countermeasures, 20% stakeholders)."""
    rng = random.Random(seed)
    n_p, n_c = int(concepts * 0.4), int(concepts * 0.4)
    problems = [f"P-syn-{i}" for i in range(n_p)]
    measures = [f"C-syn-{i}" for i in range(n_c)]
    stakeholders = [f"S-syn-{i}" for i in range(concepts - n_p - n_c)]
    records = []

    def record(doc, kind, concept, **extra):
        start = 100 * len(records)
        base = {"doc": doc, "type": kind, "concept": concept, "label": f"{concept} label <b>&amp;</b>",
                "quote": f"Quote {len(records)} about {concept} </script><img src=x onerror=alert(1)>",
                "start": start, "end": start + 60, "page": None, "section": "2 Results", "actors": [],
                "addresses": [], "involves": [], "effect": None, "confidence": 0.8}
        base.update(extra)
        records.append(base)

    # every concept is mentioned at least once, then random statements with links
    for i, concept in enumerate(problems + measures + stakeholders):
        kind = {"P": "problem", "C": "countermeasure", "S": "stakeholder"}[concept[0]]
        record(f"doc-{i % docs:03d}", kind, concept)
    for d in range(docs):
        doc = f"doc-{d:03d}"
        for _ in range(per_doc):
            roll = rng.random()
            if roll < 0.45:
                record(doc, "countermeasure", rng.choice(measures), addresses=rng.sample(problems, 1),
                       actors=rng.sample(stakeholders, 1))
            elif roll < 0.85:
                record(doc, "problem", rng.choice(problems), involves=rng.sample(stakeholders, 1))
            else:
                record(doc, "cause", rng.choice(problems), effect=rng.choice(problems))
    return records
