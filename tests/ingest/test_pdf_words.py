"""The word source (PDFium): boxes and sizes as drawn, words of PDFs without spaces, rotated text, speed (printed)."""

from __future__ import annotations

import time

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

import pdf_samples as ps
from iei_kg.ingest.pdf import pdf_text
from iei_kg.ingest.pdf_words import read_pages

PAGE_H = A4[1]


def _words(path):
    return [w for page in read_pages(path) for w in page.words]


def test_boxes_and_sizes_are_where_the_words_were_drawn(tmp_path):
    path = tmp_path / "boxes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 720, "Vocational colleges")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(300, 500, "Title")
    c.saveState()
    c.scale(2, 2)  # type scaled by the page matrix counts at its printed size
    c.setFont("Helvetica", 10)
    c.drawString(50, 150, "Scaled")
    c.restoreState()
    c.showPage()
    c.save()
    words = {w["text"]: w for w in _words(path)}
    assert list(words) == ["Vocational", "colleges", "Title", "Scaled"]
    expected = {"Vocational": (72, 720, 10, "Helvetica"),
                "colleges": (72 + stringWidth("Vocational ", "Helvetica", 10), 720, 10, "Helvetica"),
                "Title": (300, 500, 16, "Helvetica-Bold"), "Scaled": (100, 300, 20, "Helvetica")}
    for text, (x, baseline, size, font) in expected.items():
        word = words[text]
        assert word["x0"] == pytest.approx(x, abs=0.1)
        assert word["x1"] == pytest.approx(x + stringWidth(text, font, size), abs=0.1)
        assert word["size"] == pytest.approx(size, abs=0.01)
        assert word["bottom"] - word["top"] == pytest.approx(size, abs=0.01)
        # the baseline lies in the lower part of the box, measured from the top of the page
        assert word["top"] < PAGE_H - baseline < word["bottom"]
        assert word["bottom"] - (PAGE_H - baseline) < 0.4 * size
        assert word["upright"] and word["direction"] == "ltr"


def _draw_without_spaces(c, x: float, y: float, text: str, gap: float, kern: float = 0.0) -> None:
    """Glyph by glyph with no space characters, as TeX does: `gap` points between words, `kern` inside them."""
    for word in text.split():
        for ch in word:
            c.drawString(x, y, ch)
            x += stringWidth(ch, "Helvetica", 10) + kern
        x += gap - kern


def test_pdf_without_space_characters_splits_on_gaps(tmp_path):
    path = tmp_path / "tex.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    _draw_without_spaces(c, 72, 720, "Industry education integration", gap=3.3)
    _draw_without_spaces(c, 72, 700, "kerned letters stay together", gap=3.0, kern=0.5)  # 0.05 of the size
    c.showPage()
    c.save()
    assert [w["text"] for w in _words(path)] == ["Industry", "education", "integration",
                                                 "kerned", "letters", "stay", "together"]


def test_line_end_hyphen_stays_with_its_word(tmp_path):
    path = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 720, "deep integra-")
    c.drawString(72, 706, "tion of industry")
    c.showPage()
    c.save()
    assert [w["text"] for w in _words(path)] == ["deep", "integra-", "tion", "of", "industry"]
    assert pdf_text(path).text == "deep integration\nof industry"


def test_rotated_text_comes_out_with_its_direction(tmp_path):
    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 720, "Upright body text.")
    c.saveState()
    c.translate(30, 300)
    c.rotate(90)
    c.drawString(0, 0, "running up")
    c.restoreState()
    c.saveState()
    c.translate(560, 700)
    c.rotate(-90)
    c.drawString(0, 0, "running down")
    c.restoreState()
    c.showPage()
    c.save()
    (page,) = read_pages(path)
    assert [w["text"] for w in page.words] == ["Upright", "body", "text."]
    assert [(w["text"], w["direction"]) for w in page.rotated] == [("running", "btt"), ("up", "btt"),
                                                                  ("running", "ttb"), ("down", "ttb")]
    up = page.rotated[0]
    assert up["x1"] - up["x0"] == pytest.approx(12, abs=0.01)  # the type size across the line
    assert up["bottom"] == pytest.approx(PAGE_H - 300, abs=0.1)  # it starts at the origin and runs up
    assert up["top"] == pytest.approx(PAGE_H - 300 - stringWidth("running", "Helvetica", 12), abs=0.1)
    assert pdf_text(path).text == "Upright body text.\nrunning up\nrunning down"


def test_speed_benchmark(tmp_path, capsys):
    """Pages per CPU second of the whole reader on a two-column paper: printed, not asserted."""
    sample = ps.two_column_paper(tmp_path / "paper.pdf", n_sentences=180)
    started = time.process_time()
    result = pdf_text(sample.path)
    seconds = time.process_time() - started
    with capsys.disabled():
        print(f"\n  pdf_text: {result.pages} pages in {seconds:.3f} CPU s = {result.pages / seconds:.0f} pages/s")
    assert result.pages >= 3
