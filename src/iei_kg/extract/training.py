"""Train the concept linker's model from examples, or load the one already trained on the same examples.

The model shipped in `ontology/linker/` was made by `scripts/train_linker.py` from the shipped scheme and
annotations with the default encoder; any other examples (a user's scheme, corrections) or encoder train a new one
at the first build, kept in the knowledge graph's cache folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from iei_kg.errors import ConfigError
from iei_kg.extract.examples import Example, digest
from iei_kg.extract.link_model import KINDS, LinkModel, train_kind
from iei_kg.extract.linking import ConceptLinker, content_lemmas
from iei_kg.resources import data_dir
from iei_kg.rules import load_rules


FORMAT = 2  # of the model's features and arrays: a model saved in another format is trained again


def settings() -> dict:
    """The training settings of rules/linking.yaml (`model:`)."""
    return dict(load_rules("linking")["model"])


def shipped_model_path(encoder_name: str) -> Path:
    return data_dir("ontology") / "linker" / f"{_slug(encoder_name)}.npz"


def model_digest(linker: ConceptLinker, examples: list[Example], encoder: str) -> str:
    # the concepts' names and definitions feed the label-word and label-text features, so they are inputs too
    names = {kind: {cid: linker.scheme.concepts[cid].texts() for cid in linker.ids[kind]} for kind in KINDS}
    return digest(examples, encoder, settings(), FORMAT, names)


def train_link_model(linker: ConceptLinker, nlp, encode, examples: list[Example], encoder: str,
                     chinese_labels=None) -> LinkModel:
    """Fit the model of every kind on the examples (Chinese ones too when `chinese_labels`, the Chinese label
    index, is given: their label words are found by chinese.lexical_scores)."""
    from iei_kg.extract.chinese import lexical_scores as chinese_lexical

    config = settings()
    languages = ("en", "zh") if chinese_labels is not None else ("en",)
    kinds = {}
    for kind in KINDS:
        chosen = [e for e in examples
                  if e.kind == kind and e.concept in linker.ids[kind] and e.language in languages]
        texts = [" ".join(e.text.split()) for e in chosen]
        vectors = np.asarray(encode(texts), dtype=np.float32)
        english = iter(nlp.pipe([t for t, e in zip(texts, chosen) if e.language == "en"]))
        lexical = [linker.lexical_scores(set(content_lemmas(next(english))), kind) if e.language == "en"
                   else chinese_lexical(t, kind, chinese_labels, linker.ids[kind]) for t, e in zip(texts, chosen)]
        shared = np.stack([linker.shared_scores(x, v, kind) for x, v in zip(lexical, vectors)])
        weight = np.array([config["scheme_example_weight"] if e.origin == "scheme" else 1.0 for e in chosen])
        kinds[kind] = train_kind(linker.ids[kind], [e.concept for e in chosen], [e.origin for e in chosen], vectors,
                                 shared, weight, config["l2"])
    return LinkModel(kinds, model_digest(linker, examples, encoder), float(config["threshold"]))


def load_or_train(linker: ConceptLinker, nlp, encode, examples: list[Example], encoder_name: str, encoder: str,
                  cache_dir: Path | None, chinese_labels=None) -> LinkModel:
    """The shipped model of the encoder `encoder_name` when it was trained on these examples with the same
    encoder (`encoder`: its embeddings.encoder_key), else one cached in `cache_dir`, else a new one (saved
    there)."""
    wanted = model_digest(linker, examples, encoder)
    candidates = [shipped_model_path(encoder_name)] + ([cache_dir / f"linker-{wanted[:16]}.npz"] if cache_dir else [])
    for path in candidates:
        if path.is_file():
            try:
                model = LinkModel.load(path)
            except ConfigError:  # a damaged or older cached model is trained again
                continue
            if model.digest == wanted:
                return model
    model = train_link_model(linker, nlp, encode, examples, encoder, chinese_labels)
    if cache_dir is not None:
        model.save(candidates[-1])
    return model


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", Path(name).name.lower()).strip("-") or "model"
