"""Extract every statement of one document: a pure function of (document, extractor configuration)."""

from __future__ import annotations

import re
from pathlib import Path
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import cached_property

import numpy as np

from iei_kg.config import ExtractorConfig
from iei_kg.extract.cues import CueSet, lemma_text, load_cues
from iei_kg.extract.embedding_cache import CachingEncoder
from iei_kg.extract.embeddings import MULTILINGUAL_MODELS, NO_MODEL, encoder_key, get_embedder
from iei_kg.extract.examples import Example, annotated_examples, default_annotations_dir, scheme_examples
from iei_kg.extract.linking import ConceptLinker, Link, content_lemmas
from iei_kg.extract.training import load_or_train
from iei_kg.extract.nlp import load_pipeline
from iei_kg.extract.addresses import PairModel, Stated, add_addresses, load_pair_model
from iei_kg.extract.relations import (
    EXPLICIT_LINK, StakeholderMatcher, causal_split, cause_statement,
    explicit_problem_mentions, implied_stakeholders, listed_causes, load_causal_markers, load_solve_markers,
    mirrored_sections)
from iei_kg.extract.segments import Segment, segment_document
from iei_kg.extract.statement_types import TypedSegment, classify_segments
from iei_kg.ingest.layout import analyse_layout
from iei_kg.ontology.scheme import ConceptScheme, load_scheme
from iei_kg.records import SourceDocument, Statement

NO_CACHE = "none"
CAUSE_LINK = 0.42  # both sides of a causal sentence must name a problem at least this clearly
LEAD_CLAUSE_WEIGHT = 0.5
FULL_LINK_SCORE = 0.7  # a concept link scoring this much or more takes nothing off the confidence
LEAD_CLAUSE_MAX_WORDS = 20


class Extractor:
    """Holds the loaded models and rules; `extract(doc)` is the per-document work."""

    def __init__(self, config: ExtractorConfig | None = None):
        self.config = config or ExtractorConfig()

    @cached_property
    def nlp(self):
        return load_pipeline(self.config.spacy_model)

    @cached_property
    def scheme(self) -> ConceptScheme:
        return load_scheme(self.config.scheme_path)

    @cached_property
    def cues(self) -> CueSet:
        return load_cues(self.config.cues_path)

    @cached_property
    def embedder(self):
        embedder = get_embedder(self.config.embedding_model, self.config.device)
        cache = self.config.embedding_cache
        if embedder is None or cache in (None, NO_CACHE):
            return embedder
        return CachingEncoder(embedder, cache)

    @cached_property
    def examples(self) -> list[Example]:
        """The labelled sentences the linker learns from: the scheme's examples and the annotated documents."""
        folder = self.config.annotations
        annotated = [] if folder == NO_CACHE else annotated_examples(folder or default_annotations_dir(), self.scheme)
        return scheme_examples(self.scheme) + annotated

    @cached_property
    def linker(self) -> ConceptLinker:
        linker = ConceptLinker(self.scheme, self.nlp, self.embedder)
        if self.embedder is not None:  # the learned model reads sentence vectors
            cache = self.config.embedding_cache
            cache_dir = Path(cache).parent if cache not in (None, NO_CACHE) else None
            multilingual = self.config.embedding_model in MULTILINGUAL_MODELS
            linker.model = load_or_train(linker, self.nlp, self.encode, self.examples, self.config.embedding_model,
                                         encoder_key(self.embedder), cache_dir,
                                         self.chinese_labels if multilingual else None)
        return linker

    @cached_property
    def pair_model(self) -> PairModel:
        return load_pair_model()

    @cached_property
    def stakeholders(self) -> StakeholderMatcher:
        return StakeholderMatcher(self.scheme, self.nlp)

    @cached_property
    def markers(self):
        return load_causal_markers(self.config.cues_path)

    @cached_property
    def solve_markers(self):
        return load_solve_markers(self.config.cues_path)

    @cached_property
    def chinese_labels(self):
        """The scheme's Chinese labels as the Chinese path matches them (the index extract_chinese builds)."""
        from iei_kg.extract.chinese import label_index, load_zh_cues

        return label_index(self.scheme, load_zh_cues().stakeholder_labels)

    def encode(self, texts: list[str]) -> np.ndarray | list[None]:
        return self.embedder.encode(texts) if self.embedder else [None] * len(texts)

    def extract(self, source: SourceDocument) -> list[Statement]:
        if source.language == "zh":  # Chinese rules and labels; the learned model links, where there is one
            from iei_kg.extract.chinese import extract_chinese
            learned = self.config.embedding_model != NO_MODEL and self.linker.model is not None  # else no model loads
            return extract_chinese(source, self.scheme, link_statement=self._chinese_link if learned else None)
        self.linker, self.stakeholders  # noqa: B018 - built outside the zone below: their strings must outlive it
        # The strings and lexemes of this document's text are freed when it is done, so that a worker's memory
        # stays flat over a large corpus (spaCy's vocabulary otherwise grows with every new word it sees).
        with self.nlp.memory_zone():
            return self._extract(source)

    def _extract(self, source: SourceDocument) -> list[Statement]:
        layout = analyse_layout(source.text)
        segments = segment_document(self.nlp, source.text, layout)
        typed = [t for t in classify_segments(segments, self.cues) if t.type]
        headings = {s.heading.start: s for s in segments if s.is_heading}
        leads = [lead_clause(t.segment.span) for t in typed]
        # One call for the whole document: the model batches best with many texts (and the cache looks up once).
        texts = ([_flat(t.segment.text) for t in typed] + [_flat(s.text) for s in headings.values()]
                 + [lead.text for lead in leads if lead is not None])
        encoded = self.encode(texts)
        vectors = encoded[:len(typed)]
        heading_vectors = dict(zip(headings, encoded[len(typed):len(typed) + len(headings)]))
        lead_vectors = iter(encoded[len(typed) + len(headings):])
        context: dict[tuple[int, str], np.ndarray] = {}  # (heading start, kind) -> the heading's concept scores

        def heading_scores(start: int, kind: str) -> np.ndarray:
            if (start, kind) not in context:
                span = headings[start].span
                context[start, kind] = self.linker.scores(set(content_lemmas(span)), heading_vectors[start], kind)
            return context[start, kind]

        named = [[c for c, _ in self.stakeholders.find(t.segment.span)] for t in typed]  # stakeholders named in each
        statements: list[Statement] = []
        for item, vector, lead, mentioned in zip(typed, vectors, leads, named):
            lead_vector = next(lead_vectors) if lead is not None else None
            statements.append(self._statement(source, item, vector, (lead, lead_vector), headings, heading_scores,
                                              mentioned))
        implied_stakeholders(statements)
        self._add_addresses(statements, typed, vectors)
        statements += self._causes(source, statements, typed, segments)
        statements += self._stakeholder_mentions(source, statements, named)
        return statements

    def _statement(self, source, item: TypedSegment, vector, lead, headings, heading_scores,
                   mentioned: list[str]) -> Statement:
        seg, kind = item.segment, item.type
        h = seg.heading
        if self.linker.model is not None:
            link = self._learned_link(seg.span, vector, lead, kind)
        else:
            scores = self.linker.scores(set(content_lemmas(seg.span)), vector, kind)
            head, head_vector = lead
            if head is not None:
                # "First, establish benefit incentive mechanisms; besides ..., link ...": the lead clause names the claim.
                head_scores = self.linker.scores(set(content_lemmas(head)), head_vector, kind)
                scores = (1 - LEAD_CLAUSE_WEIGHT) * scores + LEAD_CLAUSE_WEIGHT * head_scores
            context = None
            if h is not None and not seg.is_heading and h.number and h.start in headings:
                context = heading_scores(h.start, kind)
            link = self.linker.link(scores, kind, context)
        if link is not None:
            concept_id, label, candidate = link.concept, self.scheme[link.concept].label, False
            confidence = item.confidence * min(1.0, link.score / FULL_LINK_SCORE)
        else:
            concept_id, label = candidate_concept(seg.span, kind)
            candidate, confidence = True, item.confidence * 0.5
        statement = Statement(
            doc=source.doc_id, type=kind, concept=concept_id, label=label, quote=seg.text,
            start=seg.start, end=seg.end, page=source.page_at(seg.start),
            section=h.text if h is not None else None, confidence=round(confidence, 3), candidate=candidate,
            link_score=link.score if link is not None else None,
        )
        heading = headings[h.start].span if h is not None and h.start in headings else None
        stakeholders, read_from = self._stakeholders(kind, seg.span, mentioned, heading)
        if stakeholders:
            setattr(statement, "involves" if kind == "problem" else "actors", stakeholders)
            statement.stakeholder_source = read_from
        return statement

    def _learned_link(self, span, vector, lead, kind: str) -> Link | None:
        """The learned model's concept for a sentence (its lead clause, when it has one, weighs half)."""
        shared = self.linker.shared_scores(self.linker.lexical_scores(set(content_lemmas(span)), kind), vector, kind)
        head, head_vector = lead
        if head is not None:
            head_shared = self.linker.shared_scores(self.linker.lexical_scores(set(content_lemmas(head)), kind),
                                                    head_vector, kind)
            shared = (1 - LEAD_CLAUSE_WEIGHT) * shared + LEAD_CLAUSE_WEIGHT * head_shared
        return self.linker.classify(vector, shared, kind)

    def _chinese_link(self, text: str, kind: str) -> tuple[str, float] | None:
        """The learned model's concept for a Chinese sentence (extract_chinese's `link_statement`)."""
        from iei_kg.extract.chinese import lexical_scores

        vector = self.encode([text])[0]
        lexical = lexical_scores(text, kind, self.chinese_labels, self.linker.ids[kind])
        link = self.linker.classify(vector, self.linker.shared_scores(lexical, vector, kind), kind)
        return (link.concept, link.score) if link is not None else None

    def _stakeholders(self, kind: str, span, mentioned: list[str], heading) -> tuple[list[str], str]:
        """Whom a problem sentence involves or who should carry out a measure, and where that was read: the sentence,
        else its section heading ("3.2 Enterprises should ..." over "Enhance their R&D ..."); implied_stakeholders
        fills in the rest from the section."""
        find = ((lambda s: list(dict.fromkeys(c for c, _ in self.stakeholders.find(s)))) if kind == "problem"
                else self.stakeholders.actors)
        named = list(dict.fromkeys(mentioned)) if kind == "problem" else find(span)
        if named or heading is None:
            return named, "sentence"
        return find(heading), "heading"

    def _add_addresses(self, statements: list[Statement], typed: list[TypedSegment], vectors) -> list:
        """Which problems of this document each countermeasure concept answers, and how that was found: the pair
        model (extract/addresses.py) reads the signals of each countermeasure statement and problem concept.
        Returns the pairs considered, with their signals."""
        section_pairs = self._mirrored(statements, typed)
        problems = {s.concept for s in statements if s.type == "problem" and not s.candidate}
        positions, stated = [], []
        for i, (statement, item, vector) in enumerate(zip(statements, typed, vectors)):
            if statement.type not in ("problem", "countermeasure") or statement.candidate:
                continue
            explicit = None
            if statement.type == "countermeasure" and explicit_problem_mentions(lemma_text(item.segment.span),
                                                                                self.solve_markers):
                scores = self.linker.scores(set(content_lemmas(item.segment.span)), vector, "problem")
                best = int(np.argmax(scores))
                if scores[best] >= EXPLICIT_LINK and self.linker.ids["problem"][best] in problems:
                    explicit = (self.linker.ids["problem"][best], min(float(scores[best]) + 0.3, 1.0))
            positions.append(i)
            stated.append(Stated(statement.type, statement.concept, statement.section, vector,
                                 section_pairs.get(statement.section) if statement.type == "countermeasure" else None,
                                 explicit))
        return add_addresses(statements, positions, stated, self.scheme, self.pair_model)

    def _mirrored(self, statements: list[Statement], typed: list[TypedSegment]) -> dict[str, str]:
        """Countermeasure section heading -> the main problem of its mirrored problem section."""
        by_section: dict[str, Counter] = defaultdict(Counter)
        order: dict[str, list[str]] = {"problem": [], "countermeasure": []}
        for statement, item in zip(statements, typed):
            section = statement.section
            heading = item.segment.heading
            if not section or heading is None or heading.level < 2 or item.role not in order:
                continue
            if section not in order[item.role]:
                order[item.role].append(section)
            if statement.type == "problem" and not statement.candidate:
                by_section[section][statement.concept] += 1
        pairs = mirrored_sections(order["problem"], order["countermeasure"])
        return {c: by_section[p].most_common(1)[0][0] for c, p in pairs.items() if by_section[p]}

    def _causes(self, source, statements: list[Statement], typed: list[TypedSegment],
                segments: list[Segment]) -> list[Statement]:
        body = [seg for seg in segments if not seg.is_heading]
        starts = [seg.start for seg in body]
        split = []
        for statement, item in zip(statements, typed):
            segment = item.segment
            parts = causal_split(segment.span, self.markers) if statement.type == "problem" else None
            if parts is None:
                continue
            if None in parts:  # "As a result, ...", "This is mainly because ...": the sentence before is the other side
                i = bisect_left(starts, segment.start) - 1
                if i < 0 or body[i].heading is not segment.heading:
                    continue
                parts = tuple(body[i].span if part is None else part for part in parts)
            split.append((statement, parts))
        vectors = iter(self.encode([_flat(part.text) for _, parts in split for part in parts]))  # one call a document
        causes = []
        for statement, parts in split:
            linked = []
            for part in parts:
                scores = self.linker.scores(set(content_lemmas(part)), next(vectors), "problem")
                best = int(np.argmax(scores))
                linked.append((self.linker.ids["problem"][best], float(scores[best])))
            (cause, cause_score), (effect, effect_score) = linked
            if cause != effect and min(cause_score, effect_score) >= CAUSE_LINK:
                causes.append(cause_statement(statement, cause, self.scheme[cause].label, effect,
                                              min(cause_score, effect_score)))
        # Every body sentence in text order, the problem statements with theirs: reasons announced in a sentence
        # that states no problem ("The reasons are as follows.") count too.
        stated = sorted(item.segment.start for item in typed)
        sentences = ([(item.segment.start, s, lemma_text(item.segment.span), s.section)
                      for s, item in zip(statements, typed) if s.type == "problem"]
                     + [(seg.start, None, lemma_text(seg.span), seg.heading.text if seg.heading is not None else None)
                        for seg in segments if not seg.is_heading and not _holds_any(seg, stated)])
        return causes + listed_causes(sentences, self.markers.announces_reasons, self.markers.enumerator, causes)

    def _stakeholder_mentions(self, source, statements: list[Statement], named: list[list[str]]) -> list[Statement]:
        """One stakeholder statement per stakeholder and sentence, for the sentences that are statements."""
        mentions = []
        for statement, mentioned in zip(statements, named):
            if statement.type not in ("problem", "countermeasure"):
                continue
            for concept_id in dict.fromkeys(mentioned):
                mentions.append(Statement(
                    doc=source.doc_id, type="stakeholder", concept=concept_id, label=self.scheme[concept_id].label,
                    quote=statement.quote, start=statement.start, end=statement.end, page=statement.page,
                    section=statement.section, confidence=1.0,
                ))
        return mentions


def lead_clause(span):
    """The clause before the first ';' or ':' of a sentence, when it is short enough to be a summary of it."""
    for token in span[2:]:
        if token.text in {";", "；", ":", "："}:
            clause = span.doc[span.start:token.i]
            words = sum(1 for t in clause if t.is_alpha)
            return clause if 3 <= words <= LEAD_CLAUSE_MAX_WORDS and token.i - span.start < 0.7 * len(span) else None
    return None


def candidate_concept(span, kind: str) -> tuple[str, str]:
    """An id and label for a statement no concept fits: its main noun phrase, so that rewordings group together."""
    chunks = sorted(span.noun_chunks, key=lambda c: (c.root.dep_ not in {"nsubj", "dobj", "nsubjpass", "pobj"}, c.start))
    words = [t.lemma_.lower() for t in (chunks[0] if chunks else span) if t.is_alpha and not t.is_stop][:4]
    label = " ".join(words) or "unnamed"
    prefix = "P" if kind == "problem" else "C"
    return f"{prefix}-candidate-{re.sub(r'[^a-z0-9]+', '-', label).strip('-')}", label


def _holds_any(segment: Segment, starts: list[int]) -> bool:
    """Does a statement start inside the segment (the whole sentence, or one of its clauses)? `starts` sorted."""
    i = bisect_left(starts, segment.start)
    return i < len(starts) and starts[i] < segment.end


def _flat(text: str) -> str:
    return " ".join(text.split())
