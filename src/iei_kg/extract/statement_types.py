"""Decide which segments state a problem or a countermeasure, from cues and the role of their section."""

from __future__ import annotations

import math
from dataclasses import dataclass

from iei_kg.extract.cues import CueSet, heading_role, lemma_text, opens_with_imperative
from iei_kg.extract.segments import Segment

STATEMENT_ROLES = ("problem", "countermeasure")
# A section without a telling heading takes the role most of its sentences point to, if this many do.
CONTENT_ROLE_SHARE = 0.4
CLAUSE_BREAKS = {";", "；"}
MIN_CLAUSE_WORDS = 6  # a clause shorter than this is part of its neighbour's statement, not one of its own


@dataclass
class TypedSegment:
    segment: Segment
    type: str | None  # problem | countermeasure | None
    confidence: float
    role: str | None  # role of the section it stands in


def _cue_scores(segment: Segment, cues: CueSet) -> tuple[float, float, bool]:
    w = cues.weights
    text = lemma_text(segment.span)
    c = w["strong_cue"] * len(cues.c_strong.findall(text)) + w["weak_cue"] * min(len(cues.c_weak.findall(text)), 3)
    if opens_with_imperative(segment.span, cues.imperative):
        c += w["imperative"]
    # "in order to solve the above problems" recommends: the problem it names is no problem cue.
    rest = cues.solved_problem.sub(" ", text)
    p = w["strong_cue"] * min(len(cues.p_strong.findall(rest)), 3) + w["weak_cue"] * min(len(cues.p_weak.findall(rest)), 3)
    return c, p, bool(cues.background.search(text))


def section_roles(segments: list[Segment], cues: CueSet) -> dict[int, str | None]:
    """Role of every section (keyed by its heading's start): from its heading, its parent, or its content."""
    roles: dict[int, str | None] = {}
    stack: list[tuple[int, str | None]] = []  # (level, role) of the enclosing headings
    for seg in (s for s in segments if s.is_heading):
        level = seg.heading.level if seg.heading.number else 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        own = heading_role(seg.span, cues)
        if own == "problem" and _names_a_measure(seg.span, cues):
            own = "countermeasure"
        if own is None and stack and stack[-1][1] in STATEMENT_ROLES:
            own = stack[-1][1]
        roles[seg.heading.start] = own
        stack.append((level, own))
    # Sections whose headings say nothing ("2.1 University Perspective") take the role their sentences show.
    votes: dict[int, list[str]] = {}
    for seg in segments:
        if seg.is_heading or seg.heading is None or roles.get(seg.heading.start) is not None:
            continue
        c, p, _ = _cue_scores(seg, cues)
        votes.setdefault(seg.heading.start, []).append(
            "countermeasure" if c >= cues.weights["threshold"] and c > p else
            "problem" if p >= cues.weights["threshold"] and p > c else "none")
    for start, vote in votes.items():
        for role in STATEMENT_ROLES:
            other = STATEMENT_ROLES[1 - STATEMENT_ROLES.index(role)]
            if vote.count(role) >= CONTENT_ROLE_SHARE * len(vote) and vote.count(role) > vote.count(other):
                roles[start] = role
    return roles


def _names_a_measure(heading, cues: CueSet) -> bool:
    """"6.2 Resource Allocation Contract Constraint Mechanism" names a measure (a constraint mechanism), though
    "constraint" is a problem word of headings; "Lack of Constraint Mechanism" does not."""
    text = lemma_text(heading)
    return bool(cues.measure_heading.search(text)) and not cues.p_strong.search(text)


def classify_segments(segments: list[Segment], cues: CueSet) -> list[TypedSegment]:
    """Type every segment; headings that only name a section ("3. Countermeasures") are not statements.

    A sentence whose ';'-separated clauses each make a statement of their own ("colleges should strengthen ...;
    on the other hand, enterprises should change ...") becomes one statement per clause.
    """
    roles = section_roles(segments, cues)
    typed = []
    for seg in segments:
        role = roles.get(seg.heading.start) if seg.heading else None
        if seg.is_heading:
            if not seg.heading.number or cues.generic_heading.search(lemma_text(seg.span)):
                typed.append(TypedSegment(seg, None, 0.0, role))
                continue
        kind, confidence = _type_of(seg, role, cues)
        parts = _clauses(seg) if kind is not None and not seg.is_heading else []
        part_types = [_type_of(part, role, cues) for part in parts]
        if len(parts) > 1 and all(k is not None for k, _ in part_types):
            typed += [TypedSegment(part, k, c, role) for part, (k, c) in zip(parts, part_types)]
        else:
            typed.append(TypedSegment(seg, kind, confidence, role))
    return typed


def _type_of(seg: Segment, role: str | None, cues: CueSet) -> tuple[str | None, float]:
    """(problem | countermeasure | None, confidence) of one segment in a section of the given role."""
    w = cues.weights
    c, p, background = _cue_scores(seg, cues)
    if role in ("summary", "background"):
        c *= w["summary_damping"]
        p *= w["summary_damping"]
    elif role in STATEMENT_ROLES:
        if role == "countermeasure":
            c += w["section_prior"]
        else:
            p += w["section_prior"]
    if background:
        c += w["background"]
        p += w["background"]
    best, other, kind = (c, p, "countermeasure") if c >= p else (p, c, "problem")
    if best >= w["threshold"] and best > other:
        return kind, round(1 / (1 + math.exp(-(best - w["threshold"] + (best - other)) * 1.5)), 3)
    return None, 0.0


def _clauses(seg: Segment) -> list[Segment]:
    """The ';'-separated clauses of a sentence, each long enough to state something, as segments of their own."""
    span = seg.span
    if span is None or not any(t.text in CLAUSE_BREAKS for t in span):
        return []
    words = [t for t in span if not t.is_space]
    if not words:
        return []
    base = seg.start - words[0].idx  # document offset of the parsed text's character 0
    parts, first = [], 0
    for i, token in enumerate(span):
        if token.text in CLAUSE_BREAKS:
            parts.append(span[first:i])
            first = i + 1
    parts.append(span[first:])
    if any(sum(t.is_alpha for t in part) < MIN_CLAUSE_WORDS for part in parts):
        return []
    out = []
    for part in parts:
        tokens = [t for t in part if not t.is_space]
        start, end = base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)
        if start < seg.start or end > seg.end:
            return []
        out.append(Segment(start, end, seg.text[start - seg.start:end - seg.start], seg.heading, span=part))
    return out
