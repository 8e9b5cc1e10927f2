"""Generated PDFs with a known text: two columns, running header and footer, page numbers, hyphenated words.

`two_column_paper(path)` lays known sentences out with reportlab the way journals do and returns what was
drawn, so that tests can measure how much of it comes back intact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

HEADER_LEFT = "Journal of Vocational Education Research"
HEADER_RIGHT = "Vol. 12, No. 3 (2024)"
FOOTER = "Copyright © 2024 Example Academic Press"
TITLE = "Deepening Industry-Education Integration in Higher Vocational Colleges"
AUTHORS = "Li Wang, Mei Chen and Jun Zhao"
DOI = "10.1234/jver.2024.0031"

SUBJECTS = ["Vocational colleges", "Local governments", "Cooperating enterprises", "Industry associations",
            "Application-oriented universities", "Provincial education departments", "Teaching supervisors",
            "Training institutions", "Regional chambers of commerce", "School-enterprise alliances"]
VERBS = ["should strengthen", "need to institutionalise", "are expected to coordinate", "must reorganise",
         "ought to evaluate", "will gradually standardise", "have to professionalise", "can systematically improve"]
OBJECTS = ["the apprenticeship arrangements", "curriculum development", "practical teaching facilities",
           "dual-qualified teacher training", "the incentive mechanisms", "internship supervision",
           "school-enterprise cooperation", "industrial transformation", "collaborative innovation platforms",
           "the accreditation of qualifications"]
QUALIFIERS = ["through comprehensive consultation with employers", "within the framework of national legislation",
              "according to regional industrial characteristics", "by establishing transparent responsibilities",
              "under the supervision of intermediary organisations", "with sustainable financial commitments",
              "for the internationalisation of vocational education", "in accordance with labour market demand"]
OPENERS = ["Furthermore", "In particular", "Consequently", "Nevertheless", "Meanwhile", "Accordingly",
           "Importantly", "Additionally"]

PAGE_W, PAGE_H = A4
MARGIN = 56
GUTTER = 22
COLUMN_W = (PAGE_W - 2 * MARGIN - GUTTER) / 2
FONT, SIZE, LEADING = "Helvetica", 10, 12.5
TOP = PAGE_H - 80
BOTTOM = 70


@dataclass
class Sample:
    path: Path
    sentences: list[str]  # body sentences, in reading order
    headers: list[str]  # header, footer and page-number lines drawn on every page
    hyphenated: list[tuple[str, str]] = field(default_factory=list)  # (first part with "-", second part) drawn
    references: list[str] = field(default_factory=list)
    title_page: bool = True
    lines: dict[int, list[str]] = field(default_factory=dict)  # page -> column lines drawn on it, in order


def sentences(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        s = f"{rnd.choice(SUBJECTS)} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {rnd.choice(QUALIFIERS)}."
        if rnd.random() < 0.4:
            s = f"{rnd.choice(OPENERS)}, {s[0].lower()}{s[1:]}"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def _wrap(words: list[str], width: float, hyphenated: list[tuple[str, str]]) -> list[str]:
    """Greedy line breaking; a word that does not fit is hyphenated when at least 3 letters fit."""
    lines, line = [], ""
    words = list(words)
    while words:
        word = words.pop(0)
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, FONT, SIZE) <= width:
            line = candidate
            continue
        split = None
        if "-" in word.strip(".,"):
            head, tail = word.split("-", 1)
            if stringWidth(f"{line} {head}-", FONT, SIZE) <= width:
                split = (f"{head}-", tail)
        elif word.isalpha() and len(word) >= 8:
            for k in range(len(word) - 3, 2, -1):
                if stringWidth(f"{line} {word[:k]}-", FONT, SIZE) <= width:
                    split = (f"{word[:k]}-", word[k:])
                    break
        if split and line:
            lines.append(f"{line} {split[0]}")
            hyphenated.append(split)
            words.insert(0, split[1])
            line = ""
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _draw_justified(pdf, x: float, y: float, text: str, width: float) -> None:
    words = text.split()
    if len(words) < 2:
        pdf.drawString(x, y, text)
        return
    natural = sum(stringWidth(w, FONT, SIZE) for w in words)
    space = (width - natural) / (len(words) - 1)
    for word in words:
        pdf.drawString(x, y, word)
        x += stringWidth(word, FONT, SIZE) + space


def two_column_paper(path: Path, n_sentences: int = 120, seed: int = 7, title_page: bool = True,
                     justify: bool = False, right_offset: float = 0.0) -> Sample:
    """A paper in two columns; returns the sentences drawn and the lines that must not come back.

    `justify` spreads the words of each full line over the column width; `right_offset` moves the right
    column's baselines down by that many points (columns whose lines do not line up).
    """
    body = sentences(n_sentences, seed)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    sample = Sample(Path(path), body, [HEADER_LEFT, HEADER_RIGHT, FOOTER], title_page=title_page)
    state = {"page": 1, "column": 0, "y": TOP}

    def furniture():
        pdf.setFont(FONT, 8)
        pdf.drawString(MARGIN, PAGE_H - 40, HEADER_LEFT)
        pdf.drawRightString(PAGE_W - MARGIN, PAGE_H - 40, HEADER_RIGHT)
        pdf.drawString(MARGIN, 36, FOOTER)
        pdf.drawCentredString(PAGE_W / 2, 24, f"- {state['page']} -")

    def new_page():
        pdf.showPage()
        state["page"] += 1
        state["column"] = 0
        state["y"] = TOP
        furniture()

    def draw_line(text: str, font: str = FONT):
        if state["y"] < BOTTOM:
            if state["column"] == 0:
                state["column"] = 1
                state["y"] = state["top"]
            else:
                new_page()
                state["top"] = TOP
        x = MARGIN + state["column"] * (COLUMN_W + GUTTER)
        y = state["y"] - (right_offset if state["column"] else 0.0)
        pdf.setFont(font, SIZE)
        if justify and font == FONT and stringWidth(text, FONT, SIZE) > 0.85 * COLUMN_W:
            _draw_justified(pdf, x, y, text, COLUMN_W)
        else:
            pdf.drawString(x, y, text)
        sample.lines.setdefault(state["page"], []).append(text)
        state["y"] -= LEADING

    furniture()
    state["top"] = TOP
    if title_page:
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawCentredString(PAGE_W / 2, TOP, TITLE)
        pdf.setFont(FONT, 10)
        pdf.drawCentredString(PAGE_W / 2, TOP - 22, AUTHORS)
        pdf.drawString(MARGIN, TOP - 44, f"DOI: {DOI}")
        abstract = ("Abstract: This paper examines how vocational colleges and enterprises cooperate in the "
                    "training of skilled workers, which problems hinder that cooperation and which "
                    "countermeasures the literature proposes for deepening industry-education integration.")
        y = TOP - 62
        for line in _wrap(abstract.split(), PAGE_W - 2 * MARGIN, []):
            pdf.drawString(MARGIN, y, line)
            y -= LEADING
        state["top"] = y - 14
        state["y"] = state["top"]
    sections = [body[i:i + 30] for i in range(0, len(body), 30)]
    for number, section in enumerate(sections, 1):
        if state["y"] < state["top"]:
            state["y"] -= 6
        draw_line(f"{number}. Section {['One', 'Two', 'Three', 'Four', 'Five', 'Six'][number - 1]}", "Helvetica-Bold")
        for p in range(0, len(section), 5):
            paragraph = section[p:p + 5]
            words = " ".join(paragraph).split()
            for line in _wrap(words, COLUMN_W, sample.hyphenated):
                draw_line(line)
    draw_line("References", "Helvetica-Bold")
    for k in range(1, 6):
        ref = f"[{k}] Zhang H. Industry and education integration study number {k}. Beijing: Press, 2019."
        sample.references.append(ref)
        for line in _wrap(ref.split(), COLUMN_W, []):
            draw_line(line)
    pdf.showPage()
    pdf.save()
    sample.headers.extend(f"- {p} -" for p in range(1, state["page"] + 1))
    return sample


def normalise(text: str) -> str:
    return " ".join(text.split())


def intact_share(sample_sentences: list[str], text: str) -> float:
    flat = normalise(text)
    return sum(1 for s in sample_sentences if normalise(s) in flat) / len(sample_sentences)
