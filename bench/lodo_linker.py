#!/usr/bin/env python3
"""Leave-one-document-out figures of the learned concept linker.

For every annotated document of a gold folder: train the linker on all examples but that document's (the scheme's
skos:example sentences and the other annotated documents of ontology/examples), extract the document, and score it
with the shared scorer (`score.py`, with the documents, so that a statement counts only where the gold quote
stands). Prints each document's figures, their mean and worst, the figures pooled over all documents, and how often
links are right by the model's probability (the calibration of the abstaining threshold).

    .venv/bin/python bench/lodo_linker.py --gold ../shared/gold --docs ../shared/corpus
    .venv/bin/python bench/lodo_linker.py --gold ../shared/gold-zh --docs ../shared/corpus-zh
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from iei_kg.config import DEFAULT_EMBEDDING_MODEL, ExtractorConfig
from iei_kg.extract.document import Extractor
from iei_kg.extract.embeddings import MULTILINGUAL_MODELS, encoder_key
from iei_kg.extract.training import train_link_model
from iei_kg.ingest import read_document

KINDS = ("problem", "countermeasure")
BANDS = (0.2, 0.3, 0.4, 0.5, 0.7, 0.9, 1.01)


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", required=True, help="folder of annotation files")
    parser.add_argument("--docs", required=True, help="folder of the annotated documents (.txt)")
    parser.add_argument("--scorer", default=str(Path(__file__).resolve().parents[2] / "shared" / "score.py"))
    parser.add_argument("--embedding-model", default=DEFAULT_EMBEDDING_MODEL)
    parser.add_argument("--cache", default="/tmp/iei-lodo-embeddings.sqlite", help="embedding cache file")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    score = load_scorer(Path(args.scorer))
    paths = {p.stem: p for p in sorted(Path(args.docs).glob("*.txt"))}
    for stem, path in paths.items():
        score.DOC_TEXTS[stem] = path.read_text(encoding="utf-8")
    gold = score.load_gold(args.gold)
    extractor = Extractor(ExtractorConfig(embedding_model=args.embedding_model, embedding_cache=args.cache))
    linker = extractor.linker
    chinese = extractor.chinese_labels if args.embedding_model in MULTILINGUAL_MODELS else None
    per_document, pooled = {}, []
    for doc in sorted(gold):
        held_out = [e for e in extractor.examples if e.origin != doc]
        linker.model = train_link_model(linker, extractor.nlp, extractor.encode, held_out,
                                        encoder_key(extractor.embedder), chinese)
        mentions = [{**s.as_mention(), "link_score": s.link_score}
                    for s in extractor.extract(read_document(paths[doc]))]
        pooled += mentions
        per_document[doc] = score.score_mentions({doc: gold[doc]}, mentions)
        print(doc, _line(per_document[doc]), flush=True)
    report = {"documents": {d: {k: r[k] for k in KINDS} for d, r in per_document.items()},
              "pooled": {k: v for k, v in score.score_mentions(gold, pooled).items() if k in KINDS},
              "calibration": calibration(score, gold, pooled)}
    for kind in KINDS:
        accuracies = [r[kind]["concept_accuracy"] for r in per_document.values() if r[kind]["system"]]
        report[f"{kind}_mean_accuracy"] = round(sum(accuracies) / len(accuracies), 3) if accuracies else None
        report[f"{kind}_worst_accuracy"] = min(accuracies, default=None)
        print(f"{kind}: concept accuracy mean {report[f'{kind}_mean_accuracy']}, worst "
              f"{report[f'{kind}_worst_accuracy']}")
    print("pooled", _line(report["pooled"]))
    print("links by probability (right / matched):", json.dumps(report["calibration"]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


def calibration(score, gold: dict, mentions: list[dict]) -> dict:
    """For the statements that match a gold quote: per band of link probability, how many links were right."""
    bands = {f"{lo:.1f}-{hi:.1f}": [0, 0] for lo, hi in zip(BANDS, BANDS[1:])}
    candidates = [0, 0]
    for kind in KINDS:
        for m in (m for m in mentions if m["type"] == kind and m["doc"] in gold):
            quotes = [q for q in score.gold_quotes(gold[m["doc"]], kind) if score.m_matches(m, m["doc"], q[0])]
            if not quotes:
                continue
            if m["candidate"]:
                candidates[0] += 1
                continue
            right = m["concept"] in {q[1] for q in quotes}
            probability = m["link_score"]
            for (lo, hi), name in zip(zip(BANDS, BANDS[1:]), bands):
                if lo <= probability < hi:
                    bands[name][0] += right
                    bands[name][1] += 1
    return {"links": bands, "candidates (matched statements left unlinked)": candidates[0]}


def _line(report: dict) -> str:
    return "  ".join(f"{k}: F1 {report[k]['f1']:.3f} accuracy {report[k]['concept_accuracy']:.3f}"
                     f" ({report[k]['system']} statements)" for k in KINDS)


if __name__ == "__main__":
    sys.exit(main())
