"""Relations inside a document: who a statement concerns or who should act, causes, and addresses."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span

from iei_kg.extract.cues import phrase_regex
from iei_kg.ontology.scheme import ConceptScheme
from iei_kg.records import Statement
from iei_kg.rules import load_rules

SUBJECT_DEPS = {"nsubj", "nsubjpass", "agent", "csubj", "expl"}
NOT_ACTOR_DEPS = {"dobj", "pobj", "dative", "iobj", "attr", "compound", "amod", "nmod", "poss", "npadvmod"}
EXPLICIT_LINK = 0.45  # a problem concept named inside a countermeasure sentence


class StakeholderMatcher:
    """Finds stakeholder concepts in a parsed span by their labels (lower-cased, singular or plural)."""

    def __init__(self, scheme: ConceptScheme, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for concept in scheme.of_kind("stakeholder"):
            labels = {concept.label.split("(")[0].strip(), *concept.alt_labels}
            forms = set()
            for label in labels:
                forms.add(label.lower())
                forms.add(plural(label.lower()))
            self.matcher.add(concept.id, [nlp.make_doc(f) for f in forms if f])
        self.vocab = nlp.vocab

    def find(self, span: Span) -> list[tuple[str, Span]]:
        """(stakeholder id, matched span), longest match first where they overlap (SMEs over enterprises)."""
        matches = self.matcher(span, as_spans=True)
        matches = sorted(matches, key=lambda m: (-(m.end - m.start), m.start))
        taken: set[int] = set()
        found = []
        for m in matches:
            if taken.isdisjoint(range(m.start, m.end)):
                taken.update(range(m.start, m.end))
                found.append((self.vocab.strings[m.label], m))
        return sorted(found, key=lambda x: x[1].start)

    def actors(self, span: Span) -> list[str]:
        """Who should act: stakeholders standing as subject (or agent) of the sentence's verbs; failing that,
        stakeholders named as a noun phrase of their own that is not an object ("give enterprises tax
        incentives" makes enterprises beneficiaries) nor a modifier ("enterprise participation")."""
        found = self.find(span)
        subjects, others = [], []
        for concept_id, match in found:
            path = [match.root, *match.root.ancestors]
            if any(t.dep_ in SUBJECT_DEPS for t in path[:3]):
                subjects.append(concept_id)
            elif match.root.dep_ not in NOT_ACTOR_DEPS:
                others.append(concept_id)
        return _unique(subjects or others)


def implied_stakeholders(statements: list[Statement]) -> None:
    """A measure that names no actor ("Formulate incentive mechanisms ...") is carried out by whoever the other
    measures of its section name most often as actor; a problem sentence that names nobody concerns whoever the
    section's other problem sentences name most often (the annotation guideline's "clearly implied by the section")."""
    for kind, attribute in (("countermeasure", "actors"), ("problem", "involves")):
        named: dict[str | None, Counter] = defaultdict(Counter)
        for s in statements:
            if s.type == kind and s.section:
                named[s.section].update(getattr(s, attribute))
        for s in statements:
            if s.type == kind and s.section and not getattr(s, attribute) and named[s.section]:
                setattr(s, attribute, [named[s.section].most_common(1)[0][0]])
                s.stakeholder_source = "section"


def plural(word: str) -> str:
    """The phrase with its last word in the plural ("industry association" -> "industry associations")."""
    last = word.split()[-1] if word.split() else word
    if last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        form = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        form = last + "es"
    else:
        form = last + "s"
    return word[: len(word) - len(last)] + form


def _unique(items):
    return list(dict.fromkeys(items))


@dataclass
class CausalMarkers:
    forward: re.Pattern
    backward: re.Pattern
    announces_reasons: re.Pattern
    enumerator: re.Pattern  # at the start of a sentence


def load_causal_markers(path: str | None = None) -> CausalMarkers:
    rules = load_rules("cues", path)["causal_markers"]
    return CausalMarkers(phrase_regex(rules["forward"]), phrase_regex(rules["backward"]),
                         phrase_regex(rules["announces_reasons"]),
                         re.compile(r"\s*" + phrase_regex(rules["enumerators"]).pattern))


def load_solve_markers(path: str | None = None) -> re.Pattern:
    """The verbs with which a countermeasure sentence says what problem it solves (cues.yaml `solving`)."""
    return phrase_regex(load_rules("cues", path)["solving"]["verbs"])


def cause_statement(problem: Statement, cause: str, label: str, effect: str, confidence: float) -> Statement:
    """A cause statement (cause -> effect) whose evidence is a problem statement's quote."""
    return Statement(doc=problem.doc, type="cause", concept=cause, label=label, quote=problem.quote,
                     start=problem.start, end=problem.end, page=problem.page, section=problem.section,
                     confidence=round(confidence, 3), effect=effect)


def enumerated_causes(sentences: list[tuple[Statement | None, str, str | None]], announces: re.Pattern,
                      enumerator: re.Pattern) -> list[tuple[Statement, str]]:
    """(problem statement, the problem it causes) for reasons given as a list: after a sentence that announces
    reasons ("The reasons for the lack of enterprise participation are complex.", or "The reasons are as follows."
    after a problem sentence), every problem sentence of its section that opens with an enumerator ("First of all,
    ...", "Secondly, ...") names a cause of the announced problem: the announcing sentence's own, else the
    section's problem before it.

    `sentences`: the document's body sentences in text order, each as (its problem statement, or None for a
    sentence that states no problem; the text the patterns are matched on, lemmas for English; its section).
    `enumerator` is matched at the start of the text."""
    causes, announced, latest = [], None, {}  # announced: (section, problem); latest: section -> its last problem
    for statement, text, section in sentences:
        if announced is not None and section != announced[0]:
            announced = None
        problem = statement.concept if statement is not None and not statement.candidate else None
        if announces.search(text):
            effect = problem or latest.get(section)
            announced = (section, effect) if effect else None
        elif announced is not None and problem and problem != announced[1] and enumerator.match(text):
            causes.append((statement, announced[1]))
        if problem:
            latest[section] = problem
    return causes


def listed_causes(sentences: list[tuple[int, Statement | None, str, str | None]], announces: re.Pattern,
                  enumerator: re.Pattern, known: list[Statement]) -> list[Statement]:
    """The cause statements of enumerated_causes that `known` causes do not already hold. `sentences`: as there,
    each with its offset first, in any order."""
    found = {(c.start, c.concept, c.effect) for c in known}
    ordered = [sentence[1:] for sentence in sorted(sentences, key=lambda sentence: sentence[0])]
    return [cause_statement(s, s.concept, s.label, effect, s.confidence)
            for s, effect in enumerated_causes(ordered, announces, enumerator)
            if (s.start, s.concept, effect) not in found]


# Words that say nothing of their own before a causal marker: "This is mainly because ...", "It leads to ...".
_EMPTY_POS = {"PRON", "AUX", "ADV", "DET", "PART", "CCONJ", "SCONJ", "PUNCT", "NUM"}
_ANAPHORS = {"this", "that", "these", "those", "it"}


def causal_split(span: Span, markers: CausalMarkers) -> tuple[Span | None, Span | None] | None:
    """(cause part, effect part) of a sentence with a causal marker, or None. A side is None when the marker refers
    to the sentence before, which then stands for it: "As a result, small firms have no intermediary ..." (the cause
    is the sentence before), "This is mainly because placements are negotiated year by year" (the effect is)."""
    tokens = [t for t in span]
    lemmas = [t.lemma_.lower() for t in tokens]
    joined = " ".join(lemmas)
    for pattern, forward in ((markers.forward, True), (markers.backward, False)):
        m = pattern.search(joined)
        if not m:
            continue
        index = joined[: m.start()].count(" ")  # token index of the marker
        end_index = index + m.group(0).count(" ") + 1
        before = span[:index] if index > 0 else None
        after = span[end_index:] if end_index < len(span) else None
        if after is None or len(after) < 3:
            continue
        if not forward and after[0].lower_ in _ANAPHORS and after[1].text == ",":
            return None, after[2:]  # "(Partly) because of this, course content lags behind ..."
        if before is None and not forward and "be" not in m.group(0).split():
            # "Due to the lack of legal protection, there is no effective supervision": the cause runs to the comma.
            # ("The reason is that ..." opens with its marker too, but names the cause of the sentence before.)
            comma = next((t.i - span.start for t in after if t.text == ","), None)
            if comma is None:
                continue
            before, after = span[comma + 1:], span[end_index:comma]
        elif before is None or all(t.pos_ in _EMPTY_POS for t in before):
            # Nothing but "This is", "It", "Consequently": the sentence before is the other side. Not for a noun
            # ("The causes of the lack of motivation are complex").
            if forward and tokens[index].pos_ == "NOUN":
                continue
            return (None, span) if forward else (after, None)
        elif forward and len(before) < 3 and tokens[index].pos_ == "ADV":
            return None, span  # "Employers therefore have little reason to trust such certificates."
        if len(before) < 3 or len(after) < 3:
            continue
        return (before, after) if forward else (after, before)
    return None


def mirrored_sections(problem_sections: list[str], countermeasure_sections: list[str]) -> dict[str, str]:
    """Pair "2.k" problem subsections with "3.k" countermeasure subsections when both lists run in parallel."""
    if len(problem_sections) < 2 or len(problem_sections) != len(countermeasure_sections):
        return {}
    return dict(zip(countermeasure_sections, problem_sections))


def explicit_problem_mentions(text_lemmas: str, markers: re.Pattern) -> bool:
    """Does a countermeasure sentence say what it solves ("to solve the problem of ...")? `markers`: from
    load_solve_markers."""
    return bool(markers.search(text_lemmas))

