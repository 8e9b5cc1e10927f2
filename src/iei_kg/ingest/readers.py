"""Turn files into `SourceDocument`s, or a `DocumentError` that says why a file cannot be read."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

from iei_kg.errors import DocumentError
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


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> SourceDocument:
    """Read one file; raise `DocumentError` naming the file and the reason when it cannot be used."""
    path = Path(path)
    media_type = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise DocumentError(str(path), f"unsupported file type '{path.suffix}' (use {', '.join(SUPPORTED_SUFFIXES)})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror})") from exc
    if len(data) > max_bytes:
        raise DocumentError(str(path), f"too large ({len(data) // 1_000_000} MB; the limit is {max_bytes // 1_000_000} MB)")
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    content_hash = hashlib.sha256(data).hexdigest()
    if media_type == "application/pdf":
        text, page_starts = _pdf_text(path, data)
    else:
        text, page_starts = _decode_text(path, data), [0]
    if not text.strip():
        raise DocumentError(str(path), "no text in the file")
    return SourceDocument(
        doc_id=path.stem,
        path=str(path),
        text=text,
        content_hash=content_hash,
        media_type=media_type,
        page_starts=page_starts,
    )


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


def _pdf_text(path: Path, data: bytes) -> tuple[str, list[int]]:
    """Text of every page in reading order, pages joined by a form feed; page start offsets (see `ingest.pdf`)."""
    from iei_kg.ingest.pdf import pdf_text

    result = pdf_text(path)
    if not result.text.replace("\f", "").strip():
        raise DocumentError(str(path), f"PDF with no text layer ({result.pages} pages; scanned? run OCR first)")
    return result.text, result.page_starts
