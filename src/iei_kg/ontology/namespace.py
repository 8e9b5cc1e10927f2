"""IRIs of the iei-kg vocabulary. `IEI` is closed: a misspelt term raises AttributeError at once."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/iei-kg/"
CONCEPT = Namespace(BASE + "concept/")  # concepts of the scheme: CONCEPT["P-enterprise-motivation"]
CANDIDATE = Namespace(BASE + "concept/candidate/")  # concepts proposed by the extractor, not yet curated
DOC = Namespace(BASE + "doc/")  # documents: DOC[doc_id]; statements live under DOC[f"{doc_id}/..."]
GRAPH = Namespace(BASE + "graph/")  # named graphs: GRAPH[doc_id] per document, GRAPH.scheme, GRAPH.ontology
SUMMARY_GRAPH = URIRef(BASE + "summary")  # corpus-wide counts, recomputed at the end of each build (not a document)
OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")


class IEI(DefinedNamespace):
    """Classes and properties of ontology/iei.ttl."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # Classes
    Document: URIRef
    Problem: URIRef
    Countermeasure: URIRef
    Stakeholder: URIRef
    CandidateConcept: URIRef
    Statement: URIRef
    ProblemStatement: URIRef
    CountermeasureStatement: URIRef
    CauseStatement: URIRef
    StakeholderMention: URIRef
    Evidence: URIRef
    Extraction: URIRef

    # Concept-level relations (asserted in a document's named graph: "this document says so")
    addresses: URIRef  # countermeasure -> problem
    causes: URIRef  # problem -> problem
    involves: URIRef  # problem -> stakeholder
    actor: URIRef  # countermeasure -> stakeholder
    remedies: URIRef  # scheme knowledge: countermeasure -> problem it typically answers
    cooccursWith: URIRef  # problem/countermeasure -> another one discussed in the same document (a < b)

    # Counts, so that ranking queries read a few nodes instead of counting statements
    tally: URIRef  # document -> a tally node: how many of its statements a concept has
    tallyConcept: URIRef
    statementCount: URIRef
    CooccurrencePair: URIRef  # in the corpus summary graph: a concept pair and its number of documents
    conceptA: URIRef
    conceptB: URIRef
    documentCount: URIRef
    # More of the corpus summary graph, so that a page of a named query is a few index lookups
    summaryVersion: URIRef  # on the summary graph's own IRI: which layout refresh_summary wrote
    pairRank: URIRef  # CooccurrencePair -> its position (0 first) by documents, then concepts
    documentRank: URIRef  # concept -> the positions (0 first) of its RankedDocument entries
    RankedDocument: URIRef  # a document in a concept's ranking: documentId, documentTitle, statementCount
    documentId: URIRef  # statement or RankedDocument -> its document's dcterms:identifier
    documentTitle: URIRef  # RankedDocument -> its document's dcterms:title
    conceptLabel: URIRef  # concept, or statement -> (its concept's) English label

    # Statement properties
    concept: URIRef
    cause: URIRef
    effect: URIRef
    document: URIRef
    evidence: URIRef
    confidence: URIRef
    linkProbability: URIRef  # the learned linker's probability of a statement's concept
    page: URIRef
    section: URIRef
    method: URIRef  # how an addresses link was found
    stakeholderSource: URIRef  # where a statement's iei:actor / iei:involves stakeholders were read
    addressesVia: URIRef  # statement -> link node (problem, method)
    problem: URIRef
    quote: URIRef  # shortcuts of the evidence: its oa:exact, oa:start, oa:end (and iei:page) on the statement
    start: URIRef
    end: URIRef

    # Document properties
    contentHash: URIRef
    pipelineVersion: URIRef
    sourcePath: URIRef
