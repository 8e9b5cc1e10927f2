"""The layout of a document's text: headings (with their numbering) and page furniture.

Works on the raw text so that every offset stays an offset into the document as read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from iei_kg.rules import load_rules


@dataclass
class Heading:
    start: int
    end: int  # end of the heading text (a continuation line included)
    number: str  # "2.1", "二", "#" ... or "" for named sections
    title: str
    level: int

    @property
    def text(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Layout:
    headings: list[Heading]
    furniture: list[tuple[int, int]]  # spans of lines that are never evidence
    end_of_body: int  # offset where the references (or similar) begin


@dataclass
class _Line:
    start: int
    end: int  # without the newline
    text: str


@lru_cache(maxsize=1)
def _compiled() -> dict:
    rules = load_rules("layout")
    flags = re.IGNORECASE
    return {
        "numbered": [re.compile(p) for p in rules["numbered_heading"]],
        "named": re.compile(rules["named_heading"], flags),
        "end": re.compile(rules["end_sections"], flags),
        "skip": re.compile(rules["skip_sections"], flags),
        "furniture": [re.compile(p, flags) for p in rules["furniture"]],
        "table": re.compile(rules["table_caption"], flags),
        "rules": rules,
    }


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in re.split(r"(?<=[\n\f])", text):
        body = raw.rstrip("\n\f")
        lines.append(_Line(offset, offset + len(body), body))
        offset += len(raw)
    return lines


def _words(text: str) -> int:
    return len(text.split())


def _prose_width(lines: list[_Line], rules: dict) -> int:
    """How long a line of the text's prose is at least: a share of its usual length where the text is wrapped
    into lines of about one width; 0 where a line holds a whole paragraph (their lengths say nothing)."""
    lengths = sorted(len(line.text.strip()) for line in lines if _words(line.text) >= rules["prose_min_words"])
    if not lengths or lengths[int(0.9 * (len(lengths) - 1))] > rules["wrapped_line_max_chars"]:
        return 0
    return int(rules["table_end_line_share"] * lengths[len(lengths) // 2])


def _level(number: str) -> int:
    if number.startswith("#"):
        return len(number)
    if number.startswith(("(", "（")) or len(number) == 1 and "A" <= number <= "H":  # "(1)" or "A." under "I." or "1."
        return 2
    return number.count(".") + 1 if number else 1


def analyse_layout(text: str) -> Layout:
    """Find headings, furniture lines and where the body ends."""
    c = _compiled()
    rules = c["rules"]
    lines = _lines(text)
    counts = Counter(line.text.strip() for line in lines if line.text.strip())
    # A running header that carries the page number ("Policy Brief No. 7    3") repeats without it.
    unnumbered = Counter(_without_page_number(line.text) for line in lines)
    unnumbered.pop("", None)
    prose_width = _prose_width(lines, rules)
    i = _front_matter_end(lines, prose_width, c)
    furniture = [(line.start, line.end) for line in lines[:i] if line.text.strip()]
    headings: list[Heading] = []
    in_table = False
    while i < len(lines):
        line = lines[i]
        stripped = line.text.strip()
        if not stripped:
            i += 1
            continue
        words = _words(stripped)
        is_prose = _is_prose(stripped, prose_width, rules)
        if in_table and not is_prose and not _heading_match(stripped, c):
            furniture.append((line.start, line.end))
            i += 1
            continue
        in_table = False
        if c["table"].match(stripped) and words < 15:
            in_table = True
            furniture.append((line.start, line.end))
        elif any(p.search(stripped) for p in c["furniture"]) and words < 30:
            furniture.append((line.start, line.end))
        elif words <= 12 and (counts[stripped] >= rules["repeated_line_min_count"]
                              or unnumbered.get(_without_page_number(stripped), 0) >= rules["repeated_line_min_count"]):
            furniture.append((line.start, line.end))
        else:
            heading = _heading_match(stripped, c)
            if heading is not None and heading[0] and _runs_on(lines, i, heading[1], prose_width, rules):
                heading = None  # "(1) Participation is concentrated in large firms, and small" wraps a sentence
            if heading is None and _bare_heading(lines, i, rules):
                heading = ("", stripped)
            if heading is not None:
                number, title = heading
                start = line.start + line.text.index(stripped)
                end = line.start + len(line.text.rstrip())
                nxt = _next_nonblank(lines, i)
                if (number and nxt is not None and _heading_match(lines[nxt].text.strip(), c) is None
                        and _continues(title, lines[nxt].text.strip(), rules)):
                    end = lines[nxt].start + len(lines[nxt].text.rstrip())
                    title = f"{title} {lines[nxt].text.strip()}"
                    i = nxt
                m = c["named"].match(line.text) if not number else None
                if m:  # "Abstract: text ..." -> the heading is the name only; the text stays body.
                    end = line.start + m.end()
                headings.append(Heading(start, end, number, title, _level(number)))
        i += 1
    end_of_body = len(text)
    for h in headings:
        if c["end"].match(h.title.strip(" :：")):
            end_of_body = h.start
            break
    return Layout(headings=headings, furniture=furniture, end_of_body=end_of_body)


def _is_prose(line: str, prose_width: int, rules: dict) -> bool:
    """A line of running text: enough words, and as wide as the document's usual line."""
    return _words(line) >= rules["prose_min_words"] and len(line) >= prose_width


def _front_matter_end(lines: list[_Line], prose_width: int, c: dict) -> int:
    """Where the title and byline lines a document opens with end, when the text follows without an Abstract or
    other heading (0 when there are none): short lines that end no sentence, before the first line of prose
    ("Making Enterprises Genuine Partners in Vocational Education: / Problems and Policy Recommendations / Research
    Group on ..."). Read as one sentence, they would be a problem statement."""
    rules = c["rules"]
    count = 0
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        if not stripped:
            continue
        if (_heading_match(stripped, c) is not None or stripped.endswith((".", "?", "!", "。", "？", "！"))
                or _is_prose(stripped, prose_width, rules) or not stripped[0].isupper()):
            return i if count <= rules["front_matter_max_lines"] else 0
        count += 1
    return 0  # no prose after them: the whole text is short lines, not a title


def _heading_match(line: str, c: dict) -> tuple[str, str] | None:
    rules = c["rules"]
    m = c["named"].match(line)
    if m:
        return "", m.group("title")
    for pattern in c["numbered"]:
        m = pattern.match(line)
        if m:
            title = m.group("title")
            if _words(title) > rules["max_heading_words"] or title.rstrip().endswith((",", ";", "，", "；")):
                return None
            # A wrapped sentence that happens to start with a number ends with a full stop after many words.
            if title.rstrip().endswith((".", "。")) and _words(title) > 8:
                return None
            return m.group("num"), title.strip()
    return None


def _without_page_number(line: str) -> str:
    """A line without a page number ("3", "— 3 —") at its start or end, if what is left has three words or more
    (so that "Case 1", "Case 2", "Case 3" stay apart); else ""."""
    rest = re.sub(r"^\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s+|\s+[-–—]?\s*\d{1,4}\s*[-–—]?\s*$", "", line.strip())
    return rest if rest != line.strip() and _words(rest) >= 3 else ""


def _runs_on(lines: list[_Line], i: int, title: str, prose_width: int, rules: dict) -> bool:
    """Is a numbered line the first line of a wrapped sentence: as wide as the text's prose, no punctuation at
    its end, and the next line going on in lower case, too long to be the rest of a heading?"""
    stripped = lines[i].text.strip()
    nxt = _next_nonblank(lines, i)
    if prose_width == 0 or len(stripped) < prose_width or stripped.endswith((".", ":", "?", "!")) or nxt is None:
        return False
    following = lines[nxt].text.strip()
    return following[:1].islower() and not _continues(title, following, rules)


def _bare_heading(lines: list[_Line], i: int, rules: dict) -> bool:
    """A heading without a number ("Main problems", "Policy Recommendations"): a short line of words with no
    punctuation at its end, standing between the end of one sentence and the start of the next."""
    stripped = lines[i].text.strip()
    words = stripped.split()
    if (not words or len(words) > rules["bare_heading_max_words"] or not stripped[0].isupper()
            or re.search(r"[\d,;:*@|=]|[.?!)]$", stripped) or words[-1].lower() in rules["dangling_words"]):
        return False
    before = lines[i - 1].text.strip() if i > 0 else ""
    if i == 0 or before and not before.endswith((".", "?", "!", '"', "”")):
        return False
    nxt = _next_nonblank(lines, i)
    return nxt is not None and bool(re.match(r"[A-Z(“\"]|\d", lines[nxt].text.strip()))


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].text.strip():
            return j
    return None


def _continues(title: str, next_line: str, rules: dict) -> bool:
    """Does a heading wrap onto the next line?"""
    if not next_line or _words(next_line) > rules["max_continuation_words"] or next_line.endswith((".", "。", ":")):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    if last in rules["dangling_words"]:
        return True
    # A short line of capitalised words (or one starting lower case after a cut) that is no sentence.
    words = next_line.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= len(words) - 1 and len(words) <= 4 or words[0][:1].islower()


def skipped_section(title: str) -> bool:
    """Sections such as Keywords carry no statements."""
    return bool(_compiled()["skip"].match(title.strip(" :：")))
