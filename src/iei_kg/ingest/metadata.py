"""Document metadata: title, authors, year, venue, DOI, language, type (paper / policy).

Three sources, later ones overriding earlier ones field by field:

1. the document itself: its first line (title; for PDFs the largest type at the top of page 1), the line of
   names under it (authors), a "DOI:" line, a year near the top, the language from the script, the type from
   cues (abstract / references -> paper; notice, opinions, 通知, 意见 ... -> policy);
2. a corpus-level catalogue in the corpus folder: `metadata.csv` (columns doc,title,authors,year,venue,doi,type,
   language; authors separated by ";"), BibTeX `.bib`, RIS `.ris` or CSL-JSON `.json` files (a Zotero export),
   matched to a document by citation key == file stem, by a `file` field naming the file, or by DOI;
3. a sidecar next to the file: `<stem>.json` (these keys, or one CSL-JSON item) or `<stem>.bib`.

The catalogue and sidecars are read in `catalogue.py`, their file formats parsed in `catalogue_formats.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

FIELDS = ("title", "authors", "year", "venue", "doi", "language", "type")

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_DOI_LINE = re.compile(r"^\s*(?:doi|DOI)\s*[:：]?\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)", re.MULTILINE)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a Chinese character (CJK ideograph; also kanji)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§"
_ENGLISH = {"the", "and", "of", "to", "in", "is", "for", "that", "with", "on", "are", "as", "by", "this"}
_NOT_TITLE = re.compile(r"^\s*(abstract|summary|introduction|keywords|key words|摘要|关键词|doi|issn|received|"
                        r"copyright|©|https?://|vol\.|volume|\d+\s*$)", re.IGNORECASE)
_PAPER_CUES = re.compile(r"^\s*(abstract|keywords|key words|references|bibliography|摘要|关键词|参考文献)\s*[:：]?",
                         re.IGNORECASE | re.MULTILINE)
_POLICY_CUES = re.compile(r"(国务院|教育部|办公厅|人民政府|委员会|关于.{2,40}的(意见|通知|决定|办法|方案|规划)|实施方案|"
                          r"\b(state council|ministry of education|general office|notice on|opinions on|"
                          r"implementation plan|measures for|action plan|decree|regulations on)\b)", re.IGNORECASE)


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] | None = None
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    language: str | None = None
    type: str | None = None  # paper | policy

    def update(self, other: "Metadata") -> "Metadata":
        """Fields set in `other` override these."""
        for f in fields(self):
            value = getattr(other, f.name)
            if value not in (None, "", []):
                setattr(self, f.name, value)
        return self


# --- from the document ------------------------------------------------------------------------------------


def from_text(text: str, media_type: str = "text/plain", pdf_title: str | None = None) -> Metadata:
    """What the document says about itself."""
    head = text[:4000]
    lines = [line.strip() for line in re.split(r"[\n\f]", head) if line.strip()]
    meta = Metadata()
    title_index = None
    if pdf_title:
        meta.title = pdf_title
        for k, line in enumerate(lines[:10]):
            if line and line in pdf_title:
                title_index = k
    elif lines:
        first = lines[0].lstrip("#").strip() if media_type == "text/markdown" else lines[0]
        if _title_like(first):
            meta.title, title_index = first, 0
    if title_index is not None and title_index + 1 < len(lines):
        meta.authors = _authors(lines[title_index + 1])
    m = _DOI_LINE.search(head)
    if m:
        meta.doi = clean_doi(m.group(1))
    meta.year = _year(lines[:15])
    meta.language = language(text)
    meta.type = _doc_type(text)
    return meta


def _title_like(line: str) -> bool:
    words = line.split()
    return (0 < len(words) <= 30 and not _NOT_TITLE.match(line) and not line.endswith((".", "。", ",", ";", ":"))
            and any(ch.isalpha() for ch in line) and len(line) <= 300)


def _authors(line: str) -> list[str] | None:
    """A line of names: "Li Wang, Mei Chen and Jun Zhao", "Li Fangyan¹² Zhao Hui¹²", "王丽、陈梅"."""
    if len(line) > 200 or line.endswith((".", "。")) or ":" in line or "：" in line:
        return None
    if any(ch in _SUPERSCRIPTS for ch in line) and not re.search(r"[,;，；、]| and ", line):
        parts = re.split(f"[{_SUPERSCRIPTS},]+", line)
    else:
        parts = re.split(r"\s*(?:[,;，；、]|\band\b|&)\s*", line)
    names = []
    for part in parts:
        name = re.sub(f"[{_SUPERSCRIPTS}\\d]+$", "", part.strip()).strip(" ,")
        if not name:
            continue
        words = name.split()
        latin = 1 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha()
                                              for w in words)
        chinese = len(words) == 1 and 2 <= len(name) <= 4 and all(HAN.match(ch) for ch in name)
        if not (latin or chinese):
            return None
        names.append(name)
    return names or None


def _year(lines: list[str]) -> int | None:
    """A year on a short line near the top (a date, a volume line, a copyright line), not one in prose."""
    for line in lines:
        line = _DOI.sub(" ", line)
        if len(line.split()) > 15 or re.search(r"(19|20)\d\d\s*[-–—至]\s*(19|20)?\d\d", line):
            continue
        m = _YEAR.search(line)
        if m:
            return int(m.group(1))
    return None


def language(text: str) -> str | None:
    """ISO 639-1 code from the script: zh (Han), ja (kana), ko (Hangul), en (Latin with English words)."""
    sample = text[:20000]
    cjk, kana, hangul = len(HAN.findall(sample)), len(_KANA.findall(sample)), len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    if not cjk + kana + hangul + latin:
        return None
    # A Han character carries about as much as three Latin letters.
    scripted = cjk + kana + hangul
    if scripted >= latin / 3:
        if kana > 0.1 * scripted:
            return "ja"
        if hangul > 0.5 * scripted:
            return "ko"
        return "zh"
    words = re.findall(r"[a-z]+", sample.lower())
    if words and sum(w in _ENGLISH for w in words) / len(words) >= 0.05:
        return "en"
    return None


def _doc_type(text: str) -> str | None:
    head = text[:6000]
    if _PAPER_CUES.search(text):
        return "paper"
    if _POLICY_CUES.search(head):
        return "policy"
    return None


def clean_doi(doi: str) -> str | None:
    doi = doi.strip().rstrip(".,;)]}>")
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi if _DOI.fullmatch(doi) else None
