"""Labelled sentences the concept linker learns from: the scheme's skos:example sentences, annotated documents
(JSON files per the annotation guideline, as `iei-kg eval --gold` reads them) and users' corrections."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from iei_kg.errors import ConfigError
from iei_kg.extract.link_model import SCHEME
from iei_kg.ingest.metadata import HAN
from iei_kg.ontology.scheme import ConceptScheme
from iei_kg.resources import data_dir

ANNOTATION_KEYS = {"problem": "problems", "countermeasure": "countermeasures"}


@dataclass(frozen=True)
class Example:
    text: str
    kind: str  # problem | countermeasure
    concept: str
    origin: str  # "scheme", the annotated document's id, or "correction"

    @property
    def language(self) -> str:
        return "zh" if HAN.search(self.text) else "en"


def default_annotations_dir() -> Path:
    return data_dir("ontology") / "examples"


def scheme_examples(scheme: ConceptScheme) -> list[Example]:
    """The skos:example sentences of the problem and countermeasure concepts."""
    return [Example(text, c.kind, c.id, SCHEME) for c in scheme.concepts.values() if c.kind in ANNOTATION_KEYS
            for text in c.examples]


def annotated_examples(folder: str | Path, scheme: ConceptScheme) -> list[Example]:
    """Every evidence quote of the annotation files in a folder, labelled with its claim's concept. Claims of
    concepts the scheme does not have are left out: the linker cannot predict them."""
    out = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            doc = data["doc"]
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"{path}: not an annotation file ({exc})") from exc
        for kind, key in ANNOTATION_KEYS.items():
            for claim in data.get(key, []):
                if claim.get("concept") in scheme and scheme[claim["concept"]].kind == kind:
                    out += [Example(quote, kind, claim["concept"], doc) for quote in claim.get("evidence", [])]
    return out


def digest(examples: list[Example], *settings: object) -> str:
    """A hash of the examples (order-free) and the settings a model is trained with."""
    h = hashlib.sha256(json.dumps([str(s) for s in settings]).encode())
    for line in sorted(json.dumps([e.text, e.kind, e.concept, e.origin], ensure_ascii=False) for e in examples):
        h.update(line.encode("utf-8"))
    return h.hexdigest()
