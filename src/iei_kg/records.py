"""Plain records passed between the pipeline stages: a read document, its segments, extracted statements."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SourceDocument:
    """A document's text as read from disk, with what is needed to cite it."""

    doc_id: str  # the file stem: the document's id everywhere
    path: str
    text: str
    content_hash: str
    media_type: str  # text/plain, text/markdown, application/pdf
    page_starts: list[int] = field(default_factory=lambda: [0])  # offset where each page begins
    title: str | None = None
    # Bibliographic metadata (ingest/metadata.py): from the document, a catalogue file or a sidecar.
    authors: list[str] | None = None
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    language: str | None = None  # ISO 639-1: zh, en ...
    type: str | None = None  # paper | policy

    def page_at(self, offset: int) -> int | None:
        """1-based page of a character offset, or None for formats without pages."""
        if self.media_type != "application/pdf":
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
        return page + 1


# "sentence": named in the statement's own sentence; "heading": named in its section heading; "section": named most
# often by the other statements of its section (the sentence and its heading name nobody)
STAKEHOLDER_SOURCES = ("sentence", "heading", "section")


@dataclass
class Statement:
    """One extracted statement with its evidence: a problem, countermeasure, cause or stakeholder mention."""

    doc: str
    type: str  # problem | countermeasure | cause | stakeholder
    concept: str  # concept id (scheme id, or candidate id)
    label: str
    quote: str  # exact substring of the document text
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    confidence: float = 0.0
    actors: list[str] = field(default_factory=list)  # countermeasure: who should act
    addresses: list[str] = field(default_factory=list)  # countermeasure: problem ids it answers
    involves: list[str] = field(default_factory=list)  # problem: stakeholder ids it concerns
    # Where the actors (countermeasure) or involved stakeholders (problem) come from: STAKEHOLDER_SOURCES
    stakeholder_source: str | None = None
    effect: str | None = None  # cause: the effect's concept id (concept is the cause)
    candidate: bool = False  # concept is a candidate, not (yet) in the scheme
    methods: dict[str, str] = field(default_factory=dict)  # addressed problem id -> how it was found
    address_scores: dict[str, float] = field(default_factory=dict)  # addressed problem id -> passage relevance
    link_score: float | None = None  # how sure the linker was of `concept` (the learned model: its probability)

    def as_mention(self) -> dict:
        """The JSON Lines record of `iei-kg export mentions`."""
        record = asdict(self)
        del record["methods"]
        del record["address_scores"]
        del record["link_score"]
        return record
