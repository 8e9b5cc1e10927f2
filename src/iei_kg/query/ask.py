"""Answer a plain-English question: find its kind and concept, run the named query, rank the answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from iei_kg.errors import QueryError
from iei_kg.extract.linking import content_lemmas, stems
from iei_kg.extract.relations import plural
from iei_kg.ingest.metadata import HAN
from iei_kg.query.named import resolve_query, run_query
from iei_kg.rules import load_rules

EVIDENCE_PER_ANSWER = 5
MIN_CONCEPT_SCORE = 0.3
EXACT_LABEL_SHARE = 0.5  # of the question's content (frame words taken out) a label in it must span to decide
# A question of any kind with this many content words besides the stakeholders it names is about a problem or measure.
MORE_THAN_NAMES = 2
ALTERNATIVES = 2  # at most this many other concepts an answer names as also close to the question
ALTERNATIVE_MARGIN = 0.08  # ... each scoring at most this much under the concept taken
ALL_ROWS = 1_000_000
# A quote is evidence that a countermeasure answers a problem only if its own passage speaks to that problem:
# its similarity to the document's passages of the problem (?relevance) must reach this.
MIN_RELEVANCE = 0.40
# A link found by passage similarity alone (no scheme remedy, mirrored section or explicit wording) is weaker:
# its quotes must come closer still.
SIMILARITY_MIN_RELEVANCE = 0.75


@dataclass
class Intent:
    query: str
    param: str
    kind: str  # problem | countermeasure | stakeholder | any
    for_problem: tuple[str, str] | None = None  # (query, param) instead when the concept found is a problem


def detect_intent(question: str) -> Intent:
    for intent in load_rules("intents")["intents"]:
        if any(re.search(p, question, re.IGNORECASE) for p in intent["patterns"]):
            instead = intent.get("for_problem")
            return Intent(intent["query"], intent["param"], intent["kind"],
                          (instead["query"], instead["param"]) if instead else None)
    raise QueryError(f"cannot tell what kind of question this is: '{question}'")


def resolve_concept(question: str, kind: str, extractor) -> tuple[str, float]:
    """The concept a question names: a label or altLabel in its words, else the nearest by words and embedding."""
    return rank_concepts(question, kind, extractor)[0]


def rank_concepts(question: str, kind: str, extractor) -> list[tuple[str, float]]:
    """The concepts a question may name, best first: the one whose label or altLabel is in its words (score 1.0,
    alone), else every concept of the kinds by `_scores` of the question."""
    scheme = extractor.scheme
    kinds = ("problem", "countermeasure", "stakeholder") if kind == "any" else (kind,)
    text = " " + re.sub(r"[^\w\s-]", " ", question.lower()) + " "
    best, best_label = None, ""
    for concept in scheme.concepts.values():
        if concept.kind not in kinds:
            continue
        for label in [concept.label, *concept.alt_labels]:
            label = label.lower()
            if (f" {label} " in text or f" {plural(label)} " in text) and len(label) > len(best_label):
                best, best_label = concept.id, label
    frame = set(load_rules("intents")["frame_words"])
    content = " ".join(w for w in text.split() if w not in frame)
    # A label the question contains decides, unless it is a small part of what the question names ("teacher" in
    # "dual-qualified teacher teams"): then the whole question is scored.
    if best and len(best_label) >= EXACT_LABEL_SHARE * len(content):
        return [(best, 1.0)]
    if HAN.search(question):  # the scheme's Chinese labels, matched as the Chinese extractor matches sentences
        return _rank_by_chinese_labels(question, kinds, extractor)
    content = content or question
    doc = extractor.nlp(content)
    lemmas = content_lemmas(doc[:])
    vector = extractor.encode([content])[0]
    # Stakeholders are in most questions as who acts or who is affected ("How can colleges get enough teachers with
    # industry experience?"): a question that says more than whom it names is about a problem or a measure.
    about_more = len(kinds) > 1 and len(lemmas.difference(*(content_lemmas(span) for _, span in
                                                            extractor.stakeholders.find(doc[:])))) >= MORE_THAN_NAMES
    ranked = []
    for k in kinds:
        scores = _scores(extractor, set(lemmas), vector, k)
        ranked += [(float(score), concept_id) for score, concept_id in zip(scores, extractor.linker.ids[k])]
    ranked.sort(key=lambda r: (r[0] >= MIN_CONCEPT_SCORE and not (about_more and scheme[r[1]].kind == "stakeholder"),
                               r[0]), reverse=True)
    score, concept_id = ranked[0]
    if score < MIN_CONCEPT_SCORE:
        raise QueryError(f"no concept of the scheme matches the question '{question}' (best guess {concept_id}, score {score:.2f})")
    return [(c, s) for s, c in ranked]


def _scores(extractor, lemmas: set[str], vector, kind: str):
    """Per concept of a kind: for problems the learned model's probabilities, as a statement is linked; else the
    linker's scores of words and embedding (measured on tests/data/actor-question-paraphrases.tsv, a countermeasure
    named in a who-question is read better so)."""
    model = extractor.linker.model
    if model is None or kind != "problem":
        return extractor.linker.scores(lemmas, vector, kind, ignore=_deficit_words())
    shared = extractor.linker.shared_scores(extractor.linker.lexical_scores(lemmas, kind, ignore=_deficit_words()),
                                            vector, kind)
    return model.kinds[kind].probabilities(vector[None, :], shared[None, :, :])[0]


@lru_cache(maxsize=1)
def _deficit_words() -> frozenset[str]:
    """Words that make a label a problem ("not", "lack", "low"): a question names the goal without them ("How can
    enterprises be made more willing ...?" asks about "enterprises are not willing to participate")."""
    return stems(load_rules("intents")["deficit_words"])


def _rank_by_chinese_labels(question: str, kinds: tuple[str, ...], extractor) -> list[tuple[str, float]]:
    """Concepts whose Chinese labels the question has, the most of its characters first: 企业参与积极性 names the
    problem 企业参与积极性不高 more than the stakeholder 企业 it contains."""
    from iei_kg.extract.chinese import LINK_THRESHOLD, concept_scores

    ranked = sorted(((score >= LINK_THRESHOLD, score * length, score, concept_id) for kind in kinds
                     for concept_id, (score, length) in concept_scores(question, kind, extractor.chinese_labels).items()),
                    reverse=True)
    matched, _, score, concept_id = ranked[0]
    if not matched:
        raise QueryError(f"no concept of the scheme matches the question '{question}' (best guess {concept_id}, "
                         f"score {score:.2f}): name a problem, measure or stakeholder as the scheme's Chinese labels do")
    return [(c, s) for _, _, s, c in ranked]


def answer(store, extractor, question: str) -> dict:
    """The JSON answer of `iei-kg ask --json`."""
    intent = detect_intent(question)
    ranked = rank_concepts(question, intent.kind, extractor)
    concept_id, concept_score = ranked[0]
    if intent.for_problem and concept_id in extractor.scheme and extractor.scheme[concept_id].kind == "problem":
        intent = Intent(*intent.for_problem, kind="problem")  # "How can enterprise participation be raised?"
    # Concepts that came almost as close: the question may mean one of them (the answer says which it took).
    alternatives = [{"concept": c, "label": extractor.scheme[c].label, "score": round(score, 3)}
                    for c, score in ranked[1:1 + ALTERNATIVES] if score >= concept_score - ALTERNATIVE_MARGIN]
    query = resolve_query(intent.query)
    params = {intent.param: concept_id}
    if "limit" in query.params:  # an answer ranks every quote, not the first page of them
        params["limit"] = str(ALL_ROWS)
    columns, rows = run_query(store, query, params)
    result = {"question": question, "query": intent.query, "concept": concept_id,
              "concept_label": extractor.scheme[concept_id].label if concept_id in extractor.scheme else concept_id,
              "concept_match": round(concept_score, 3), "alternatives": alternatives}
    if "quote" not in columns:  # "Which papers discuss ...?": the documents are the answers, most statements first
        result["answers"] = [{"doc": row["docId"], "title": row.get("title") or row["docId"],
                              "statements": int(row.get("statements") or 0)} for row in rows]
        return result
    grouped: dict[str, dict] = {}
    for row in rows:
        if not _relevant(row):
            continue
        key = row["concept"]
        item = grouped.setdefault(key, {"concept": _local(key), "label": row.get("label") or _local(key),
                                        "docs": set(), "confidence": [], "evidence": []})
        if row.get("quote") is None:
            continue
        item["docs"].add(row["docId"])
        item["confidence"].append(row.get("confidence") or 0.0)
        item["evidence"].append({"doc": row["docId"], "quote": row["quote"], "start": row["start"], "end": row["end"],
                                 "page": row.get("page"), "confidence": row.get("confidence"),
                                 "relevance": row.get("relevance", row.get("confidence"))})
    answers = []
    for item in grouped.values():
        evidence = _spread(sorted(item["evidence"], key=_strength, reverse=True))
        documents = len(item["docs"])
        score = documents + float(np.mean(item["confidence"])) if item["confidence"] else 0.0
        answers.append({"concept": item["concept"], "label": item["label"], "documents": documents,
                        "score": round(score, 3), "evidence": evidence[:EVIDENCE_PER_ANSWER]})
    answers.sort(key=lambda a: (-a["score"], a["concept"]))
    result["answers"] = answers
    return result


def _relevant(row: dict) -> bool:
    """Is a row's quote evidence for the asked concept? Rows without a relevance (other queries) always are."""
    relevance = row.get("relevance")
    if relevance is None or row.get("quote") is None:
        return True
    if row.get("method") == "section":
        return True  # the author put the countermeasure under the problem's mirrored section: evidence as such
    floor = SIMILARITY_MIN_RELEVANCE if row.get("method") == "similarity" else MIN_RELEVANCE
    return float(relevance) >= floor


def _strength(evidence: dict) -> float:
    """How good a quote is as evidence: it states its concept clearly and speaks to the question's concept."""
    return (evidence["relevance"] or 0.0) * (evidence["confidence"] or 0.0)


def _spread(evidence: list[dict]) -> list[dict]:
    """Best quote of each document first, then the rest: evidence from several documents beats one document's repeats."""
    first, rest, seen = [], [], set()
    for e in evidence:
        (rest if e["doc"] in seen else first).append(e)
        seen.add(e["doc"])
    return first + rest


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1] if iri else iri
