"""A document's statements as RDF: Web Annotation evidence, PROV-O provenance, DCTerms metadata."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from itertools import combinations
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.plugins.serializers.nt import _nt_row  # the N-Triples line rdflib's own serializer writes

from iei_kg.ingest.metadata import HAN
from iei_kg.ontology.namespace import BIBO, CANDIDATE, CONCEPT, DOC, GRAPH, IEI, OA
from iei_kg.records import SourceDocument, Statement

STATEMENT_CLASSES = {
    "problem": IEI.ProblemStatement,
    "countermeasure": IEI.CountermeasureStatement,
    "cause": IEI.CauseStatement,
    "stakeholder": IEI.StakeholderMention,
}
CANDIDATE_KINDS = {"problem": IEI.Problem, "countermeasure": IEI.Countermeasure, "cause": IEI.Problem,
                   "stakeholder": IEI.Stakeholder}
CONTEXT_CHARS = 32  # prefix/suffix kept in the TextQuoteSelector


def doc_iri(doc_id: str) -> URIRef:
    return DOC[quote(doc_id, safe="")]


def graph_iri(doc_id: str) -> URIRef:
    return GRAPH[quote(doc_id, safe="")]


def concept_iri(concept_id: str) -> URIRef:
    if "-candidate-" in concept_id:
        return CANDIDATE[concept_id]
    return CONCEPT[concept_id]


def _label(text: str) -> Literal:
    """A statement's concept label, tagged @zh when it was taken from a Chinese sentence (a candidate's), else @en."""
    return Literal(text, lang="zh" if HAN.search(text) else "en")


class TripleList(list):
    """Triples collected in a plain list: enough to write N-Triples, without the cost of an rdflib Graph's indexes
    (which took half the time of making a document's graph in the build workers)."""

    def add(self, triple) -> None:
        self.append(triple)

    def bind(self, *args, **kwargs) -> None:
        pass


Triples = Graph | TripleList  # what the functions below add to


def document_graph(source: SourceDocument, statements: list[Statement], pipeline_version: str,
                   generated: datetime | None = None) -> Graph:
    """The named graph of one document: the document, its statements with evidence, and concept-level edges."""
    g = Graph()
    g.bind("iei", IEI._NS)
    g.bind("oa", OA)
    g.bind("concept", CONCEPT)
    _add_document(g, source, statements, pipeline_version, generated)
    return g


def document_ntriples(source: SourceDocument, statements: list[Statement], pipeline_version: str,
                      generated: datetime | None = None) -> str:
    """`document_graph` as N-Triples text, made without building the rdflib Graph (what the build workers send)."""
    triples = TripleList()
    _add_document(triples, source, statements, pipeline_version, generated)
    return "".join(map(_nt_row, dict.fromkeys(triples)))  # each triple once, as a Graph would hold it


def _add_document(g: Triples, source: SourceDocument, statements: list[Statement], pipeline_version: str,
                  generated: datetime | None) -> None:
    doc = doc_iri(source.doc_id)
    run = URIRef(f"{doc}/extraction")
    g.add((doc, RDF.type, IEI.Document))
    g.add((doc, DCTERMS.identifier, Literal(source.doc_id)))
    g.add((doc, DCTERMS.title, Literal(source.title or source.doc_id)))
    g.add((doc, DCTERMS["format"], Literal(source.media_type)))
    g.add((doc, IEI.sourcePath, Literal(source.path)))
    g.add((doc, IEI.contentHash, Literal(source.content_hash)))
    _add_bibliographic(g, source, doc)
    g.add((run, RDF.type, IEI.Extraction))
    g.add((run, IEI.pipelineVersion, Literal(pipeline_version)))
    g.add((run, PROV.used, doc))
    g.add((run, PROV.endedAtTime, Literal((generated or datetime.now(timezone.utc)).isoformat(), datatype=XSD.dateTime)))
    for i, statement in enumerate(statements):
        _add_statement(g, source, statement, URIRef(f"{doc}/statement/{i}"), doc, run)
    _add_cooccurrence(g, statements)
    _add_tallies(g, statements, doc)


def _add_tallies(g: Triples, statements: list[Statement], doc: URIRef) -> None:
    """Per concept, how many of the document's statements have it: documents-for-concept ranks documents by
    reading one node each instead of counting statements."""
    counts = Counter(concept_iri(s.concept) for s in statements)
    for i, (concept, count) in enumerate(sorted(counts.items(), key=lambda item: str(item[0]))):
        node = URIRef(f"{doc}/tally/{i}")
        g.add((doc, IEI.tally, node))
        g.add((node, IEI.tallyConcept, concept))
        g.add((node, IEI.statementCount, Literal(count, datatype=XSD.integer)))


def _add_cooccurrence(g: Triples, statements: list[Statement]) -> None:
    """One `a iei:cooccursWith b` (a < b) per pair of the scheme's problem/countermeasure concepts in the document,
    so that concept-cooccurrence counts graphs holding a triple instead of joining every document's statements
    pairwise. Candidate concepts are left out: each document has its own, and their pairs would outnumber the rest."""
    concepts = sorted({concept_iri(s.concept) for s in statements
                       if s.type in ("problem", "countermeasure") and not s.candidate}, key=str)
    for a, b in combinations(concepts, 2):
        g.add((a, IEI.cooccursWith, b))


def bibliographic_terms(source: SourceDocument) -> list[tuple[URIRef, Literal]]:
    """(property, value) of a document's metadata beyond its identifier: title, authors, year, language, DOI,
    type, venue (DCTerms / BIBO); only what is known. The build compares them to notice metadata changes."""
    terms = [(DCTERMS.title, Literal(source.title or source.doc_id))]
    terms += [(DCTERMS.creator, Literal(author)) for author in source.authors or []]
    if source.year:
        terms.append((DCTERMS.date, Literal(f"{int(source.year):04d}", datatype=XSD.gYear)))
    if source.language:
        terms.append((DCTERMS.language, Literal(source.language)))
    if source.doi:
        terms.append((BIBO.doi, Literal(source.doi)))
    if source.type:
        terms.append((DCTERMS.type, Literal(source.type)))
    if source.venue:
        terms.append((DCTERMS.isPartOf, Literal(source.venue)))
    return terms


def _add_bibliographic(g: Triples, source: SourceDocument, doc: URIRef) -> None:
    for prop, value in bibliographic_terms(source):
        if prop != DCTERMS.title:  # written above, in its old place
            g.add((doc, prop, value))


def _add_statement(g: Triples, source: SourceDocument, s: Statement, node: URIRef, doc: URIRef, run: URIRef) -> None:
    concept = concept_iri(s.concept)
    g.add((node, RDF.type, STATEMENT_CLASSES[s.type]))
    g.add((node, IEI.concept, concept))
    g.add((node, IEI.document, doc))
    # Shortcuts for the evidence queries (like iei:quote below): a row's document id and concept label are then read
    # on the statement itself, in its own graph, instead of through the document node or the label of every graph.
    g.add((node, IEI.documentId, Literal(source.doc_id)))
    g.add((node, IEI.conceptLabel, _label(s.label)))
    g.add((node, PROV.wasGeneratedBy, run))
    g.add((node, IEI.confidence, Literal(round(s.confidence, 3), datatype=XSD.decimal)))
    if s.link_score is not None:
        g.add((node, IEI.linkProbability, Literal(round(float(s.link_score), 3), datatype=XSD.decimal)))
    if s.section:
        g.add((node, IEI.section, Literal(s.section)))
    if s.candidate:
        g.add((concept, RDF.type, IEI.CandidateConcept))
        g.add((concept, RDF.type, CANDIDATE_KINDS[s.type]))
        g.add((concept, SKOS.prefLabel, _label(s.label)))
    _add_evidence(g, source, s, node, doc)
    if s.type == "countermeasure":
        for problem in s.addresses:
            g.add((node, IEI.addresses, concept_iri(problem)))
            g.add((concept, IEI.addresses, concept_iri(problem)))
            link = URIRef(f"{node}/addresses/{problem}")
            g.add((node, IEI.addressesVia, link))
            g.add((link, IEI.problem, concept_iri(problem)))
            g.add((link, IEI.method, Literal(s.methods.get(problem, "unknown"))))
            relevance = s.address_scores.get(problem, s.confidence)
            g.add((link, IEI.confidence, Literal(round(relevance, 3), datatype=XSD.decimal)))
        for actor in s.actors:
            g.add((node, IEI.actor, concept_iri(actor)))
            g.add((concept, IEI.actor, concept_iri(actor)))
    elif s.type == "problem":
        for stakeholder in s.involves:
            g.add((node, IEI.involves, concept_iri(stakeholder)))
            g.add((concept, IEI.involves, concept_iri(stakeholder)))
    if s.stakeholder_source and (s.actors or s.involves):
        g.add((node, IEI.stakeholderSource, Literal(s.stakeholder_source)))
    elif s.type == "cause" and s.effect:
        g.add((node, IEI.cause, concept))
        g.add((node, IEI.effect, concept_iri(s.effect)))
        g.add((concept, IEI.causes, concept_iri(s.effect)))


def _add_evidence(g: Triples, source: SourceDocument, s: Statement, node: URIRef, doc: URIRef) -> None:
    evidence = URIRef(f"{node}/evidence")
    target = URIRef(f"{node}/target")
    quote_selector = URIRef(f"{node}/quote")
    position = URIRef(f"{node}/position")
    g.add((node, IEI.evidence, evidence))
    g.add((evidence, RDF.type, IEI.Evidence))
    g.add((evidence, RDF.type, OA.Annotation))
    g.add((evidence, OA.motivatedBy, OA.describing))
    g.add((evidence, OA.hasBody, node))
    g.add((evidence, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, quote_selector))
    g.add((target, OA.hasSelector, position))
    g.add((quote_selector, RDF.type, OA.TextQuoteSelector))
    g.add((quote_selector, OA.exact, Literal(s.quote)))
    g.add((quote_selector, OA.prefix, Literal(source.text[max(0, s.start - CONTEXT_CHARS):s.start])))
    g.add((quote_selector, OA.suffix, Literal(source.text[s.end:s.end + CONTEXT_CHARS])))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(s.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(s.end, datatype=XSD.nonNegativeInteger)))
    if s.page is not None:
        g.add((evidence, IEI.page, Literal(s.page, datatype=XSD.integer)))
    # Shortcuts on the statement itself: the evidence queries read a row from one subject instead of four nodes.
    g.add((node, IEI.quote, Literal(s.quote)))
    g.add((node, IEI.start, Literal(s.start, datatype=XSD.nonNegativeInteger)))
    g.add((node, IEI.end, Literal(s.end, datatype=XSD.nonNegativeInteger)))
    if s.page is not None:
        g.add((node, IEI.page, Literal(s.page, datatype=XSD.integer)))


SCHEME_GRAPH = GRAPH.scheme
ONTOLOGY_GRAPH = GRAPH.ontology
