"""The service-control pages (SC-2…SC-12, RT-4, RT-6, RT-10): each action through the views,
a refusal shown on the form with nothing changed, role permissions (403) and scope (404)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries import errors as file_errors
from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Document, ReportedChange
from beneficiaries.policy import FileStatus, Gender, MaritalStatus, Relationship
from charity.models import AccessLog, PolicyProfile
from charity.roles import Role
from eligibility import controls, errors, sweep
from eligibility.models import Certificate, DeathRecord, Exclusion, Freeze
from testdata import NOW, TODAY, add_member, head_data, make_active, pdf_upload, signed_cancellation_form, tell_families

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def manager_client(client, staff):
    client.force_login(staff["manager"])
    return client


def _shown(response, message) -> bool:
    """True when the (Arabic) message appears on the page."""
    with translation.override("ar"):
        return escape(str(message)) in response.content.decode()


def _exclude_data(rule, **extra):
    return {"rule": rule, "proof_note": "عقد الزواج اطلعت عليه الباحثة", "confirm": "on", **extra}


def _reload(file):
    return BeneficiaryFile.objects.get(pk=file.pk)


# --- Exclusion -----------------------------------------------------------------------------


@pytest.mark.rule("RT-4", "SC-8")
def test_exclude_sc8_widow_with_proof_note_excludes_and_issues_the_decision(manager_client, staff):
    """SC-8: marriage of a widow, by decision on proof; the decision is numbered (RT-4)."""
    widow = make_active(staff["intake"], categories=("widow",))
    page = manager_client.get(reverse("eligibility:exclude", args=[widow.pk]))
    assert page.status_code == 200 and _shown(page, errors.PROOF_REQUIRED) is False
    assert b"SC-8" in page.content and b'name="confirm"' in page.content
    response = manager_client.post(reverse("eligibility:exclude", args=[widow.pk]), _exclude_data("SC-8"))
    assert response.status_code == 302
    assert response.url == reverse("eligibility:controls", args=[widow.pk])
    assert _reload(widow).status == FileStatus.EXCLUDED
    exclusion = Exclusion.objects.get(file=widow)
    assert exclusion.rule == "SC-8" and exclusion.decided_by == staff["manager"]
    assert exclusion.proof_note == "عقد الزواج اطلعت عليه الباحثة"
    assert Certificate.objects.get(exclusion=exclusion).kind == "decision"
    controls_page = manager_client.get(response.url)
    assert exclusion.certificate.serial.encode() in controls_page.content
    download = reverse("eligibility:certificate_download", args=[exclusion.certificate.pk])
    assert download.encode() in controls_page.content


@pytest.mark.rule("SC-3", "SC-8", "SC-11")
@pytest.mark.parametrize("rule", ["SC-8", "SC-3", "SC-11"])
def test_exclude_without_proof_shows_the_message_and_changes_nothing(manager_client, staff, rule):
    """SC-3, SC-8, SC-11: exclusion by decision on proof of the case; no proof, no exclusion."""
    widow = make_active(staff["intake"], categories=("widow",))
    response = manager_client.post(reverse("eligibility:exclude", args=[widow.pk]),
                                   _exclude_data(rule, proof_note="  "))
    assert response.status_code == 200
    assert _shown(response, errors.PROOF_REQUIRED)
    assert _reload(widow).status == FileStatus.ACTIVE
    assert not Exclusion.objects.exists() and not Certificate.objects.exists()


@pytest.mark.rule("SC-8")
def test_exclude_needs_the_confirmation(manager_client, staff):
    """SC-8: the form requires the "cannot be undone" confirmation."""
    widow = make_active(staff["intake"], categories=("widow",))
    data = _exclude_data("SC-8")
    del data["confirm"]
    response = manager_client.post(reverse("eligibility:exclude", args=[widow.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    assert _reload(widow).status == FileStatus.ACTIVE and not Exclusion.objects.exists()


@pytest.mark.rule("SC-4")
def test_exclude_sc4_without_the_authority_is_refused(manager_client, staff):
    """SC-4: an assault is excluded by decision and referred to the competent authorities."""
    file = make_active(staff["intake"])
    url = reverse("eligibility:exclude", args=[file.pk])
    response = manager_client.post(url, _exclude_data("SC-4"))
    assert response.status_code == 200 and _shown(response, errors.AUTHORITY_REQUIRED)
    assert response.context["form"].errors["referred_to"]
    assert _reload(file).status == FileStatus.ACTIVE and not Exclusion.objects.exists()
    response = manager_client.post(url, _exclude_data("SC-4", referred_to="شرطة منطقة الرياض"))
    assert response.status_code == 302
    assert Exclusion.objects.get(file=file).referred_to_authorities == "شرطة منطقة الرياض"


@pytest.mark.rule("SC-10")
def test_exclude_sc10_orphans_are_exempt(manager_client, staff):
    """SC-10 (interpretation): registered with another association, except orphans."""
    orphans = make_active(staff["intake"], categories=("orphan",))
    response = manager_client.post(reverse("eligibility:exclude", args=[orphans.pk]), _exclude_data("SC-10"))
    assert response.status_code == 200 and _shown(response, errors.ORPHANS_EXEMPT)
    assert _reload(orphans).status == FileStatus.ACTIVE and not Exclusion.objects.exists()


@pytest.mark.rule("SC-2")
def test_exclude_sc2_with_an_uploaded_proof_document(manager_client, staff):
    """SC-2: the proof may be a new document, stored on the file as «proof»; a certificate (مشهد) is issued."""
    file = make_active(staff["intake"])
    response = manager_client.post(reverse("eligibility:exclude", args=[file.pk]), {
        "rule": "SC-2", "proof_upload": pdf_upload("dakhl.pdf"), "confirm": "on"})
    assert response.status_code == 302
    exclusion = Exclusion.objects.get(file=file)
    assert exclusion.proof_document.doc_type == "proof" and exclusion.proof_document.file == file
    assert exclusion.certificate.kind == "certificate"


@pytest.mark.rule("SC-9")
def test_exclude_with_an_existing_document_of_the_file(manager_client, staff):
    """SC-9: the proof may be a document already on the file."""
    file = make_active(staff["intake"])
    document = file_services.upload_document(file=file, by=staff["manager"], uploaded=pdf_upload(),
                                             doc_type="income_statement", today=TODAY)
    response = manager_client.post(reverse("eligibility:exclude", args=[file.pk]), {
        "rule": "SC-9", "proof_document": document.pk, "confirm": "on"})
    assert response.status_code == 302
    assert Exclusion.objects.get(file=file).proof_document == document


@pytest.mark.rule("SC-4")
def test_exclude_refused_keeps_no_uploaded_proof(manager_client, staff, tmp_path):
    """SC-4 refused: the uploaded proof is not kept, neither the row nor the stored file."""
    file = make_active(staff["intake"])
    before = Document.objects.count()
    stored_before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    response = manager_client.post(reverse("eligibility:exclude", args=[file.pk]), {
        "rule": "SC-4", "proof_upload": pdf_upload(), "confirm": "on"})
    assert response.status_code == 200 and _shown(response, errors.AUTHORITY_REQUIRED)
    assert Document.objects.count() == before
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == stored_before


def test_exclude_is_for_the_manager_a_researcher_gets_403(client, staff):
    """Only the role with apply_service_controls excludes (the researcher studies, the manager decides)."""
    file = make_active(staff["intake"])
    file_services.assign_researcher(file=file, researcher=staff["researcher"], by=staff["manager"], now=NOW)
    client.force_login(staff["researcher"])
    url = reverse("eligibility:exclude", args=[file.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _exclude_data("SC-3")).status_code == 403
    assert _reload(file).status == FileStatus.ACTIVE
    assert client.get(reverse("eligibility:controls", args=[file.pk])).status_code == 200  # may still look


@pytest.mark.rule("RT-6", "RT-10")
def test_controls_page_is_404_outside_the_users_scope_and_logged_inside(client, staff, make_user):
    """RT-6, RT-10: a researcher sees only the files assigned to them; each view is logged."""
    file = make_active(staff["intake"])
    other = make_user(Role.RESEARCHER, username="researcher2")
    client.force_login(other)
    for name in ("controls", "exclude", "freeze", "record_death"):
        assert client.get(reverse(f"eligibility:{name}", args=[file.pk])).status_code in (403, 404)
    assert client.get(reverse("eligibility:controls", args=[file.pk])).status_code == 404
    client.force_login(staff["manager"])
    assert client.get(reverse("eligibility:exclude", args=[file.pk])).status_code == 200
    client.force_login(staff["researcher"])
    assert client.get(reverse("eligibility:controls", args=[file.pk])).status_code == 404
    file_services.assign_researcher(file=file, researcher=staff["researcher"], by=staff["manager"], now=NOW)
    assert client.get(reverse("eligibility:controls", args=[file.pk])).status_code == 200
    logged = AccessLog.objects.filter(user=staff["researcher"], action=AccessLog.Action.VIEW, object_id=str(file.pk),
                                      content_type=ContentType.objects.get_for_model(BeneficiaryFile))
    assert logged.filter(outcome=AccessLog.Outcome.GRANTED).count() == 1
    assert logged.filter(outcome=AccessLog.Outcome.DENIED).count() == 1  # the 404 before the assignment


def test_exclude_of_a_file_under_study_is_refused(manager_client, staff):
    """SC: exclusion applies to active or frozen files only (the transition table)."""
    from testdata import make_submitted

    file = make_submitted(staff["intake"])
    url = reverse("eligibility:exclude", args=[file.pk])
    assert manager_client.get(url).status_code == 302
    assert manager_client.post(url, _exclude_data("SC-3")).status_code == 302
    assert _reload(file).status == FileStatus.UNDER_STUDY
    assert not Exclusion.objects.exists() and not Certificate.objects.exists()


# --- Freezes -------------------------------------------------------------------------------


@pytest.mark.rule("DU-4", "SC-12")
def test_freeze_sc12_then_lift_with_a_new_mobile(manager_client, staff):
    """SC-12 freezes for three months; the beneficiary updates the mobile (DU-4) and the file is active again."""
    file = make_active(staff["intake"])
    response = manager_client.post(reverse("eligibility:freeze", args=[file.pk]),
                                   {"rule": "SC-12", "reason": "الجوال مغلق منذ شهرين"})
    assert response.status_code == 302
    freeze = Freeze.objects.get(file=file)
    assert freeze.rule == "SC-12" and freeze.ends_on == dt.date(2027, 2, 24) and freeze.created_by == staff["manager"]
    assert _reload(file).status == FileStatus.FROZEN
    page = manager_client.get(reverse("eligibility:controls", args=[file.pk]))
    assert b'data-testid="open-freeze"' in page.content and "الجوال مغلق".encode() in page.content
    url = reverse("eligibility:lift_freeze", args=[freeze.pk])
    form = manager_client.get(url).context["form"]
    response = manager_client.post(url, {**form.initial, "note": "اتصلت المستفيدة", "mobile": "0551234567"})
    assert response.status_code == 302
    file = _reload(file)
    freeze.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and file.mobile == "+966551234567"
    assert freeze.outcome == Freeze.Outcome.LIFTED and freeze.end_note == "اتصلت المستفيدة"
    change = ReportedChange.objects.get(file=file)
    assert change.kind == "phone" and change.reported_on == TODAY and "+966551234567" in change.description


@pytest.mark.rule("SC-12")
def test_lift_sc12_with_an_invalid_mobile_changes_nothing(manager_client, staff):
    """SC-12: the new mobile is validated; a bad one neither changes the file nor lifts the freeze."""
    file = make_active(staff["intake"])
    freeze = controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW,
                                  profile=PolicyProfile.objects.active())
    url = reverse("eligibility:lift_freeze", args=[freeze.pk])
    form = manager_client.get(url).context["form"]
    response = manager_client.post(url, {**form.initial, "mobile": "12345"})
    assert response.status_code == 200 and response.context["form"].errors["mobile"]
    assert _reload(file).status == FileStatus.FROZEN and _reload(file).mobile == "+966501234567"
    assert not ReportedChange.objects.exists()


@pytest.mark.rule("SC-12")
def test_lift_sc12_refuses_a_stale_version(manager_client, staff):
    """SC-12: contact details saved meanwhile by someone else are never overwritten; nothing is lifted."""
    file = make_active(staff["intake"])
    freeze = controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW,
                                  profile=PolicyProfile.objects.active())
    url = reverse("eligibility:lift_freeze", args=[freeze.pk])
    form = manager_client.get(url).context["form"]
    file_services.update_file(file=file, by=staff["manager"], expected_version=None, changes={"email": "a@b.sa"})
    response = manager_client.post(url, {**form.initial, "mobile": "0551234567"})
    assert response.status_code == 200 and _shown(response, file_errors.STALE_VERSION)
    assert _reload(file).status == FileStatus.FROZEN and _reload(file).mobile == "+966501234567"


def _sc6_freeze(staff, file):
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW)
    return Freeze.objects.get(file=file)


@pytest.mark.rule("SC-6")
def test_lift_sc6_is_refused_while_documents_are_missing(manager_client, staff):
    """SC-6: the freeze lifts only once the update's documents are renewed."""
    file = make_active(staff["intake"])
    freeze = _sc6_freeze(staff, file)
    url = reverse("eligibility:lift_freeze", args=[freeze.pk])
    page = manager_client.get(url)
    assert b'data-testid="lift-missing"' in page.content
    response = manager_client.post(url, {"note": "", "version": file.version})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _reload(file).status == FileStatus.FROZEN
    freeze.refresh_from_db()
    assert freeze.outcome == Freeze.Outcome.OPEN
    for doc_type in ("identity", "family_record", "income_statement"):
        file_services.upload_document(file=file, by=staff["manager"], uploaded=pdf_upload(), doc_type=doc_type,
                                      today=TODAY)
    response = manager_client.post(url, {"note": "سلمت المستندات", "version": _reload(file).version})
    assert response.status_code == 302 and _reload(file).status == FileStatus.ACTIVE
    assert freeze.update_request.__class__.objects.get(pk=freeze.update_request_id).status == "completed"


@pytest.mark.rule("SC-6")
def test_freeze_sc6_by_hand_is_tied_to_the_pending_update(manager_client, staff):
    """SC-6 (normally the daily sweep) may be applied by hand: one month, tied to the open update request."""
    file = make_active(staff["intake"])
    file_services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    response = manager_client.post(reverse("eligibility:freeze", args=[file.pk]), {"rule": "SC-6"})
    assert response.status_code == 302
    freeze = Freeze.objects.get(file=file)
    assert freeze.ends_on == dt.date(2026, 12, 24) and freeze.update_request.file == file


@pytest.mark.rule("SC-12")
def test_freeze_twice_is_refused(manager_client, staff):
    """SC-12: one open freeze per file; the second attempt is refused by the page."""
    file = make_active(staff["intake"])
    controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW,
                         profile=PolicyProfile.objects.active())
    response = manager_client.post(reverse("eligibility:freeze", args=[file.pk]), {"rule": "SC-12"})
    assert response.status_code == 302  # a frozen file can no longer be frozen: back to the controls
    assert Freeze.objects.filter(file=file).count() == 1


@pytest.mark.rule("SC-6", "SC-12")
def test_freezes_list_soonest_first_with_days_left_and_the_7_day_filter(manager_client, staff, make_user):
    """SC-6, SC-12: the open freezes, ending soonest first; the filter keeps those ending within 7 days."""
    profile = PolicyProfile.objects.active()
    soon, later = make_active(staff["intake"]), make_active(staff["intake"])
    controls.freeze_file(file=later, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    controls.freeze_file(file=soon, rule="SC-6", by=staff["manager"], today=dt.date(2026, 10, 27), now=NOW,
                         profile=profile)  # ends 27/11: 3 days left
    response = manager_client.get(reverse("eligibility:freezes"))
    rows = response.context["rows"]
    assert [r["freeze"].file for r in rows] == [soon, later] and rows[0]["days_left"] == 3
    filtered = manager_client.get(reverse("eligibility:freezes"), {"soon": "1"}).context["rows"]
    assert [r["freeze"].file for r in filtered] == [soon]
    outsider = make_user(Role.RESEARCHER)
    manager_client.force_login(outsider)
    assert manager_client.get(reverse("eligibility:freezes")).context["rows"] == []


@pytest.mark.rule("SC-3", "SC-5")
def test_exclusions_list_newest_first_filtered_by_rule_and_month(manager_client, staff):
    """SC-3, SC-5: the exclusions, newest first; the filters by rule and month."""
    profile = PolicyProfile.objects.active()
    first, second = make_active(staff["intake"]), make_active(staff["intake"])
    controls.exclude_file(file=first, rule="SC-3", by=staff["manager"], today=dt.date(2026, 10, 5),
                          now=NOW - dt.timedelta(days=50), profile=profile,
                          proof_document=signed_cancellation_form(first, staff["manager"]))
    controls.exclude_file(file=second, rule="SC-5", by=staff["manager"], today=TODAY, now=NOW, profile=profile,
                          proof_note="محضر")
    url = reverse("eligibility:exclusions")
    assert [r["exclusion"].file for r in manager_client.get(url).context["rows"]] == [second, first]
    assert [r["exclusion"].file for r in manager_client.get(url, {"rule": "SC-3"}).context["rows"]] == [first]
    assert [r["exclusion"].file for r in manager_client.get(url, {"month": "2026-11"}).context["rows"]] == [second]
    assert manager_client.get(url, {"month": "nov"}).context["form"].errors["month"]


# --- Death (SC-7) --------------------------------------------------------------------------


def _mother_with_two_sons(staff):
    file = make_active(staff["intake"], head=head_data(gender=Gender.FEMALE, marital_status=MaritalStatus.WIDOWED))
    sons = [add_member(file, birth_date=dt.date(2000 + n, 1, 1)) for n in range(2)]  # grown up (SC-7)
    return _reload(file), sons


@pytest.mark.rule("SC-7")
def test_death_of_a_mother_moves_the_file_to_the_chosen_child(manager_client, staff):
    """SC-7 (2): a mother with dependants dies; the file moves to one of her children, number kept."""
    file, sons = _mother_with_two_sons(staff)
    number, head = file.number, file.members.get(relationship=Relationship.HEAD)
    url = reverse("eligibility:record_death", args=[file.pk])
    page = manager_client.get(url)
    assert page.status_code == 200 and b'data-outcome="to_child"' in page.content
    assert head.full_name.encode() in page.content
    response = manager_client.post(url, {"died_on": "2026-11-20", "confirm": "on"})
    assert response.status_code == 200 and _shown(response, errors.CHILD_REQUIRED)
    assert _reload(file).head_id_number == head.id_number and not DeathRecord.objects.exists()
    response = manager_client.post(url, {"died_on": "2026-11-20", "new_head": sons[1].pk, "confirm": "on",
                                         "certificate": pdf_upload("death.pdf")})
    assert response.status_code == 302
    file = _reload(file)
    assert file.number == number and file.status == FileStatus.ACTIVE
    assert file.head_id_number == sons[1].id_number and file.head_name == sons[1].full_name
    record = DeathRecord.objects.get(file=file)
    assert record.outcome == "to_child" and record.died_on == dt.date(2026, 11, 20)
    assert record.proof_document.doc_type == "death_certificate"


@pytest.mark.rule("SC-7")
def test_death_in_the_future_is_refused(manager_client, staff):
    """SC-7: the date of death cannot be after today; nothing changes."""
    file, sons = _mother_with_two_sons(staff)
    response = manager_client.post(reverse("eligibility:record_death", args=[file.pk]),
                                   {"died_on": "2026-12-01", "new_head": sons[0].pk, "confirm": "on"})
    assert response.status_code == 200 and response.context["form"].errors["died_on"]
    assert not DeathRecord.objects.exists()


@pytest.mark.rule("SC-7")
def test_death_of_a_head_without_dependants_closes_the_file(manager_client, staff):
    """SC-7 (3): no dependants, the file is closed."""
    file = make_active(staff["intake"])
    url = reverse("eligibility:record_death", args=[file.pk])
    assert b'data-outcome="closed"' in manager_client.get(url).content
    assert manager_client.post(url, {"died_on": "2026-11-20", "confirm": "on"}).status_code == 302
    assert _reload(file).status == FileStatus.CLOSED
