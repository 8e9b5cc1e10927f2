"""The learned linker: training, determinism, abstaining, and examples that change a statement's link at the next
build (a small scheme of its own, so that training takes seconds)."""

import json
import re

import numpy as np
import pytest

from iei_kg.extract.examples import Example, annotated_examples, digest, scheme_examples
from iei_kg.extract.link_model import KindModel, LinkModel, train_kind

SCHEME = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix iei: <https://w3id.org/iei-kg/ontology#> .
@prefix c: <https://w3id.org/iei-kg/concept/> .
c:P-enterprise-motivation a skos:Concept, iei:Problem ; skos:notation "P-enterprise-motivation" ;
    skos:prefLabel "low enterprise motivation"@en, "企业参与积极性不高"@zh ;
    skos:example "Enterprises are unwilling to take part in school-enterprise cooperation."@en,
        "Companies show little enthusiasm for hosting students."@en .
c:P-dual-teacher-shortage a skos:Concept, iei:Problem ; skos:notation "P-dual-teacher-shortage" ;
    skos:prefLabel "shortage of dual-qualified teachers"@en, "双师型教师短缺"@zh ;
    skos:example "Colleges lack teachers with both teaching qualifications and industry experience."@en,
        "Few teachers have ever worked in an enterprise."@en .
c:C-incentives a skos:Concept, iei:Countermeasure ; skos:notation "C-incentives" ;
    skos:prefLabel "incentive mechanisms for enterprises"@en, "企业参与激励机制"@zh ;
    skos:example "The government should give enterprises tax relief for cooperating with colleges."@en,
        "Reward companies that train apprentices with subsidies."@en .
c:C-dual-teacher-team a skos:Concept, iei:Countermeasure ; skos:notation "C-dual-teacher-team" ;
    skos:prefLabel "build dual-qualified teacher teams"@en, "双师型教师队伍建设"@zh ;
    skos:example "Colleges should send teachers to enterprises for practical training every year."@en,
        "Hire engineers from industry as part-time teachers."@en .
c:S-enterprise a skos:Concept, iei:Stakeholder ; skos:notation "S-enterprise" ; skos:prefLabel "enterprise"@en .
"""
TEXT = """2. Problems

Students in the pilot programme seldom meet anyone from the partner firms during their studies.

3. Countermeasures

Colleges should invite managers from the partner firms to give lectures every term.
"""


def _kind_model():
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    shared = np.zeros((4, 2, 2), dtype=np.float32)
    return train_kind(["A", "B"], ["A", "A", "B", "B"], ["d1", "d2", "d1", "d2"], vectors, shared,
                      np.ones(4), l2=1e-4), vectors, shared


def test_training_is_deterministic_and_separates_the_classes():
    first, vectors, shared = _kind_model()
    second, _, _ = _kind_model()
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.shared, second.shared)
    probabilities = first.probabilities(vectors, shared)
    assert list(probabilities.argmax(axis=1)) == [0, 0, 1, 1]


def test_a_class_is_close_to_its_examples_but_an_example_not_to_itself_or_its_own_document():
    model, vectors, _ = _kind_model()
    assert model.closeness(np.array([[1.0, 0.0]], dtype=np.float32))[0, 0] == pytest.approx(1.0, abs=1e-3)
    # the examples of d1 left out: class A is only as close as d2's example
    exclude = np.array([[True, False, True, False]])
    assert model.closeness(vectors[:1], exclude)[0, 0] == pytest.approx(0.9, abs=1e-3)


def test_a_saved_model_loads_the_same(tmp_path):
    kind, vectors, shared = _kind_model()
    model = LinkModel({"problem": kind}, "abc", 0.2)
    model.save(tmp_path / "m.npz")
    loaded = LinkModel.load(tmp_path / "m.npz")
    assert loaded.digest == "abc" and loaded.threshold == 0.2
    assert np.allclose(loaded.kinds["problem"].probabilities(vectors, shared), kind.probabilities(vectors, shared))


def test_the_digest_depends_on_the_examples_not_their_order():
    a, b = Example("x", "problem", "P-a", "d"), Example("y", "problem", "P-b", "d")
    assert digest([a, b], "m") == digest([b, a], "m") != digest([a], "m") != digest([a, b], "other model")


def test_annotated_examples_keep_the_scheme_s_concepts_only(tmp_path):
    from iei_kg.ontology.scheme import load_scheme

    scheme_file = tmp_path / "scheme.ttl"
    scheme_file.write_text(SCHEME, encoding="utf-8")
    scheme = load_scheme(scheme_file)
    (tmp_path / "doc.json").write_text(json.dumps({"doc": "d", "problems": [
        {"concept": "P-enterprise-motivation", "evidence": ["Firms stay passive."]},
        {"concept": "P-not-in-the-scheme", "evidence": ["Something else."]}]}), encoding="utf-8")
    assert annotated_examples(tmp_path, scheme) == [Example("Firms stay passive.", "problem", "P-enterprise-motivation", "d")]
    assert len(scheme_examples(scheme)) == 8


@pytest.mark.slow
def test_a_new_example_changes_a_statement_s_link_at_the_next_build(tmp_path):
    """The scheme's examples are what the linker learns from: an example sentence added to another concept moves
    the statement it resembles there at the next plain build (no --force)."""
    from iei_kg.api import build, open_graph
    from iei_kg.config import ExtractorConfig

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "paper.txt").write_text(TEXT, encoding="utf-8")
    scheme_file = tmp_path / "scheme.ttl"
    scheme_file.write_text(SCHEME, encoding="utf-8")
    config = ExtractorConfig(scheme_path=str(scheme_file), annotations="none")

    def concept_of(fragment: str) -> str:
        with open_graph(tmp_path / "kg") as kg:
            return next(s["concept"] for s in kg.statements() if fragment in s["quote"])

    build(corpus, tmp_path / "kg", config)
    before = concept_of("invite managers")
    other = "C-incentives" if before != "C-incentives" else "C-dual-teacher-team"
    examples = " ".join(f'"Colleges should invite {who} from the partner firms to give lectures every term."@en,'
                        for who in ("managers", "engineers", "directors"))
    scheme_file.write_text(re.sub(rf"(c:{other} .*?skos:example )", rf"\g<1>{examples} ", SCHEME, flags=re.S),
                           encoding="utf-8")
    assert build(corpus, tmp_path / "kg", config).built == ["paper"]  # the scheme changed: extracted again
    assert concept_of("invite managers") == other != before
