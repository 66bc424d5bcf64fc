"""Uploads are recognised by content, never by name or browser type; 10 MB at most. A PDF must
parse and have a page; an image must not be a decompression bomb."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from charity.uploads import MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE, inspect_upload
from testdata import bomb_png, pdf_bytes


def _image(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    return buffer.getvalue()


PDF = pdf_bytes("scan")
# A PDF-headed HTML page with the end marker: the old check (header and «%%EOF») took it.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
# A catalog and a trailer, parseable, but not one page.
NO_PAGE = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
           b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
           b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")


@pytest.mark.parametrize(("content", "name", "expected"), [
    (PDF, "scan.pdf", "application/pdf"),
    (_image("JPEG"), "photo.jpg", "image/jpeg"),
    (_image("PNG"), "photo.png", "image/png"),
    (_image("PNG"), "misnamed.pdf", "image/png"),  # the name is ignored: the content decides
])
def test_accepted_types_are_recognised_by_content(content, name, expected):
    inspected = inspect_upload(SimpleUploadedFile(name, content, content_type="application/octet-stream"))
    assert inspected.content_type == expected and inspected.size == len(content)
    assert len(inspected.sha256) == 64


@pytest.mark.parametrize(("content", "name", "claimed"), [
    (b"<html><script>alert(1)</script></html>", "report.pdf", "application/pdf"),  # HTML named .pdf
    (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "x.png", "image/png"),  # PNG-headed HTML
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.pdf", "application/pdf"),  # an .exe renamed .pdf
    (b"%PDF-1.4\n<html>no end marker", "cut.pdf", "application/pdf"),  # truncated PDF
    (POLYGLOT, "report.pdf", "application/pdf"),  # %PDF- … <script> … %%EOF
    (NO_PAGE, "empty.pdf", "application/pdf"),  # parses, but has no page
    (PDF[: len(PDF) // 2] + PDF[-40:], "cut.pdf", "application/pdf"),  # its middle lost
    (bomb_png(), "bomb.png", "image/png"),  # 30000 × 30000 pixels in a few hundred bytes
    (bomb_png(9000, 9000), "big.png", "image/png"),  # 81 million pixels: under Pillow's limit, over ours
    (b"\xff\xd8\xff\xe0garbage", "x.jpg", "image/jpeg"),  # JPEG magic, not an image
    (b"GIF89a" + b"\x00" * 20, "x.gif", "image/gif"),
])
def test_disguised_or_unsupported_files_are_refused(content, name, claimed):
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(SimpleUploadedFile(name, content, content_type=claimed))
    assert excinfo.value.messages == [str(UPLOAD_WRONG_TYPE)]


def test_files_over_10_mb_are_refused():
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES + 1), content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(big)
    assert excinfo.value.messages == [str(UPLOAD_TOO_LARGE)]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        inspect_upload(SimpleUploadedFile("e.pdf", b"", content_type="application/pdf"))


def test_a_big_real_pdf_is_checked_quickly():
    """The public form is benchmarked: a 9 MB PDF is parsed in well under a second."""
    content = pdf_bytes("big scan", size=9 * 1024 * 1024)
    started = time.perf_counter()
    assert inspect_upload(SimpleUploadedFile("big.pdf", content)).content_type == "application/pdf"
    assert time.perf_counter() - started < 5.0
