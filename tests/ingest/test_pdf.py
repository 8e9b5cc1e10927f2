"""PDF text in reading order: columns, running headers/footers, page numbers, hyphenation, page offsets."""

from __future__ import annotations

from collections import Counter

import pdfplumber
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import pdf_samples as ps
from iei_kg.ingest.layout import analyse_layout
from iei_kg.ingest.pdf import _join, assemble, pdf_text
from iei_kg.ingest.pdf_lines import PdfLine
from iei_kg.ingest.readers import read_document

VARIANTS = {
    "plain": {},
    "justified": {"justify": True},
    "offset-baselines": {"right_offset": 5.0},
    "justified-offset-no-title": {"justify": True, "right_offset": 6.5, "title_page": False, "seed": 3},
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def paper(request, tmp_path_factory):
    sample = ps.two_column_paper(tmp_path_factory.mktemp("pdf") / "paper.pdf", n_sentences=150,
                                 **VARIANTS[request.param])
    return sample, read_document(sample.path)


def test_two_column_sentences_come_out_intact(paper):
    sample, doc = paper
    share = ps.intact_share(sample.sentences, doc.text)
    assert share >= 0.95, share


def test_plain_extract_text_is_the_baseline_we_beat(paper):
    """pdfplumber's extract_text() reads across both columns: the reason ingest/pdf.py exists."""
    sample, doc = paper
    with pdfplumber.open(sample.path) as pdf:
        plain = "\f".join(page.extract_text() or "" for page in pdf.pages)
    assert ps.intact_share(sample.sentences, plain) < 0.5 < ps.intact_share(sample.sentences, doc.text)


def test_headers_footers_and_page_numbers_are_gone(paper):
    sample, doc = paper
    for line in sample.headers:
        assert line not in doc.text
    assert "©" not in doc.text
    assert "Example Academic Press" not in doc.text


def test_hyphenated_words_are_rejoined(paper):
    sample, doc = paper
    assert sample.hyphenated  # the generator did hyphenate
    assert "-\n" not in doc.text
    flat = ps.normalise(doc.text)
    for head, tail in sample.hyphenated:
        if head[:-1].isalpha() and f"{head[:-1]}-{tail}".rstrip(".,") in ps.normalise(" ".join(sample.sentences)):
            assert f"{head[:-1]}-{tail}" in flat  # a compound keeps its hyphen
        else:
            assert f"{head[:-1]}{tail}" in flat
    assert "school-enterprise" in flat and "schoolenterprise" not in flat


def test_references_heading_is_found(paper):
    sample, doc = paper
    layout = analyse_layout(doc.text)
    assert doc.text[layout.end_of_body:].startswith("References\n[1] Zhang H.")
    references = ps.normalise(doc.text[layout.end_of_body:])
    assert all(ref in references for ref in sample.references)
    body = ps.normalise(doc.text[:layout.end_of_body])
    assert all(ps.normalise(s) in body for s in sample.sentences)


def test_full_width_title_and_abstract_stay_first(paper):
    sample, doc = paper
    if not sample.title_page:
        assert doc.text.startswith("1. Section One\n")
        return
    assert doc.text.startswith(ps.TITLE + "\n" + ps.AUTHORS + "\nDOI: " + ps.DOI + "\nAbstract: ")
    assert doc.text.index("industry-education integration.\n") < doc.text.index("1. Section One")


def test_page_starts_point_at_each_page(paper):
    sample, doc = paper
    assert len(doc.page_starts) == len(sample.lines) == doc.text.count("\f") + 1
    for p, lines in sample.lines.items():
        start = doc.page_starts[p - 1]
        end = doc.page_starts[p] if p < len(doc.page_starts) else len(doc.text)
        page_text = doc.text[start:end]
        clean = [line for k, line in enumerate(lines)
                 if not line.endswith("-") and (k == 0 or not lines[k - 1].endswith("-"))]
        assert clean
        for line in clean[1:]:
            assert line in page_text, (p, line)
            assert doc.page_at(doc.text.index(line, start)) == p


# --- smaller cases ----------------------------------------------------------------------------------------


def _line(text: str, top: float, x0: float = 72.0, size: float = 10.0) -> PdfLine:
    words, x = [], x0
    for token in text.split():
        width = len(token) * size * 0.5
        words.append({"text": token, "x0": x, "x1": x + width, "top": top, "bottom": top + size, "size": size})
        x += width + size * 0.3
    return PdfLine(words, top, top + size)


def test_alternating_running_headers_and_roman_page_numbers():
    pages, heights = [], []
    for p in range(6):
        header = "Wang et al. / Vocational Education" if p % 2 else "Journal of Skills Policy 2023"
        body = [_line(f"Body sentence number {p} {k} about cooperation between schools.", 100 + 14 * k)
                for k in range(10)]
        pages.append([_line(header, 30), *body, _line(["i", "ii", "iii", "iv", "v", "vi"][p], 800)])
        heights.append(842.0)
    result = assemble(pages, heights)
    assert "Wang et al." not in result.text and "Journal of Skills" not in result.text
    assert "\niv\n" not in result.text and not result.text.rstrip().endswith("vi")
    assert result.text.count("Body sentence number") == 60
    assert result.columns == [False] * 6


def test_line_repeated_in_the_body_is_kept():
    pages = [[_line("1. Introduction", 300), _line("Some body text of the page.", 320)] for _ in range(4)]
    result = assemble(pages, [842.0] * 4)
    assert result.text.count("1. Introduction") == 4


def test_copyright_line_is_dropped_but_a_sentence_about_copyright_is_not():
    page = [_line("Copyright © 2021 Elsevier Ltd. All rights reserved.", 780),
            _line("Enterprises own the copyright of jointly developed teaching materials.", 300)]
    text = assemble([page], [842.0]).text
    assert "Elsevier" not in text and "own the copyright" in text


@pytest.mark.parametrize("first,second,expected", [
    ("the integra-", "tion of industry", ("the integration", "of industry")),
    ("the integra-", "tion, and", ("the integration,", "and")),
    ("a school-", "enterprise alliance", ("a school-enterprise", "alliance")),  # both halves are words
    ("a soft\u00ad", "ware firm", ("a software", "firm")),  # a soft hyphen is always a cut
    ("the integra-", "tion", ("the integration", "")),
    ("the Sino-", "German project", None),  # capital after the break: no cut word
    ("in 2019-", "2020 we", None),
    ("ends with a dash -", "next line", None),
])
def test_join(first, second, expected):
    vocabulary = Counter({"integration": 2, "school": 3, "enterprise": 4, "alliance": 1})
    assert _join(first, second, vocabulary) == expected


def test_join_prefers_what_the_document_writes():
    assert _join("co-", "operation", Counter({"cooperation": 1}))[0] == "cooperation"
    assert _join("co-", "operation", Counter({"co-operation": 1}))[0] == "co-operation"
    assert _join("under-", "standing", Counter({"under": 1, "standing": 1, "understanding": 2}))[0] == "understanding"


def test_chinese_pdf_has_no_spaces_between_characters(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "zh.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, "产教融合是职业教育改革的重要方向。")
    c.drawString(72, 700, "校企合作需要政府、学校和企业共同推进 industry-education integration。")
    c.showPage()
    c.save()
    assert pdf_text(path).text == ("产教融合是职业教育改革的重要方向。\n"
                                   "校企合作需要政府、学校和企业共同推进 industry-education integration。")


def test_one_column_page_is_read_line_by_line(tmp_path):
    path = tmp_path / "one.pdf"
    c = canvas.Canvas(str(path))
    lines = [f"PdfLine {k} of a single column page talks about school enterprise cooperation in depth." for k in range(30)]
    for k, line in enumerate(lines):
        c.drawString(72, 760 - 20 * k, line)
    c.showPage()
    c.save()
    result = pdf_text(path)
    assert result.text == "\n".join(lines)
    assert result.columns == [False]


def test_rotated_text_is_kept_at_the_end_of_its_page(tmp_path):
    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Normal body text of the page about cooperation.")
    c.saveState()
    c.translate(30, 300)
    c.rotate(90)
    c.drawString(0, 0, "arXiv:2101.00001v1 [cs.CL] 1 Jan 2021")
    c.restoreState()
    c.saveState()
    c.translate(560, 700)
    c.rotate(-90)
    c.drawString(0, 0, "Table turned the other way round")
    c.drawString(0, -14, "second row of it")
    c.restoreState()
    c.showPage()
    c.drawString(72, 720, "Second page.")
    c.showPage()
    c.save()
    result = pdf_text(path)
    assert result.text == ("Normal body text of the page about cooperation.\narXiv:2101.00001v1 [cs.CL] 1 Jan 2021\n"
                           "Table turned the other way round\nsecond row of it\fSecond page.")
    assert result.page_starts == [0, result.text.index("Second page.")]


def test_chapter_headers_with_running_page_numbers_go_and_a_larger_title_stays():
    pages = []
    for p in range(10):
        chapter = 1 if p < 5 else 2
        header = _line(f"Chapter {chapter}: Cooperation Models {p + 1}", 30)
        body = [_line(f"Body text line {k} on page {p} about schools and enterprises.", 100 + 14 * k) for k in range(8)]
        pages.append([header, *body])
    pages[0][0] = _line("Cooperation Models", 30, size=18)  # the title, repeated by no header but set large
    result = assemble(pages, [842.0] * 10)
    assert "Chapter" not in result.text
    assert result.text.startswith("Cooperation Models\n")
    assert result.title == "Cooperation Models"
    assert result.text.count("Body text line") == 80


def test_title_repeated_as_running_header_stays_on_page_one():
    pages = [[_line("Shared Database Specification", 30, size=16), _line("First page body text here.", 100)]]
    for p in range(1, 6):
        pages.append([_line("Shared Database Specification", 30), _line(f"Body of page {p} text.", 100)])
    result = assemble(pages, [842.0] * 6)
    assert result.text.count("Shared Database Specification") == 1
    assert result.text.startswith("Shared Database Specification\nFirst page body")
