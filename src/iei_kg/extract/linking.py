"""Link a statement to a concept of the scheme: label words first, sentence embeddings for unseen wording.

A statement whose best score stays under the threshold gets a candidate concept (see candidates.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.language import Language

from iei_kg.extract.embeddings import Embedder
from iei_kg.extract.link_model import LinkModel
from iei_kg.ontology.scheme import ConceptScheme
from iei_kg.rules import load_rules

LEXICAL_WEIGHT = 0.45
EMBEDDING_WEIGHT = 0.55
HEADING_WEIGHT = 0.3  # the section heading's own concept scores, added to a sentence's
THRESHOLD = 0.40  # combined score under which a statement becomes a candidate concept
SINGLE_WORD_LABEL_WEIGHT = 0.3  # a one-word label ("platform") found in a sentence proves little


@dataclass
class Link:
    concept: str
    score: float


class ConceptLinker:
    def __init__(self, scheme: ConceptScheme, nlp: Language, embedder: Embedder | None, threshold: float = THRESHOLD):
        self.scheme = scheme
        self.model: LinkModel | None = None  # the learned model (training.py), when there are sentence vectors
        self.embedder = embedder
        self.threshold = threshold
        self.ids: dict[str, list[str]] = {}
        self.phrases: dict[str, list[frozenset[str]]] = {}  # concept id -> content lemma sets of its labels
        texts: list[str] = []
        owners: list[str] = []
        for kind in ("problem", "countermeasure", "stakeholder"):
            self.ids[kind] = [c.id for c in scheme.of_kind(kind)]
        lemmas_of = {concept.id: [content_lemmas(d) for d in nlp.pipe([concept.label, *concept.alt_labels])]
                     for concept in scheme.concepts.values()}
        # A one-word stakeholder and its one-word altLabels name the same party ("company", "firm" -> "enterprise"):
        # the words of every label and text are compared as the stakeholder's own word. Not a word that a problem
        # or countermeasure label uses itself ("graduates' skills do not meet ..."): the scheme tells it apart.
        telling = {w for c in scheme.concepts.values() if c.kind != "stakeholder" for ls in lemmas_of[c.id] for w in ls}
        self.synonyms = {alt: c.label.lower() for c in scheme.of_kind("stakeholder") if " " not in c.label
                         for alt in (a.lower() for a in c.alt_labels) if " " not in alt and alt not in telling}
        for concept in scheme.concepts.values():
            self.phrases[concept.id] = [stems(self.canonical(lemmas)) for lemmas in lemmas_of[concept.id] if lemmas]
            for text in concept.texts():
                texts.append(text)
                owners.append(concept.id)
        self.owners = np.array(owners)
        # Words used by the labels of many concepts ("enterprise", "cooperation") tell concepts apart poorly.
        concept_count = Counter(lemma for phrases in self.phrases.values() for lemma in set().union(*phrases or [set()]))
        total = len(self.phrases)
        self.idf = {lemma: math.log((1 + total) / (1 + n)) + 0.1 for lemma, n in concept_count.items()}
        self.vectors = embedder.encode(texts) if embedder else None
        # Per kind, every label as (concept position, its words, their weight), and which labels use each word: a
        # text is compared with the labels that share a word with it, not with all of them (the rest score 0).
        self._labels: dict[str, list[tuple[int, frozenset[str], float]]] = {}
        self._labels_with: dict[str, dict[str, list[int]]] = {}
        self._text_rows: dict[str, np.ndarray] = {}  # per kind: a row of self.vectors' rows per concept
        self._text_counts: dict[str, np.ndarray] = {}  # ... and how many of them are its own
        for kind, ids in self.ids.items():
            labels = [(position, phrase, math.fsum(self.idf[w] for w in phrase))
                      for position, concept_id in enumerate(ids) for phrase in self.phrases[concept_id]]
            with_word: dict[str, list[int]] = {}
            for number, (_, phrase, _) in enumerate(labels):
                for word in phrase:
                    with_word.setdefault(word, []).append(number)
            self._labels[kind], self._labels_with[kind] = labels, with_word
            rows = [np.flatnonzero(self.owners == concept_id) for concept_id in ids]
            # padded with the row past the last text, which embedding_scores fills with -inf
            width = max((len(r) for r in rows), default=1)
            self._text_rows[kind] = np.array([np.pad(r, (0, width - len(r)), constant_values=len(owners)) for r in rows])
            self._text_counts[kind] = np.array([len(r) for r in rows])

    def canonical(self, lemmas) -> set[str]:
        return {self.synonyms.get(w, w) for w in lemmas}

    def lexical_scores(self, lemmas: set[str], kind: str, ignore: frozenset[str] = frozenset()) -> np.ndarray:
        """Per concept of a kind: the best share of a label's content words found in the text, the words in
        `ignore` (stems) left out of the labels."""
        lemmas = stems(self.canonical(lemmas))
        scores = np.zeros(len(self.ids[kind]))
        labels, with_word = self._labels[kind], self._labels_with[kind]
        for number in {n for word in lemmas for n in with_word.get(word, ())}:
            position, phrase, weight = labels[number]
            if phrase & ignore:
                phrase = phrase - ignore
                if not phrase:
                    continue
                weight = math.fsum(self.idf[w] for w in phrase)
            # fsum: a float sum over a set would depend on the hash seed, and near-ties could flip
            share = math.fsum(self.idf[w] for w in phrase & lemmas) / weight
            # One-word labels prove little ("lack of cooperation" too when "lack" is ignored); full multi-word labels
            # prove most.
            if len(phrase) == 1:
                share *= SINGLE_WORD_LABEL_WEIGHT
            scores[position] = max(scores[position], share)
        return scores

    def embedding_scores(self, vector: np.ndarray | None, kind: str) -> np.ndarray:
        """Per concept of a kind: the mean similarity of its two texts closest to the vector (steadier than the
        single best), or of its one text."""
        if vector is None or self.vectors is None:
            return np.zeros(len(self.ids[kind]))
        sims = np.append(self.vectors @ vector, np.float32(-np.inf))
        best = -np.sort(-sims[self._text_rows[kind]], axis=1)[:, :2]
        two = best.mean(axis=1) if best.shape[1] == 2 else best[:, 0]
        return np.where(self._text_counts[kind] >= 2, two, best[:, 0]).astype(np.float64)

    def scores(self, lemmas: set[str], vector: np.ndarray | None, kind: str,
               ignore: frozenset[str] = frozenset()) -> np.ndarray:
        """Combined scores in [0, 1] for every concept of a kind, in the order of `self.ids[kind]`."""
        lexical = self.lexical_scores(lemmas, kind, ignore)
        if vector is None or self.vectors is None:
            return lexical
        return LEXICAL_WEIGHT * lexical + EMBEDDING_WEIGHT * self.embedding_scores(vector, kind)

    def shared_scores(self, lexical: np.ndarray, vector: np.ndarray | None, kind: str) -> np.ndarray:
        """Per concept of a kind, the scores every concept has (the learned model's shared features): the share
        of a label's words in the text (`lexical`: lexical_scores for English, chinese.lexical_scores for Chinese)
        and the closeness of the text to the concept's label texts."""
        return np.stack([lexical, self.embedding_scores(vector, kind)], axis=1)

    def classify(self, vector: np.ndarray, shared: np.ndarray, kind: str) -> Link | None:
        """The learned model's concept for a statement's vector and shared scores, or None when it is unsure."""
        model = self.model.kinds[kind]
        probabilities = model.probabilities(vector[None, :], shared[None, :, :])[0]
        best = int(np.argmax(probabilities))
        if probabilities[best] < self.model.threshold:
            return None
        return Link(model.classes[best], round(float(probabilities[best]), 3))

    def link(self, scores: np.ndarray, kind: str, context: np.ndarray | None = None) -> Link | None:
        """The best concept given a statement's scores (plus its section heading's), or None under the threshold."""
        if context is not None:
            scores = scores + HEADING_WEIGHT * context
        best = int(np.argmax(scores))
        score = float(scores[best]) / (1 + (HEADING_WEIGHT if context is not None else 0))
        return Link(self.ids[kind][best], round(score, 3)) if score >= self.threshold else None


def content_lemmas(span) -> frozenset[str]:
    """Lower-cased lemmas of the content words (nouns, verbs, adjectives, adverbs, negation).

    A hyphenated word with a part that would be dropped ("one-way", "in-depth", "part-time") stays whole: its
    remaining part alone ("way", "depth", "time") would match unrelated words."""
    compounds = _hyphenated(span)
    lemmas = set()
    for t in span:
        if t.i in compounds:
            lemmas.add(compounds[t.i])
        elif _is_content(t):
            lemmas.add(t.lemma_.lower())
    return frozenset(lemmas)


def _is_content(t) -> bool:
    return (t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "ADV"} or t.dep_ == "neg") and not t.is_stop or t.lower_ in {"not", "no", "lack"}


def _hyphenated(span) -> dict[int, str]:
    """Token index -> the whole compound, for the tokens of hyphenated words that have a non-content part."""
    out: dict[int, str] = {}
    tokens = list(span)
    i = 0
    while i < len(tokens):
        j = i
        while (j + 2 < len(tokens) and tokens[j + 1].text == "-" and not tokens[j].whitespace_
               and not tokens[j + 1].whitespace_):
            j += 2
        parts = tokens[i:j + 1:2]
        if j > i and not all(_is_content(p) for p in parts):
            for t in tokens[i:j + 1]:
                out[t.i] = "-".join(p.lower_ for p in parts)
        i = j + 1
    return out


def stem(word: str) -> str:
    """A lemma without its derivational ending: evaluation, evaluate -> evalu; supervision, supervise -> supervis."""
    if not word.isalpha():
        return word  # hyphenated compounds, numbers
    rules = _word_forms()
    for suffix in rules["stem_suffixes"]:
        if word.endswith(suffix):  # the first ending that fits decides ("implement" keeps its "ment")
            if len(word) - len(suffix) >= (rules["min_stem_ment"] if suffix == "ment" else rules["min_stem"]):
                word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def stems(lemmas) -> frozenset[str]:
    """Stems of lemmas; every word that only says "too little" counts as one word ("inadequate", "imperfect")."""
    deficiency = _word_forms()["deficiency_words"]
    return frozenset("deficient" if w in deficiency else stem(w) for w in lemmas)


@lru_cache(maxsize=1)
def _word_forms() -> dict:
    """rules/linking.yaml, with the word lists as sets and tuples."""
    rules = dict(load_rules("linking"))
    rules["deficiency_words"] = frozenset(rules["deficiency_words"])
    rules["stem_suffixes"] = tuple(rules["stem_suffixes"])
    return rules
