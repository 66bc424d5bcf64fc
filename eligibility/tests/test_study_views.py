"""The eligibility study pages (EL-1…EL-9, IN-5, IN-7, IN-9, RT-1, RT-4, RT-5, RT-10, PR) through the views."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from beneficiaries import services as file_services
from beneficiaries.models import Document
from beneficiaries.policy import FileStatus, HousingType
from beneficiaries.tests.factories import NOW, TODAY, make_submitted, pdf_upload, png_upload, unique_national_id
from charity.models import AccessLog, Notification, PolicyProfile
from charity.roles import Role
from eligibility import errors, services
from eligibility.forms.study import NOT_A_DOCUMENT_OF_THE_ITEM
from eligibility.models import Decision, FieldVisit, NeedsAssessment, VerificationItem, Witness
from eligibility.policy import SCORE_WEIGHTS, ItemKind
from eligibility.tests.test_services import _ready_for_decision
from eligibility.views.study import DECIDED

pytestmark = pytest.mark.django_db

VIEW_NOW = NOW + dt.timedelta(hours=1)


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.fixture(autouse=True)
def _an_hour_after_now():
    """Views read the clock: pin it just after the factories' NOW."""
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


@pytest.fixture
def file(staff):
    """An abandoned woman's application in rented housing, under study, served by the researcher."""
    submitted = make_submitted(staff["intake"], categories=("abandoned",), housing_type=HousingType.RENTED)
    return file_services.assign_researcher(file=submitted, researcher=staff["researcher"], by=staff["manager"],
                                           now=NOW)


def _url(name, *args):
    return reverse(f"eligibility:{name}", args=args)


def _item(file, kind) -> VerificationItem:
    return next(i for i in services.ensure_checklist(file) if i.kind == kind)


# --- The study page and its checklist -----------------------------------------------------------


def test_study_lists_the_checklist_el1_to_el8(client, staff, file):
    """EL-1…EL-8, RT-1: the page prepares and lists each item with its rule; the view is logged (RT-10)."""
    client.force_login(staff["researcher"])
    response = client.get(_url("study", file.pk))
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


def test_study_is_404_for_a_researcher_not_assigned_rt10(client, staff, file, make_user):
    """RT-6, RT-10: another researcher cannot see the file nor its items, visits or assessments."""
    other = make_user(Role.RESEARCHER, username="researcher2")
    item = _item(file, ItemKind.AGENCY_PRINTOUT)
    visit = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"], on=TODAY,
                                    today=TODAY)
    client.force_login(other)
    assert client.get(_url("study", file.pk)).status_code == 404
    assert client.post(_url("item_verify", item.pk), {"note": ""}).status_code == 404
    assert client.get(_url("visit_report", visit.pk)).status_code == 404
    assert client.get(_url("assess", file.pk)).status_code == 404
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.REQUIRED


def test_study_is_403_without_the_eligibility_permission(client, staff, file):
    """Intake staff do not study eligibility: 403."""
    client.force_login(staff["intake"])
    assert client.get(_url("study", file.pk)).status_code == 403


def test_el1_verify_without_a_document_shows_the_message_and_changes_nothing(client, staff, file):
    item = _item(file, ItemKind.AGENCY_PRINTOUT)
    client.force_login(staff["researcher"])
    response = client.post(_url("item_verify", item.pk), {"note": ""})
    assert response.status_code == 302 and response["Location"].startswith(_url("study", file.pk))
    assert shown_messages(response) == [ar(errors.NO_DOCUMENT)]
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verified_at) == (VerificationItem.Status.REQUIRED, None, None)


def test_el1_attach_then_verify_records_who_and_when(client, staff, file):
    item = _item(file, ItemKind.AGENCY_PRINTOUT)
    doc = file_services.upload_document(file=file, by=staff["researcher"], uploaded=pdf_upload(),
                                        doc_type="agency_printout", today=TODAY)
    client.force_login(staff["researcher"])
    page = client.get(_url("study", file.pk))
    row = next(r for r in page.context["rows"] if r["item"] == item)
    assert [pk for pk, _label in row["attach"].fields["document"].choices] == [doc.pk]

    response = client.post(_url("item_attach", item.pk), {"document": doc.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.document) == (VerificationItem.Status.RECEIVED, doc)

    client.post(_url("item_verify", item.pk), {"note": "مطابق لأبشر"})
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verified_at, item.note) == (
        VerificationItem.Status.VERIFIED, staff["researcher"], VIEW_NOW, "مطابق لأبشر")
    page = client.get(_url("study", file.pk))
    assert reverse("beneficiaries:document_download", args=[doc.pk]) in page.content.decode()


def test_el1_attach_refuses_a_document_of_another_type_or_file(client, staff, file):
    item = _item(file, ItemKind.AGENCY_PRINTOUT)
    wrong_type = file.documents.exclude(doc_type="agency_printout").first()
    other_file = make_submitted(staff["intake"])
    foreign = file_services.upload_document(file=other_file, by=staff["intake"], uploaded=pdf_upload(),
                                            doc_type="agency_printout", today=TODAY)
    client.force_login(staff["manager"])
    for document in (wrong_type, foreign):
        response = client.post(_url("item_attach", item.pk), {"document": document.pk})
        assert response.status_code == 302
    assert shown_messages(response) == [ar(NOT_A_DOCUMENT_OF_THE_ITEM)] * 2
    item.refresh_from_db()
    assert (item.status, item.document) == (VerificationItem.Status.REQUIRED, None)


def test_item_not_applicable_needs_a_note(client, staff, file):
    """EL-4…EL-7: an item that does not apply is closed with the reason, by whom and when."""
    item = _item(file, ItemKind.SOCIAL_SECURITY)
    client.force_login(staff["researcher"])
    response = client.post(_url("item_not_applicable", item.pk), {"note": "  "})
    assert shown_messages(response) == [ar(errors.NOTE_REQUIRED)]
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.REQUIRED
    client.post(_url("item_not_applicable", item.pk), {"note": "لا تستفيد من الضمان"})
    item.refresh_from_db()
    assert (item.status, item.note, item.verified_by) == (VerificationItem.Status.NOT_APPLICABLE,
                                                          "لا تستفيد من الضمان", staff["researcher"])


def test_item_actions_need_the_verify_permission(client, staff, file, make_user):
    """The research committee sees the study but cannot change the checklist: 403."""
    member = make_user(Role.COMMITTEE, username="committee1")
    item = _item(file, ItemKind.SOCIAL_SECURITY)
    client.force_login(member)
    assert client.get(_url("study", file.pk)).status_code == 200
    assert client.post(_url("item_not_applicable", item.pk), {"note": "x"}).status_code == 403


# --- EL-3: witnesses ------------------------------------------------------------------------


def _witness(**overrides):
    data = {"name": "سعد العنزي", "national_id": unique_national_id(), "phone": "0501111111",
            "statement": "أعرف حالها منذ سنوات"}
    return {**data, **overrides}


def test_el3_two_witnesses_then_the_item_is_verified(client, staff, file):
    item = _item(file, ItemKind.WITNESSES)
    client.force_login(staff["researcher"])
    assert client.get(_url("witness_add", file.pk)).status_code == 200

    bad = client.post(_url("witness_add", file.pk), _witness(national_id="1234567890"))
    assert bad.status_code == 200 and form_errors(bad, "national_id") and not Witness.objects.exists()

    first = _witness()
    assert client.post(_url("witness_add", file.pk), first).status_code == 302
    twice = client.post(_url("witness_add", file.pk), {**first, "name": "آخر"})
    assert form_errors(twice, "national_id") == [ar(errors.WITNESS_TWICE)]
    response = client.post(_url("item_verify", item.pk), {"note": ""})
    assert shown_messages(response) == [ar(errors.TWO_WITNESSES_NEEDED)]

    client.post(_url("witness_add", file.pk), _witness(name="منيرة الشمري", phone="0502222222"))
    witness = Witness.objects.get(name="سعد العنزي")
    assert (witness.phone, witness.recorded_by, witness.recorded_at) == ("+966501111111", staff["researcher"], VIEW_NOW)
    client.post(_url("item_verify", item.pk), {"note": ""})
    item.refresh_from_db()
    assert item.status == VerificationItem.Status.VERIFIED
    assert "منيرة الشمري" in client.get(_url("study", file.pk)).content.decode()


# --- EL-2: field visits ---------------------------------------------------------------------


REPORT = {"housing_type": "شقة", "housing_state": "poor", "furniture": "قديم", "observations": "رطوبة في الجدران",
          "present": "الأم وابنها", "recommendation": "eligible"}


def test_el2_visit_scheduled_nobody_home_then_report_with_a_photo(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["researcher"])
    page = client.get(_url("visit_schedule", file.pk))
    assert page.context["form"]["researcher"].value() == staff["researcher"].pk
    past = client.post(_url("visit_schedule", file.pk), {"researcher": staff["researcher"].pk,
                                                         "on": TODAY - dt.timedelta(days=1)})
    assert form_errors(past, "on") == [ar(errors.VISIT_IN_PAST)] and not FieldVisit.objects.exists()
    client.post(_url("visit_schedule", file.pk), {"researcher": staff["researcher"].pk,
                                                  "on": TODAY + dt.timedelta(days=2)})
    visit = FieldVisit.objects.get(file=file)

    response = client.post(_url("visit_nobody_home", visit.pk), {"new_date": TODAY + dt.timedelta(days=5),
                                                                 "note": "لم يفتح أحد"})
    assert response.status_code == 302
    visit.refresh_from_db()
    new_visit = visit.rescheduled_to
    assert visit.status == FieldVisit.Status.NOBODY_HOME and new_visit.scheduled_for == TODAY + dt.timedelta(days=5)

    incomplete = client.post(_url("visit_report", new_visit.pk), {"observations": "x", "photos": png_upload()})
    assert form_errors(incomplete) == [ar(errors.VISIT_REPORT_INCOMPLETE)]
    assert not Document.objects.filter(doc_type="field_visit_photo").exists()

    photos = [png_upload(), png_upload("b.png")]
    response = client.post(_url("visit_report", new_visit.pk), {**REPORT, "photos": photos})
    assert response.status_code == 302
    new_visit.refresh_from_db()
    assert (new_visit.status, new_visit.housing_state, new_visit.visited_at) == ("completed", "poor", VIEW_NOW)
    assert [p.doc_type for p in new_visit.photos.all()] == ["field_visit_photo"] * 2
    assert file.verification_items.get(kind=ItemKind.FIELD_VISIT).status == VerificationItem.Status.VERIFIED
    again = client.post(_url("visit_report", new_visit.pk), REPORT)
    assert form_errors(again) == [ar(errors.VISIT_NOT_SCHEDULED)]


def test_el2_visit_report_refuses_a_file_that_is_not_an_image(client, staff, file):
    visit = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"], on=TODAY,
                                    today=TODAY)
    client.force_login(staff["researcher"])
    response = client.post(_url("visit_report", visit.pk), {**REPORT, "photos": pdf_upload()})
    assert response.status_code == 200 and form_errors(response, "photos")
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.SCHEDULED


def test_el2_my_visits_lists_upcoming_then_past(client, staff, file, make_user):
    soon = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"],
                                   on=TODAY + dt.timedelta(days=1), today=TODAY)
    today = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"], on=TODAY,
                                    today=TODAY)
    old = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"],
                                  on=TODAY - dt.timedelta(days=3), today=TODAY - dt.timedelta(days=3))
    other = make_user(Role.RESEARCHER, username="researcher2")
    services.schedule_visit(file=file, by=staff["manager"], researcher=other, on=TODAY, today=TODAY)
    client.force_login(staff["researcher"])
    response = client.get(_url("my_visits"))
    assert list(response.context["upcoming"]) == [today, soon]
    assert list(response.context["past"]) == [old]


# --- EL-8, EL-9, IN-7: the needs study ------------------------------------------------------


def test_el8_el9_assessment_shows_the_breakdown_and_services(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["researcher"])
    page = client.get(_url("assess", file.pk))
    assert page.status_code == 200
    assert page.context["threshold"] == PolicyProfile.objects.active().income_threshold_per_member
    assert page.context["form"]["housing_poor"].value() is False  # no completed visit yet
    response = client.post(_url("assess", file.pk), {"housing_poor": "on", "notes": "حاجة ماسة"})
    assessment = NeedsAssessment.objects.get(file=file)
    assert response.status_code == 302 and response["Location"] == _url("assessment_detail", assessment.pk)
    assert assessment.housing_poor and assessment.assessed_by == staff["researcher"]
    assert file.verification_items.get(kind=ItemKind.NEEDS_ASSESSMENT).status == VerificationItem.Status.VERIFIED

    detail = client.get(_url("assessment_detail", assessment.pk))
    assert detail.status_code == 200
    rows = {r["key"]: (r["points"], r["maximum"]) for r in detail.context["score_rows"]}
    assert rows == {k: (assessment.breakdown[k], SCORE_WEIGHTS[k]) for k in SCORE_WEIGHTS}
    assert f'data-testid="score">{assessment.score}<' in detail.content.decode()
    with translation.override("ar"):
        assert [str(s) for s in detail.context["services"]] and "home_repair" in assessment.recommended_services
    assert AccessLog.objects.filter(user=staff["researcher"], object_id=str(file.pk), action="print").exists()


# --- The decision (PR, RT-1, RT-4, RT-5, IN-9) ----------------------------------------------


def _decide(client, file, **data):
    return client.post(_url("decide", file.pk), {"outcome": "accept", "reasons": "", "family_participant": "",
                                                 "family_participant_relationship": "", **data})


def test_rt1_decide_page_lists_the_problems_when_not_ready(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["manager"])
    response = client.get(_url("decide", file.pk))
    assert response.status_code == 200 and response.context["problems"]
    assert 'data-testid="decision-problems"' in response.content.decode()
    _decide(client, file)
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()


def test_pr_manager_accepts_and_the_applicant_is_notified(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    assert client.get(_url("study", file.pk)).context["problems"] == []
    response = _decide(client, file)
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE
    decision = Decision.objects.get(file=file)
    assert (decision.decided_by, decision.decided_at, decision.body) == (staff["manager"], VIEW_NOW, "manager")
    with translation.override("ar"):
        outcome = str(decision.get_outcome_display())
    assert shown_messages(response) == [ar(DECIDED % {"outcome": outcome})]


def test_rt4_rejection_without_reasons_shows_the_message_and_changes_nothing(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    response = _decide(client, file, outcome="reject", reasons="  ")
    assert response.status_code == 200 and form_errors(response, "reasons") == [ar(errors.REASONS_REQUIRED)]
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()
    assert not Notification.objects.exists()


def test_rt4_rejection_with_reasons_reaches_the_applicant(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    response = _decide(client, file, outcome="reject", reasons="الدخل يتجاوز الحد")
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == FileStatus.REJECTED
    sms = Notification.objects.get(channel="sms", object_id=str(file.decision.pk))
    assert "الدخل يتجاوز الحد" in sms.body and sms.recipient == file.mobile


def test_rt5_family_member_taking_part_is_recorded(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    _decide(client, file, family_participant="خالد محمد القحطاني", family_participant_relationship="ابن")
    decision = Decision.objects.get(file=file)
    assert (decision.family_participant, decision.family_participant_relationship) == ("خالد محمد القحطاني", "ابن")
    page = client.get(_url("study", file.pk))
    assert "خالد محمد القحطاني" in page.content.decode()


def test_pr_committee_decides_by_the_votes_of_members_present(client, staff, make_user):
    """PR (kafl): the research committee decides; the manager is told he is not the deciding body."""
    from charity.services import load_policy_profile

    load_policy_profile("kafl")
    members = [make_user(Role.COMMITTEE, username=f"c{i}") for i in range(4)]
    file = make_submitted(staff["intake"], categories=("prisoner_family",))
    _ready_for_decision(file, staff)

    client.force_login(staff["manager"])
    response = _decide(client, file)
    assert form_errors(response) == [ar(errors.NOT_THE_DECIDING_BODY)]

    client.force_login(members[0])
    page = client.get(_url("decide", file.pk))
    assert {f"present_{m.pk}" for m in members} <= set(page.context["form"].fields)
    votes = {f"present_{m.pk}": "on" for m in members[:3]}
    votes.update({f"vote_{members[0].pk}": "accept", f"vote_{members[1].pk}": "accept",
                  f"vote_{members[2].pk}": "reject", f"vote_{members[3].pk}": "reject"})  # absent: ignored
    missing = _decide(client, file, **{**votes, f"vote_{members[2].pk}": ""})
    assert missing.status_code == 200 and form_errors(missing, f"vote_{members[2].pk}")
    response = _decide(client, file, **votes)
    assert response.status_code == 302
    decision = Decision.objects.get(file=file)
    assert decision.body == "committee" and decision.decided_by == members[0]
    assert sorted(decision.votes.values_list("member__username", "vote")) == [
        ("c0", "accept"), ("c1", "accept"), ("c2", "reject")]


def test_in9_awaser_records_the_ministry_reference(client, staff):
    """IN-9 (awaser): the association decides and records the reference of its reply to the Ministry."""
    from charity.services import load_policy_profile

    load_policy_profile("awaser")
    file = make_submitted(staff["intake"], categories=("family_abroad",))
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    assert "ministry_reference" in client.get(_url("decide", file.pk)).context["form"].fields
    _decide(client, file, ministry_reference="MOFA-1447-77")
    assert Decision.objects.get(file=file).ministry_reference == "MOFA-1447-77"


# --- IN-5: applications awaiting a decision -------------------------------------------------


def test_in5_awaiting_list_shows_readiness_in_one_query(client, staff, file):
    ready = make_submitted(staff["intake"])
    _ready_for_decision(ready, staff)
    services.ensure_checklist(file)
    client.force_login(staff["manager"])
    response = client.get(_url("awaiting_decision"))
    rows = {f.pk: f.is_ready for f in response.context["page"]}
    assert rows == {file.pk: False, ready.pk: True}
    # RT-1: the list and the decision page apply the same rule.
    assert rows == {f.pk: not services.decision_problems(f) for f in response.context["page"]}
    assert f'data-file="{ready.pk}" data-ready="yes"' in response.content.decode()
    with CaptureQueriesContext(connection) as two:
        client.get(_url("awaiting_decision"))
    make_submitted(staff["intake"])
    with CaptureQueriesContext(connection) as three:
        client.get(_url("awaiting_decision"))
    assert len(three) == len(two)


def test_in5_awaiting_list_highlights_overdue_applications(client, staff, file):
    with time_machine.travel(file.decision_due_on + dt.timedelta(days=1), tick=False):
        client.force_login(staff["manager"])
        response = client.get(_url("awaiting_decision"))
    assert [f.is_overdue for f in response.context["page"]] == [True]
    assert "table-danger" in response.content.decode()


def test_awaiting_list_is_403_for_a_researcher(client, staff):
    client.force_login(staff["researcher"])
    assert client.get(_url("awaiting_decision")).status_code == 403
    assert client.get(_url("decide", 1)).status_code == 403


def test_el2_go4_the_visits_list_shows_only_visits_of_visible_files_with_its_filters(client, staff, make_user):
    """EL-2, GO-4, RT-6: every visit of the files the user may see, filtered by status and
    date; a researcher sees only the visits of files assigned to them."""
    import datetime as dt

    from beneficiaries import services as file_services
    from beneficiaries.tests.factories import NOW, TODAY, make_submitted
    from charity.roles import Role
    from eligibility import services as eligibility_services

    researcher, other = staff["researcher"], make_user(Role.RESEARCHER, username="researcher_other")
    mine, theirs = (file_services.assign_researcher(file=make_submitted(staff["intake"]), researcher=r,
                                                    by=staff["manager"], now=NOW) for r in (researcher, other))
    done = eligibility_services.schedule_visit(file=mine, by=researcher, researcher=researcher, on=TODAY, today=TODAY)
    eligibility_services.record_visit(visit=done, by=researcher, now=NOW, report={
        "housing_state": "fair", "observations": "-", "present": "الأم", "recommendation": "eligible"})
    eligibility_services.schedule_visit(file=theirs, by=other, researcher=other, on=TODAY + dt.timedelta(days=3),
                                        today=TODAY)
    url = reverse("eligibility:visits")

    client.force_login(staff["manager"])
    assert client.get(url).context["page"].paginator.count == 2
    completed = client.get(url, {"status": "completed", "scheduled_from": TODAY.isoformat(),
                                 "scheduled_to": TODAY.isoformat()})
    assert [v.pk for v in completed.context["page"]] == [done.pk]
    assert client.get(url, {"scheduled_from": (TODAY + dt.timedelta(days=1)).isoformat()}
                      ).context["page"].paginator.count == 1

    client.force_login(researcher)
    page = client.get(url)
    assert [v.file_id for v in page.context["page"]] == [mine.pk]
    assert theirs.number not in page.content.decode()

    client.force_login(staff["intake"])
    assert client.get(url).status_code == 403
