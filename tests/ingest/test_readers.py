"""Tests for iei_kg.ingest.readers: files to SourceDocument, or a DocumentError naming the file and the reason."""

from __future__ import annotations

import codecs
import hashlib
import random

import pytest
from reportlab.pdfgen import canvas

from iei_kg.errors import DocumentError
from iei_kg.ingest.readers import SUPPORTED_SUFFIXES, discover, read_document

CHINESE = "产教融合是职业教育改革的重要方向。\n校企合作需要政府、学校和企业共同推进。\n"
PAGE_1 = "Industry education integration is a national strategy."
PAGE_2 = "School enterprise cooperation lacks incentives."


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _random_bytes(seed: int, n: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def _error(path, **kwargs) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(path, **kwargs)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(f"{path}: ")
    return err


# --- plain text -------------------------------------------------------------------------------------------


def test_utf8_text(tmp_path):
    text = "Industry–education integration (产教融合) needs enterprises.\nSecond line.\n"
    path = _write(tmp_path, "paper.txt", text.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.doc_id == "paper"
    assert doc.path == str(path)
    assert doc.media_type == "text/plain"
    assert doc.page_starts == [0]
    assert doc.page_at(10) is None
    assert doc.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_markdown_media_type(tmp_path):
    path = _write(tmp_path, "notes.md", b"# Title\n\nSome text.\n")
    doc = read_document(path)
    assert doc.media_type == "text/markdown"
    assert doc.text == "# Title\n\nSome text.\n"


def test_upper_case_suffix_is_supported(tmp_path):
    path = _write(tmp_path, "POLICY.TXT", b"Some policy text.")
    doc = read_document(path)
    assert doc.media_type == "text/plain"
    assert doc.doc_id == "POLICY"


def test_utf8_with_bom_drops_the_bom(tmp_path):
    path = _write(tmp_path, "bom.txt", codecs.BOM_UTF8 + "School and enterprise.\n".encode("utf-8"))
    assert read_document(path).text == "School and enterprise.\n"


@pytest.mark.parametrize("data", [
    "产教融合 and cooperation.\n".encode("utf-16"),  # BOM in native order
    codecs.BOM_UTF16_LE + "产教融合 and cooperation.\n".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "产教融合 and cooperation.\n".encode("utf-16-be"),
    "产教融合 and cooperation.\n".encode("utf-32"),
], ids=["utf16-native", "utf16-le", "utf16-be", "utf32"])
def test_utf16_and_utf32_with_bom(tmp_path, data):
    path = _write(tmp_path, "wide.txt", data)
    assert read_document(path).text == "产教融合 and cooperation.\n"


def test_gb18030_chinese(tmp_path):
    data = CHINESE.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is only meaningful if the UTF-8 attempt fails
    path = _write(tmp_path, "policy.txt", data)
    doc = read_document(path)
    assert doc.text == CHINESE
    assert "产教融合" in doc.text


def test_crlf_and_cr_are_normalised(tmp_path):
    path = _write(tmp_path, "crlf.txt", b"line one\r\nline two\rline three\r\n")
    assert read_document(path).text == "line one\nline two\nline three\n"


def test_text_is_nfc_normalised(tmp_path):
    path = _write(tmp_path, "nfc.txt", "Cafe\u0301 policy".encode("utf-8"))
    assert read_document(path).text == "Caf\u00e9 policy"


def test_doc_id_is_the_file_stem(tmp_path):
    path = _write(tmp_path, "sub/policy.2019.v2.txt", b"Text.")
    assert read_document(path).doc_id == "policy.2019.v2"


def test_content_hash_follows_the_content(tmp_path):
    a = read_document(_write(tmp_path, "a.txt", b"Same content."))
    b = read_document(_write(tmp_path, "b.txt", b"Same content."))
    c = read_document(_write(tmp_path, "c.txt", b"Same content!"))
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash
    assert len(a.content_hash) == 64


# --- refusals ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n  "], ids=["empty", "whitespace"])
def test_empty_file(tmp_path, data):
    path = _write(tmp_path, "empty.txt", data)
    err = _error(path)
    assert "empty" in err.reason
    assert "empty.txt" in str(err)


@pytest.mark.parametrize("data", [
    _random_bytes(1, 4000),  # does not decode at all
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + _random_bytes(2, 500),
    b"\x00\x01\x02\x03 abc \x04\x05\x06" * 40,  # decodes as UTF-8 but is mostly control characters
], ids=["random", "png", "control-chars"])
def test_binary_junk_with_txt_suffix(tmp_path, data):
    path = _write(tmp_path, "junk.txt", data)
    err = _error(path)
    assert "binary" in err.reason


def test_legacy_encoding_is_undecodable_not_binary(tmp_path):
    path = _write(tmp_path, "latin1.txt", "Café au lait, naïve résumé.\n".encode("latin-1"))
    err = _error(path)
    assert "undecodable" in err.reason
    assert "binary" not in err.reason


def test_unsupported_suffix(tmp_path):
    path = _write(tmp_path, "report.docx", b"PK\x03\x04 whatever")
    err = _error(path)
    assert "unsupported file type '.docx'" in err.reason


def test_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    err = _error(path)
    assert "cannot be read" in err.reason


def test_too_large(tmp_path):
    path = _write(tmp_path, "big.txt", b"x" * 100)
    err = _error(path, max_bytes=50)
    assert "too large" in err.reason
    assert read_document(path, max_bytes=100).text == "x" * 100


# --- discover ---------------------------------------------------------------------------------------------


def test_discover_sorted_and_recursive(tmp_path):
    for name in ["b.txt", "a.md", "sub/z.pdf", "sub/deeper/c.TXT", "sub/skip.docx", "notes.json", "README"]:
        _write(tmp_path, name, b"x")
    (tmp_path / "folder.txt").mkdir()  # a folder with a supported suffix is no file
    found = discover(tmp_path)
    assert found == [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub/deeper/c.TXT", tmp_path / "sub/z.pdf"]
    assert discover(str(tmp_path)) == found
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".pdf"}


def test_discover_missing_folder(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(DocumentError) as info:
        discover(missing)
    assert info.value.path == str(missing)
    assert "not a folder" in info.value.reason


def test_discover_on_a_file(tmp_path):
    path = _write(tmp_path, "a.txt", b"x")
    with pytest.raises(DocumentError, match="not a folder"):
        discover(path)


# --- PDF ----------------------------------------------------------------------------------------------------


def _pdf(path, pages: list[str], **kwargs):
    c = canvas.Canvas(str(path), **kwargs)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def good_pdf_bytes(tmp_path_factory) -> bytes:
    return _pdf(tmp_path_factory.mktemp("pdf") / "good.pdf", [PAGE_1, PAGE_2]).read_bytes()


def test_pdf_two_pages(tmp_path, good_pdf_bytes):
    path = _write(tmp_path, "two.pdf", good_pdf_bytes)
    doc = read_document(path)
    assert doc.media_type == "application/pdf"
    assert doc.doc_id == "two"
    assert doc.text == f"{PAGE_1}\f{PAGE_2}"
    assert doc.page_starts == [0, len(PAGE_1) + 1]
    second = doc.text.index("enterprise cooperation")
    assert doc.page_at(0) == 1
    assert doc.page_at(len(PAGE_1) - 1) == 1
    assert doc.page_at(doc.page_starts[1]) == 2
    assert doc.page_at(second) == 2
    assert doc.content_hash == hashlib.sha256(good_pdf_bytes).hexdigest()


def test_encrypted_pdf(tmp_path):
    path = _pdf(tmp_path / "locked.pdf", [PAGE_1, PAGE_2], encrypt="secret")
    err = _error(path)
    assert "encrypted" in err.reason


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)
    c.showPage()
    c.save()
    err = _error(path)
    assert "no text layer" in err.reason
    assert "1 pages" in err.reason


def test_truncated_pdf(tmp_path, good_pdf_bytes):
    path = _write(tmp_path, "cut.pdf", good_pdf_bytes[: len(good_pdf_bytes) // 2])
    err = _error(path)
    assert "PDF" in err.reason
    assert "cut.pdf" in str(err)


def test_junk_pdf(tmp_path):
    path = _write(tmp_path, "junk.pdf", b"%PDF-1.4\n" + _random_bytes(3, 1000))
    err = _error(path)
    assert "PDF" in err.reason
    assert "junk.pdf" in str(err)
