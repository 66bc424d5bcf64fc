"""«My file»: the annual update (DU-5) — shown with its deadline and documents once announced,
the documents uploaded right there (content checked), another family's update a 404; an upload
during an SC-6 freeze is a response."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from beneficiaries import services as file_services
from beneficiaries.models import Document, UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, DocumentType, FileStatus
from charity import calendar
from eligibility.models import Freeze
from eligibility.sweep import enforce_deadlines
from testdata import NOW, pdf_upload, png_upload, tell_families

from .helpers import make_family, portal_sign_in

pytestmark = pytest.mark.django_db
ANNOUNCED = NOW + dt.timedelta(days=1)  # the families' intake documents predate the announcement
DEADLINE = dt.date(2026, 12, 31)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def families(clock, staff):
    mine, theirs = make_family(staff["intake"]), make_family(staff["intake"], mobile="+966551112222")
    clock.move_to(ANNOUNCED)
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=DEADLINE,
                                         today=ANNOUNCED.date(), now=ANNOUNCED)
    return mine, theirs


def _url(family, request=None):
    request = request or UpdateRequest.objects.get(file=family.file)
    return reverse("portal:update", args=[family.file.pk, request.pk])


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.mark.rule("DU-5")
def test_du5_the_portal_shows_the_announced_update_with_its_deadline_and_documents(client, families):
    mine, _theirs = families
    portal_sign_in(client, mine.identity)
    home = client.get(reverse("portal:file", args=[mine.file.pk])).content.decode()
    assert 'data-testid="annual-update-item"' in home and _url(mine) in home
    page = client.get(_url(mine)).content.decode()
    with translation.override("ar"):
        assert calendar.format_dual(DEADLINE) in page
    assert all(ar(DocumentType(d).label) in page for d in ANNUAL_UPDATE_DOCUMENTS)
    assert 'data-testid="update-document-form"' in page and 'enctype="multipart/form-data"' in page


@pytest.mark.rule("DU-5", "SC-1")
def test_du5_the_family_uploads_the_documents_and_the_sweep_leaves_it_active(client, families):
    """DU-5: each document through the documents service (stored, no staff user); with all of
    them in, the sweep after the deadline leaves the file active and completes its request."""
    mine, _theirs = families
    portal_sign_in(client, mine.identity)
    for doc_type, upload in zip(ANNUAL_UPDATE_DOCUMENTS, (pdf_upload(), png_upload(), pdf_upload()), strict=True):
        response = client.post(_url(mine), {"doc_type": doc_type, "uploaded": upload}, follow=True)
        assert response.status_code == 200
    assert "استُلمت جميع مستندات التحديث السنوي" in response.content.decode()
    uploaded = Document.objects.filter(file=mine.file, uploaded_at__gte=ANNOUNCED)
    assert sorted(d.doc_type for d in uploaded) == sorted(ANNUAL_UPDATE_DOCUMENTS)
    assert all(d.uploaded_by is None for d in uploaded)
    tell_families(now=ANNOUNCED)
    result = enforce_deadlines(today=dt.date(2027, 1, 1), now=ANNOUNCED)
    assert result.frozen == 1  # the other family, told and silent
    mine.file.refresh_from_db()
    assert mine.file.status == FileStatus.ACTIVE
    assert UpdateRequest.objects.get(file=mine.file).status == UpdateRequest.Status.COMPLETED


@pytest.mark.rule("DU-5")
def test_du5_a_file_that_is_not_a_document_is_refused_in_arabic_and_nothing_stored(client, families):
    mine, _theirs = families
    portal_sign_in(client, mine.identity)
    fake = SimpleUploadedFile("id.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(_url(mine), {"doc_type": "identity", "uploaded": fake})
    assert response.status_code == 200 and response.context["form"].errors["uploaded"]
    assert not Document.objects.filter(file=mine.file, uploaded_at__gte=ANNOUNCED).exists()


@pytest.mark.rule("DU-5", "RT-10")
def test_du5_another_familys_update_is_404(client, families):
    mine, theirs = families
    portal_sign_in(client, mine.identity)
    theirs_request = UpdateRequest.objects.get(file=theirs.file)
    for url in (_url(theirs), reverse("portal:update", args=[mine.file.pk, theirs_request.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"doc_type": "identity", "uploaded": pdf_upload()}).status_code == 404
    assert not Document.objects.filter(file=theirs.file, uploaded_at__gte=ANNOUNCED).exists()


@pytest.mark.rule("SC-6")
def test_sc6_an_upload_during_the_freeze_shows_the_file_awaiting_review(client, families, clock):
    mine, _theirs = families
    tell_families(now=ANNOUNCED)
    enforce_deadlines(today=dt.date(2027, 1, 1), now=ANNOUNCED)
    clock.move_to(dt.datetime(2027, 1, 5, 9, tzinfo=NOW.tzinfo))
    portal_sign_in(client, mine.identity)
    response = client.post(_url(mine), {"doc_type": "identity", "uploaded": pdf_upload()}, follow=True)
    page = response.content.decode()
    assert 'data-testid="awaiting-review"' in page and 'data-testid="update-freeze"' in page
    assert Freeze.objects.get(file=mine.file).awaiting_review
