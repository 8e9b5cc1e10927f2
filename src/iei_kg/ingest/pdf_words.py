"""Words with their positions on each PDF page, from PDFium's text layer (pypdfium2: some 30x faster than pdfminer).

A word is a dict like pdfplumber's: text, x0, x1, top, bottom (`top` measured down from the top of the page),
size (the type size in points, page scaling included), upright, direction ("ltr", "btt" running up, "ttb"
running down). Words are split on spaces and on gaps wider than `X_TOLERANCE_RATIO` x the type size (PDFs from
TeX draw no space characters), and where the text jumps back or to another line.
"""

from __future__ import annotations

import ctypes
import math
from collections import deque
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from iei_kg.errors import DocumentError

# Letters further apart than this share of the type size are two words.
X_TOLERANCE_RATIO = 0.15
# PDFium writes a hyphen it takes for a line-end break as U+FFFE (and joins the two lines): give it back.
_HYPHEN_MARK = "\ufffe"
_DIRECTIONS = ("ltr", "btt", "ttb")


def _by_address(name: str, restype, *argtypes):
    """A PDFium function called with plain ints for pointers: the binding's typed pointer arguments would need
    a ctypes object per call (one array holds every character box of a page instead)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value)


_loose_box = _by_address("FPDFText_GetLooseCharBox", ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_text_object = _by_address("FPDFText_GetTextObject", ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)


@dataclass
class PageWords:
    height: float
    words: list[dict]  # upright words
    rotated: list[dict]  # words running up or down the page


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open with PDFium; raise `DocumentError` (encrypted / corrupt) with a one-line reason."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError(str(path), "encrypted PDF (a password is needed)") from exc
        raise DocumentError(str(path), f"corrupt PDF ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    # "Failed to load document (PDFium: Data format error)." -> "Data format error"
    text = " ".join(str(exc).split())
    if "PDFium: " in text:
        text = text.split("PDFium: ", 1)[1].rstrip(").")
    return text[:120] or type(exc).__name__


def read_pages(path: str | Path) -> list[PageWords]:
    """The words of every page; `DocumentError` when the file cannot be read."""
    path = Path(path)
    pdf = open_pdf(path)
    try:
        return [_page_words(pdf, k) for k in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise DocumentError(str(path), f"corrupt PDF ({_reason(exc)})") from exc
    finally:
        pdf.close()


def _page_words(pdf: pdfium.PdfDocument, index: int) -> PageWords:
    page = pdf[index]
    try:
        left, bottom, right, top = page.get_cropbox()
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        if not textpage:
            raise pdfium.PdfiumError(f"cannot read the text of page {index + 1}")
        try:
            words = _words(textpage, top)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        page.close()
    return PageWords(top - bottom, [w for w in words if w["upright"]], [w for w in words if not w["upright"]])


def _page_text(textpage, n: int) -> str:
    """The page's characters, one per character index (one call; per character past the Basic Plane)."""
    buffer = (ctypes.c_ushort * (n + 1))()
    pdfium_c.FPDFText_GetText(textpage, 0, n, buffer)
    text = bytes(buffer)[: 2 * n].decode("utf-16-le", errors="replace")
    if len(text) != n:  # surrogate pairs: GetText's units are no longer character indices
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    return text.replace(_HYPHEN_MARK, "-")


def _words(textpage, page_top: float) -> list[dict]:
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    text = _page_text(textpage, n)
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not index:
        return []
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    idx = np.array(index)
    boxes = (ctypes.c_float * (4 * n))()  # FS_RECTF: left, top, right, bottom
    deque(map(_loose_box, repeat(handle, len(index)), index, (ctypes.addressof(boxes) + 16 * idx).tolist()), 0)
    box = np.frombuffer(boxes, np.float32).reshape(n, 4)[idx].astype(float)
    # Runs: characters between spaces (real ones or those PDFium puts where it sees a gap or a new line).
    starts = np.flatnonzero(np.diff(idx, prepend=-2) != 1)
    size, direction = _run_styles(textpage, handle, idx[starts].tolist())
    counts = np.diff(np.append(starts, len(idx)))
    size, direction = np.repeat(size, counts), np.repeat(direction, counts)
    # Along the writing direction: [lo, hi); across it: the middle. (0: left to right, 1: up, 2: down.)
    x_mid, y_mid = (box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2
    lo = np.select([direction == 0, direction == 1], [box[:, 0], box[:, 3]], -box[:, 1])
    hi = np.select([direction == 0, direction == 1], [box[:, 2], box[:, 1]], -box[:, 3])
    across = np.where(direction == 0, y_mid, x_mid)
    tolerance = X_TOLERANCE_RATIO * size
    new = np.zeros(len(idx), dtype=bool)
    new[starts] = True
    new[1:] |= ((lo[1:] - hi[:-1] > tolerance[1:])  # a gap
                | (lo[1:] < lo[:-1] - tolerance[1:])  # back along the line
                | (np.abs(across[1:] - across[:-1]) > 0.5 * size[1:])  # another line
                | (direction[1:] != direction[:-1]))
    word_starts = np.flatnonzero(new)
    ends = np.append(word_starts[1:], len(idx))
    lo_min = np.minimum.reduceat(lo, word_starts)
    hi_max = np.maximum.reduceat(hi, word_starts)
    middle = (np.minimum.reduceat(across, word_starts) + np.maximum.reduceat(across, word_starts)) / 2
    chars = "".join(text[i] for i in index)
    words = []
    for a, b, w_lo, w_hi, mid, w_size, way in zip(word_starts.tolist(), ends.tolist(), lo_min.tolist(),
                                                  hi_max.tolist(), middle.tolist(), size[word_starts].tolist(),
                                                  direction[word_starts].tolist()):
        # Loose boxes span the font's bounding box, often far taller than the type: one type size across
        # the middle keeps closely set lines apart, as pdfplumber's boxes do.
        half = w_size / 2
        if way == 0:
            x0, x1, y0, y1 = w_lo, w_hi, mid - half, mid + half
        elif way == 1:
            x0, x1, y0, y1 = mid - half, mid + half, w_lo, w_hi
        else:
            x0, x1, y0, y1 = mid - half, mid + half, -w_hi, -w_lo
        words.append({"text": chars[a:b], "x0": x0, "x1": x1, "top": page_top - y1, "bottom": page_top - y0,
                      "size": w_size, "upright": way == 0, "direction": _DIRECTIONS[way]})
    return words


def _run_styles(textpage, handle: int, firsts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Type size (font size x the matrix's scale) and direction (0, 1 up, 2 down) of the runs starting at
    `firsts`, asked once per text object: the characters of one object share them."""
    styles: dict[int | None, tuple[float, int]] = {}
    matrix = pdfium_c.FS_MATRIX()
    sizes, directions = [], []
    for first, obj in zip(firsts, map(_text_object, repeat(handle, len(firsts)), firsts)):
        style = styles.get(obj)
        if style is None:
            pdfium_c.FPDFText_GetMatrix(textpage, first, matrix)
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
            way = 0 if abs(matrix.b) <= abs(matrix.a) else 1 if matrix.b > 0 else 2
            style = styles[obj] = (abs(pdfium_c.FPDFText_GetFontSize(textpage, first)) * scale, way)
        sizes.append(style[0])
        directions.append(style[1])
    return np.array(sizes), np.array(directions)
