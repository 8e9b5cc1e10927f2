import numpy as np

from iei_kg.extract.candidates import cluster_candidates


def _statement(concept, quote, doc="d1", kind="problem", label=None):
    return {"type": kind, "concept": concept, "label": label or concept.split("-candidate-")[-1], "quote": quote, "doc": doc}


VECTORS = {
    "teachers leave for industry": np.array([1.0, 0.0, 0.0]),
    "teachers quit to work in companies": np.array([0.95, 0.31, 0.0]),
    "campus canteens are too small": np.array([0.0, 0.0, 1.0]),
}


def encode(texts):
    return np.stack([VECTORS[t] for t in texts])


def test_rephrasings_of_one_idea_form_one_cluster_with_the_commonest_label():
    statements = [
        _statement("P-candidate-teacher-turnover", "teachers leave for industry", "a", label="teacher turnover"),
        _statement("P-candidate-teacher-loss", "teachers quit to work in companies", "b", label="teacher turnover"),
        _statement("P-candidate-canteen", "campus canteens are too small", "a", label="canteen"),
        _statement("P-enterprise-motivation", "ignored: not a candidate", "a"),
    ]
    clusters = cluster_candidates(statements, encode)
    assert [(c.label, c.documents) for c in clusters] == [("teacher turnover", ["a", "b"]), ("canteen", ["a"])]
    assert clusters[0].concepts == ["P-candidate-teacher-loss", "P-candidate-teacher-turnover"]


def test_without_embeddings_candidates_group_by_id_and_kinds_stay_apart():
    statements = [
        _statement("P-candidate-x", "teachers leave for industry"),
        _statement("P-candidate-x", "campus canteens are too small", "b"),
        _statement("C-candidate-x", "teachers leave for industry", kind="countermeasure"),
    ]
    clusters = cluster_candidates(statements, None)
    assert sorted((c.kind, len(c.statements)) for c in clusters) == [("countermeasure", 1), ("problem", 2)]
