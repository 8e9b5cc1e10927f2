"""Statement-type cues (rules/cues.yaml) matched on lemmas, and the section roles they imply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span

from iei_kg.rules import load_rules


def phrase_regex(phrases: list[str], patterns: list[str] = ()) -> re.Pattern:
    """One pattern for the phrases (whole words) and the regular expressions (on lemmas, as written)."""
    alternatives = sorted((re.escape(p.lower()) for p in phrases), key=len, reverse=True) + list(patterns)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


@dataclass(frozen=True)
class CueSet:
    c_strong: re.Pattern
    c_weak: re.Pattern
    imperative: frozenset
    p_strong: re.Pattern
    p_weak: re.Pattern
    background: re.Pattern
    roles: dict  # role -> pattern
    generic_heading: re.Pattern
    measure_heading: re.Pattern  # a mechanism that is itself a measure
    solved_problem: re.Pattern  # "solve the above problems": a problem word that is no problem cue
    weights: dict


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> CueSet:
    rules = load_rules("cues", path)
    c, p = rules["countermeasure"], rules["problem"]
    return CueSet(
        c_strong=phrase_regex(c["strong"]),
        c_weak=phrase_regex(c["weak"]),
        imperative=frozenset(v.lower() for v in c["imperative_verbs"]),
        p_strong=phrase_regex(p["strong"], p.get("strong_patterns", [])),
        p_weak=phrase_regex(p["weak"]),
        background=phrase_regex(rules["background"]),
        roles={role: phrase_regex(words) for role, words in rules["section_roles"].items()},
        generic_heading=phrase_regex(rules["generic_heading"]),
        measure_heading=phrase_regex(rules["measure_mechanisms"]),
        solved_problem=re.compile(r"\b(?:" + "|".join(map(re.escape, rules["solving"]["verbs"])) + r")\b(?: \S+){0,3}? "
                                  r"(?:" + "|".join(map(re.escape, rules["solving"]["objects"])) + r")\b"),
        weights=rules["weights"],
    )


def lemma_text(span: Span) -> str:
    """Lower-cased lemmas joined by spaces: the text cue phrases are matched against."""
    return " ".join(t.lemma_.lower() if t.lemma_ else t.lower_ for t in span if not t.is_space)


def _head_role(heading: Span, cues: CueSet) -> str | None:
    """Problem or countermeasure, where the heading's head word (after its number) is a word of that role."""
    words = [t for t in heading if t.is_alpha]
    if not words:
        return None
    head = heading.doc[words[0].i:words[-1].i + 1].root.lemma_.lower()
    return next((role for role in ("problem", "countermeasure") if cues.roles[role].fullmatch(head)), None)


_SEQUENCE_WORDS = {"first", "firstly", "second", "secondly", "third", "thirdly", "finally", "lastly", "then",
                   "moreover", "in", "addition", "of", "all", "at", "the", "same", "time", "meanwhile", "also",
                   "furthermore", "besides", "additionally", "on", "one", "other", "hand", "and", "to", "begin"}


def opens_with_imperative(span: Span, verbs: frozenset) -> bool:
    """Does the sentence open (after "First of all," and the like) with an action verb in base form?"""
    for token in span:
        if token.is_punct or token.is_space or token.like_num or token.lower_ in _SEQUENCE_WORDS:
            continue
        return token.lemma_.lower() in verbs and token.tag_ in {"VB", "VBP", "NN", "NNP", "RB", "JJ"}
    return False


def heading_role(heading: Span, cues: CueSet) -> str | None:
    """The role a heading gives its section: problem, countermeasure, background, summary or None."""
    text = lemma_text(heading)
    for role in ("summary", "background", "countermeasure"):
        if cues.roles[role].search(text):
            # "Problems Identified in the Literature": the word the heading is about decides, not one it also has
            return (_head_role(heading, cues) or role) if role == "background" else role
    if opens_with_imperative(heading, cues.imperative):
        return "countermeasure"
    if cues.roles["problem"].search(text) or cues.p_strong.search(text):
        return "problem"
    return None
