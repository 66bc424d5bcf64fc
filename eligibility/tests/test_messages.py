"""What the family reads of a decision (RT-4) and of an exclusion (SC-2, CP-1): each outbox
row, through the catalog."""

import pytest

from charity.models import MessageWording, Notification, PolicyProfile
from eligibility import controls, services
from eligibility.policy import Outcome
from testdata import NOW, TODAY, make_submitted

from .test_services import _ready_for_decision

SITE = "https://jamiya.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _rows(about, purpose):
    return {row.channel: row for row in Notification.objects.filter(object_id=str(about.pk), purpose=purpose)}


def _decide(staff, outcome, reasons, **file_fields):
    file = make_submitted(staff["intake"], **file_fields)
    _ready_for_decision(file, staff)
    decision = services.decide_application(file=file, by=staff["manager"], profile=PolicyProfile.objects.active(),
                                           outcome=outcome, reasons=reasons, now=NOW)
    return file, decision


@pytest.mark.rule("RT-4", "CP-1")
def test_a_refusal_reaches_the_applicant_with_its_reasons_and_the_grievance_link(staff):
    file, decision = _decide(staff, Outcome.REJECT, "الدخل يتجاوز الحد المعتمد", email="family@example.com")
    rows = _rows(decision, "decision-reject")
    assert set(rows) == {"sms", "email"}
    body = rows["email"].body
    assert file.number in body and "الدخل يتجاوز الحد المعتمد" in body and "30 يومًا" in body
    assert f"{SITE}/complaints/" in body and f"{SITE}/my-file/" in body


@pytest.mark.rule("RT-4")
def test_an_acceptance_reaches_the_applicant_with_its_reasons(staff):
    _file, decision = _decide(staff, Outcome.ACCEPT, "أرملة تعول أيتامًا بلا دخل")
    body = _rows(decision, "decision-accept")["sms"].body
    assert "قبلت الجمعية طلبك" in body and "أرملة تعول أيتامًا بلا دخل" in body and f"{SITE}/my-file/" in body


@pytest.mark.rule("RT-4")
def test_an_acceptance_without_written_reasons_still_says_why(staff):
    _file, decision = _decide(staff, Outcome.ACCEPT, "")
    body = _rows(decision, "decision-accept")["sms"].body
    assert "أثبتت الدراسة استيفاء شروط الجمعية" in body


@pytest.mark.rule("SC-2", "CP-1", "RT-4")
def test_an_exclusion_carries_the_reason_the_certificate_link_and_the_right_to_a_grievance(active_file, staff):
    exclusion = controls.exclude_file(file=active_file, rule="SC-2", by=staff["manager"], today=TODAY, now=NOW,
                                      profile=PolicyProfile.objects.active(), proof_note="تحديث البيانات")
    body = _rows(exclusion, "exclusion-SC-2")["sms"].body
    assert active_file.number in body and "لم يعد شرط أو أكثر" in body
    assert f"{SITE}/my-file/{active_file.pk}/certificate/" in body
    assert "يحق لك تقديم تظلم خلال 30 يومًا" in body and f"{SITE}/complaints/" in body


def test_the_admins_wording_for_the_profile_changes_the_refusal(staff, profile):
    MessageWording.objects.create(profile=profile, purpose="decision-reject",
                                  text="ملفكم {file_number}: لم يُقبل لأن {reasons}. تظلّموا هنا {complaint_link} "
                                       "أو تابعوا {portal_link}")
    file, decision = _decide(staff, Outcome.REJECT, "الدخل مرتفع")
    body = _rows(decision, "decision-reject")["sms"].body
    assert body == (f"ملفكم {file.number}: لم يُقبل لأن الدخل مرتفع. تظلّموا هنا {SITE}/complaints/ "
                    f"أو تابعوا {SITE}/my-file/")
