"""Statements of a Chinese document, by rules (rules/cues_zh.yaml) and the concept scheme's Chinese labels.

The same Statement records as the English extractor (document.py), so Chinese evidence joins the same concepts.
Cue words and stakeholder names match on jieba's word boundaries (chinese_text.py: 要 is no cue in 要求); concept
labels are matched as substrings. A countermeasure addresses the problems of its document that the scheme says it
remedies (iei:remedies: method "scheme"), or that it names after a solving verb (为解决……问题: "explicit"). A
numbered heading is a statement only where it names a concept.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from iei_kg.extract.chinese_text import TRIM as _TRIM
from iei_kg.extract.chinese_text import Lexicon, Sentence, WordList, outside
from iei_kg.extract.chinese_text import segment as _segment
from iei_kg.extract.relations import (cause_statement, implied_stakeholders,
                                     listed_causes, mirrored_sections)
from iei_kg.ontology.scheme import ConceptScheme
from iei_kg.records import SourceDocument, Statement
from iei_kg.rules import load_rules

STATEMENT_ROLES = ("problem", "countermeasure")
LINK_THRESHOLD = 0.6  # weighted share of a label's character pairs a sentence must contain, in order
FULL_LINK_SCORE = 0.7  # a link scoring this much or more takes nothing off the confidence
HEADING_WEIGHT = 0.3  # the section heading's concept scores, added to a sentence's (as in linking.py)
MIN_SENTENCE_CHARS = 6  # Han characters
CANDIDATE_LABEL_CHARS = 16
_CLAUSE = re.compile(r"[^，,、：:；;。！？!?]+")
_CLAUSE_ENDS = "，,、。；;！？!?：:"


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)")


@lru_cache(maxsize=4)
def load_zh_cues(path: str | None = None) -> SimpleNamespace:
    """The rules of cues_zh.yaml: word lists (matched on word boundaries) and patterns, named as in the file."""
    r = load_rules("cues_zh", path)
    c, p, solving, clauses = r["countermeasure"], r["problem"], r["problem"]["solving"], r["not_measures"]
    named = [w for labels in r["stakeholder_labels"].values() for w in labels]
    lexicon = Lexicon([*c["strong"], *c["weak"], *c["not_cues"], *p["strong"], *p["weak"], *solving["verbs"],
                       *r["background"], *clauses["words"], *r["sequence_words"], *r["actor_verbs"], *named,
                       *r["not_stakeholders"]])
    words = lambda listed: WordList(listed, lexicon)  # noqa: E731
    return SimpleNamespace(
        lexicon=lexicon, c_strong=words(c["strong"]), c_weak=words(c["weak"]), not_cues=words(c["not_cues"]),
        p_strong=words(p["strong"]), p_weak=words(p["weak"]), problem_lists=_patterns(p["lists"]),
        solved=re.compile(f"(?:{_alternation(solving['verbs']).pattern})[^。；！？]{{0,{int(solving['span'])}}}?"
                          f"(?:{_alternation(p['strong'] + r['section_roles']['problem']).pattern})"),
        background=words(r["background"] + clauses["words"]), not_measure=_patterns(clauses["patterns"]),
        conditions=words(r["list_conditions"]), catch_all=tuple(r["list_catch_all"]),
        opening=re.compile(f"^(?:(?:{_alternation(r['sequence_words']).pattern})[，,、：:\\s]*)*"),
        roles={role: _alternation(words) for role, words in r["section_roles"].items()},
        skip_lines=tuple(r["skip_lines"]), end_of_body=tuple(r["end_of_body"]),
        numbers=[re.compile(f"^(?:{n})\\s*") for n in r["heading_numbers"]], heading_max=int(r["heading_max_chars"]),
        article=re.compile(f"^(?:{r['article_number']})\\s*"), min_sentence_chars=MIN_SENTENCE_CHARS,
        # a line: physical lines longer than a heading without final punctuation run on (line wraps of PDF text)
        line=re.compile(f"(?:[^\n]{{{int(r['heading_max_chars'])},}}[^\n\\s。！？；!?;”’」』）)】：:]\r?\n)*[^\n]*\n?"),
        actor_verbs=words(r["actor_verbs"]), beneficiary=tuple(r["beneficiary_markers"]),
        subject_prefix=re.compile(f"(?:{_alternation(r['subject_prefixes']).pattern})*"),
        not_stakeholders=words(r["not_stakeholders"]), causal=_alternation(r["causal_markers"]),
        announces_reasons=_alternation(r["announces_reasons"]),
        enumerator=re.compile(f"[{_TRIM}]*(?:{_alternation(r['enumerators']).pattern})"),
        stakeholder_labels=tuple((c, tuple(labels)) for c, labels in r["stakeholder_labels"].items()),
        weights=r["weights"])


def _patterns(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def heading_role(text: str, cues) -> str | None:
    """The role a heading's words give its section: none where they name both (问题与对策, 保障缺失)."""
    solved = _spans(cues.solved, text)
    problem = (outside(_spans(cues.roles["problem"], text), solved)
               or outside(cues.p_strong.find(text), solved))
    strong, weak = _measure_cues(text, cues)
    measure = cues.roles["countermeasure"].search(text) or _opens_with(text, strong + weak, cues)
    if problem or measure:
        return None if problem and measure else "problem" if problem else "countermeasure"
    return "background" if cues.roles["background"].search(text) else None


def _opening(text: str, cues) -> int:
    """Where a sentence's words begin, after punctuation and sequence words (一是，首先)."""
    lead = len(text) - len(text.lstrip(_TRIM))
    return lead + cues.opening.match(text[lead:]).end()


def _opens_with(text: str, found: list[tuple[int, int]], cues, index=None) -> bool:
    """A cue opens the sentence (an instruction: 加强……), or comes in the clause its subject opens (国家建立……,
    国家根据……调整): the declarative mandate of laws and plans."""
    start = _opening(text, cues)
    if any(a == start for a, _ in found):
        return True
    subject = _subject_end(text, start, index, cues) if index is not None else None
    if subject is None:
        return False
    clause = re.search("[，,；;：:]", text[subject:])
    return any(subject <= a < subject + (clause.start() if clause else len(text)) for a, _ in found)


def _subject_end(text: str, start: int, index, cues) -> int | None:
    """The end of the stakeholders that open a sentence (县级以上地方人民政府, 职业院校、企业), if any."""
    end = None
    for _, a, b in _stakeholder_spans(text, index, cues):
        if a < (end or start) or not cues.subject_prefix.fullmatch(text[end or start:a].replace("、", "")):
            break
        end = b
    return end


def _measure_cues(text: str, cues) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(strong, weak) countermeasure cues. None inside a problem cue (完善 in 不够完善) or a list of problems, and
    no one-character modal (要, 应) that governs no verb (企业不会要。)."""
    excluded = cues.not_cues.find(text) + cues.p_strong.find(text) + _spans(cues.problem_lists, text)
    strong = [(a, b) for a, b in outside(cues.c_strong.find(text), excluded)
              if b - a > 1 or (b < len(text) and text[b] not in _CLAUSE_ENDS)]
    return strong, outside(cues.c_weak.find(text), excluded)


def segment(text: str, cues) -> list[Sentence]:
    """Headings and sentences in document order, each with its section heading and role (chinese_text.segment)."""
    return _segment(text, cues, heading_role)


def cue_scores(text: str, cues, index=None) -> tuple[float, float]:
    """(countermeasure, problem) weights of a text's cues, before section roles."""
    w = cues.weights
    solved, listed = _spans(cues.solved, text), _spans(cues.problem_lists, text)  # 还存在着A、B等问题: a problem
    p = (w["strong_cue"] * min(len(outside(cues.p_strong.find(text), solved)) + len(listed), 3)
         + w["weak_cue"] * min(len(outside(cues.p_weak.find(text), solved)), 3))
    strong, weak = _measure_cues(text, cues)
    c = (w["strong_cue"] * min(len(strong), 3) + w["weak_cue"] * min(len(weak), 3)
         + (w["imperative"] if _opens_with(text, strong + weak, cues, index) else 0.0))
    if text.rstrip("”’」』 ").endswith(("？", "?")):
        c = 0.0  # a question (……应该如何培养？) proposes nothing
    return c, p


def classify(sentence: Sentence, cues, index=None) -> tuple[str | None, float]:
    """(problem | countermeasure | None, confidence) from cues and section role, as statement_types does."""
    if sentence.introduces:
        return None, 0.0  # "……开展下列活动：": its items say what is meant
    labelled = index is not None and sentence.role in STATEMENT_ROLES and any(  # a full label of the section's
        label in sentence.text for labels in index.labels[sentence.role].values() for label in labels)  # kind: a cue
    w = cues.weights
    c, p = cue_scores(sentence.text, cues, index)
    if sentence.lead is not None:  # an item of a list counts its lead-in's cues, but a list of conditions and a
        lead_c, lead_p = cue_scores(sentence.lead.text, cues, index)  # catch-all item (（七）其他……) say nothing
        none = cues.conditions.search(sentence.lead.text) or sentence.text.startswith(cues.catch_all)
        c, p = (c + w["background"], p + w["background"]) if none else (c + lead_c, p + lead_p)
    if sentence.role == "background":
        c, p = c * w["summary_damping"], p * w["summary_damping"]
    elif sentence.role in STATEMENT_ROLES:
        prior = w["section_prior"] + (w["label_cue"] if labelled else 0.0)
        c, p = (c + prior, p) if sentence.role == "countermeasure" else (c, p + prior)
    if cues.background.search(sentence.text) or cues.not_measure.search(sentence.text):
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


def _stakeholder_spans(text: str, index, cues) -> list[tuple[str, int, int]]:
    """(stakeholder id, start, end) of the stakeholder names on word boundaries; none inside 学徒制, 社会服务."""
    found = _stakeholder_words(tuple(sorted(index.stakeholder)), cues.lexicon).find(text)
    return [(index.stakeholder[text[a:b]], a, b) for a, b in outside(found, cues.not_stakeholders.find(text))]


@lru_cache(maxsize=4)
def _stakeholder_words(labels: tuple[str, ...], lexicon: Lexicon) -> WordList:
    return WordList(labels, lexicon)


def find_stakeholders(text: str, index, cues) -> list[tuple[str, int]]:
    """(stakeholder id, position) in text order; the longest label where they overlap (中小企业 over 企业)."""
    return [(concept, a) for concept, a, _ in _stakeholder_spans(text, index, cues)]


def actors(text: str, index, cues) -> list[str]:
    """Who should act: those opening a clause (after 各级, 县级以上地方 ..., or another subject and 和) before the
    first cue (subjects), else the one an actor verb (鼓励) introduces; not one a clause opening with 对/为/向 names
    (a beneficiary)."""
    found: list[tuple[str, int, int]] = []
    for concept, a, b in _stakeholder_spans(text, index, cues):
        if found and found[-1][2] == a:  # 人民政府教育行政部门: the department acts, the government says which one
            found[-1] = (concept, found[-1][1], b)
        else:
            found.append((concept, a, b))
    starts = {k: max(text.rfind(x, 0, k) for x in "，,；：:、") + 1 for _, k, _ in found}  # of each one's clause
    found = [f for f in found if not text[starts[f[1]]:f[1]].lstrip(_TRIM).startswith(cues.beneficiary)]
    cue = min((a for a, _ in sum(_measure_cues(text, cues), [])), default=len(text))
    verb = cues.actor_verbs.search(text)
    subjects, end = [], 0
    for concept, k, e in found:
        before = text[max(starts[k], end):k].strip(_TRIM)  # from its clause's start or the subject before it
        if k < cue and cues.subject_prefix.fullmatch(cues.opening.sub("", before)):
            subjects.append(concept)
            end = e
    subjects = subjects or [c for c, k, _ in found if verb and k >= verb[1]][:1]
    return list(dict.fromkeys(subjects))


def candidate_concept(text: str, kind: str, cues) -> tuple[str, str]:
    """An id and label for a statement no concept fits: its clause with a cue of its type (same clause, same id)."""
    cue = cues.p_strong if kind == "problem" else cues.c_strong
    clauses = [c.strip(_TRIM) for c in _CLAUSE.findall(text) if c.strip(_TRIM)] or [text]
    label = next((c for c in clauses if cue.search(c)), clauses[0])[:CANDIDATE_LABEL_CHARS]
    digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:10]
    return f"{'P' if kind == 'problem' else 'C'}-candidate-zh-{digest}", label


def lexical_scores(text: str, kind: str, index, ids: list[str]) -> np.ndarray:
    """concept_scores as an array in the order of `ids` (the learned linker's shared feature for Chinese)."""
    scores = concept_scores(text, kind, index)
    return np.array([scores[c][0] if c in scores else 0.0 for c in ids])


def extract_chinese(source: SourceDocument, scheme: ConceptScheme, cues_path: str | None = None,
                    link_statement=None) -> list[Statement]:
    """Problem, countermeasure, cause and stakeholder statements of a Chinese document."""
    index = label_index(scheme, (cues := load_zh_cues(cues_path)).stakeholder_labels)
    statements, sections = [], []  # and the heading of each statement's section
    unstated = []  # (offset, text, section) of the body sentences that are no statement
    subjects: dict[int, list[str]] = {}  # article heading offset -> the actors its first sentence names
    for sentence in segment(source.text, cues):
        h = sentence.heading
        if h is not None and h.article and h.start not in subjects and not sentence.is_heading:
            subjects[h.start] = actors(sentence.text, index, cues)
        statement_like = sentence.numbered or not sentence.is_heading  # a title or unnumbered heading is none
        kind, confidence = classify(sentence, cues, index) if statement_like else (None, 0)
        if kind is None:
            if not sentence.is_heading:
                unstated.append((sentence.start, sentence.text, h.text if h is not None else None))
            continue
        link = (link_statement(sentence.text, kind) if link_statement is not None
                else best_link(sentence.text, kind, index, h.text if h is not None and h.numbered else None))
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
                              section=section, confidence=round(confidence, 3), candidate=candidate,
                              link_score=link[1] if link is not None else None)
        if kind == "problem":
            involved = found or (find_stakeholders(h.text, index, cues) if h is not None else [])
            statement.involves = list(dict.fromkeys(c for c, _ in involved))
            read_from = "sentence" if found else "heading"
        else:
            statement.actors, read_from = actors(sentence.text, index, cues), "sentence"
            if not statement.actors and h is not None and h.article:  # the article's subject (第十一条 企业应当……)
                statement.actors, read_from = subjects.get(h.start, []), "heading"
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
    """Which problems of the document each countermeasure concept answers, by the English path's pair model
    (extract/addresses.py) over the same signals, read the Chinese way: the scheme's remedies, a problem named
    after a solving verb (为解决/破解…), the problem subsection its subsection mirrors ("（二）" of the measures
    answers "（二）" of the problems), the problems stated under the same heading or just before."""
    from iei_kg.extract import addresses

    problems = {s.concept for s in statements if s.type == "problem" and not s.candidate}
    mirrored = mirrored_problems(statements, sections)
    positions, stated = [], []
    for i, (s, h) in enumerate(zip(statements, sections)):
        if s.type not in ("problem", "countermeasure") or s.candidate:
            continue
        explicit = None
        if s.type == "countermeasure" and (m := cues.solved.search(s.quote)):
            link = best_link(s.quote[m.start():], "problem", index)
            explicit = (link[0], min(link[1] + 0.3, 1.0)) if link is not None and link[0] in problems else None
        positions.append(i)
        mirrors = mirrored.get(h.start) if s.type == "countermeasure" and h is not None else None
        stated.append(addresses.Stated(s.type, s.concept, s.section, None, mirrors, explicit))
    addresses.add_addresses(statements, positions, stated, scheme, addresses.load_pair_model())


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
