"""document_graph(): a document's statements as RDF, checked against a golden Turtle file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

import iei_sample as sample
from iei_kg.graph.rdf import concept_iri, doc_iri, document_graph, document_ntriples, graph_iri
from iei_kg.ontology.namespace import CANDIDATE, CONCEPT, IEI, OA

GOLDEN = Path(__file__).parent / "golden" / "doc.ttl"
DOC = doc_iri("paper-a")


@pytest.fixture(scope="module")
def g() -> Graph:
    return sample.graph()


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return ("only in output:\n" + only_a.serialize(format="nt") + "only in golden:\n" + only_b.serialize(format="nt"))


def test_matches_golden_turtle(g):
    golden = Graph().parse(GOLDEN, format="turtle")
    assert isomorphic(g, golden), _diff(g, golden)


def test_n_triples_of_the_build_workers_match_the_golden_turtle():
    text = document_ntriples(sample.source(), sample.statements(), sample.VERSION, generated=sample.GENERATED)
    lines = text.splitlines()
    assert len(lines) == len(set(lines))  # each triple once
    written, golden = Graph().parse(data=text, format="nt"), Graph().parse(GOLDEN, format="turtle")
    assert isomorphic(written, golden), _diff(written, golden)


def test_golden_comparison_notices_a_change(g):
    changed = sample.graph()
    changed.set((URIRef(f"{DOC}/statement/2/addresses/P-enterprise-motivation"), IEI.method, Literal("similarity")))
    assert not isomorphic(changed, Graph().parse(GOLDEN, format="turtle"))


def test_generated_time_is_the_given_one(g):
    run = URIRef(f"{DOC}/extraction")
    assert g.value(run, PROV.endedAtTime) == Literal("2024-05-01T12:00:00+00:00", datatype=rdfns.XSD.dateTime)
    other = document_graph(sample.source(), sample.statements(), sample.VERSION,
                           generated=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert not isomorphic(other, g)


def test_document_metadata_and_provenance(g):
    assert (DOC, RDF.type, IEI.Document) in g
    assert g.value(DOC, DCTERMS.identifier) == Literal("paper-a")
    assert g.value(DOC, DCTERMS.title) == Literal("Deepening industry-education integration")
    assert g.value(DOC, DCTERMS["format"]) == Literal("text/plain")
    assert g.value(DOC, IEI.contentHash) == Literal("hash-a")
    run = URIRef(f"{DOC}/extraction")
    assert (run, RDF.type, IEI.Extraction) in g
    assert (run, PROV.used, DOC) in g
    assert g.value(run, IEI.pipelineVersion) == Literal(sample.VERSION)
    statements = set(g.subjects(IEI.document, DOC))
    assert len(statements) == 4
    assert all((s, PROV.wasGeneratedBy, run) in g for s in statements)


def test_evidence_selectors_quote_the_source_text(g):
    text = sample.TEXT
    statements = sorted(g.subjects(IEI.document, DOC))
    assert statements
    for statement in statements:
        evidence = g.value(statement, IEI.evidence)
        assert (evidence, RDF.type, OA.Annotation) in g and (evidence, RDF.type, IEI.Evidence) in g
        assert g.value(evidence, OA.hasBody) == statement
        target = g.value(evidence, OA.hasTarget)
        assert (target, RDF.type, OA.SpecificResource) in g
        assert g.value(target, OA.hasSource) == DOC
        selectors = {g.value(s, RDF.type): s for s in g.objects(target, OA.hasSelector)}
        assert set(selectors) == {OA.TextQuoteSelector, OA.TextPositionSelector}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = g.value(position, OA.start), g.value(position, OA.end)
        assert start.datatype == rdfns.XSD.nonNegativeInteger
        start, end = start.toPython(), end.toPython()
        exact = str(g.value(quote, OA.exact))
        assert exact == text[start:end]
        assert str(g.value(quote, OA.prefix)) == text[max(0, start - 32):start]
        assert str(g.value(quote, OA.suffix)) == text[end:end + 32]


def test_concept_level_edges(g):
    p, c = CONCEPT["P-enterprise-motivation"], CONCEPT["C-incentives"]
    assert (c, IEI.addresses, p) in g
    assert (c, IEI.actor, CONCEPT["S-government"]) in g
    assert (p, IEI.involves, CONCEPT["S-enterprise"]) in g
    assert (CONCEPT["P-unclear-rights-interests"], IEI.causes, p) in g
    link = URIRef(f"{DOC}/statement/2/addresses/P-enterprise-motivation")
    assert g.value(link, IEI.problem) == p
    assert g.value(link, IEI.method) == Literal("scheme")
    assert g.value(link, IEI.confidence) == Literal("0.712", datatype=rdfns.XSD.decimal)


def test_candidate_concept_is_typed_and_labelled(g):
    candidate = CANDIDATE["C-candidate-virtual-simulation-lab"]
    assert concept_iri("C-candidate-virtual-simulation-lab") == candidate
    assert (candidate, RDF.type, IEI.CandidateConcept) in g
    assert (candidate, RDF.type, IEI.Countermeasure) in g
    assert g.value(candidate, SKOS.prefLabel) == Literal("virtual simulation lab", lang="en")
    # scheme concepts are not given types or labels by a document
    assert (CONCEPT["C-incentives"], RDF.type, IEI.CandidateConcept) not in g
    assert g.value(CONCEPT["C-incentives"], SKOS.prefLabel) is None


def test_the_linker_s_probability_is_kept_on_a_linked_statement_only():
    statements = sample.statements()
    linked = next(s for s in statements if s.type == "problem" and not s.candidate)
    linked.link_score = 0.61234
    g = document_graph(sample.source(), statements, sample.VERSION, generated=sample.GENERATED)
    assert list(g.objects(None, IEI.linkProbability)) == [Literal("0.612", datatype=rdfns.XSD.decimal)]


def test_a_candidate_label_from_a_chinese_sentence_is_tagged_zh():
    statements = sample.statements()
    candidate = next(s for s in statements if s.candidate)
    candidate.label = "虚拟仿真实训基地"
    g = document_graph(sample.source(), statements, sample.VERSION, generated=sample.GENERATED)
    assert g.value(concept_iri(candidate.concept), SKOS.prefLabel) == Literal("虚拟仿真实训基地", lang="zh")


def test_page_is_recorded_for_paged_documents():
    source = sample.source()
    source.media_type, source.page_starts = "application/pdf", [0, 100]
    statements = sample.statements()
    for s in statements:
        s.page = source.page_at(s.start)
    g = document_graph(source, statements, sample.VERSION, generated=sample.GENERATED)
    statement_nodes = set(g.subjects(IEI.document, DOC))
    on_evidence = sorted(int(g.value(g.value(s, IEI.evidence), IEI.page)) for s in statement_nodes)
    assert on_evidence == [1, 1, 2, 2]
    assert sorted(int(g.value(s, IEI.page)) for s in statement_nodes) == on_evidence  # the shortcut
    assert not list(sample.graph().objects(None, IEI.page))


def test_statements_carry_the_quote_and_offsets_of_their_evidence(g):
    for statement in g.subjects(IEI.document, DOC):
        selectors = list(g.objects(g.value(g.value(statement, IEI.evidence), OA.hasTarget), OA.hasSelector))
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
        (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
        assert g.value(statement, IEI.quote) == g.value(quote, OA.exact)
        assert g.value(statement, IEI.start) == g.value(position, OA.start)
        assert g.value(statement, IEI.end) == g.value(position, OA.end)


def test_cooccurrence_pairs_of_problem_and_countermeasure_concepts(g):
    # the cause's concept is not one, and the candidate concept (C-candidate-virtual-simulation-lab) is left out
    pairs = {(a, b) for a, _, b in g.triples((None, IEI.cooccursWith, None))}
    assert pairs == {(CONCEPT["C-incentives"], CONCEPT["P-enterprise-motivation"])}


def test_doc_ids_are_escaped_into_iris():
    assert str(doc_iri("a paper/1")).endswith("/doc/a%20paper%2F1")
    assert str(graph_iri("a paper/1")).endswith("/graph/a%20paper%2F1")


def test_closed_namespace_rejects_misspelt_terms():
    with pytest.raises(AttributeError):
        IEI.misspelt  # noqa: B018
    assert IEI.addresses == URIRef("https://w3id.org/iei-kg/ontology#addresses")


def test_every_iei_term_used_is_declared_in_the_ontology(g):
    ontology = Graph().parse(Path(__file__).parents[2] / "ontology" / "iei.ttl")
    ns = str(IEI._NS)
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(ns)}
    assert used
    undeclared = {t for t in used if (t, RDF.type, None) not in ontology}
    assert not undeclared
