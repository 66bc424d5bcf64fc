"""Uploads of case documents and complaint attachments: recognised by their content only.

PDF, JPEG and PNG are accepted; the type is read from the bytes (never from the name or the
browser's claim). A PDF is parsed (pypdf) and must have at least one page; an image is opened
and verified by Pillow, and refused when its pixel count would make decoding it a memory bomb
(a 370-byte PNG can claim 30,000 × 30,000 pixels). 10 MB at most.
"""

import hashlib
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_TOO_LARGE = _("The file is larger than 10 MB. Scan it at a lower resolution or split it.")
UPLOAD_EMPTY = _("The file is empty.")
UPLOAD_NOT_SAVED = _("The file could not be saved: the server's storage is full. Nothing you sent was kept; "
                     "please try again later. The system administrator has been told.")
UPLOAD_WRONG_TYPE = _("Only PDF, JPEG and PNG files are accepted, and the file's content must match.")

_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# A page scanned at 600 dpi is 35 million pixels and a phone's photo 12 to 50 million; more than
# this is refused before anything is decoded (Pillow's own limit is 89 million, then a warning).
MAX_IMAGE_PIXELS = 60_000_000
# The end of a PDF names its cross-reference table («startxref», offset, «%%EOF»); a file
# without them in its last bytes is refused at once, before the parser would search it all.
_PDF_TAIL_BYTES = 2048


@dataclass(frozen=True)
class InspectedUpload:
    content_type: str
    size: int
    sha256: str
    extension: str


def inspect_upload(uploaded) -> InspectedUpload:
    """Return what the upload really is, or raise ValidationError with a clear message."""
    size = uploaded.size
    if size is None or size == 0:
        raise ValidationError(UPLOAD_EMPTY, code="upload_empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(UPLOAD_TOO_LARGE, code="upload_too_large")
    uploaded.seek(0)
    head = uploaded.read(16)
    content_type = next((ctype for sig, ctype in _SIGNATURES if head.startswith(sig)), None)
    if content_type is None:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    if content_type == "application/pdf":
        _check_pdf(uploaded, size)
    else:
        _check_image(uploaded, content_type)
    uploaded.seek(0)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    return InspectedUpload(content_type, size, digest.hexdigest(), extension)


def _check_pdf(uploaded, size: int) -> None:
    uploaded.seek(max(0, size - _PDF_TAIL_BYTES))
    tail = uploaded.read()
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")
    uploaded.seek(0)
    try:
        pages = len(PdfReader(uploaded, strict=False).pages)
    except Exception as exc:  # whatever the parser meets in a hostile file, it is not a PDF we take
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type") from exc
    if pages < 1:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")


def _check_image(uploaded, content_type: str) -> None:
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.format != _PIL_FORMATS[content_type]:
                    raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type") from exc
