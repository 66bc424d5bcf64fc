"""Moved to the shared `testdata` package; import from there. This name stays only until the
aid, programmes and access-matrix tests (moved by other hands) import `testdata` too."""

from testdata import (  # noqa: F401
    NOW,
    TODAY,
    complete_documents,
    head_data,
    make_active,
    make_draft,
    make_submitted,
    national_id,
    pdf_bytes,
    pdf_upload,
    png_upload,
    unique_national_id,
)
