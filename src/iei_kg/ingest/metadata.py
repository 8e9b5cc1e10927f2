"""Document metadata: title, authors, year, venue, DOI, language, type (paper / policy).

Three sources, later ones overriding earlier ones field by field:

1. the document itself: its first line (title; for PDFs the largest type at the top of page 1), the line of
   names under it (authors), a "DOI:" line, a year near the top, the language from the script, the type from
   cues (abstract / references -> paper; notice, opinions, 通知, 意见 ... -> policy);
2. a corpus-level catalogue in the corpus folder: `metadata.csv` (columns doc,title,authors,year,venue,doi,type,
   language; authors separated by ";"), BibTeX `.bib`, RIS `.ris` or CSL-JSON `.json` files (a Zotero export),
   matched to a document by citation key == file stem, by a `file` field naming the file, or by DOI;
3. a sidecar next to the file: `<stem>.json` (these keys, or one CSL-JSON item) or `<stem>.bib`.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePath

FIELDS = ("title", "authors", "year", "venue", "doi", "language", "type")
CATALOGUE_CSV = "metadata.csv"
CATALOGUE_SUFFIXES = (".bib", ".ris", ".json")

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_DOI_LINE = re.compile(r"^\s*(?:doi|DOI)\s*[:：]?\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)", re.MULTILINE)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
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

BIB_PAPER_TYPES = {"article", "inproceedings", "conference", "incollection", "phdthesis", "mastersthesis", "thesis",
                   "book", "inbook", "proceedings", "article-journal", "paper-conference", "chapter",
                   "article-magazine", "article-newspaper", "manuscript", "jour", "conf", "cpaper", "thes", "chap",
                   "book", "ejour", "epub"}
BIB_POLICY_TYPES = {"legislation", "regulation", "bill", "legal_case", "govdoc", "legal", "stat", "bill", "law"}


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


@dataclass
class Catalogue:
    """Bibliographic records of a corpus folder, indexed for matching documents."""

    by_key: dict[str, Metadata] = field(default_factory=dict)  # citation key / doc column / file stem
    by_doi: dict[str, Metadata] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line per file that could not be read
    root: Path | None = None
    _folders: dict = field(default_factory=dict, repr=False)

    def for_folder(self, folder: Path) -> "Catalogue":
        """The catalogue of a subfolder of the corpus (its own metadata files), read once per build."""
        folder = Path(folder)
        if self.root is not None and folder.resolve() == self.root.resolve():
            return self
        if folder not in self._folders:
            self._folders[folder] = Catalogue.load(folder)
        return self._folders[folder]

    @classmethod
    def load(cls, corpus_dir: str | Path, document_stems: set[str] | None = None) -> "Catalogue":
        """Read the catalogue files at the top of a corpus folder (a `<stem>.json` beside a document is a sidecar)."""
        root = Path(corpus_dir)
        cat = cls(root=root)
        if not root.is_dir():
            return cat
        stems = document_stems if document_stems is not None else {
            p.stem for p in root.iterdir() if p.suffix.lower() in (".txt", ".md", ".pdf")}
        for path in sorted(root.iterdir()):
            if not path.is_file():
                continue
            suffix = path.suffix.lower()
            try:
                if path.name.lower() == CATALOGUE_CSV:
                    records = _read_csv(path)
                elif suffix in CATALOGUE_SUFFIXES and path.stem not in stems:
                    records = _read_records(path)
                else:
                    continue
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                cat.problems.append(f"{path}: unreadable metadata file ({exc})")
                continue
            for keys, meta in records:
                cat.add(keys, meta)
        return cat

    def add(self, keys: list[str], meta: Metadata) -> None:
        for key in keys:
            if key:
                self.by_key.setdefault(key, meta)
        if meta.doi:
            self.by_doi.setdefault(meta.doi.lower(), meta)

    def find(self, stem: str, doi: str | None) -> Metadata | None:
        if stem in self.by_key:
            return self.by_key[stem]
        if doi and doi.lower() in self.by_doi:
            return self.by_doi[doi.lower()]
        return None


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
        chinese = len(words) == 1 and 2 <= len(name) <= 4 and all(_CJK.match(ch) for ch in name)
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
    cjk, kana, hangul = len(_CJK.findall(sample)), len(_KANA.findall(sample)), len(_HANGUL.findall(sample))
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


# --- sidecars and catalogue files -------------------------------------------------------------------------


def sidecar(path: Path) -> Metadata | None:
    """`<stem>.json` or `<stem>.bib` next to a document."""
    found = None
    for suffix in (".bib", ".json"):
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            try:
                records = _read_records(candidate)
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            if records:
                found = (found or Metadata()).update(records[0][1])
    return found


def _read_records(path: Path) -> list[tuple[list[str], Metadata]]:
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return [(_keys(key, fields_), _from_bib(kind, fields_)) for kind, key, fields_ in parse_bibtex(text)]
    if suffix == ".ris":
        return [(_keys(rec.get("ID", [""])[0], {"file": " ".join(rec.get("L1", []) + rec.get("L4", [])
                                                                  + rec.get("UR", []) + rec.get("FILE", []))}),
                 _from_ris(rec)) for rec in parse_ris(text)]
    data = json.loads(text)
    items = data if isinstance(data, list) else [data]
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("a JSON metadata file holds an object or a list of objects")
        key = str(item.get("citation-key") or item.get("citationKey") or item.get("id") or item.get("doc") or "")
        out.append((_keys(key, {"file": str(item.get("file") or "")}), _from_json(item)))
    return out


def _keys(key: str, fields_: dict) -> list[str]:
    """A record's match keys: its citation key and the stem of every file it names."""
    keys = [key.strip()] if key and key.strip() else []
    for name in re.findall(r"[^:;{}\n]+?\.(?:pdf|txt|md)\b", str(fields_.get("file", "")), re.IGNORECASE):
        stem = PurePath(name.strip().replace("\\", "/")).stem
        if stem:
            keys.append(stem)
    return keys


def _read_csv(path: Path) -> list[tuple[list[str], Metadata]]:
    out = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "doc" not in [n.strip().lower() for n in reader.fieldnames]:
            raise ValueError("metadata.csv needs a 'doc' column")
        for row in reader:
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            doc = row.get("doc", "")
            stem = PurePath(doc).stem if PurePath(doc).suffix.lower() in (".txt", ".md", ".pdf") else doc
            authors = [a.strip() for a in re.split(r"[;；]", row.get("authors", "")) if a.strip()]
            out.append(([stem], Metadata(title=row.get("title") or None, authors=authors or None,
                                         year=_int_year(row.get("year")), venue=row.get("venue") or None,
                                         doi=clean_doi(row["doi"]) if row.get("doi") else None,
                                         language=row.get("language") or None,
                                         type=_type_value(row.get("type")))))
    return out


def _int_year(value) -> int | None:
    m = _YEAR.search(str(value or ""))
    return int(m.group(1)) if m else None


def _type_value(value) -> str | None:
    value = str(value or "").strip().lower()
    if value in ("paper", "policy"):
        return value
    if value in BIB_POLICY_TYPES:
        return "policy"
    if value in BIB_PAPER_TYPES:
        return "paper"
    return None


def _from_json(item: dict) -> Metadata:
    """Our own keys, or one CSL-JSON item (Zotero's export)."""
    authors = item.get("authors") or item.get("author")
    if isinstance(authors, str):
        authors = [a.strip() for a in re.split(r"[;；]", authors) if a.strip()]
    elif isinstance(authors, list):
        authors = [_csl_name(a) for a in authors]
        authors = [a for a in authors if a]
    year = item.get("year")
    if year is None and isinstance(item.get("issued"), dict):
        issued = item["issued"]
        parts = issued.get("date-parts") or [[None]]
        year = parts[0][0] if parts and parts[0] else issued.get("raw") or issued.get("literal")
    venue = item.get("venue") or item.get("container-title") or item.get("publisher")
    if isinstance(venue, list):
        venue = venue[0] if venue else None
    doi = item.get("doi") or item.get("DOI")
    return Metadata(title=_clean(item.get("title")), authors=authors or None, year=_int_year(year),
                    venue=_clean(venue), doi=clean_doi(str(doi)) if doi else None,
                    language=_clean(item.get("language")), type=_type_value(item.get("type")))


def _csl_name(a) -> str | None:
    if isinstance(a, str):
        return a.strip() or None
    if not isinstance(a, dict):
        return None
    if a.get("literal"):
        return str(a["literal"]).strip()
    family, given = str(a.get("family") or "").strip(), str(a.get("given") or "").strip()
    return f"{family}, {given}" if family and given else (family or given or None)


def _clean(value) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).replace("{", "").replace("}", "").split())
    return value or None


# --- BibTeX -----------------------------------------------------------------------------------------------


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(entry type, citation key, fields) of every entry; @string/@comment/@preamble are skipped."""
    entries, i = [], 0
    while True:
        at = text.find("@", i)
        if at < 0:
            return entries
        m = re.match(r"@\s*(\w+)\s*([{(])", text[at:])
        if not m:
            i = at + 1
            continue
        kind = m.group(1).lower()
        body_start = at + m.end()
        end = _matching(text, body_start - 1)
        body = text[body_start:end]
        i = end + 1
        if kind in ("string", "comment", "preamble"):
            continue
        key, _, rest = body.partition(",")
        entries.append((kind, key.strip(), _bib_fields(rest)))


def _matching(text: str, open_at: int) -> int:
    """Offset of the bracket closing the one at `open_at` (or the end of the text)."""
    opening = text[open_at]
    closing = "}" if opening == "{" else ")"
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == opening:
            depth += 1
        elif text[j] == closing:
            depth -= 1
            if depth == 0:
                return j
    return len(text)


def _bib_fields(body: str) -> dict[str, str]:
    fields_, i = {}, 0
    while i < len(body):
        m = re.compile(r"\s*,?\s*([\w:-]+)\s*=\s*").match(body, i)
        if not m:
            break
        name, j = m.group(1).lower(), m.end()
        if j < len(body) and body[j] == "{":
            depth, k = 0, j
            while k < len(body):
                if body[k] == "{":
                    depth += 1
                elif body[k] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            value, i = body[j + 1:k], k + 1
        elif j < len(body) and body[j] == '"':
            k = j + 1
            while k < len(body) and not (body[k] == '"' and body[k - 1] != "\\"):
                k += 1
            value, i = body[j + 1:k], k + 1
        else:
            m2 = re.compile(r"[^,}]*").match(body, j)
            value, i = m2.group(0).strip(), m2.end()
        fields_[name] = " ".join(value.split())
    return fields_


def _from_bib(kind: str, f: dict[str, str]) -> Metadata:
    authors = [a.strip().replace("{", "").replace("}", "") for a in re.split(r"\s+and\s+", f.get("author", ""))
               if a.strip()]
    venue = f.get("journal") or f.get("journaltitle") or f.get("booktitle") or f.get("publisher") \
        or f.get("institution")
    return Metadata(title=_clean(f.get("title")), authors=authors or None,
                    year=_int_year(f.get("year") or f.get("date")), venue=_clean(venue),
                    doi=clean_doi(f["doi"]) if f.get("doi") else None,
                    language=_clean(f.get("langid") or f.get("language")),
                    type=_type_value(f.get("type")) or _type_value(kind))


# --- RIS --------------------------------------------------------------------------------------------------


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    records, current = [], None
    for line in text.splitlines():
        m = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not m:
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "TY":
            current = {"TY": [value]}
        elif current is None:
            continue
        elif tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current:
        records.append(current)
    return records


def _from_ris(rec: dict[str, list[str]]) -> Metadata:
    def first(*tags):
        for tag in tags:
            if rec.get(tag):
                return rec[tag][0]
        return None

    authors = rec.get("AU", []) + rec.get("A1", [])
    doi = first("DO")
    return Metadata(title=_clean(first("TI", "T1")), authors=authors or None,
                    year=_int_year(first("PY", "Y1", "DA")), venue=_clean(first("T2", "JO", "JF", "JA", "BT", "PB")),
                    doi=clean_doi(doi) if doi else None, language=_clean(first("LA")),
                    type=_type_value(first("TY")))
