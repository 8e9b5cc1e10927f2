#!/usr/bin/env python3
"""Train the concept linker's model on the shipped scheme and annotations and write it to ontology/linker/.

Deterministic: the same examples, encoder and settings give the same model. Run it after editing the scheme's
skos:example sentences, ontology/examples/ or rules/linking.yaml (`model:`); a build would otherwise train the same
model itself at its first run and keep it in the knowledge graph's cache folder.

    .venv/bin/python scripts/train_linker.py [--embedding-model NAME]
"""

from __future__ import annotations

import argparse

import numpy as np

from iei_kg.config import DEFAULT_EMBEDDING_MODEL, ExtractorConfig
from iei_kg.extract.document import Extractor
from iei_kg.extract.embeddings import MULTILINGUAL_MODELS, centre_path, encoder_key
from iei_kg.extract.linking import ConceptLinker
from iei_kg.extract.training import shipped_model_path, train_link_model


CENTRE_SHARE = 0.75  # of e5's mean direction taken off: then its cosines spread as all-MiniLM-L6-v2's do here


def write_centre(extractor: Extractor) -> None:
    """The common direction of the encoder's vectors (their mean over the scheme's texts and examples, times
    CENTRE_SHARE), which E5Embedder takes off every vector."""
    embedder = extractor.embedder
    texts = [t for c in extractor.scheme.concepts.values() for t in (*c.texts(), *c.examples)]
    centre = (CENTRE_SHARE * embedder.raw_encode(texts).mean(axis=0)).astype(np.float32)
    path = centre_path(embedder.name)
    np.save(path, centre)
    embedder.centre = centre
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedding-model", default=DEFAULT_EMBEDDING_MODEL)
    args = parser.parse_args()
    extractor = Extractor(ExtractorConfig(embedding_model=args.embedding_model, embedding_cache="none"))
    if hasattr(extractor.embedder, "centre"):
        write_centre(extractor)
    linker = ConceptLinker(extractor.scheme, extractor.nlp, extractor.embedder)  # without a model yet
    chinese = extractor.chinese_labels if args.embedding_model in MULTILINGUAL_MODELS else None
    model = train_link_model(linker, extractor.nlp, extractor.encode, extractor.examples,
                             encoder_key(extractor.embedder), chinese)
    path = shipped_model_path(args.embedding_model)
    model.save(path)
    counts = {kind: len(m.exemplar_class) for kind, m in model.kinds.items()}
    print(f"wrote {path} ({counts} examples, digest {model.digest[:12]})")


if __name__ == "__main__":
    main()
