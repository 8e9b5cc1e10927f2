"""Cut a document into the units that may become statements: headings and sentences, with exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Span

from iei_kg.ingest.layout import Heading, Layout, skipped_section

MAX_WORDS = 60  # longer sentences (run-ons, title-case text without full stops) are cut at clause breaks
MIN_WORDS = 4
TITLE_CASE_SHARE = 0.6
_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Segment:
    start: int
    end: int
    text: str  # exact document text[start:end]
    heading: Heading | None  # the innermost section heading it belongs to
    is_heading: bool = False
    span: Span | None = None  # the parsed text (lower-cased for headings)


def is_title_case(text: str) -> bool:
    """Whole documents in Title Case ("The System Design Is Still Lacking") need a lower-cased parse."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > TITLE_CASE_SHARE


def _lower_same_length(text: str) -> str:
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _body_blocks(text: str, layout: Layout) -> Iterator[tuple[int, int]]:
    """Spans of body text between headings and furniture lines, before the references."""
    cuts = sorted([(h.start, h.end) for h in layout.headings] + layout.furniture)
    position = 0
    for start, end in cuts + [(layout.end_of_body, len(text))]:
        if start > position:
            yield position, min(start, layout.end_of_body)
        position = max(position, end)
        if position >= layout.end_of_body:
            break


def _section_at(layout: Layout, offset: int) -> Heading | None:
    current = None
    for heading in layout.headings:
        if heading.start <= offset:
            current = heading
        else:
            break
    return current


def segment_document(nlp: Language, text: str, layout: Layout) -> list[Segment]:
    """Headings (as their own segments) and sentences of the body, in document order."""
    title_case = is_title_case(text[: layout.end_of_body])
    headings = [h for h in layout.headings if h.start < layout.end_of_body]
    # Headings are parsed lower-cased: taggers read Title Case words as proper nouns.
    heading_docs = nlp.pipe(_lower_same_length(text[h.start:h.end].replace("\n", " ")) for h in headings)
    segments = [
        Segment(h.start, h.end, text[h.start:h.end], h, is_heading=True, span=doc[:])
        for h, doc in zip(headings, heading_docs)
    ]
    blocks = []  # (start, end, heading): sections such as Keywords are not even parsed
    for start, end in _body_blocks(text, layout):
        heading = _section_at(layout, start)
        if text[start:end].strip() and not (heading is not None and skipped_section(heading.title)):
            blocks.append((start, end, heading))
    views = []
    for start, end, _ in blocks:
        view = text[start:end].replace("\n", " ").replace("\f", " ")
        views.append(_lower_same_length(view) if title_case else view)
    for (block_start, _, heading), doc in zip(blocks, nlp.pipe(views, batch_size=32)):
        for sent in doc.sents:
            for piece in _cut_long(sent):
                start, end = _strip(text, block_start + piece.start_char, block_start + piece.end_char)
                if len(_WORD.findall(text[start:end])) < MIN_WORDS:
                    continue
                segments.append(Segment(start, end, text[start:end], heading, span=piece))
    segments.sort(key=lambda s: s.start)
    return segments


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(sent: Span) -> list[Span]:
    """Cut a sentence of more than MAX_WORDS words at its best clause break, recursively."""
    words = [t for t in sent if t.is_alpha]
    if len(words) <= MAX_WORDS:
        return [sent]
    middle = sent.start + len(sent) // 2
    best = None
    for token in sent[2:-2]:
        # Prefer ";", then ", and/but/so/which/while ...", then any ",".
        rank = None
        if token.text in {";", "；"}:
            rank = 0
        elif token.text == "," and token.nbor(1).lower_ in {"and", "but", "so", "which", "while", "thus", "therefore", "resulting", "making"}:
            rank = 1
        elif token.text == ",":
            rank = 2
        elif token.lower_ in {"and", "but", "so", "which", "therefore", "resulting"} and token.i > sent.start + 5:
            rank = 3
        if rank is not None:
            key = (rank, abs(token.i - middle))
            if best is None or key < best[0]:
                best = (key, token.i)
    if best is None:
        cut = middle
    else:
        cut = best[1] + 1
    doc = sent.doc
    return _cut_long(doc[sent.start:cut]) + _cut_long(doc[cut:sent.end])
