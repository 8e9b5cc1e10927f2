#!/usr/bin/env python3
"""Extraction cost per document by sentence encoder (not a test): the same documents extracted in this process with
each encoder, no embedding cache, after the models are loaded and the linker trained (timed apart, once per
encoder). What a build pays per document for the encoder it uses.

    .venv/bin/python bench/bench_encoders.py corpus --json bench/results-2026-12-05-encoders.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from iei_kg.config import DEFAULT_EMBEDDING_MODEL, MINILM_MODEL, ExtractorConfig
from iei_kg.extract.document import Extractor
from iei_kg.ingest import read_document


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--models", nargs="+", default=[MINILM_MODEL, DEFAULT_EMBEDDING_MODEL, "none"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    documents = [read_document(p) for p in sorted(args.corpus.iterdir()) if p.suffix in (".txt", ".md", ".pdf")]
    report = {"machine": f"{platform.platform()}, {os.cpu_count()} CPUs", "documents": len(documents), "models": {}}
    for model in args.models:
        extractor = Extractor(ExtractorConfig(embedding_model=model, embedding_cache="none"))
        wall, used = time.perf_counter(), cpu()
        extractor.extract(documents[0])  # loads spaCy, the encoder and the linker's model (trained if need be)
        setup = {"wall_s": round(time.perf_counter() - wall, 1), "cpu_s": round(cpu() - used, 1)}
        wall, used = time.perf_counter(), cpu()
        statements = sum(len(extractor.extract(d)) for d in documents)
        row = {"first_document_and_setup": setup, "statements": statements,
               "wall_s_per_document": round((time.perf_counter() - wall) / len(documents), 2),
               "cpu_s_per_document": round((cpu() - used) / len(documents), 2)}
        report["models"][model] = row
        print(model, json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
