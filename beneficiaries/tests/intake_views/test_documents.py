"""The documents step: refused uploads save nothing (DU-1, IN-2)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beneficiaries import errors
from beneficiaries.models import Document
from charity import calendar
from charity.uploads import UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE
from testdata import make_draft

from .helpers import ar, step_url, upload_data

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DU-1", "IN-2")
@pytest.mark.parametrize("uploaded, overrides, message", [
    (None, {"doc-expires_on": "2026-11-23"}, "expired"),
    (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024) + b"\n%%EOF\n"), {}, UPLOAD_TOO_LARGE),
    (SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"), {},
     UPLOAD_WRONG_TYPE),
])
def test_documents_bad_upload_saves_nothing(desk, intake, uploaded, overrides, message):
    """DU-1, IN-2: expired, too large (20 MB) or disguised (HTML named .pdf) uploads are refused."""
    file = make_draft(intake)
    response = desk.post(step_url(file, "documents"), upload_data("identity", uploaded, **overrides))
    if message == "expired":
        message = errors.EXPIRED_ON_UPLOAD % {"date": calendar.format_dual(dt.date(2026, 11, 23), "ar")}
    assert response.status_code == 200 and ar(message) in response.content.decode()
    assert not Document.objects.exists()


def test_documents_file_input_hints_accepted_types(desk, intake):
    """One hint for every upload field (the content itself is checked on the server)."""
    from beneficiaries.forms.files import ACCEPTED_UPLOADS

    page = desk.get(step_url(make_draft(intake), "documents")).content.decode()
    assert f'accept="{ACCEPTED_UPLOADS}"' in page
