"""PDF pages as lines in reading order: words grouped into lines by vertical overlap, rotated text as lines,
and a page with a column gutter read column by column (see `pdf.py` for the whole document)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

# The gutter is looked for in this band of the page width.
GUTTER_BAND = (0.25, 0.75)
MIN_GUTTER_WIDTH = 6.0  # points
MIN_COLUMN_LINES = 3

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class PdfLine:
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


# --- lines ------------------------------------------------------------------------------------------------


def group_lines(words: list[dict]) -> list[PdfLine]:
    """Words whose vertical extents overlap (by half the smaller height) form a line, sorted top to bottom."""
    lines: list[PdfLine] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        top, bottom = word["top"], word["bottom"]
        height = max(bottom - top, 0.1)
        for line in reversed(lines[-4:]):
            overlap = min(line.bottom, bottom) - max(line.top, top)
            if overlap >= 0.5 * min(height, line.bottom - line.top):
                line.words.append(word)
                break
        else:
            lines.append(PdfLine([word], top, bottom))
    return lines


def vertical_text(words: list[dict]) -> list[str]:
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


def _split_line(line: PdfLine, left: float, right: float) -> tuple[PdfLine | None, PdfLine | None, bool]:
    """(left part, right part, crosses the gutter [left, right]): a line crosses it when a word spans its middle."""
    middle = (left + right) / 2
    if any(w["x0"] < middle < w["x1"] for w in line.words):
        return None, None, True
    a = [w for w in line.words if w["x1"] <= middle]
    b = [w for w in line.words if w["x0"] >= middle]
    return (PdfLine(a, line.top, line.bottom) if a else None, PdfLine(b, line.top, line.bottom) if b else None, False)


# --- columns ----------------------------------------------------------------------------------------------


def _gutter(lines: list[PdfLine]) -> tuple[float, float] | None:
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


def reading_order(lines: list[PdfLine]) -> tuple[list[PdfLine], bool]:
    lines = sorted(lines, key=lambda line: (line.top, line.x0))
    gutter = _gutter(lines)
    if gutter is None:
        return lines, False
    out: list[PdfLine] = []
    left_block: list[PdfLine] = []
    right_block: list[PdfLine] = []

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


def _regroup(parts: list[PdfLine]) -> list[PdfLine]:
    """Lines of one column: regroup the words (lines of the two columns may have been merged by height)."""
    words = [w for part in parts for w in part.words]
    return group_lines(words) if words else []
