"""Statements of a Chinese document, by rules (rules/cues_zh.yaml) and the concept scheme's Chinese labels.

The same Statement records as the English extractor (document.py), so Chinese evidence joins the same concepts.
No word segmentation, no model: cues and labels are matched as substrings. A countermeasure addresses the problems
of its document that the scheme says it remedies (iei:remedies: method "scheme"), or that it names after a solving
verb (为解决……问题: "explicit"). A numbered heading is a statement only where it names a concept.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from iei_kg.extract.relations import (SECTION_LINK_CONFIDENCE, AddressLinks, cause_statement, implied_stakeholders,
                                     listed_causes, mirrored_sections)
from iei_kg.ingest.metadata import HAN
from iei_kg.ontology.scheme import ConceptScheme
from iei_kg.records import SourceDocument, Statement
from iei_kg.rules import load_rules

STATEMENT_ROLES = ("problem", "countermeasure")
LINK_THRESHOLD = 0.6  # weighted share of a label's character pairs a sentence must contain, in order
FULL_LINK_SCORE = 0.7  # a link scoring this much or more takes nothing off the confidence
HEADING_WEIGHT = 0.3  # the section heading's concept scores, added to a sentence's (as in linking.py)
SCHEME_ADDRESS_CONFIDENCE = 0.6
MIN_SENTENCE_CHARS = 6  # Han characters
CANDIDATE_LABEL_CHARS = 16
_ENDS, _CLOSERS = "。！？；!?;", "”’」』）)】"
# a sentence: from a non-space character to 。！？； and the closing quotes after it (or to the end of the line)
_SENTENCE = re.compile(f"[^\\s{_ENDS}][^{_ENDS}]*(?:[{_ENDS}]+[{_CLOSERS}]*)?")
_CLAUSE = re.compile(r"[^，,、：:；;。！？!?]+")
_TRIM = " \t\u3000“”\"'‘’「」（）()《》【】，,、：:。；;！？!?"


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)")


@lru_cache(maxsize=4)
def load_zh_cues(path: str | None = None) -> SimpleNamespace:
    """The rules of cues_zh.yaml as compiled patterns (attributes named as in the file)."""
    r = load_rules("cues_zh", path)
    c, p, solving = r["countermeasure"], r["problem"], r["problem"]["solving"]
    return SimpleNamespace(
        c_strong=_alternation(c["strong"]), c_weak=_alternation(c["weak"]), not_cues=_alternation(c["not_cues"]),
        p_strong=_alternation(p["strong"]), p_weak=_alternation(p["weak"]),
        solved=re.compile(f"(?:{_alternation(solving['verbs']).pattern})[^。；！？]{{0,{int(solving['span'])}}}?"
                          f"(?:{_alternation(p['strong'] + r['section_roles']['problem']).pattern})"),
        background=_alternation(r["background"]),
        opening=re.compile(f"^(?:(?:{_alternation(r['sequence_words']).pattern})[，,、：:\\s]*)*"),
        roles={role: _alternation(words) for role, words in r["section_roles"].items()},
        skip_lines=tuple(r["skip_lines"]), end_of_body=tuple(r["end_of_body"]),
        numbers=[re.compile(f"^(?:{n})\\s*") for n in r["heading_numbers"]], heading_max=int(r["heading_max_chars"]),
        # a line: physical lines longer than a heading without final punctuation run on (line wraps of PDF text)
        line=re.compile(f"(?:[^\n]{{{int(r['heading_max_chars'])},}}[^\n\\s{_ENDS}{_CLOSERS}：:]\r?\n)*[^\n]*\n?"),
        actor_verbs=_alternation(r["actor_verbs"]), beneficiary=tuple(r["beneficiary_markers"]),
        subject_prefixes=frozenset(r["subject_prefixes"]),
        not_stakeholders=_alternation(r["not_stakeholders"]), causal=_alternation(r["causal_markers"]),
        announces_reasons=_alternation(r["announces_reasons"]),
        enumerator=re.compile(f"[{_TRIM}]*(?:{_alternation(r['enumerators']).pattern})"),
        stakeholder_labels=tuple((c, tuple(labels)) for c, labels in r["stakeholder_labels"].items()),
        weights=r["weights"])


@dataclass
class Sentence:
    start: int
    end: int
    text: str  # exact document text[start:end]
    heading: Sentence | None = None  # the innermost section heading it stands under
    role: str | None = None  # role of its section: problem | countermeasure | background | None
    is_heading: bool = False
    numbered: bool = False


def _mask(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: "□" * len(m.group(0)), text)


def heading_role(text: str, cues) -> str | None:
    """The role a heading's words give its section: none where they name both (问题与对策, 保障缺失)."""
    unsolved = _mask(text, cues.solved)
    problem = cues.roles["problem"].search(unsolved) or cues.p_strong.search(unsolved)
    measure = cues.roles["countermeasure"].search(text) or _opens_with_verb(text, cues)
    if problem or measure:
        return None if problem and measure else "problem" if problem else "countermeasure"
    return "background" if cues.roles["background"].search(text) else None


def _opens_with_verb(text: str, cues) -> bool:
    return any(cue.match(cues.opening.sub("", text.lstrip(_TRIM), count=1)) for cue in (cues.c_weak, cues.c_strong))


def segment(text: str, cues) -> list[Sentence]:
    """Headings and sentences in document order, each with its section heading and role. A heading: a line opening
    with a number (一、 （一） 1. 第一章) whose first sentence is short, comma-free (the rest is body text), or a short
    line without sentence punctuation."""
    out: list[Sentence] = []
    stack: list[tuple[int, Sentence]] = []  # (level, heading) of the enclosing sections
    for m in cues.line.finditer(text):
        line_start, line = m.start(), m.group()
        body = line.strip()
        if not body or body.startswith(cues.skip_lines):
            continue
        if body.startswith(cues.end_of_body) and len(body) <= 12:
            break
        offset = line_start + len(line) - len(line.lstrip())
        level, marker = next(((i, m.end()) for i, n in enumerate(cues.numbers) if (m := n.match(body))), (None, 0))
        pieces = [m.span() for m in _SENTENCE.finditer(text, offset + marker, line_start + len(line.rstrip()))]
        first = text[pieces[0][0]:pieces[0][1]].rstrip(_ENDS) if pieces else ""
        is_heading = bool(pieces) and len(first) <= cues.heading_max and not re.search("[，,]", first)
        if level is None:  # unnumbered headings rank with the outermost numbered ones
            is_heading, level = is_heading and len(pieces) == 1 and first == body, 1
        while (is_heading or marker) and stack and stack[-1][0] >= level:  # （二） ends （一）, heading or not
            stack.pop()
        if is_heading:
            role = heading_role(first, cues) or (stack[-1][1].role if stack else None)  # or the enclosing one's
            a, b = pieces.pop(0)
            heading = Sentence(a, b, text[a:b], stack[-1][1] if stack else None, role, True, marker > 0)
            stack.append((level, heading))
            out.append(heading)
        heading = stack[-1][1] if stack else None
        out += [Sentence(a, b, text[a:b], heading, heading.role if heading else None)
                for a, b in pieces if len(HAN.findall(text, a, b)) >= MIN_SENTENCE_CHARS]
    return out


def classify(sentence: Sentence, cues, index=None) -> tuple[str | None, float]:
    """(problem | countermeasure | None, confidence) from cues and section role, as statement_types does."""
    labelled = index is not None and sentence.role in STATEMENT_ROLES and any(  # a full label of the section's
        label in sentence.text for labels in index.labels[sentence.role].values() for label in labels)  # kind: a cue
    w, masked = cues.weights, _mask(sentence.text, cues.not_cues)
    problem_text, measure_text = _mask(masked, cues.solved), _mask(masked, cues.p_strong)  # 不完善 is no 完善
    p = (w["strong_cue"] * min(len(cues.p_strong.findall(problem_text)), 3)
         + w["weak_cue"] * min(len(cues.p_weak.findall(problem_text)), 3))
    c = (w["strong_cue"] * min(len(cues.c_strong.findall(measure_text)), 3)
         + w["weak_cue"] * min(len(cues.c_weak.findall(measure_text)), 3)
         + (w["imperative"] if _opens_with_verb(measure_text, cues) else 0.0))
    if sentence.role == "background":
        c, p = c * w["summary_damping"], p * w["summary_damping"]
    elif sentence.role in STATEMENT_ROLES:
        prior = w["section_prior"] + (w["label_cue"] if labelled else 0.0)
        c, p = (c + prior, p) if sentence.role == "countermeasure" else (c, p + prior)
    if cues.background.search(sentence.text):
        c, p = c + w["background"], p + w["background"]
    best, other, kind = (c, p, "countermeasure") if c >= p else (p, c, "problem")
    if best >= w["threshold"] and best > other:
        return kind, round(1 / (1 + math.exp(-(best - w["threshold"] + (best - other)) * 1.5)), 3)
    return None, 0.0


@lru_cache(maxsize=4)
def label_index(scheme: ConceptScheme, more_stakeholders: tuple = ()) -> SimpleNamespace:
    """labels: kind -> concept id -> Chinese labels; idf: character pair -> weight (企业 tells little)."""
    labels = {kind: {c.id: c.labels_zh() for c in scheme.of_kind(kind)} for kind in (*STATEMENT_ROLES, "stakeholder")}
    for concept_id, more in (m for m in more_stakeholders if m[0] in labels["stakeholder"]):
        labels["stakeholder"][concept_id] = labels["stakeholder"][concept_id] + list(more)
    counts = Counter(pair for c in scheme.concepts.values() for pair in {p for lb in c.labels_zh() for p in _pairs(lb)})
    idf = {pair: math.log((1 + len(scheme.concepts)) / (1 + n)) + 0.1 for pair, n in counts.items()}
    stakeholder = {label: c for c, labels in labels["stakeholder"].items() for label in labels}  # label -> concept
    return SimpleNamespace(labels=labels, idf=idf, stakeholder=stakeholder, stakeholders=_alternation(stakeholder))


def _pairs(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def label_score(label: str, text: str, idf: dict) -> float:
    """1.0 when the label is in the text, else the weighted share of its character pairs that its pieces of two
    or more characters, found in order in the text, cover (0 for labels of three characters or fewer)."""
    if label in text or len(label) <= 3:
        return float(label in text)
    i, cursor, covered = 0, 0, 0.0
    while i < len(label) - 1:
        length = 2  # the longest piece from here that the text has after the last one (a piece's prefixes are there)
        while i + length <= len(label) and text.find(label[i:i + length], cursor) >= 0:
            length += 1
        if length > 2:
            k = text.find(label[i:i + length - 1], cursor)
            covered += math.fsum(idf.get(label[j:j + 2], 1.0) for j in range(i, i + length - 2))
            cursor, i = k + length - 1, i + length - 1
        else:
            i += 1
    total = math.fsum(idf.get(p, 1.0) for p in _pairs(label))
    return covered / total if total else 0.0


def concept_scores(text: str, kind: str, index) -> dict[str, tuple[float, int]]:
    """Per concept of a kind: (best label score, that label's length): longer labels win ties."""
    return {c: max(((label_score(lb, text, index.idf), len(lb)) for lb in labels), default=(0.0, 0))
            for c, labels in index.labels[kind].items()}


def best_link(text: str, kind: str, index, heading: str | None = None) -> tuple[str, float] | None:
    """The best concept of a kind (the heading's scores may help, never hurt), or None under the threshold."""
    scores = concept_scores(text, kind, index)
    if heading:
        context = concept_scores(heading, kind, index)
        scores = {c: (max(s, (s + HEADING_WEIGHT * context[c][0]) / (1 + HEADING_WEIGHT)), n)
                  for c, (s, n) in scores.items()}
    concept = max(scores, key=lambda c: (*scores[c], c))
    return (concept, round(scores[concept][0], 3)) if scores[concept][0] >= LINK_THRESHOLD else None


def find_stakeholders(text: str, index, cues) -> list[tuple[str, int]]:
    """(stakeholder id, position) in text order; the longest label where they overlap (中小企业 over 企业)."""
    text = _mask(text, cues.not_stakeholders)
    return [(index.stakeholder[m.group()], m.start()) for m in index.stakeholders.finditer(text)]


def actors(text: str, found: list[tuple[str, int]], cues) -> list[str]:
    """Who should act: those opening a clause (after 各级, 市 ...) before the first cue (subjects), else the one an
    actor verb (鼓励) introduces; not one a clause opening with 对/为/向 names (a beneficiary)."""
    measure_text = _mask(_mask(text, cues.not_cues), cues.p_strong)
    starts = {k: max(text.rfind(x, 0, k) for x in "，,；：:、") + 1 for _, k in found}  # of each one's clause
    found = [(c, k) for c, k in found if not text[starts[k]:k].lstrip(_TRIM).startswith(cues.beneficiary)]
    cue = min((m.start() for m in (cues.c_strong.search(measure_text), cues.c_weak.search(measure_text)) if m),
              default=len(text))
    verb = cues.actor_verbs.search(measure_text)
    subjects = ([c for c, k in found if k < cue and cues.opening.sub("", text[starts[k]:k].strip(_TRIM))
                 in cues.subject_prefixes]
                or [c for c, k in found if verb and k >= verb.end()][:1])
    return list(dict.fromkeys(subjects))


def candidate_concept(text: str, kind: str, cues) -> tuple[str, str]:
    """An id and label for a statement no concept fits: its clause with a cue of its type (same clause, same id)."""
    cue = cues.p_strong if kind == "problem" else cues.c_strong
    clauses = [c.strip(_TRIM) for c in _CLAUSE.findall(text) if c.strip(_TRIM)] or [text]
    label = next((c for c in clauses if cue.search(c)), clauses[0])[:CANDIDATE_LABEL_CHARS]
    digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:10]
    return f"{'P' if kind == 'problem' else 'C'}-candidate-zh-{digest}", label


def extract_chinese(source: SourceDocument, scheme: ConceptScheme, cues_path: str | None = None) -> list[Statement]:
    """Problem, countermeasure, cause and stakeholder statements of a Chinese document."""
    index = label_index(scheme, (cues := load_zh_cues(cues_path)).stakeholder_labels)
    statements, sections = [], []  # and the heading of each statement's section
    unstated = []  # (offset, text, section) of the body sentences that are no statement
    for sentence in segment(source.text, cues):
        statement_like = sentence.numbered or not sentence.is_heading  # a title or unnumbered heading is none
        kind, confidence = classify(sentence, cues, index) if statement_like else (None, 0)
        h = sentence.heading
        if kind is None:
            if not sentence.is_heading:
                unstated.append((sentence.start, sentence.text, h.text if h is not None else None))
            continue
        link = best_link(sentence.text, kind, index, h.text if h is not None and h.numbered else None)
        if link is not None:
            concept, label, candidate = link[0], scheme[link[0]].label, False
            confidence *= min(1.0, link[1] / FULL_LINK_SCORE)
        elif sentence.is_heading:
            continue  # a heading that names no concept only announces its sentences
        else:
            (concept, label), candidate, confidence = candidate_concept(sentence.text, kind, cues), True, confidence / 2
        found = find_stakeholders(sentence.text, index, cues)
        section = (sentence if sentence.is_heading else h).text if h is not None or sentence.is_heading else None
        statement = Statement(doc=source.doc_id, type=kind, concept=concept, label=label, quote=sentence.text,
                              start=sentence.start, end=sentence.end, page=source.page_at(sentence.start),
                              section=section, confidence=round(confidence, 3), candidate=candidate)
        if kind == "problem":
            involved = found or (find_stakeholders(h.text, index, cues) if h is not None else [])
            statement.involves = list(dict.fromkeys(c for c, _ in involved))
            read_from = "sentence" if found else "heading"
        else:
            statement.actors, read_from = actors(sentence.text, found, cues), "sentence"
        if statement.involves or statement.actors:
            statement.stakeholder_source = read_from
        statements.append(statement)
        sections.append(sentence if sentence.is_heading else h)
    implied_stakeholders(statements)
    add_addresses(statements, scheme, index, cues, sections)
    return statements + causes(source, statements, scheme, index, cues, unstated) + [
        Statement(doc=source.doc_id, type="stakeholder", concept=c, label=scheme[c].label, quote=s.quote,
                  start=s.start, end=s.end, page=s.page, section=s.section, confidence=1.0)
        for s in statements for c in dict.fromkeys(c for c, _ in find_stakeholders(s.quote, index, cues))]


def add_addresses(statements: list[Statement], scheme: ConceptScheme, index, cues,
                  sections: list[Sentence | None]) -> None:
    """Per countermeasure concept: the document's problems the scheme says it remedies, that one of its sentences
    names after a solving verb, or that the problem subsection its subsection mirrors is mainly about ("（二）" of
    the measures answers "（二）" of the problems); every statement of the concept gets them (as document.py does)."""
    problems = {s.concept for s in statements if s.type == "problem" and not s.candidate}
    mirrored = mirrored_problems(statements, sections)
    links = AddressLinks()  # the English path's: each pair keeps its most telling method
    for s, h in zip(statements, sections):
        if s.type != "countermeasure" or s.candidate:
            continue
        for p in scheme[s.concept].remedies:
            if p in problems:
                links.add(s.concept, p, "scheme", SCHEME_ADDRESS_CONFIDENCE)
        link = best_link(s.quote[m.start():], "problem", index) if (m := cues.solved.search(s.quote)) else None
        if link is not None and link[0] in problems:
            links.add(s.concept, link[0], "explicit", min(link[1] + 0.3, 1.0))
        if h is not None and h.start in mirrored:
            links.add(s.concept, mirrored[h.start], "section", SECTION_LINK_CONFIDENCE)
    for s, found in ((s, links.links.get(s.concept, {})) for s in statements if s.type == "countermeasure"):
        s.addresses = sorted(found, key=lambda p: (-found[p][1], p))
        s.methods = {p: found[p][0] for p in s.addresses}
        s.address_scores = {p: round(found[p][1], 3) for p in s.addresses}


def mirrored_problems(statements: list[Statement], sections: list[Sentence | None]) -> dict[int, str]:
    """Countermeasure subsection (its heading's offset) -> the problem concept most of the mirrored problem
    subsection's statements name. Subsections: numbered headings inside a section, in document order."""
    order: dict[str, list[int]] = {"problem": [], "countermeasure": []}
    named: dict[int, Counter] = defaultdict(Counter)
    for s, h in zip(statements, sections):
        if h is None or not h.numbered or h.heading is None or h.role not in order:
            continue
        if h.start not in order[h.role]:
            order[h.role].append(h.start)
        if s.type == "problem" and not s.candidate:
            named[h.start][s.concept] += 1
    pairs = mirrored_sections(order["problem"], order["countermeasure"])
    return {c: named[p].most_common(1)[0][0] for c, p in pairs.items() if named[p]}


def causes(source: SourceDocument, statements: list[Statement], scheme: ConceptScheme, index, cues,
           unstated: list[tuple[int, str, str | None]]) -> list[Statement]:
    """"A导致B" in a problem sentence: a cause statement when both sides name different problem concepts; and
    reasons listed after a sentence announcing them ("原因主要有：一是A；二是B") cause its problem. `unstated`: the
    (offset, text, section) of the body sentences that are no statement (an announcement may be one)."""
    out = []
    for s, marker in ((s, cues.causal.search(s.quote)) for s in statements if s.type == "problem"):
        cause = best_link(s.quote[:marker.start()], "problem", index) if marker else None
        effect = best_link(s.quote[marker.end():], "problem", index) if cause else None
        if effect and cause[0] != effect[0]:
            out.append(cause_statement(s, cause[0], scheme[cause[0]].label, effect[0], min(cause[1], effect[1])))
    sentences = ([(s.start, s, s.quote, s.section) for s in statements if s.type == "problem"]
                 + [(start, None, text, section) for start, text, section in unstated])
    return out + listed_causes(sentences, cues.announces_reasons, cues.enumerator, out)
