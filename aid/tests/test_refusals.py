"""DU-11: a family's refusal of a service (aid offered to it) is recorded only in writing — the
same rule as a programme's refusal — with who recorded it and when; the aid is cancelled and
may go to another beneficiary; the refusal shows on the file's aid page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aid import services
from aid.models import ServiceRefusal
from beneficiaries import policy as file_policy
from beneficiaries.models import Document
from programmes import services as programme_services
from testdata import NOW, TODAY, pdf_upload

from .builders import D, Status, active_file, ar, propose_cash, refusal

pytestmark = pytest.mark.django_db


def _approved(file, staff, fund, amount):
    return services.approve_disbursement(disbursement=propose_cash(file, staff, fund, amount), by=staff["manager"],
                                         now=NOW)


@pytest.mark.rule("DU-11")
def test_du11_refusal_of_aid_without_writing_is_refused_and_changes_nothing(staff, file, fund):
    """DU-11: «فيجب ان يكون ذلك خطياً» — a refusal told by word of mouth is not recorded."""
    disbursement = propose_cash(file, staff, fund)
    with pytest.raises(ValidationError) as exc:
        services.record_service_refusal(disbursement=disbursement, by=staff["researcher"], today=TODAY, now=NOW,
                                        written_refusal="   ")
    assert exc.value.code == "refusal_not_in_writing"
    assert refusal(exc) == ar(file_policy.REFUSAL_NOT_IN_WRITING)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED and not ServiceRefusal.objects.exists()


@pytest.mark.rule("DU-11")
def test_du11_one_written_answer_rule_for_services_and_programmes():
    """DU-11: services and programmes ask the same rule, and refuse with the same message."""
    assert programme_services.REFUSAL_NOT_IN_WRITING is file_policy.REFUSAL_NOT_IN_WRITING
    assert not file_policy.refusal_in_writing(" ", None)
    assert file_policy.refusal_in_writing("لا أرغب", None) and file_policy.refusal_in_writing("", object())


@pytest.mark.rule("DU-11", "TK-3")
def test_du11_written_refusal_frees_the_aid_for_another_beneficiary(staff, fund):
    """DU-11: the refusal is recorded with who and when; the approved aid is cancelled, and the
    fund's money it held goes to another family (before the refusal the fund could not cover it)."""
    refusing, other = active_file(staff), active_file(staff)
    held = _approved(refusing, staff, fund, "1000.00")
    second = propose_cash(other, staff, fund, "1000.00")
    with pytest.raises(ValidationError):
        services.approve_disbursement(disbursement=second, by=staff["manager"], now=NOW)
    recorded = services.record_service_refusal(disbursement=held, by=staff["researcher"], today=TODAY, now=NOW,
                                               written_refusal="نعتذر عن استلام المساعدة، وضعنا تحسن")
    assert (recorded.file, recorded.recorded_by, recorded.recorded_at, recorded.refused_on) == (
        refusing, staff["researcher"], NOW, TODAY)
    held.refresh_from_db()
    assert held.status == Status.CANCELLED and held.history.first().history_change_reason == "DU-11 refused in writing"
    second = services.approve_disbursement(disbursement=second, by=staff["manager"], now=NOW)
    assert second.status == Status.APPROVED and second.amount == D("1000.00")


@pytest.mark.rule("DU-11")
def test_du11_signed_refusal_is_kept_on_the_file_and_shown_on_its_aid_page(client, staff, file, fund, view_clock):
    """DU-11 through the page: the signed scan alone is a written refusal; it is kept as a
    document of the file, and the file's aid page shows the refusal, who recorded it and when."""
    disbursement = propose_cash(file, staff, fund)
    client.force_login(staff["researcher"])
    url = reverse("aid:aid_refuse", args=[disbursement.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"written_refusal": ""})
    assert refused.status_code == 200 and ar(file_policy.REFUSAL_NOT_IN_WRITING) in refused.content.decode()
    response = client.post(url, {"written_refusal": "", "signed_refusal": pdf_upload("refusal-signed.pdf")})
    assert response.status_code == 302
    recorded = ServiceRefusal.objects.get(disbursement=disbursement)
    document = Document.objects.get(original_name="refusal-signed.pdf")
    assert recorded.signed_refusal == document and document.file == file and document.doc_type == "written_refusal"
    page = client.get(reverse("aid:aid_file", args=[file.pk])).content.decode()
    assert 'data-testid="service-refusal"' in page
    assert reverse("beneficiaries:document_download", args=[document.pk]) in page
    assert staff["researcher"].get_full_name() in page or str(staff["researcher"]) in page
