"""Turn files into `SourceDocument`s, or a `DocumentError` that says why a file cannot be read."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from iei_kg.errors import DocumentError
from iei_kg.ingest.catalogue import CATALOGUE_CSV, CATALOGUE_SUFFIXES, Catalogue, sidecar
from iei_kg.ingest.metadata import Metadata, from_text
from iei_kg.ingest.pdf import PdfText, pdf_text
from iei_kg.records import SourceDocument

SUPPORTED_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".pdf": "application/pdf"}
MAX_BYTES = 50 * 1024 * 1024
# Share of characters that may be control or replacement characters before a "text" file counts as binary.
MAX_JUNK_SHARE = 0.01


def discover(corpus_dir: str | Path) -> list[Path]:
    """Every supported file under a folder, sorted so that builds are reproducible."""
    root = Path(corpus_dir)
    if not root.is_dir():
        raise DocumentError(str(root), "not a folder")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)


def read_document(path: str | Path, max_bytes: int = MAX_BYTES, catalogue: Catalogue | None = None) -> SourceDocument:
    """Read one file; raise `DocumentError` naming the file and the reason when it cannot be used.

    Metadata comes from the document itself, then `catalogue` (the corpus folder's metadata.csv / .bib / .ris /
    CSL-JSON files; by default those in the file's own folder), then a `<stem>.json` / `<stem>.bib` sidecar.
    """
    path = Path(path)
    media_type = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise DocumentError(str(path), f"unsupported file type '{path.suffix}' (use {', '.join(SUPPORTED_SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(str(path), f"too large ({_mb(size)}; the limit is {_mb(max_bytes)})")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:  # grew since stat()
        raise DocumentError(str(path), f"too large ({_mb(len(data))}; the limit is {_mb(max_bytes)})")
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    content_hash = hashlib.sha256(data).hexdigest()
    pdf_title = None
    if media_type == "application/pdf":
        if not data[:1024].lstrip().startswith(b"%PDF"):
            raise DocumentError(str(path), "not a PDF file (no %PDF header)")
        result = _pdf_text(path, data)
        text, page_starts, pdf_title = result.text, result.page_starts, result.title
    else:
        text, page_starts = _decode_text(path, data), [0]
        if not text.strip():
            raise DocumentError(str(path), "empty file")  # e.g. nothing but a byte order mark
    if not text.strip():
        raise DocumentError(str(path), "no text in the file")
    meta = document_metadata(path, text, media_type, pdf_title, catalogue)
    return SourceDocument(
        doc_id=path.stem,
        path=str(path),
        text=text,
        content_hash=content_hash,
        media_type=media_type,
        page_starts=page_starts,
        title=meta.title,
        authors=meta.authors,
        year=meta.year,
        venue=meta.venue,
        doi=meta.doi,
        language=meta.language,
        type=meta.type,
    )


def document_metadata(path: Path, text: str, media_type: str, pdf_title: str | None = None,
                      catalogue: Catalogue | None = None) -> Metadata:
    """The document's own metadata, overridden by its catalogue record, overridden by its sidecar."""
    meta = from_text(text, media_type, pdf_title)
    record = _catalogue_record(path, catalogue, meta.doi)
    if record is not None:
        meta.update(record)
    side = sidecar(path)
    if side is not None:
        meta.update(side)
    return meta


def _catalogue_record(path: Path, catalogue: Catalogue | None, doi: str | None) -> Metadata | None:
    """The document's record in the corpus catalogue, else in the catalogue files of its own folder."""
    record = catalogue.find(path.stem, doi) if catalogue is not None else None
    if record is None:
        folder = catalogue.for_folder(path.parent) if catalogue is not None else _folder_catalogue(path.parent)
        record = folder.find(path.stem, doi)
    return record


def _folder_catalogue(folder: Path) -> Catalogue:
    try:
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()
                             if p.name.lower() == CATALOGUE_CSV or p.suffix.lower() in CATALOGUE_SUFFIXES))
    except OSError:
        return Catalogue()
    return _cached_catalogue(str(folder), stamp)


@lru_cache(maxsize=8)
def _cached_catalogue(folder: str, stamp: tuple) -> Catalogue:
    return Catalogue.load(folder)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n} bytes"


def _decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with BOM, or GB18030; refuse binary content."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            candidates = [encoding]
            break
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _junk_share(text) > MAX_JUNK_SHARE:
            raise DocumentError(str(path), "binary content, not text")
        return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\f") / len(data) > MAX_JUNK_SHARE:
        raise DocumentError(str(path), "binary content, not text")
    raise DocumentError(str(path), "undecodable text (tried UTF-8, UTF-16/32 with BOM and GB18030)")


def _junk_share(text: str) -> float:
    junk = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"))
    return junk / max(len(text), 1)


def _pdf_text(path: Path, data: bytes) -> PdfText:
    """Text of every page in reading order, pages joined by a form feed; page start offsets (see `ingest.pdf`)."""
    result = pdf_text(path)
    if not result.text.replace("\f", "").strip():
        raise DocumentError(str(path), f"PDF with no text layer ({result.pages} pages; scanned? run OCR first)")
    return result


def metadata_fingerprint(path: str | Path, catalogue: Catalogue | None, doi: str | None) -> str:
    """A hash of the metadata a document takes from outside its file (catalogue record, sidecar): with the file's
    content hash it tells whether a stored document is still up to date, without reading the file again."""
    path = Path(path)
    record, side = _catalogue_record(path, catalogue, doi), sidecar(path)
    text = repr([asdict(m) if m is not None else None for m in (record, side)])
    return hashlib.sha256(text.encode()).hexdigest()


def file_hash(path: str | Path) -> str:
    """The content hash `read_document` gives a file (sha256 of its bytes); OSError when it cannot be read."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
