"""The SKOS concept scheme (ontology/concepts.ttl): problems, countermeasures and stakeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from iei_kg.errors import ConfigError
from iei_kg.ontology.namespace import CONCEPT, IEI
from iei_kg.resources import data_dir

KINDS = {IEI.Problem: "problem", IEI.Countermeasure: "countermeasure", IEI.Stakeholder: "stakeholder"}


@dataclass
class Concept:
    id: str
    kind: str  # problem | countermeasure | stakeholder
    label: str
    alt_labels: list[str] = field(default_factory=list)
    definition: str = ""
    label_zh: str | None = None
    remedies: list[str] = field(default_factory=list)  # countermeasures: problems they typically answer
    alt_labels_zh: list[str] = field(default_factory=list)  # Chinese surface forms (extract/chinese.py)
    examples: list[str] = field(default_factory=list)  # skos:example sentences, any language: the linker learns from them

    def labels_zh(self) -> list[str]:
        """The Chinese prefLabel and altLabels: what Chinese sentences are matched against."""
        return list(dict.fromkeys(([self.label_zh] if self.label_zh else []) + self.alt_labels_zh))

    @property
    def iri(self) -> URIRef:
        return CONCEPT[self.id]

    def texts(self) -> list[str]:
        """Everything that names or describes the concept (for embeddings), its Chinese labels last."""
        return [self.label, *self.alt_labels] + ([self.definition] if self.definition else []) + self.labels_zh()


class ConceptScheme:
    def __init__(self, concepts: list[Concept], graph: Graph, source: Path):
        self.concepts = {c.id: c for c in concepts}
        self.graph = graph  # the scheme as RDF, loaded into the store as its own named graph
        self.source = source

    def __getitem__(self, concept_id: str) -> Concept:
        try:
            return self.concepts[concept_id]
        except KeyError:
            raise ConfigError(f"unknown concept '{concept_id}' (see {self.source})") from None

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self.concepts

    def of_kind(self, kind: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.kind == kind]


def default_scheme_path() -> Path:
    return data_dir("ontology") / "concepts.ttl"


def load_scheme(path: str | Path | None = None) -> ConceptScheme:
    """Load a SKOS scheme whose concepts are typed iei:Problem, iei:Countermeasure or iei:Stakeholder."""
    source = Path(path) if path else default_scheme_path()
    graph = Graph()
    try:
        graph.parse(source)
    except FileNotFoundError:
        raise ConfigError(f"concept scheme not found: {source}") from None
    except Exception as exc:  # rdflib raises parser-specific errors
        raise ConfigError(f"concept scheme {source} cannot be parsed: {exc}") from exc
    concepts = []
    for klass, kind in KINDS.items():
        for iri in graph.subjects(RDF.type, klass):
            concept_id = str(graph.value(iri, SKOS.notation) or str(iri).rsplit("/", 1)[-1])
            labels = {lit.language: str(lit) for lit in graph.objects(iri, SKOS.prefLabel)}
            concepts.append(Concept(
                id=concept_id,
                kind=kind,
                label=labels.get("en") or labels.get(None) or concept_id,
                label_zh=labels.get("zh"),
                alt_labels=sorted(str(a) for a in graph.objects(iri, SKOS.altLabel) if a.language in ("en", None)),
                definition=str(graph.value(iri, SKOS.definition) or ""),
                remedies=sorted(str(p).rsplit("/", 1)[-1] for p in graph.objects(iri, IEI.remedies)),
                alt_labels_zh=sorted(str(a) for a in graph.objects(iri, SKOS.altLabel) if a.language == "zh"),
                examples=sorted(str(e) for e in graph.objects(iri, SKOS.example)),
            ))
    if not concepts:
        raise ConfigError(f"concept scheme {source} has no concepts typed iei:Problem, iei:Countermeasure or iei:Stakeholder")
    return ConceptScheme(sorted(concepts, key=lambda c: c.id), graph, source)
