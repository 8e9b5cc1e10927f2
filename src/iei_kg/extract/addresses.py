"""Which countermeasure concepts of a document answer which of its problem concepts.

Every countermeasure statement and problem concept of a document are described by the signals the document and
the scheme give for the pair, and a logistic model learned from annotated documents (`scripts/train_addresses.py`)
turns them into the probability that the statement is proposed against the problem. A countermeasure concept
addresses a problem when one of its statements does. The weights are data (`rules/addresses.yaml`); a pair is kept
when its probability reaches the threshold learnt with them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from iei_kg.errors import ConfigError
from iei_kg.rules import load_rules

# What a document says about a countermeasure statement and a problem concept of the same document (each in [0, 1]):
SIGNALS = (
    "similarity",       # cosine of the statement's vector and the problem's passages (centroid of their vectors)
    "pair_similarity",  # cosine of the statement's concept's passages and the problem's passages
    "closest",          # the problem is the one the statement comes closest to (a typical remedy: REMEDY_BONUS closer)
    "remedy",           # the scheme says the statement's concept typically remedies the problem (iei:remedies)
    "section",          # the statement's section mirrors a problem section mainly about the problem
    "explicit",         # the statement says it solves the problem ("to solve the problem of ...")
    "same_section",     # the problem is stated under the statement's own heading
    "near",             # the problem is stated in the five statements before this one
    "problem_share",    # the problem's share of the document's problem statements
)
# How a kept pair was found, most telling first: answers ask more of the evidence of a pair found by similarity only.
METHODS = (("explicit", "explicit"), ("section", "section"), ("remedy", "scheme"))


@dataclass
class PairModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, signals: dict[str, float]) -> float:
        z = self.bias + sum(self.weights[name] * signals.get(name, 0.0) for name in SIGNALS)
        return 1.0 / (1.0 + math.exp(-z))

    def as_rules(self, prior: dict[str, float]) -> dict:
        return {"bias": round(self.bias, 4), "threshold": round(self.threshold, 3),
                "weights": {name: round(self.weights[name], 4) for name in SIGNALS},
                "prior": {name: float(prior.get(name, 0.0)) for name in SIGNALS}}


def load_prior() -> dict[str, float]:
    """The weights training starts from and is drawn towards (`prior` in rules/addresses.yaml)."""
    return {name: float(value) for name, value in (load_rules("addresses").get("prior") or {}).items()}


def load_pair_model() -> PairModel:
    data = load_rules("addresses")
    try:
        weights = {name: float(data["weights"][name]) for name in SIGNALS}
        return PairModel(weights, float(data["bias"]), float(data["threshold"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"rules/addresses.yaml: want bias, threshold and weights of {', '.join(SIGNALS)} "
                          f"({exc!r})") from exc


def method(signals: dict[str, float]) -> str:
    return next((name for signal, name in METHODS if signals.get(signal)), "similarity")


@dataclass
class Stated:
    """What pair_signals needs of a problem or countermeasure statement of the document, in document order."""

    kind: str
    concept: str
    section: str | None
    vector: np.ndarray | None
    mirrored: str | None = None  # the problem its section mirrors (countermeasures)
    explicit: tuple[str, float] | None = None  # the problem it says it solves, and how clearly (countermeasures)


REMEDY_BONUS = 0.2  # a typical remedy's passages count this much closer when the closest problem is chosen


def add_addresses(statements: list, positions: list[int], stated: list[Stated], scheme,
                  model: PairModel) -> list[tuple[int, str, dict[str, float]]]:
    """Decide which problems each countermeasure concept of a document addresses (see assign_addresses), from its
    linked statements `stated`, found at `positions` in `statements`; the scheme gives the typical remedies.
    Returns (index in `statements`, problem, signals) of every pair considered."""
    remedies = {s.concept: set(scheme[s.concept].remedies) for s in stated if s.kind == "countermeasure"}
    centres = centroids(stated)
    signals = pair_signals(stated, remedies, centres)
    assign_addresses(statements, positions, stated, signals, model, centres)
    return [(positions[position], p, found) for position, p, found in signals]


def centroids(stated: list[Stated]) -> dict[tuple[str, str], np.ndarray]:
    """(kind, concept) -> the unit mean vector of its statements (none without vectors)."""
    groups: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    for s in stated:
        if s.vector is not None:
            groups[s.kind, s.concept].append(s.vector)
    out = {}
    for key, vectors in groups.items():
        mean = np.mean(vectors, axis=0)
        out[key] = mean / (np.linalg.norm(mean) or 1.0)
    return out


def pair_signals(stated: list[Stated], remedies: dict[str, set[str]],
                 centres: dict[tuple[str, str], np.ndarray]) -> list[tuple[int, str, dict[str, float]]]:
    """(position in `stated`, problem concept, signals) for every countermeasure statement and problem concept of a
    document. `remedies`: the scheme's typical remedies per countermeasure concept; `centres`: centroids(stated)."""
    problems = Counter(s.concept for s in stated if s.kind == "problem")
    total = sum(problems.values()) or 1
    sections = defaultdict(set)
    for s in stated:
        if s.kind == "problem":
            sections[s.section].add(s.concept)
    out, recent = [], []
    for position, s in enumerate(stated):
        if s.kind == "problem":
            recent = (recent + [s.concept])[-5:]
            continue
        own = remedies.get(s.concept, set())
        similarity = {p: _cosine(s.vector, centres.get(("problem", p))) for p in problems}
        concept_centre = centres.get(("countermeasure", s.concept))
        closest = max(problems, key=lambda p: (similarity[p] + (REMEDY_BONUS if p in own else 0.0), p)) \
            if s.vector is not None and problems else None
        for p in sorted(problems):
            out.append((position, p, {
                "similarity": similarity[p], "pair_similarity": _cosine(concept_centre, centres.get(("problem", p))),
                "closest": float(p == closest), "remedy": float(p in own), "section": float(s.mirrored == p),
                "explicit": s.explicit[1] if s.explicit and s.explicit[0] == p else 0.0,
                "same_section": float(p in sections.get(s.section, ())) if s.section else 0.0,
                "near": float(p in recent), "problem_share": problems[p] / total}))
    return out


def assign_addresses(statements: list, positions: list[int], stated: list[Stated],
                     signals: list[tuple[int, str, dict[str, float]]], model: PairModel,
                     centres: dict[tuple[str, str], np.ndarray]) -> None:
    """Set `addresses`, `methods` and `address_scores` of every countermeasure statement: a concept addresses a
    problem when one of its statements does by the model. A statement's score for a problem is how well its own
    passage speaks to it (the cosine to the problem's passages: orders an answer's evidence), else, without
    vectors, the pair's probability."""
    links: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)  # concept -> problem -> (method, probability)
    for position, p, found in signals:
        probability = model.probability(found)
        concept = stated[position].concept
        if probability >= model.threshold and probability > links[concept].get(p, ("", 0.0))[1]:
            links[concept][p] = (method(found), probability)
    vectors = {index: s.vector for index, s in zip(positions, stated)}
    for index, statement in enumerate(statements):
        found = links.get(statement.concept, {}) if statement.type == "countermeasure" and not statement.candidate else {}
        statement.addresses = sorted(found, key=lambda p: (-found[p][1], p))
        statement.methods = {p: found[p][0] for p in statement.addresses}
        vector = vectors.get(index)
        statement.address_scores = {
            p: round(float(vector @ centres["problem", p]) if vector is not None and ("problem", p) in centres
                     else found[p][1], 3) for p in statement.addresses}


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    return max(float(a @ b), 0.0) if a is not None and b is not None else 0.0


def train_pair_model(rows: list[tuple[dict[str, float], bool]], prior: dict[str, float], l2: float = 0.01) -> PairModel:
    """Fit the weights by logistic regression penalised towards `prior` (deterministic: L-BFGS from the prior), and
    the threshold that gives the best F1 of pairs on the same rows. The prior keeps a signal the annotated documents
    hardly show (mirrored sections, explicit wording) at the weight it is given, instead of at nothing."""
    from scipy.optimize import minimize

    x = np.array([[signals[name] for name in SIGNALS] for signals, _ in rows], dtype=float)
    y = np.array([label for _, label in rows], dtype=float)

    def loss(theta):
        z = x @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        shift = theta[:-1] - centre
        value = -float(np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) + l2 * float(shift @ shift)
        residual = (p - y) / len(y)
        return value, np.concatenate([x.T @ residual + 2 * l2 * shift, [residual.sum()]])

    centre = np.array([float(prior.get(name, 0.0)) for name in SIGNALS])
    theta = minimize(loss, np.append(centre, 0.0), jac=True, method="L-BFGS-B").x
    model = PairModel(dict(zip(SIGNALS, map(float, theta[:-1]))), float(theta[-1]), 0.5)
    scores = [model.probability(signals) for signals, _ in rows]
    model.threshold = max((t / 20 for t in range(2, 15)), key=lambda t: (_f1(scores, y, t), -abs(t - 0.5)))
    return model


def _f1(scores: list[float], labels: np.ndarray, threshold: float) -> float:
    kept = np.array(scores) >= threshold
    tp = float((kept & (labels > 0)).sum())
    return 2 * tp / (kept.sum() + labels.sum()) if kept.sum() + labels.sum() else 0.0
