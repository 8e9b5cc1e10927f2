"""Bad input: each kind of unusable file gives one specific one-line reason naming the file; odd encodings read."""

from __future__ import annotations

import codecs
import random
import time

import pytest
from reportlab.pdfgen import canvas

from iei_kg.errors import DocumentError
from iei_kg.ingest.readers import MAX_BYTES, read_document

TEXT = "产教融合 (industry-education integration) needs enterprises and colleges.\n"


def _random(seed: int, n: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def _good_pdf(path, encrypt=None):
    c = canvas.Canvas(str(path), encrypt=encrypt)
    c.drawString(72, 720, "Enterprises lack the motivation to cooperate with vocational colleges.")
    c.showPage()
    c.drawString(72, 720, "The government should give enterprises tax incentives.")
    c.showPage()
    c.save()
    return path


def _reason(path, **kwargs) -> str:
    with pytest.raises(DocumentError) as info:
        read_document(path, **kwargs)
    message = str(info.value)
    assert message == f"{path}: {info.value.reason}"
    assert "\n" not in message and len(message) < 300 + len(str(path))  # one line
    return info.value.reason


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory):
    return _good_pdf(tmp_path_factory.mktemp("good") / "good.pdf").read_bytes()


def test_encrypted_pdf(tmp_path):
    assert _reason(_good_pdf(tmp_path / "locked.pdf", encrypt="secret")) == "encrypted PDF (a password is needed)"


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.1])
def test_truncated_pdf_is_corrupt(tmp_path, good_pdf, cut):
    path = tmp_path / "cut.pdf"
    path.write_bytes(good_pdf[: int(len(good_pdf) * cut)])
    try:
        doc = read_document(path)
    except DocumentError as exc:
        assert exc.reason.startswith("corrupt PDF ("), exc.reason
        assert exc.reason.endswith(")")
    else:  # pdfminer may rebuild a damaged cross-reference table: then the text must be right
        assert "Enterprises lack the motivation" in doc.text


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
    b"%PDF-1.7\n" + _random(3, 2000),
    b"%PDF-1.4\n%%EOF\n",
], ids=["unterminated", "junk-after-header", "header-only"])
def test_damaged_pdf_is_corrupt(tmp_path, data):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data)
    reason = _reason(path)
    assert reason.startswith("corrupt PDF (") and "Exception" not in reason, reason


@pytest.mark.parametrize("data", [_random(4, 3000), b"This is a text file with a .pdf suffix.\n"],
                         ids=["binary", "text"])
def test_pdf_suffix_without_pdf_content(tmp_path, data):
    path = tmp_path / "fake.pdf"
    path.write_bytes(data)
    assert _reason(path) == "not a PDF file (no %PDF header)"


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(3):
        c.rect(100, 100, 200, 300, fill=1)
        c.showPage()
    c.save()
    assert _reason(path) == "PDF with no text layer (3 pages; scanned? run OCR first)"


def test_pdf_with_only_page_numbers_has_no_text(tmp_path):
    path = tmp_path / "numbers.pdf"
    c = canvas.Canvas(str(path))
    for n in range(1, 4):
        c.drawCentredString(300, 30, str(n))
        c.showPage()
    c.save()
    assert "no text layer" in _reason(path)


@pytest.mark.parametrize("data", [
    b"", b" \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
    codecs.BOM_UTF8 + b"  \n\n", "\u3000\n".encode("utf-16"),
], ids=["empty", "whitespace", "bom8", "bom16le", "bom16be", "bom32", "bom-and-blanks", "ideographic-space"])
def test_empty_and_bom_only_files(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert _reason(path) == "empty file"


def test_empty_pdf_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _reason(path) == "empty file"


@pytest.mark.parametrize("data", [
    _random(1, 5000),
    bytes(range(256)) * 20,
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500 + _random(5, 500),
    b"PK\x03\x04\x14\x00\x06\x00" + _random(6, 800),
], ids=["random", "all-bytes", "elf", "zip"])
def test_binary_junk(tmp_path, data):
    path = tmp_path / "junk.md"
    path.write_bytes(data)
    assert _reason(path) == "binary content, not text"


def test_gb18030(tmp_path):
    text = "产教融合是职业教育改革的重要方向。\n校企合作需要政府、学校和企业共同推进。𠀀\n"  # 𠀀: a four-byte GB18030 character
    path = tmp_path / "policy.txt"
    path.write_bytes(text.encode("gb18030"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.language == "zh"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom(tmp_path, encoding, bom):
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + (TEXT * 3).replace("\n", "\r\n").encode(encoding))
    assert read_document(path).text == TEXT * 3


def test_utf16_without_bom_is_not_taken_for_text(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes(("Enterprises and colleges. " * 40).encode("utf-16-le"))
    reason = _reason(path)
    assert reason == "binary content, not text"


def test_very_large_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 5 * 2**20)  # sparse: costs no disk
    started = time.monotonic()
    reason = _reason(path)
    assert time.monotonic() - started < 1.0
    assert reason == "too large (55.0 MiB; the limit is 50.0 MiB)"


def test_large_but_allowed_file_is_read(tmp_path):
    path = tmp_path / "big.txt"
    line = "School-enterprise cooperation lacks long-term mechanisms and incentives for enterprises.\n"
    path.write_text(line * 60_000, encoding="utf-8")  # ~5 MB
    doc = read_document(path)
    assert len(doc.text) == len(line) * 60_000
