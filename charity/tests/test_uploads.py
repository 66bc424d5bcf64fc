"""Uploads are recognised by content, never by name or browser type; 10 MB at most."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from charity.uploads import MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE, inspect_upload


def _image(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


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
