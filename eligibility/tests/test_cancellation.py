"""SC-3: cancellation at the beneficiary's request, on the approved form — printed prefilled,
signed, uploaded back as the proof; no exclusion without it (RT-6, RT-10: scoped and logged)."""

import io

import pypdf
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Document
from beneficiaries.policy import FileStatus
from charity import calendar
from charity.models import AccessLog, Notification, PolicyProfile
from charity.roles import Role
from eligibility import controls, errors
from eligibility.models import Exclusion
from testdata import NOW, TODAY, beyond_role, make_active, pdf_upload, signed_cancellation_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _exclude(file, staff, **kw):
    return controls.exclude_file(file=file, rule="SC-3", by=staff["manager"], today=TODAY, now=NOW,
                                 profile=PolicyProfile.objects.active(), **kw)


@pytest.mark.rule("SC-3")
def test_sc3_cancellation_form_pdf_is_prefilled_in_arabic_with_both_dates(client, staff):
    """SC-3: the approved form names the file, the head and their ID, the date in both calendars,
    states in Arabic that the beneficiary asks to cancel the file, and has signature lines."""
    file = make_active(staff["intake"])
    client.force_login(staff["manager"])
    response = client.get(reverse("eligibility:cancellation_form", args=[file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert file.number in text and file.head_id_number in text and file.head_name in text
    assert "24/11/2026" in text
    hijri = calendar.to_hijri(TODAY)
    assert hijri.month_name("ar") in text and str(hijri.year) in text
    assert "إلغاء" in text and "ملفي" in text  # the request, in the beneficiary's words
    with translation.override("ar"):
        assert str(translation.gettext("Signature")) in text
    logged = AccessLog.objects.filter(user=staff["manager"], action=AccessLog.Action.DOWNLOAD, object_id=str(file.pk),
                                      content_type=ContentType.objects.get_for_model(BeneficiaryFile))
    assert logged.count() == 1


@pytest.mark.rule("SC-3", "RT-6", "RT-10")
def test_sc3_cancellation_form_is_404_outside_the_users_scope(client, staff, make_user):
    """RT-6, RT-10: a file the user may not see has no form for them (and no PDF is rendered)."""
    file = make_active(staff["intake"])
    url = reverse("eligibility:cancellation_form", args=[file.pk])
    outsider = make_user(Role.RESEARCHER, username="outsider")
    client.force_login(outsider)
    assert client.get(url).status_code == 403  # a researcher does not exclude
    client.force_login(beyond_role(outsider, "eligibility.apply_service_controls"))
    assert client.get(url).status_code == 404
    assert AccessLog.objects.filter(user=outsider, outcome=AccessLog.Outcome.DENIED).exists()


@pytest.mark.rule("SC-3")
def test_sc3_exclusion_is_refused_without_the_signed_form_and_done_with_it(staff):
    """SC-3: «بناء على تعبئة النموذج المعتمد»: a note, or a proof of another kind, does not do;
    the signed form does, and stays a document of the file; the family is told."""
    file = make_active(staff["intake"])
    other_proof = file_services.upload_document(file=file, by=staff["manager"], uploaded=pdf_upload(),
                                                doc_type="proof", today=TODAY)
    for proof in ({"proof_note": "طلب شفهي من المستفيدة"}, {"proof_document": other_proof}):
        with pytest.raises(ValidationError) as refused:
            _exclude(file, staff, **proof)
        assert refused.value.messages == [str(errors.CANCELLATION_FORM_REQUIRED)]
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and not Exclusion.objects.exists()
    signed = signed_cancellation_form(file, staff["manager"])
    exclusion = _exclude(file, staff, proof_document=signed)
    file.refresh_from_db()
    assert file.status == FileStatus.EXCLUDED
    assert (exclusion.rule, exclusion.proof_document) == ("SC-3", signed)
    assert Document.objects.get(pk=signed.pk).file == file
    assert Notification.objects.filter(object_id=str(exclusion.pk), purpose="exclusion-SC-3").exists()


def _shown(response, message) -> bool:
    with translation.override("ar"):
        return escape(str(message)) in response.content.decode()


@pytest.mark.rule("SC-3")
def test_sc3_exclude_page_takes_the_signed_scan_as_the_proof(client, staff):
    """SC-3 through the page: without the signed scan a clear refusal; with it the exclusion,
    the scan kept on the file as the signed cancellation request."""
    file = make_active(staff["intake"])
    client.force_login(staff["manager"])
    url = reverse("eligibility:exclude", args=[file.pk])
    page = client.get(url)
    assert reverse("eligibility:cancellation_form", args=[file.pk]).encode() in page.content
    refused = client.post(url, {"rule": "SC-3", "proof_note": "طلبت بالهاتف", "confirm": "on"})
    assert refused.status_code == 200 and _shown(refused, errors.CANCELLATION_FORM_REQUIRED)
    assert BeneficiaryFile.objects.get(pk=file.pk).status == FileStatus.ACTIVE and not Exclusion.objects.exists()
    done = client.post(url, {"rule": "SC-3", "proof_upload": pdf_upload("signed.pdf"), "confirm": "on"})
    assert done.status_code == 302
    exclusion = Exclusion.objects.get(file=file)
    assert exclusion.rule == "SC-3" and exclusion.proof_document.doc_type == "cancellation_request"
    assert BeneficiaryFile.objects.get(pk=file.pk).status == FileStatus.EXCLUDED
