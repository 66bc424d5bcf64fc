"""Document upload after intake (DU-1, IN-2) and the download of a document."""

from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries import errors, services
from beneficiaries.models import Document
from beneficiaries.policy import DocumentType, FileStatus
from beneficiaries.views.files import DOCUMENT_UPLOADED
from charity.models import AccessLog
from charity.roles import Role
from charity.uploads import UPLOAD_WRONG_TYPE
from testdata import (
    NOW,
    TODAY,
    add_member,
    make_active,
    make_draft,
    make_submitted,
    pdf_upload,
    png_upload,
)

from .helpers import page_of

pytestmark = pytest.mark.django_db


def upload_url(file):
    return reverse("beneficiaries:document_upload", args=[file.pk])


@pytest.mark.rule("DU-1")
def test_upload_adds_a_document_and_returns_to_the_file_du1(profile, manager, client):
    file = make_active(manager)
    son = add_member(file)
    before = file.documents.count()
    client.force_login(manager)
    assert client.get(upload_url(file)).status_code == 200
    response = client.post(upload_url(file), {
        "doc_type": DocumentType.SCHOOL_CERTIFICATE, "issued_on": "2026-09-01", "expires_on": "2027-06-30",
        "member": son.pk, "uploaded": png_upload(), "note": "الفصل الأول",
    })
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    assert file.documents.count() == before + 1
    document = file.documents.latest("uploaded_at")
    assert document.member == son and document.content_type == "image/png" and document.uploaded_by == manager
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(DOCUMENT_UPLOADED)]


@pytest.mark.rule("IN-2")
def test_upload_refuses_an_expired_document_and_changes_nothing_in2(profile, manager, client):
    file = make_active(manager)
    before = Document.objects.count()
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        response = client.post(upload_url(file), {"doc_type": DocumentType.IDENTITY, "expires_on": "2026-11-01",
                                                  "uploaded": pdf_upload()})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert str(errors.EXPIRED_ON_UPLOAD).split("%")[0] in response.content.decode()
    assert Document.objects.count() == before


@pytest.mark.rule("DU-1")
@pytest.mark.parametrize("step", ["file page", "intake"])
def test_du1_one_upload_form_and_one_rule_set_at_intake_and_on_the_file_page(profile, manager, client, step):
    """The same form and the same service rules on both pages: an issue date in the future is
    refused on its field, and documents that come from their own step (the signed declaration,
    an exclusion's proof, visit photos) are not offered."""
    file = make_draft(manager) if step == "intake" else make_active(manager)
    url = (reverse("beneficiaries:intake_step", args=[file.pk, "documents"]) if step == "intake"
           else upload_url(file))
    prefix = "doc-" if step == "intake" else ""
    before = Document.objects.count()
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        form = client.get(url).context["form"]
        offered = {value for value, _label in form.fields["doc_type"].choices}
        response = client.post(url, {f"{prefix}doc_type": DocumentType.IDENTITY, f"{prefix}issued_on": "2026-12-01",
                                     f"{prefix}uploaded": pdf_upload()})
    assert offered and not offered & {DocumentType.SIGNED_DECLARATION, DocumentType.PROOF,
                                      DocumentType.FIELD_VISIT_PHOTO}
    assert response.status_code == 200 and Document.objects.count() == before
    with translation.override("ar"):
        assert response.context["form"].errors["issued_on"] == [str(errors.ISSUED_IN_FUTURE)]


def test_upload_refuses_a_file_whose_content_is_not_pdf_or_image(profile, manager, client):
    file = make_active(manager)
    before = Document.objects.count()
    client.force_login(manager)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(upload_url(file), {"doc_type": DocumentType.MEDICAL_REPORT, "uploaded": fake})
    assert response.status_code == 200
    assert escape(str(UPLOAD_WRONG_TYPE)) in response.content.decode()
    assert Document.objects.count() == before


def test_upload_refused_on_a_closed_file(profile, manager, client):
    file = make_active(manager)
    services.change_status(file=file, to=FileStatus.CLOSED, now=NOW)
    before = Document.objects.count()
    client.force_login(manager)
    response = client.post(upload_url(file), {"doc_type": DocumentType.OTHER, "uploaded": pdf_upload()})
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [errors.DOCUMENTS_CLOSED % {"status": FileStatus.CLOSED.label}]
    assert Document.objects.count() == before
    assert upload_url(file) not in page_of(client, file)


@pytest.mark.rule("DU-1")
@pytest.mark.parametrize("status", [FileStatus.CLOSED, FileStatus.EXCLUDED])
def test_du1_the_service_itself_refuses_documents_for_a_final_file(profile, manager, status):
    """Whichever page or task calls it, a file whose record is final takes no new document, and
    no file is left behind in storage."""
    file = services.change_status(file=make_active(manager), to=status, now=NOW)
    before = (file.documents.count(), files_stored())
    with pytest.raises(ValidationError) as exc:
        services.upload_document(file=file, by=manager, uploaded=pdf_upload(), doc_type=DocumentType.OTHER,
                                 today=TODAY)
    assert exc.value.code == "documents_closed"
    assert (file.documents.count(), files_stored()) == before


def files_stored() -> int:
    from django.conf import settings

    return sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def test_upload_needs_the_add_document_permission(profile, manager, make_user, client):
    file = make_submitted(manager)
    client.force_login(make_user(Role.COMMITTEE))
    before = Document.objects.count()
    assert client.post(upload_url(file), {"doc_type": DocumentType.OTHER, "uploaded": pdf_upload()}).status_code == 403
    assert Document.objects.count() == before


def test_upload_refuses_a_member_of_another_file(profile, manager, client):
    file, other = make_active(manager), make_active(manager)
    stranger = add_member(other)
    before = Document.objects.count()
    client.force_login(manager)
    response = client.post(upload_url(file), {"doc_type": DocumentType.OTHER, "member": stranger.pk,
                                              "uploaded": pdf_upload()})
    assert response.status_code == 200
    assert Document.objects.count() == before


# --- Download and the researcher card -------------------------------------------------------


def test_download_streams_an_attachment_with_safe_headers(profile, manager, client):
    file = make_submitted(manager)
    document = file.documents.order_by("pk").first()
    client.force_login(manager)
    response = client.get(reverse("beneficiaries:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    expected = f"{file.number}-{document.doc_type}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    log = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD)
    assert log.object_id == str(document.pk) and log.content_type.model == "document" and log.user == manager
