"""6. IN-2, CP-4: uploads are recognised by their content, through the real upload pages: a
disguised file, a PDF that does not parse and a decompression bomb get the upload message, never
a server error."""


import pytest
from django.urls import reverse
from django.utils.html import escape

from beneficiaries.models import Document
from charity.tests.matrix_checks import diff, snapshot
from charity.uploads import UPLOAD_WRONG_TYPE
from complaints.models import Complaint
from testdata import bomb_png, unique_national_id

from .helpers import ar, complaint_post

pytestmark = pytest.mark.django_db


DISGUISED = {
    "html behind a PNG header": ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script>",
                                 "image/png"),
    "exe renamed pdf": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be "
                        b"run in DOS mode.", "application/pdf"),
    "pdf polyglot": ("report.pdf", b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n",
                     "application/pdf"),
    "decompression bomb": ("scan.png", bomb_png(30000, 30000), "image/png"),
}


def _upload(name, content, ctype):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=ctype)


@pytest.mark.rule("IN-2")
@pytest.mark.parametrize("kind", list(DISGUISED))
def test_disguised_document_upload_is_refused_and_nothing_stored_in2(client, world, kind):
    client.force_login(world.users["researcher_a"])
    before = snapshot(world.active)
    response = client.post(reverse("beneficiaries:document_upload", args=[world.active.pk]),
                           {"doc_type": "other", "uploaded": _upload(*DISGUISED[kind])})
    assert response.status_code == 200 and escape(ar(UPLOAD_WRONG_TYPE)) in response.content.decode()
    assert diff(before, snapshot(world.active)) == {}
    assert not Document.objects.filter(original_name=DISGUISED[kind][0]).exists()


@pytest.mark.rule("CP-4")
@pytest.mark.parametrize("kind", list(DISGUISED))
def test_disguised_complaint_attachment_is_refused_and_nothing_stored_cp4(client, world, kind):
    _user, url, _service, data = complaint_post(world, unique_national_id())
    before = snapshot()
    response = client.post(url, {**data, "attachments": [_upload(*DISGUISED[kind])]})
    assert response.status_code == 200 and escape(ar(UPLOAD_WRONG_TYPE)) in response.content.decode()
    assert diff(before, snapshot()) == {}
    assert not Complaint.objects.filter(national_id=data["national_id"]).exists()
