"""Hand-built records for the graph, query and CLI tests: no spaCy, no embeddings.

One document with a problem statement (involves), a countermeasure statement (addresses, actors,
methods, address scores), a cause statement (effect) and a candidate-concept statement.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from iei_kg.graph.rdf import document_graph
from iei_kg.graph.store import Store
from iei_kg.ontology.namespace import CONCEPT, IEI
from iei_kg.records import SourceDocument, Statement
from iei_kg.resources import data_dir

GENERATED = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
VERSION = "0.0-test"

PROBLEM_SENTENCE = "Enterprises show little enthusiasm for school-enterprise cooperation."
COUNTERMEASURE_SENTENCE = "The government should offer tax incentives to enterprises that host apprentices."
CAUSE_SENTENCE = "Because rights and interests are unclear, enterprises are reluctant to cooperate."
CANDIDATE_SENTENCE = "Colleges should build shared virtual simulation labs."

TEXT = (
    "1 Problems\n"
    f"{PROBLEM_SENTENCE} {CAUSE_SENTENCE}\n"
    "2 Countermeasures\n"
    f"{COUNTERMEASURE_SENTENCE} {CANDIDATE_SENTENCE}\n"
)


def span(sentence: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def source(doc_id: str = "paper-a", text: str = TEXT, content_hash: str = "hash-a") -> SourceDocument:
    return SourceDocument(doc_id=doc_id, path=f"corpus/{doc_id}.txt", text=text, content_hash=content_hash,
                          media_type="text/plain", title="Deepening industry-education integration")


def statements(doc_id: str = "paper-a", text: str = TEXT) -> list[Statement]:
    p_start, p_end = span(PROBLEM_SENTENCE, text)
    c_start, c_end = span(COUNTERMEASURE_SENTENCE, text)
    k_start, k_end = span(CAUSE_SENTENCE, text)
    n_start, n_end = span(CANDIDATE_SENTENCE, text)
    return [
        Statement(doc=doc_id, type="problem", concept="P-enterprise-motivation", label="low enterprise motivation",
                  quote=PROBLEM_SENTENCE, start=p_start, end=p_end, section="1 Problems", confidence=0.8,
                  involves=["S-enterprise"], stakeholder_source="sentence"),
        Statement(doc=doc_id, type="cause", concept="P-unclear-rights-interests",
                  label="unclear rights and interests", quote=CAUSE_SENTENCE, start=k_start, end=k_end,
                  section="1 Problems", confidence=0.61, effect="P-enterprise-motivation"),
        Statement(doc=doc_id, type="countermeasure", concept="C-incentives", label="incentives for enterprises",
                  quote=COUNTERMEASURE_SENTENCE, start=c_start, end=c_end, section="2 Countermeasures",
                  confidence=0.9, actors=["S-government"], stakeholder_source="heading",
                  addresses=["P-enterprise-motivation"],
                  methods={"P-enterprise-motivation": "scheme"},
                  address_scores={"P-enterprise-motivation": 0.7123}),
        Statement(doc=doc_id, type="countermeasure", concept="C-candidate-virtual-simulation-lab",
                  label="virtual simulation lab", quote=CANDIDATE_SENTENCE, start=n_start, end=n_end,
                  section="2 Countermeasures", confidence=0.35, actors=["S-vocational-college"],
                  stakeholder_source="section", candidate=True),
    ]


def graph(doc_id: str = "paper-a", text: str = TEXT, content_hash: str = "hash-a"):
    return document_graph(source(doc_id, text, content_hash), statements(doc_id, text), VERSION, generated=GENERATED)


# A tiny stand-in for ontology/concepts.ttl: the labels the statements above carry.
SCHEME = {
    "P-enterprise-motivation": (IEI.Problem, "low enterprise motivation"),
    "P-unclear-rights-interests": (IEI.Problem, "unclear rights and interests"),
    "C-incentives": (IEI.Countermeasure, "incentives for enterprises"),
    "S-enterprise": (IEI.Stakeholder, "enterprises"),
    "S-government": (IEI.Stakeholder, "government"),
    "S-vocational-college": (IEI.Stakeholder, "vocational colleges"),
}


def scheme_graph() -> Graph:
    g = Graph()
    for concept_id, (kind, label) in SCHEME.items():
        g.add((CONCEPT[concept_id], RDF.type, SKOS.Concept))
        g.add((CONCEPT[concept_id], RDF.type, kind))
        g.add((CONCEPT[concept_id], SKOS.prefLabel, Literal(label, lang="en")))
        g.add((CONCEPT[concept_id], SKOS.notation, Literal(concept_id)))
    return g


def make_kg(folder: Path, docs: tuple[str, ...] = ("paper-a",)) -> Path:
    """A graph folder as `iei-kg build` leaves it, from the hand-built graphs; the store is closed on return."""
    store = Store(folder, create=True)
    store.set_scheme(scheme_graph(), Graph().parse(data_dir("ontology") / "iei.ttl"))
    for doc_id in docs:
        store.replace_document(doc_id, graph(doc_id))
    store.refresh_summary()
    store.flush()
    del store
    return folder
