"""A concept classifier learned from labelled sentences: which concept a statement claims, read from the whole
sentence rather than from the topic words it shares with a label.

Per kind (problem, countermeasure) a multinomial logistic regression over
  - the sentence vector (a weight vector per concept: what sentences of that concept say), and
  - per-concept scores shared by all concepts (label words found in the sentence, closeness to the label texts),
    with one weight each, so that a concept with few examples is still found by its labels.
Trained on examples (`examples.py`): the scheme's skos:example sentences, annotated documents, users' corrections.
Training is deterministic (zero start, L-BFGS, a fixed order), so the same examples give the same model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from iei_kg.errors import ConfigError

KINDS = ("problem", "countermeasure")
SCHEME = "scheme"  # the origin of the scheme's own examples (examples.py), which share no document
_ARRAYS = ("weights", "bias", "shared", "exemplars", "exemplar_class")


@dataclass
class KindModel:
    """The weights of one kind: `classes` in order, `weights` (classes x dims), `bias`, `shared` (one weight per
    shared score, the last one the closeness to the class's examples), and the examples' vectors with the
    position of their class (`exemplars`, `exemplar_class`)."""

    classes: list[str]
    weights: np.ndarray
    bias: np.ndarray
    shared: np.ndarray
    exemplars: np.ndarray
    exemplar_class: np.ndarray

    def probabilities(self, vectors: np.ndarray, shared: np.ndarray) -> np.ndarray:
        """Rows of class probabilities for `vectors` (n x dims) and their shared scores (n x classes x features)."""
        features = np.concatenate([shared, self.closeness(vectors)[:, :, None]], axis=2)
        return _softmax(vectors @ self.weights.T + self.bias + features @ self.shared)

    def closeness(self, vectors: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
        """Per vector and class: the cosine of the class's closest example (0 for a class without examples);
        `exclude` (n x examples, True = skip) keeps an example from being its own neighbour in training."""
        sims = vectors @ self.exemplars.T.astype(np.float32)
        if exclude is not None:
            sims = np.where(exclude, -np.inf, sims)
        out = np.full((len(vectors), len(self.classes)), -np.inf, dtype=np.float32)
        for position in np.unique(self.exemplar_class):
            out[:, position] = sims[:, self.exemplar_class == position].max(axis=1)
        return np.where(np.isfinite(out), out, 0.0)


@dataclass
class LinkModel:
    kinds: dict[str, KindModel]
    digest: str  # of what it was trained on (examples, encoder, settings): decides whether a saved model is current
    threshold: float  # a link needs at least this probability; below it the statement gets a candidate concept

    def save(self, path: str | Path) -> None:
        arrays = {f"{kind}.{name}": getattr(m, name) for kind, m in self.kinds.items() for name in _ARRAYS}
        meta = {"digest": self.digest, "threshold": self.threshold,
                "classes": {kind: m.classes for kind, m in self.kinds.items()}}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.npz")
        np.savez_compressed(partial, meta=np.array(json.dumps(meta)), **arrays)
        partial.replace(path)  # readers never see half a file

    @classmethod
    def load(cls, path: str | Path) -> LinkModel:
        try:
            with np.load(path) as data:
                meta = json.loads(str(data["meta"]))
                kinds = {kind: KindModel(classes, *(data[f"{kind}.{name}"] for name in _ARRAYS))
                         for kind, classes in meta["classes"].items()}
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"linking model {path} cannot be read: {exc}") from exc
        return cls(kinds, meta["digest"], float(meta["threshold"]))


def train_kind(classes: list[str], labels: list[str], origins: list[str], vectors: np.ndarray, shared: np.ndarray,
               sample_weight: np.ndarray, l2: float) -> KindModel:
    """Fit one kind's model by minimising the weighted cross-entropy plus l2 times the squared vector weights
    (the bias and the shared-score weights are not penalised: they are few and general).

    An example's closeness to a class is measured without itself and without the other examples of its own
    document (`origins`), as a new document's sentences will be: none of them is among the examples."""
    from scipy.optimize import minimize

    n, dims = vectors.shape
    position = {c: i for i, c in enumerate(classes)}
    model = KindModel(list(classes), np.zeros((0, dims)), np.zeros(0), np.zeros(0),
                      vectors.astype(np.float16), np.array([position[c] for c in labels]))
    origin = np.array(origins)
    same_source = (origin[:, None] == origin[None, :]) & (origin[:, None] != SCHEME)
    shared = np.concatenate([shared, model.closeness(vectors, same_source | np.eye(n, dtype=bool))[:, :, None]], axis=2)
    k, features = len(classes), shared.shape[2]
    target = np.zeros((n, k))
    target[np.arange(n), model.exemplar_class] = 1.0
    w = sample_weight / sample_weight.sum()

    def unpack(theta):
        return (theta[:k * dims].reshape(k, dims), theta[k * dims:k * dims + k], theta[k * dims + k:])

    def loss(theta):
        weights, bias, shared_w = unpack(theta)
        logits = vectors @ weights.T + bias + shared @ shared_w
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        value = -float((w[:, None] * target * log_p).sum()) + l2 * float((weights ** 2).sum())
        residual = w[:, None] * (np.exp(log_p) - target)  # d loss / d logits
        grad = np.concatenate([(residual.T @ vectors + 2 * l2 * weights).ravel(), residual.sum(axis=0),
                               np.einsum("nk,nkf->f", residual, shared)])
        return value, grad

    start = np.zeros(k * dims + k + features)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    weights, bias, shared_w = unpack(result.x)
    model.weights, model.bias, model.shared = (a.astype(np.float32) for a in (weights, bias, shared_w))
    return model


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)
