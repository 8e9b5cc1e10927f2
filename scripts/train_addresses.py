#!/usr/bin/env python3
"""Learn which countermeasure concepts answer which problem concepts (extract/addresses.py) from annotated
documents, and report it leave-one-document-out.

    .venv/bin/python scripts/train_addresses.py --gold ../shared/gold --docs corpus --write

Each annotated document is extracted with the shipped extractor; every countermeasure statement and problem concept
it finds get their signals, labelled by the problems the gold claim the statement matches (by the scorer's rule)
addresses. For each document, a model
trained on the others decides its pairs, scored as `iei-kg eval` scores addresses (concept pairs per document, the
gold's pairs whose concepts were not found count as missed). `--write` saves the model trained on all documents to
src/iei_kg/rules/addresses.yaml. Deterministic: the same documents and extractor give the same weights.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from iei_kg.config import ExtractorConfig
from iei_kg.evaluate import DocumentTexts, load_gold, quote_matches
from iei_kg.extract.addresses import load_prior, train_pair_model
from iei_kg.extract.document import Extractor
from iei_kg.ingest import read_document

RULES = Path(__file__).resolve().parents[1] / "src" / "iei_kg" / "rules" / "addresses.yaml"


class RecordingExtractor(Extractor):
    """Keeps the pair signals of the last document extracted, with its statements."""

    def _add_addresses(self, statements, typed, vectors):
        pairs = super()._add_addresses(statements, typed, vectors)
        self.last = [(statements[i], p, found) for i, p, found in pairs]
        return pairs


def prf(system: set, gold: set) -> dict:
    tp = len(system & gold)
    p, r = tp / len(system) if system else 0.0, tp / len(gold) if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "system": len(system), "gold": len(gold)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", required=True, action="append", help="folder of annotation files (repeatable)")
    parser.add_argument("--docs", required=True, action="append", help="folder of their documents (repeatable)")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--write", action="store_true", help="save the model trained on all documents")
    parser.add_argument("--json", help="write the leave-one-document-out figures here")
    args = parser.parse_args()

    prior = load_prior()
    gold = {}
    for folder in args.gold:
        gold.update(load_gold(folder))
    paths = {p.stem: p for folder in args.docs for p in sorted(Path(folder).iterdir()) if p.stem in gold}
    extractor = RecordingExtractor(ExtractorConfig(embedding_cache="none"))
    texts = DocumentTexts(args.docs, set(gold))
    rows, truth = {}, {}
    for doc in sorted(paths):
        extractor.extract(read_document(paths[doc]))
        claims = [(q, set(e.get("addresses", []))) for e in gold[doc].get("countermeasures", []) for q in e["evidence"]]
        truth[doc] = {(doc, e["concept"], p) for e in gold[doc].get("countermeasures", []) for p in e.get("addresses", [])}
        rows[doc] = []
        for statement, p, signals in extractor.last:
            record = {"quote": statement.quote, "start": statement.start, "end": statement.end}
            matched = [addressed for q, addressed in claims if quote_matches(record, doc, q, texts)]
            # a statement that matches no gold claim teaches nothing about what it addresses: it is left out of
            # training, but its pairs are decided and scored like every other
            rows[doc].append((statement.concept, p, signals, any(p in a for a in matched) if matched else None))
        print(f"{doc}: {len(rows[doc])} statement-problem pairs, {sum(r[3] is True for r in rows[doc])} addressed "
              f"per the annotation, {sum(r[3] is None for r in rows[doc])} of unannotated statements", flush=True)
    learned, gold_pairs = set(), set()
    per_document = {}
    for doc in sorted(rows):
        model = train_pair_model([(r[2], r[3]) for d in sorted(rows) if d != doc for r in rows[d] if r[3] is not None],
                                 prior, args.l2)
        kept = {(doc, c, p) for c, p, signals, _ in rows[doc] if model.probability(signals) >= model.threshold}
        per_document[doc] = prf(kept, truth[doc])
        learned, gold_pairs = learned | kept, gold_pairs | truth[doc]
        print(doc, json.dumps(per_document[doc]), flush=True)
    report = {"documents": per_document, "pooled": prf(learned, gold_pairs)}
    print("pooled", json.dumps(report["pooled"]))
    final = train_pair_model([(r[2], r[3]) for d in sorted(rows) for r in rows[d] if r[3] is not None], prior, args.l2)
    report["model"] = final.as_rules(prior)
    print("model on all documents:", json.dumps(report["model"]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.write:
        header = "".join(line + "\n" for line in RULES.read_text(encoding="utf-8").splitlines()
                         if line.startswith("#"))
        RULES.write_text(header + yaml.safe_dump(report["model"], sort_keys=False), encoding="utf-8")
        print(f"wrote {RULES}")


if __name__ == "__main__":
    main()
