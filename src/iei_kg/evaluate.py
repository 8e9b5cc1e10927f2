"""`iei-kg eval`: score a built graph against hand annotations of some of its documents.

Gold files follow the annotation guideline (one JSON file per document: problems with the stakeholders they
concern, countermeasures with their actors and the problems they address, causes, stakeholders mentioned).
Matching (the rule of the annotation project's score.py): a statement matches a gold quote of the same document
when it covers at least 60% of the gold quote's word tokens and is at most 80 words long (a Chinese character counts
as half a word). Given the documents (`docs`), it must also stand where the quote stands: its [start, end) overlaps
an occurrence of the quote in the document's text by at least half the quote's length; a quote that does not occur
verbatim is matched by its words alone. Relations are scored as sets: addresses and causes as concept pairs per
document, the stakeholders a problem involves and the actors of a countermeasure on the statements that match a
gold quote, the stakeholders mentioned per document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from iei_kg.errors import ConfigError, DocumentError

TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")
MAX_TOKENS = 80
COVER = 0.6
KINDS = {"problem": "problems", "countermeasure": "countermeasures"}


PLACE = 0.5  # share of the gold quote's span a statement's span must overlap


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def length(words: list[str]) -> float:
    """Words, with a Chinese character counted as half a word (a Chinese word is about two characters)."""
    cjk = sum(1 for w in words if "\u4e00" <= w <= "\u9fff")
    return len(words) - cjk / 2


class DocumentTexts:
    """The texts of the annotated documents, read from folders as the build reads them (PDFs included), and the
    places of gold quotes in them."""

    def __init__(self, folders: list[str | Path] = (), doc_ids: set[str] | None = None):
        from iei_kg.ingest import read_document

        self.texts: dict[str, str] = {}
        for folder in folders:
            if not Path(folder).is_dir():
                raise ConfigError(f"--docs {folder}: not a folder of documents")
            for path in sorted(Path(folder).iterdir()):
                if path.is_file() and (doc_ids is None or path.stem in doc_ids) and path.stem not in self.texts:
                    try:
                        self.texts[path.stem] = read_document(path).text
                    except DocumentError:
                        continue  # not a document (metadata, a sidecar): quotes there are matched by words
        self._spans: dict[tuple[str, str], list[tuple[int, int]]] = {}

    def spans(self, doc_id: str, quote: str) -> list[tuple[int, int]]:
        """Every [start, end) at which `quote` occurs in the document; none when its text is not known."""
        key = (doc_id, quote)
        if key not in self._spans:
            text, found = self.texts.get(doc_id, ""), []
            i = text.find(quote) if quote else -1
            while i >= 0:
                found.append((i, i + len(quote)))
                i = text.find(quote, i + 1)
            self._spans[key] = found
        return self._spans[key]


NO_TEXTS = DocumentTexts()


def quote_matches(system: dict, doc_id: str, gold_quote: str, texts: DocumentTexts = NO_TEXTS) -> bool:
    """Whether a statement or evidence record (`quote`, `start`, `end`) matches a gold quote of document `doc_id`."""
    words = tokens(system.get("quote") or "")
    gold = set(tokens(gold_quote))
    if not gold or length(words) > MAX_TOKENS or len(gold & set(words)) / len(gold) < COVER:
        return False
    spans = texts.spans(doc_id, gold_quote)
    if not spans or system.get("start") is None or system.get("end") is None:
        return True
    start, end = int(system["start"]), int(system["end"])
    return any(min(end, ge) - max(start, gs) >= PLACE * (ge - gs) for gs, ge in spans)


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    root = Path(gold_dir)
    files = sorted(root.glob("*.json"))
    if not files:
        raise ConfigError(f"no gold annotation files (*.json) in {root}")
    gold = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            gold[data["doc"]] = data
        except (json.JSONDecodeError, KeyError) as exc:
            raise ConfigError(f"{path}: not a gold annotation file ({exc})") from exc
    return gold


def _gold_quotes(doc: dict, kind: str) -> list[tuple[str, str, list[str]]]:
    return [(q, e["concept"], e.get("addresses", [])) for e in doc.get(KINDS[kind], []) for q in e["evidence"]]


def _prf(tp_sys: int, n_sys: int, tp_gold: int, n_gold: int) -> dict:
    p = tp_sys / n_sys if n_sys else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "system": n_sys, "gold": n_gold}


def score_statements(gold: dict[str, dict], statements: list[dict], texts: DocumentTexts = NO_TEXTS) -> dict:
    """Precision / recall / F1 and concept accuracy per statement type, on the annotated documents only."""
    report = {}
    for kind in KINDS:
        tp_sys = n_sys = tp_gold = n_gold = hits = linked = 0
        for doc_id, doc in gold.items():
            gq = _gold_quotes(doc, kind)
            sq = [s for s in statements if s["doc"] == doc_id and s["type"] == kind]
            n_sys += len(sq)
            n_gold += len(gq)
            for s in sq:
                matched = [g for g in gq if quote_matches(s, doc_id, g[0], texts)]
                if matched:
                    tp_sys += 1
                    linked += 1
                    hits += s["concept"] in {g[1] for g in matched}
            tp_gold += sum(1 for g in gq if any(quote_matches(s, doc_id, g[0], texts) for s in sq))
        row = _prf(tp_sys, n_sys, tp_gold, n_gold)
        row["concept_accuracy"] = round(hits / linked, 3) if linked else 0.0
        report[kind] = row
    return report


def score_relations(gold: dict[str, dict], statements: list[dict], texts: DocumentTexts = NO_TEXTS) -> dict:
    """Precision / recall / F1 of the relations between concepts, on the annotated documents only."""
    by_doc = {doc_id: [s for s in statements if s["doc"] == doc_id] for doc_id in gold}
    addresses = _set_scores(
        {(d, e["concept"], p) for d, doc in gold.items() for e in doc.get("countermeasures", []) for p in e.get("addresses", [])},
        {(d, s["concept"], p) for d, ss in by_doc.items() for s in ss if s["type"] == "countermeasure"
         for p in s.get("addresses") or []})
    causes = _set_scores(
        {(d, e["cause"], e["effect"]) for d, doc in gold.items() for e in doc.get("causes", [])},
        {(d, s["concept"], s.get("effect")) for d, ss in by_doc.items() for s in ss if s["type"] == "cause"})
    mentioned = _set_scores(
        {(d, c) for d, doc in gold.items() for c in doc.get("stakeholders_mentioned", [])},
        {(d, s["concept"]) for d, ss in by_doc.items() for s in ss if s["type"] == "stakeholder"})
    return {"addresses": addresses, "causes": causes,
            "involves": _stakeholder_scores(gold, by_doc, "problem", "stakeholders", "involves", texts),
            "actors": _stakeholder_scores(gold, by_doc, "countermeasure", "actors", "actors", texts),
            "stakeholders mentioned": mentioned}


def _set_scores(gold: set, system: set) -> dict:
    hits = len(gold & system)
    return _prf(hits, len(system), hits, len(gold))


def _stakeholder_scores(gold: dict[str, dict], by_doc: dict[str, list[dict]], kind: str, gold_key: str,
                        system_key: str, texts: DocumentTexts) -> dict:
    """Stakeholders of the statements that match a gold quote, against those of the gold claims they match; with
    the precision of each source the stakeholders were read from (the sentence, its heading, its section)."""
    tp = n_sys = n_gold = 0
    by_source: dict[str, list[int]] = {}  # source -> [correct, found]
    for doc_id, doc in gold.items():
        claims = [(q, set(e.get(gold_key, []))) for e in doc.get(KINDS[kind], []) for q in e["evidence"]]
        for s in (s for s in by_doc[doc_id] if s["type"] == kind):
            matched = [stakeholders for q, stakeholders in claims if quote_matches(s, doc_id, q, texts)]
            if not matched:
                continue
            expected, found = set().union(*matched), set(s.get(system_key) or [])
            tp, n_sys, n_gold = tp + len(expected & found), n_sys + len(found), n_gold + len(expected)
            if found:
                tally = by_source.setdefault(s.get("stakeholder_source") or "unknown", [0, 0])
                tally[0], tally[1] = tally[0] + len(expected & found), tally[1] + len(found)
    scores = _prf(tp, n_sys, tp, n_gold)
    scores["by_source"] = {source: {"precision": round(correct / found, 3), "system": found}
                           for source, (correct, found) in sorted(by_source.items())}
    return scores


def read_questions(path: str | Path) -> list[tuple[str, str, str]]:
    """TSV rows: id, the problem concept whose countermeasures answer the question, the question."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) != 3:
                raise ConfigError(f"{path}: want 'id<TAB>concept<TAB>question', got '{line}'")
            rows.append(tuple(parts))
    return rows


def score_answers(gold: dict[str, dict], questions: list[tuple[str, str, str]], answers: dict[str, dict],
                  texts: DocumentTexts = NO_TEXTS) -> dict:
    """Evidence precision / recall and concept recall of `ask` answers (top 10 answers, gold documents only)."""
    rows = []
    for qid, problem, question in questions:
        gq = [(doc_id, q, concept) for doc_id, doc in gold.items()
              for q, concept, addresses in _gold_quotes(doc, "countermeasure") if problem in addresses]
        evidence = [e for a in answers.get(qid, {}).get("answers", [])[:10] for e in a["evidence"] if e["doc"] in gold]
        tp_sys = sum(1 for e in evidence if any(e["doc"] == gd and quote_matches(e, gd, q, texts) for gd, q, _ in gq))
        hit = [g for g in gq if any(e["doc"] == g[0] and quote_matches(e, g[0], g[1], texts) for e in evidence)]
        concepts = {g[2] for g in gq}
        row = _prf(tp_sys, len(evidence), len(hit), len(gq))
        row["concept_recall"] = round(len({g[2] for g in hit}) / len(concepts), 3) if concepts else 0.0
        row.update(id=qid, question=question, resolved=answers.get(qid, {}).get("concept"))
        rows.append(row)
    keys = ("precision", "recall", "f1", "concept_recall")
    mean = {k: round(sum(r[k] for r in rows) / len(rows), 3) for k in keys} if rows else {}
    return {"questions": rows, "mean": mean}


def evaluate(kg, gold_dir: str | Path, questions_path: str | Path | None = None,
             docs: list[str | Path] = ()) -> dict:
    """Score a `KnowledgeGraph` against gold annotations (and questions, if given); with `docs`, the folders of
    the annotated documents, a statement must also stand where the gold quote stands."""
    gold = load_gold(gold_dir)
    texts = DocumentTexts(docs, set(gold))
    statements = [s for s in kg.statements() if s["doc"] in gold]
    report = {"documents": sorted(gold), "placed": sorted(texts.texts),
              "statements": score_statements(gold, statements, texts),
              "relations": score_relations(gold, statements, texts)}
    missing = sorted(set(gold) - {s["doc"] for s in statements})
    if missing:
        report["documents_without_statements"] = missing
    if questions_path:
        questions = read_questions(questions_path)
        answers = {qid: kg.ask(question) for qid, _, question in questions}
        report["questions"] = score_answers(gold, questions, answers, texts)
    return report
