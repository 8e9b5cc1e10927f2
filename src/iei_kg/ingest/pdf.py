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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from iei_kg.errors import DocumentError
from iei_kg.ingest.pdf_words import read_pages

# Fraction of the page height, at the top and at the bottom, where running headers and footers live.
EDGE_ZONE = 0.12
# Only this many lines from the top or the bottom of a page may be headers or footers.
EDGE_LINES = 3
# A line (digits aside) in the edge zone of at least this share of pages (and of 2 pages) is a header/footer.
REPEAT_SHARE = 0.4
# The gutter is looked for in this band of the page width.
GUTTER_BAND = (0.25, 0.75)
MIN_GUTTER_WIDTH = 6.0  # points
MIN_COLUMN_LINES = 3

_PAGE_NUMBER = re.compile(r"^\s*[-–—(\[]?\s*(page|p\.|第)?\s*\d{1,4}\s*(页)?\s*((of|/|共)\s*\d{1,4}\s*页?)?\s*[-–—)\]]?\s*$",
                          re.IGNORECASE)
_ROMAN_PAGE = re.compile(r"^\s*[ivxlc]{1,6}\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(copyright\s*(©|\(c\)|\d{4})|©|all rights reserved|版权所有)", re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HYPHENS = ("-", "\u2010", "\u00ad")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")


@dataclass
class _Line:
    words: list[dict]
    top: float
    bottom: float
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @property
    def size(self) -> float:
        return max(float(w.get("size") or (w["bottom"] - w["top"])) for w in self.words)

    def text(self) -> str:
        if self._text is None:  # asked several times per line; a line's words are complete once it is read
            self._text = self._join_words()
        return self._text

    def _join_words(self) -> str:
        words = sorted(self.words, key=lambda w: w["x0"])
        out = words[0]["text"]
        for prev, word in zip(words, words[1:]):
            gap = word["x0"] - prev["x1"]
            tight = gap < 0.5 * max(float(prev.get("size") or 10), 1.0)
            if tight and _CJK.match(prev["text"][-1]) and _CJK.match(word["text"][0]):
                out += word["text"]
            else:
                out += " " + word["text"]
        return out


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
    page_lines = [_group_lines(page.words) for page in pages]
    vertical = [_vertical_text(page.rotated) for page in pages]
    if not any(page_lines) and not any(vertical):
        raise DocumentError(str(path), f"PDF with no text layer ({len(pages)} pages; scanned? run OCR first)")
    return assemble(page_lines, [page.height for page in pages], vertical)


def assemble(page_lines: list[list[_Line]], heights: list[float], vertical: list[list[str]] | None = None) -> PdfText:
    """Pages of positioned lines -> cleaned text in reading order (lines of vertical text end their page)."""
    page_lines = _drop_furniture(page_lines, heights)
    title = _title(page_lines[0] if page_lines else [], heights[0] if heights else 0.0, page_lines)
    pages: list[list[str]] = []
    columns: list[bool] = []
    for k, lines in enumerate(page_lines):
        ordered, two = _reading_order(lines)
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


# --- lines ------------------------------------------------------------------------------------------------


def _group_lines(words: list[dict]) -> list[_Line]:
    """Words whose vertical extents overlap (by half the smaller height) form a line, sorted top to bottom."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        top, bottom = word["top"], word["bottom"]
        height = max(bottom - top, 0.1)
        for line in reversed(lines[-4:]):
            overlap = min(line.bottom, bottom) - max(line.top, top)
            if overlap >= 0.5 * min(height, line.bottom - line.top):
                line.words.append(word)
                break
        else:
            lines.append(_Line([word], top, bottom))
    return lines


def _vertical_text(words: list[dict]) -> list[str]:
    """Rotated text (a side stamp, a table turned by 90 degrees) as lines: text running up, then text running down."""
    lines = []
    for up in (True, False):
        columns: list[list[dict]] = []
        for word in sorted((w for w in words if (w["direction"] == "btt") == up),
                           key=lambda w: w["x0"] if up else -w["x1"]):
            last = columns[-1] if columns else None
            if last and min(last[-1]["x1"], word["x1"]) - max(last[-1]["x0"], word["x0"]) > 0:
                last.append(word)
            else:
                columns.append([word])
        for column in columns:
            column.sort(key=lambda w: -w["bottom"] if up else w["top"])
            lines.append(" ".join(w["text"] for w in column))
    return lines


def _split_line(line: _Line, left: float, right: float) -> tuple[_Line | None, _Line | None, bool]:
    """(left part, right part, crosses the gutter [left, right]): a line crosses it when a word spans its middle."""
    middle = (left + right) / 2
    if any(w["x0"] < middle < w["x1"] for w in line.words):
        return None, None, True
    a = [w for w in line.words if w["x1"] <= middle]
    b = [w for w in line.words if w["x0"] >= middle]
    return (_Line(a, line.top, line.bottom) if a else None, _Line(b, line.top, line.bottom) if b else None, False)


# --- headers, footers, page numbers -----------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge_lines(lines: list[_Line], height: float) -> list[int]:
    """Indices of the lines that may be running headers or footers on a page."""
    if not lines:
        return []
    order = sorted(range(len(lines)), key=lambda i: lines[i].top)
    candidates = set(order[:EDGE_LINES]) | set(order[-EDGE_LINES:])
    return [i for i in candidates
            if lines[i].bottom <= height * EDGE_ZONE or lines[i].top >= height * (1 - EDGE_ZONE)]


def _drop_furniture(page_lines: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
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


def _body_size(page_lines: list[list[_Line]]) -> float:
    """The type size of most words."""
    sizes: Counter = Counter()
    for lines in page_lines:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_edge_block(lines: list[_Line], i: int) -> bool:
    """A copyright line is furniture unless it sits in the middle of running text (the top or bottom 5 lines)."""
    order = sorted(range(len(lines)), key=lambda j: lines[j].top)
    rank = order.index(i)
    return rank < 5 or rank >= len(order) - 5


# --- columns ----------------------------------------------------------------------------------------------


def _gutter(lines: list[_Line]) -> tuple[float, float] | None:
    """The column gutter of a page as (left, right) x, or None for a one-column page."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    lo = min(line.x0 for line in lines)
    hi = max(line.x1 for line in lines)
    width = hi - lo
    if width <= 0:
        return None
    start = int(lo + GUTTER_BAND[0] * width)
    end = int(lo + GUTTER_BAND[1] * width)
    # cover[k]: how many lines have a word over x = start + k (one-point steps); each word marks where its span
    # starts (+1) and ends (-1) in its line's row, so a running sum over a row is > 0 where the line has a word.
    spans = [(row, w["x0"], w["x1"]) for row, line in enumerate(lines) for w in line.words]
    rows, x0, x1 = (np.array(column) for column in zip(*spans))
    a = np.maximum(np.floor(x0 - 0.5) + 1 - start, 0).astype(int)
    b = np.minimum(np.ceil(x1 + 0.5) - 1 - start, end - start).astype(int)
    keep = a <= b
    marks = np.zeros((len(lines), end - start + 2), dtype=np.int32)
    np.add.at(marks, (rows[keep], a[keep]), 1)
    np.add.at(marks, (rows[keep], b[keep] + 1), -1)
    counts = (np.cumsum(marks, axis=1)[:, :-1] > 0).sum(axis=0)
    cover = counts.tolist()
    best = min(cover)
    typical = sorted(cover)[len(cover) // 2]
    if best > 0.5 * typical:
        return None
    # The widest run of (nearly) minimal coverage is the gutter: a few full-width lines cross it here and there.
    limit = best + max(2, 0.1 * typical)
    runs, run_start = [], None
    for k, c in enumerate(cover + [math.inf]):
        if c <= limit and run_start is None:
            run_start = k
        elif c > limit and run_start is not None:
            runs.append((run_start, k - 1))
            run_start = None
    a, b = max(runs, key=lambda r: r[1] - r[0])
    left, right = start + a, start + b
    if right - left + 1 < MIN_GUTTER_WIDTH:
        return None
    n_left = n_right = 0
    for line in lines:
        l_part, r_part, crosses = _split_line(line, left, right)
        if not crosses:
            n_left += l_part is not None
            n_right += r_part is not None
    if min(n_left, n_right) < max(MIN_COLUMN_LINES, 0.15 * len(lines)):
        return None
    return float(left), float(right)


def _reading_order(lines: list[_Line]) -> tuple[list[_Line], bool]:
    lines = sorted(lines, key=lambda line: (line.top, line.x0))
    gutter = _gutter(lines)
    if gutter is None:
        return lines, False
    out: list[_Line] = []
    left_block: list[_Line] = []
    right_block: list[_Line] = []

    def close_block():
        out.extend(_regroup(left_block))
        out.extend(_regroup(right_block))
        left_block.clear()
        right_block.clear()

    for line in lines:
        l_part, r_part, crosses = _split_line(line, *gutter)
        if crosses:
            close_block()
            out.append(line)
            continue
        if l_part:
            left_block.append(l_part)
        if r_part:
            right_block.append(r_part)
    close_block()
    return out, True


def _regroup(parts: list[_Line]) -> list[_Line]:
    """Lines of one column: regroup the words (lines of the two columns may have been merged by height)."""
    words = [w for part in parts for w in part.words]
    return _group_lines(words) if words else []


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


def _title(lines: list[_Line], height: float, page_lines: list[list[_Line]]) -> str | None:
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
