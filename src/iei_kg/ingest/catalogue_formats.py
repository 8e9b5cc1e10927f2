"""Catalogue file formats: BibTeX, RIS, CSL-JSON (or our own JSON keys) and metadata.csv -> `Metadata` records."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path, PurePath

from iei_kg.ingest.metadata import _YEAR, Metadata, clean_doi

BIB_PAPER_TYPES = {"article", "inproceedings", "conference", "incollection", "phdthesis", "mastersthesis", "thesis",
                   "book", "inbook", "proceedings", "article-journal", "paper-conference", "chapter",
                   "article-magazine", "article-newspaper", "manuscript", "jour", "conf", "cpaper", "thes", "chap",
                   "book", "ejour", "epub"}
BIB_POLICY_TYPES = {"legislation", "regulation", "bill", "legal_case", "govdoc", "legal", "stat", "bill", "law"}


def read_records(path: Path) -> list[tuple[list[str], Metadata]]:
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


def read_csv(path: Path) -> list[tuple[list[str], Metadata]]:
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
