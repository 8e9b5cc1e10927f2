"""PDF text in reading order, cleaned while the text is built (so every offset stays an offset into it).

- words with their positions come from PDFium (`ingest.pdf_words`); they are grouped into lines by vertical
  overlap;
- running headers and footers (the same line, digits aside, near the top or bottom edge of most pages), page
  numbers and copyright lines are left out;
- a page with a column gutter (a vertical band, near the middle, that no line of the column text crosses) is
  read column by column: lines that cross the gutter (titles, full-width headings, abstracts, captions) stay in
  place and cut the page into blocks; each block is read left column first, then right column;
- words hyphenated at line ends are rejoined ("integra-" + "tion" -> "integration"; "school-" + "enterprise"
  keeps its hyphen when the document writes it so elsewhere); the second part moves up to the first line.

Pages are joined by a form feed; `page_starts` gives the offset where each page begins.

The page-level work (words into lines, lines into reading order across columns) is in `pdf_lines.py`;
this module assembles the document from those lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from iei_kg.errors import DocumentError
from iei_kg.ingest.pdf_lines import PdfLine, group_lines, reading_order, vertical_text
from iei_kg.ingest.pdf_words import read_pages

# Fraction of the page height, at the top and at the bottom, where running headers and footers live.
EDGE_ZONE = 0.12
# Only this many lines from the top or the bottom of a page may be headers or footers.
EDGE_LINES = 3
# A line (digits aside) in the edge zone of at least this share of pages (and of 2 pages) is a header/footer.
REPEAT_SHARE = 0.4

_PAGE_NUMBER = re.compile(r"^\s*[-–—(\[]?\s*(page|p\.|第)?\s*\d{1,4}\s*(页)?\s*((of|/|共)\s*\d{1,4}\s*页?)?\s*[-–—)\]]?\s*$",
                          re.IGNORECASE)
_ROMAN_PAGE = re.compile(r"^\s*[ivxlc]{1,6}\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(copyright\s*(©|\(c\)|\d{4})|©|all rights reserved|版权所有)", re.IGNORECASE)
_HYPHENS = ("-", "\u2010", "\u00ad")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")


@dataclass
class PdfText:
    text: str
    page_starts: list[int]
    title: str | None = None  # the largest-type lines at the top of the first page, if any
    pages: int = 0
    columns: list[bool] = field(default_factory=list)  # per page: read as two columns?


def pdf_text(path: str | Path) -> PdfText:
    """The text of a PDF in reading order, with page start offsets; `DocumentError` when it cannot be read."""
    path = Path(path)
    pages = read_pages(path)
    page_lines = [group_lines(page.words) for page in pages]
    vertical = [vertical_text(page.rotated) for page in pages]
    if not any(page_lines) and not any(vertical):
        raise DocumentError(str(path), f"PDF with no text layer ({len(pages)} pages; scanned? run OCR first)")
    return assemble(page_lines, [page.height for page in pages], vertical)


def assemble(page_lines: list[list[PdfLine]], heights: list[float], vertical: list[list[str]] | None = None) -> PdfText:
    """Pages of positioned lines -> cleaned text in reading order (lines of vertical text end their page)."""
    page_lines = _drop_furniture(page_lines, heights)
    title = _title(page_lines[0] if page_lines else [], heights[0] if heights else 0.0, page_lines)
    pages: list[list[str]] = []
    columns: list[bool] = []
    for k, lines in enumerate(page_lines):
        ordered, two = reading_order(lines)
        pages.append([line.text() for line in ordered] + (vertical[k] if vertical else []))
        columns.append(two)
    pages = _dehyphenate(pages)
    starts, offset, texts = [], 0, []
    for lines in pages:
        page = "\n".join(lines)
        starts.append(offset)
        texts.append(page)
        offset += len(page) + 1
    return PdfText("\f".join(texts), starts, title, len(pages), columns)


# --- headers, footers, page numbers -----------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge_lines(lines: list[PdfLine], height: float) -> list[int]:
    """Indices of the lines that may be running headers or footers on a page."""
    if not lines:
        return []
    order = sorted(range(len(lines)), key=lambda i: lines[i].top)
    candidates = set(order[:EDGE_LINES]) | set(order[-EDGE_LINES:])
    return [i for i in candidates
            if lines[i].bottom <= height * EDGE_ZONE or lines[i].top >= height * (1 - EDGE_ZONE)]


def _drop_furniture(page_lines: list[list[PdfLine]], heights: list[float]) -> list[list[PdfLine]]:
    n = len(page_lines)
    edges = [_edge_lines(lines, h) for lines, h in zip(page_lines, heights)]
    seen: dict[str, dict[int, str]] = {}  # normalised edge line -> {page index: its text}
    for p, (lines, idx) in enumerate(zip(page_lines, edges)):
        for i in idx:
            seen.setdefault(_norm(lines[i].text()), {})[p] = lines[i].text()
    need = max(2, math.ceil(REPEAT_SHARE * n))
    running = {norm for norm, pages in seen.items() if len(pages) >= need or _numbered_like_pages(pages)}
    body = _body_size(page_lines)
    out = []
    for lines, idx in zip(page_lines, edges):
        drop = set()
        for i in idx:
            text = lines[i].text()
            # A repeated line set larger than the body text is the title on page 1 that the header repeats.
            if (_norm(text) in running and lines[i].size <= 1.15 * body) or _PAGE_NUMBER.match(text) \
                    or _ROMAN_PAGE.match(text) or _COPYRIGHT.search(text):
                drop.add(i)
        for i, line in enumerate(lines):
            if i not in drop and _COPYRIGHT.search(line.text()) and len(line.text().split()) <= 25 \
                    and _is_edge_block(lines, i):
                drop.add(i)
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _numbered_like_pages(pages: dict[int, str]) -> bool:
    """"Chapter 2: Structure 3", "... 4" on consecutive pages: the last number runs with the page index."""
    if len(pages) < 2:
        return False
    offsets = set()
    for p, text in pages.items():
        numbers = re.findall(r"\d+", text)
        if not numbers:
            return False
        offsets.add(int(numbers[-1]) - p)
    return len(offsets) == 1


def _body_size(page_lines: list[list[PdfLine]]) -> float:
    """The type size of most words."""
    sizes: Counter = Counter()
    for lines in page_lines:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_edge_block(lines: list[PdfLine], i: int) -> bool:
    """A copyright line is furniture unless it sits in the middle of running text (the top or bottom 5 lines)."""
    order = sorted(range(len(lines)), key=lambda j: lines[j].top)
    rank = order.index(i)
    return rank < 5 or rank >= len(order) - 5


# --- hyphenation ------------------------------------------------------------------------------------------


def _dehyphenate(pages: list[list[str]]) -> list[list[str]]:
    """Rejoin words cut at line ends; the second part moves up to the end of the first line."""
    # The words the document writes (their hyphenated parts too), leaving out the cut words at line ends.
    kept = []
    for lines in pages:
        for line in lines:
            tokens = line.split()
            if tokens and tokens[-1].endswith(_HYPHENS):
                tokens.pop()
            kept.append(" ".join(tokens))
    found = _WORD.findall("\n".join(kept).lower())
    vocabulary = Counter(found)
    vocabulary.update(p for m in found if "-" in m or "\u2010" in m for p in re.split(r"[-\u2010]", m))
    flat = [(p, i) for p, lines in enumerate(pages) for i in range(len(lines))]
    pages = [list(lines) for lines in pages]
    for (p, i), (q, j) in zip(flat, flat[1:]):
        first, second = pages[p][i], pages[q][j]
        joined = _join(first, second, vocabulary)
        if joined is not None:
            pages[p][i], pages[q][j] = joined
    return [[line for line in lines if line.strip()] for lines in pages]


def _join(first: str, second: str, vocabulary: Counter) -> tuple[str, str] | None:
    stripped = first.rstrip()
    if not stripped or stripped[-1] not in _HYPHENS or len(stripped) < 2 or not stripped[-2].isalpha():
        return None
    rest = second.lstrip()
    if not rest or not rest[0].isalpha() or not rest[0].islower():
        return None
    head_match = re.search(r"[^\W\d_]+$", stripped[:-1])
    head = head_match.group(0) if head_match else ""
    fragment, _, remainder = rest.partition(" ")
    tail_match = re.match(r"[^\W\d_]+", fragment)
    tail = tail_match.group(0) if tail_match else ""
    if not head or not tail:
        return None
    if stripped[-1] == "\u00ad":
        keep = False
    else:
        hyphenated, whole = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
        if vocabulary[hyphenated]:
            keep = True
        elif vocabulary[whole]:
            keep = False
        else:
            keep = vocabulary[head.lower()] > 0 and vocabulary[tail.lower()] > 0 and len(head) > 2 and len(tail) > 2
    joined = stripped[:-1] + ("-" if keep else "") + fragment
    return joined, remainder.lstrip()


# --- title ------------------------------------------------------------------------------------------------


def _title(lines: list[PdfLine], height: float, page_lines: list[list[PdfLine]]) -> str | None:
    """The lines set in the largest type in the top half of the first page, when larger than the body text."""
    if not lines:
        return None
    body = _body_size(page_lines)
    top = [line for line in sorted(lines, key=lambda line: line.top) if line.top < height * 0.5]
    if not top:
        return None
    biggest = max(round(line.size, 1) for line in top)
    if biggest < body * 1.15:
        return None
    picked = []
    for line in top:
        if round(line.size, 1) == biggest:
            picked.append(line)
        elif picked:
            break
    title = " ".join(line.text() for line in picked)
    title = " ".join(title.split())
    return title if 3 <= len(title) <= 300 else None
