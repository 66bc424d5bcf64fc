"""The study page and its checklist (EL-1…EL-8, RT-1, RT-10) and the witnesses of EL-3,
through the views."""


import pytest
from django.urls import reverse
from django.utils import translation

from beneficiaries import services as file_services
from charity.models import AccessLog
from charity.roles import Role
from eligibility import errors, services
from eligibility.forms.study import NOT_A_DOCUMENT_OF_THE_ITEM
from eligibility.models import VerificationItem, Witness
from eligibility.policy import ItemKind
from testdata import TODAY, make_submitted, pdf_upload, unique_national_id

from .helpers import VIEW_NOW, ar, checklist_item, form_errors, page_url, shown_messages

pytestmark = pytest.mark.django_db


@pytest.mark.rule("EL-1", "EL-8", "RT-1", "RT-10")
def test_study_lists_the_checklist_el1_to_el8(client, staff, file):
    """EL-1…EL-8, RT-1: the page prepares and lists each item with its rule; the view is logged (RT-10)."""
    client.force_login(staff["researcher"])
    response = client.get(page_url("study", file.pk))
    assert response.status_code == 200
    kinds = [row["item"].kind for row in response.context["rows"]]
    assert {ItemKind.AGENCY_PRINTOUT, ItemKind.FIELD_VISIT, ItemKind.WITNESSES, ItemKind.RENTAL_CONTRACT,
            ItemKind.NEEDS_ASSESSMENT} <= set(kinds)
    assert kinds == list(file.verification_items.order_by("id").values_list("kind", flat=True))
    with translation.override("ar"):
        content = response.content.decode()
        assert str(ItemKind.AGENCY_PRINTOUT.label) in content and "EL-3" in content
    assert response.context["show_witnesses"] and response.context["problems"]
    assert AccessLog.objects.filter(user=staff["researcher"], object_id=str(file.pk), action="view").exists()


@pytest.mark.rule("RT-6", "RT-10")
def test_study_is_404_for_a_researcher_not_assigned_rt10(client, staff, file, make_user):
    """RT-6, RT-10: another researcher cannot see the file nor its items, visits or assessments."""
    other = make_user(Role.RESEARCHER, username="researcher2")
    item = checklist_item(file, ItemKind.AGENCY_PRINTOUT)
    visit = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"], on=TODAY,
                                    today=TODAY)
    client.force_login(other)
    assert client.get(page_url("study", file.pk)).status_code == 404
    assert client.post(page_url("item_verify", item.pk), {"note": ""}).status_code == 404
    assert client.get(page_url("visit_report", visit.pk)).status_code == 404
    assert client.get(page_url("assess", file.pk)).status_code == 404
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.REQUIRED


def test_study_is_403_without_the_eligibility_permission(client, staff, file):
    """Intake staff do not study eligibility: 403."""
    client.force_login(staff["intake"])
    assert client.get(page_url("study", file.pk)).status_code == 403


@pytest.mark.rule("EL-1")
def test_el1_verify_without_a_document_shows_the_message_and_changes_nothing(client, staff, file):
    item = checklist_item(file, ItemKind.AGENCY_PRINTOUT)
    client.force_login(staff["researcher"])
    response = client.post(page_url("item_verify", item.pk), {"note": ""})
    assert response.status_code == 302 and response["Location"].startswith(page_url("study", file.pk))
    assert shown_messages(response) == [ar(errors.NO_DOCUMENT)]
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verified_at) == (VerificationItem.Status.REQUIRED, None, None)


@pytest.mark.rule("EL-1")
def test_el1_attach_then_verify_records_who_and_when(client, staff, file):
    item = checklist_item(file, ItemKind.AGENCY_PRINTOUT)
    doc = file_services.upload_document(file=file, by=staff["researcher"], uploaded=pdf_upload(),
                                        doc_type="agency_printout", today=TODAY)
    client.force_login(staff["researcher"])
    page = client.get(page_url("study", file.pk))
    row = next(r for r in page.context["rows"] if r["item"] == item)
    assert [pk for pk, _label in row["attach"].fields["document"].choices] == [doc.pk]

    response = client.post(page_url("item_attach", item.pk), {"document": doc.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.document) == (VerificationItem.Status.RECEIVED, doc)

    client.post(page_url("item_verify", item.pk), {"note": "مطابق لأبشر"})
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verified_at, item.note) == (
        VerificationItem.Status.VERIFIED, staff["researcher"], VIEW_NOW, "مطابق لأبشر")
    page = client.get(page_url("study", file.pk))
    assert reverse("beneficiaries:document_download", args=[doc.pk]) in page.content.decode()


@pytest.mark.rule("EL-1")
def test_el1_attach_refuses_a_document_of_another_type_or_file(client, staff, file):
    item = checklist_item(file, ItemKind.AGENCY_PRINTOUT)
    wrong_type = file.documents.exclude(doc_type="agency_printout").first()
    other_file = make_submitted(staff["intake"])
    foreign = file_services.upload_document(file=other_file, by=staff["intake"], uploaded=pdf_upload(),
                                            doc_type="agency_printout", today=TODAY)
    client.force_login(staff["manager"])
    for document in (wrong_type, foreign):
        response = client.post(page_url("item_attach", item.pk), {"document": document.pk})
        assert response.status_code == 302
    assert shown_messages(response) == [ar(NOT_A_DOCUMENT_OF_THE_ITEM)] * 2
    item.refresh_from_db()
    assert (item.status, item.document) == (VerificationItem.Status.REQUIRED, None)


@pytest.mark.rule("EL-4", "EL-7")
def test_item_not_applicable_needs_a_note(client, staff, file):
    """EL-4…EL-7: an item that does not apply is closed with the reason, by whom and when."""
    item = checklist_item(file, ItemKind.SOCIAL_SECURITY)
    client.force_login(staff["researcher"])
    response = client.post(page_url("item_not_applicable", item.pk), {"note": "  "})
    assert shown_messages(response) == [ar(errors.NOTE_REQUIRED)]
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.REQUIRED
    client.post(page_url("item_not_applicable", item.pk), {"note": "لا تستفيد من الضمان"})
    item.refresh_from_db()
    assert (item.status, item.note, item.verified_by) == (VerificationItem.Status.NOT_APPLICABLE,
                                                          "لا تستفيد من الضمان", staff["researcher"])


def test_item_actions_need_the_verify_permission(client, staff, file, make_user):
    """The research committee sees the study but cannot change the checklist: 403."""
    member = make_user(Role.COMMITTEE, username="committee1")
    item = checklist_item(file, ItemKind.SOCIAL_SECURITY)
    client.force_login(member)
    assert client.get(page_url("study", file.pk)).status_code == 200
    assert client.post(page_url("item_not_applicable", item.pk), {"note": "x"}).status_code == 403


# --- EL-3: witnesses ------------------------------------------------------------------------


def _witness(**overrides):
    data = {"name": "سعد العنزي", "national_id": unique_national_id(), "phone": "0501111111",
            "statement": "أعرف حالها منذ سنوات"}
    return {**data, **overrides}


@pytest.mark.rule("EL-3")
def test_el3_two_witnesses_then_the_item_is_verified(client, staff, file):
    item = checklist_item(file, ItemKind.WITNESSES)
    client.force_login(staff["researcher"])
    assert client.get(page_url("witness_add", file.pk)).status_code == 200

    bad = client.post(page_url("witness_add", file.pk), _witness(national_id="1234567890"))
    assert bad.status_code == 200 and form_errors(bad, "national_id") and not Witness.objects.exists()

    first = _witness()
    assert client.post(page_url("witness_add", file.pk), first).status_code == 302
    twice = client.post(page_url("witness_add", file.pk), {**first, "name": "آخر"})
    assert form_errors(twice, "national_id") == [ar(errors.WITNESS_TWICE)]
    response = client.post(page_url("item_verify", item.pk), {"note": ""})
    assert shown_messages(response) == [ar(errors.TWO_WITNESSES_NEEDED)]

    client.post(page_url("witness_add", file.pk), _witness(name="منيرة الشمري", phone="0502222222"))
    witness = Witness.objects.get(name="سعد العنزي")
    assert (witness.phone, witness.recorded_by, witness.recorded_at) == ("+966501111111", staff["researcher"], VIEW_NOW)
    client.post(page_url("item_verify", item.pk), {"note": ""})
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.VERIFIED
    assert "منيرة الشمري" in client.get(page_url("study", file.pk)).content.decode()
