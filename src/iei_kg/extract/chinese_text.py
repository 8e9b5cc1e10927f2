"""Chinese words: jieba segmentation, and word lists matched on word boundaries.

Chinese has no spaces, so a cue found as a substring may sit inside another word: 要 in 要求, 大力 in 下大力气,
加强 in 有待加强. Here a listed word matches only where it coincides with a whole word or a run of whole words of
jieba's segmentation. The words of the rules are added to jieba's dictionary (有待加强 then stays one word, so
加强 is not found in it); each set of added words gets its own tokenizer, so the words one rule file adds never
change how another segments. jieba also keeps common phrases whole (大力发展, 积极推进): a word that is a rule word
and a dictionary word of two or more characters is cut in two (大力|发展), one that is a rule word and a single
character is not (要求, 应用, 下大力气 stay whole).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from iei_kg.ingest.metadata import HAN

SEGMENT_CACHE = 20_000  # sentences whose word boundaries are kept (a sentence is looked up by several rules)


@lru_cache(maxsize=4)
def _tokenizer(words: frozenset[str]):
    import jieba  # loaded on first use: documents in English never need it

    jieba.setLogLevel(logging.WARNING)  # it logs the dictionary loading at INFO
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(words):  # sorted: the same frequencies whatever the order of the rule file
        if len(word) > 1:
            tokenizer.add_word(word)
    return tokenizer


class Lexicon:
    """jieba with the rules' words added; boundaries(text) are the offsets where its words start or end."""

    def __init__(self, words) -> None:
        self.words = frozenset(words)
        self.boundaries = lru_cache(maxsize=SEGMENT_CACHE)(self._boundaries)

    def _boundaries(self, text: str) -> frozenset[int]:
        tokenizer, cuts, offset = _tokenizer(self.words), {0, len(text)}, 0
        for word in tokenizer.cut(text, HMM=False):  # no HMM: unknown characters stay apart, not guessed into words
            if (split := self._split(word, tokenizer.FREQ)) is not None:
                cuts.add(offset + split)
            offset += len(word)
            cuts.add(offset)
        return frozenset(cuts)

    def _split(self, word: str, dictionary: dict) -> int | None:
        """Where a phrase of a rule word and another word of two or more characters divides (大力发展: 2)."""
        if len(word) < 4 or word in self.words:
            return None
        return next((i for i in range(len(word) - 2, 1, -1)  # the longest rule word first, at either end
                     for head, tail in [(word[:i], word[i:])]
                     if (head in self.words and dictionary.get(tail)) or (tail in self.words and dictionary.get(head))),
                    None)


class WordList:
    """Words found on word boundaries, in text order, the longest where they overlap, never overlapping."""

    def __init__(self, words, lexicon: Lexicon) -> None:
        self.words = frozenset(w for w in words if w)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.lexicon = lexicon

    def find(self, text: str) -> list[tuple[int, int]]:
        if not self.words:
            return []
        bounds, out, end = self.lexicon.boundaries(text), [], 0
        for start in sorted(bounds):
            if start < end:
                continue
            length = next((n for n in self.lengths if start + n in bounds and text[start:start + n] in self.words), 0)
            if length:
                out.append((start, end := start + length))
        return out

    def search(self, text: str) -> tuple[int, int] | None:
        found = self.find(text)
        return found[0] if found else None

    def __contains__(self, word: str) -> bool:
        return word in self.words


def outside(spans: list[tuple[int, int]], excluded: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that overlap none of `excluded` (完善 inside 不够完善 is no measure word)."""
    return [(a, b) for a, b in spans if not any(a < y and x < b for x, y in excluded)]


# --- sentences and sections ---------------------------------------------------------------------------------------

ENDS, CLOSERS = "。！？；!?;", "”’」』）)】"
TRIM = " \t\u3000“”\"'‘’「」（）()《》【】，,、：:。；;！？!?"
# a sentence: from a non-space character to 。！？； and the closing quotes after it (or to the end of the line)
_SENTENCE = re.compile(f"[^\\s{ENDS}][^{ENDS}]*(?:[{ENDS}]+[{CLOSERS}]*)?")
ARTICLE_LEVEL = 0.5  # 第X条: inside a chapter (第X章, level 0), around its items (（一）)


@dataclass
class Sentence:
    start: int
    end: int
    text: str  # exact document text[start:end]
    heading: Sentence | None = None  # the innermost section heading it stands under
    role: str | None = None  # role of its section: problem | countermeasure | background | None
    is_heading: bool = False
    numbered: bool = False
    article: bool = False  # the number of an article (第十一条): the heading of the article's paragraphs
    lead: Sentence | None = None  # the sentence ending in ： that introduces this item of a list
    introduces: bool = False  # ends in ： and numbered items follow: they, not it, say what is meant


def segment(text: str, cues, heading_role) -> list[Sentence]:
    """Headings and sentences in document order, each with its section heading and role. A heading: a line opening
    with a number (一、 （一） 1. 第一章) whose first sentence is short, comma-free (the rest is body text), or a short
    line without sentence punctuation; the number of an article (第十一条); never an item of a list that a line
    ending in ： introduces (（一）有组织机构和章程；)."""
    out: list[Sentence] = []
    stack: list[tuple[float, Sentence]] = []  # (level, heading) of the enclosing sections
    lead: Sentence | None = None  # the last line's sentence ending in ：, while its items follow
    for m in cues.line.finditer(text):
        line_start, line = m.start(), m.group()
        body = line.strip()
        if not body or body.startswith(cues.skip_lines):
            continue
        if body.startswith(cues.end_of_body) and len(body) <= 12:
            break
        offset = line_start + len(line) - len(line.lstrip())
        level, marker = next(((i, m.end()) for i, n in enumerate(cues.numbers) if (m := n.match(body))), (None, 0))
        article = cues.article.match(body)
        if article:
            level, marker = ARTICLE_LEVEL, article.end()
        item = lead is not None and marker > 0 and not article
        lead = lead if item else None
        pieces = [m.span() for m in _SENTENCE.finditer(text, offset + marker, line_start + len(line.rstrip()))]
        first = text[pieces[0][0]:pieces[0][1]].rstrip(ENDS) if pieces else ""
        is_heading = (bool(pieces) and len(first) <= cues.heading_max and not re.search("[，,]", first)
                      and not item and not article)
        if level is None:  # unnumbered headings rank with the outermost numbered ones; a lead-in (…如下：) is none
            is_heading, level = is_heading and len(pieces) == 1 and first == body and body[-1] not in "：:", 1
        while (is_heading or marker) and stack and stack[-1][0] >= level:  # （二） ends （一）, heading or not
            stack.pop()
        if article:
            a, b = offset, offset + len(article.group().rstrip())
            parent = stack[-1][1] if stack else None
            heading = Sentence(a, b, text[a:b], parent, parent.role if parent else None, True, True, article=True)
            stack.append((level, heading))
            out.append(heading)
        elif is_heading:
            role = heading_role(first, cues) or (stack[-1][1].role if stack else None)  # or the enclosing one's
            a, b = pieces.pop(0)
            heading = Sentence(a, b, text[a:b], stack[-1][1] if stack else None, role, True, marker > 0)
            stack.append((level, heading))
            out.append(heading)
        heading = stack[-1][1] if stack else None
        sentences = [Sentence(a, b, text[a:b], heading, heading.role if heading else None, lead=lead if item else None)
                     for a, b in pieces if len(HAN.findall(text, a, b)) >= cues.min_sentence_chars]
        if sentences and body[-1] in "：:":
            sentences[-1].introduces, lead = True, sentences[-1]
        out += sentences
    return out
