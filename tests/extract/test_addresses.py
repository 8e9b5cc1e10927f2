"""The pair model of extract/addresses.py on hand-built signals."""

import numpy as np
import pytest

from iei_kg.errors import ConfigError
from iei_kg.extract.addresses import (SIGNALS, Stated, centroids, load_pair_model, method, pair_signals,
                                      train_pair_model)


def _unit(*values):
    v = np.array(values, dtype=float)
    return v / np.linalg.norm(v)


def test_signals_of_each_countermeasure_statement_and_problem_of_a_document():
    stated = [
        Stated("problem", "P-a", "2.1 Motivation", _unit(1, 0)),
        Stated("problem", "P-a", "2.1 Motivation", _unit(1, 0)),
        Stated("problem", "P-b", "2.2 Teachers", _unit(1, 1)),
        Stated("countermeasure", "C-x", "3.2 Teachers", _unit(1, 0.4), mirrored="P-b"),
        Stated("countermeasure", "C-y", "3.3 Law", None, explicit=("P-a", 0.8)),
    ]
    pairs = pair_signals(stated, {"C-x": {"P-b"}}, centroids(stated))
    signals = {(position, p): found for position, p, found in pairs}
    assert set(signals) == {(3, "P-a"), (3, "P-b"), (4, "P-a"), (4, "P-b")}
    # P-a is closer, but a typical remedy counts 0.2 closer: P-b is the closest
    assert signals[3, "P-b"]["closest"] == 1.0 and signals[3, "P-a"]["closest"] == 0.0
    assert signals[3, "P-b"]["remedy"] == 1.0 and signals[3, "P-b"]["section"] == 1.0
    assert signals[3, "P-a"]["similarity"] == pytest.approx(float(_unit(1, 0.4) @ _unit(1, 0)))
    assert signals[3, "P-a"]["problem_share"] == pytest.approx(2 / 3)
    assert signals[3, "P-a"]["near"] == signals[3, "P-b"]["near"] == 1.0  # both stated just before
    assert signals[3, "P-b"]["same_section"] == 0.0  # "2.2 Teachers" is not its own heading
    # without a vector: nothing is close, and the problem it says it solves is explicit
    assert signals[4, "P-a"]["closest"] == signals[4, "P-a"]["similarity"] == 0.0
    assert signals[4, "P-a"]["explicit"] == 0.8 and method(signals[4, "P-a"]) == "explicit"
    assert method(signals[3, "P-b"]) == "section" and method(signals[3, "P-a"]) == "similarity"


def test_training_learns_which_signal_tells_and_is_deterministic():
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(200):
        signals = {name: float(rng.random() < 0.3) for name in SIGNALS}
        rows.append((signals, bool(signals["section"])))  # only mirrored sections decide here
    first, second = train_pair_model(rows, {}), train_pair_model(rows, {})
    assert first == second
    assert max(first.weights, key=first.weights.get) == "section"
    assert all(first.probability(s) >= first.threshold for s, label in rows if label)
    assert not any(first.probability(s) >= first.threshold for s, label in rows if not label)


def test_the_shipped_model_loads_and_a_bad_one_is_named(monkeypatch):
    model = load_pair_model()
    assert set(model.weights) == set(SIGNALS) and 0 < model.threshold < 1
    monkeypatch.setattr("iei_kg.extract.addresses.load_rules", lambda name: {"bias": 0, "weights": {}})
    with pytest.raises(ConfigError, match="addresses.yaml"):
        load_pair_model()


def test_a_kept_pair_is_named_by_its_most_telling_signal():
    base = {name: 0.0 for name in SIGNALS}
    assert method({**base, "similarity": 0.9, "closest": 1.0}) == "similarity"
    assert method({**base, "similarity": 0.9, "remedy": 1.0}) == "scheme"
    assert method({**base, "remedy": 1.0, "section": 1.0}) == "section"
    assert method({**base, "remedy": 1.0, "section": 1.0, "explicit": 0.6}) == "explicit"
