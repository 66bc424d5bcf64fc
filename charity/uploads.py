"""Uploads of case documents and complaint attachments: recognised by their content only.

PDF, JPEG and PNG are accepted; the type is read from the bytes (never from the name or the
browser's claim) and images are decoded to prove they are images. 10 MB at most.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_TOO_LARGE = _("The file is larger than 10 MB. Scan it at a lower resolution or split it.")
UPLOAD_EMPTY = _("The file is empty.")
UPLOAD_WRONG_TYPE = _("Only PDF, JPEG and PNG files are accepted, and the file's content must match.")

_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


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
    uploaded.seek(max(0, size - 2048))
    tail = uploaded.read()
    if b"%%EOF" not in tail:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")


def _check_image(uploaded, content_type: str) -> None:
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if image.format != _PIL_FORMATS[content_type]:
                raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(UPLOAD_WRONG_TYPE, code="upload_wrong_type") from exc
