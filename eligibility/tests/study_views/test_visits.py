"""EL-2, GO-4: field visits through the views (schedule, nobody home, report, lists)."""

import datetime as dt

import pytest
from django.urls import reverse

from beneficiaries import services as file_services
from beneficiaries.models import Document
from charity.roles import Role
from eligibility import errors, services
from eligibility.models import FieldVisit, VerificationItem
from eligibility.policy import ItemKind
from testdata import NOW, TODAY, make_submitted, pdf_upload, png_upload

from .helpers import VIEW_NOW, ar, form_errors, page_url

pytestmark = pytest.mark.django_db


REPORT = {"housing_type": "شقة", "housing_state": "poor", "furniture": "قديم", "observations": "رطوبة في الجدران",
          "present": "الأم وابنها", "recommendation": "eligible"}


@pytest.mark.rule("EL-2")
def test_el2_visit_scheduled_nobody_home_then_report_with_a_photo(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["researcher"])
    page = client.get(page_url("visit_schedule", file.pk))
    assert page.context["form"]["researcher"].value() == staff["researcher"].pk
    past = client.post(page_url("visit_schedule", file.pk), {"researcher": staff["researcher"].pk,
                                                         "on": TODAY - dt.timedelta(days=1)})
    assert form_errors(past, "on") == [ar(errors.VISIT_IN_PAST)] and not FieldVisit.objects.exists()
    client.post(page_url("visit_schedule", file.pk), {"researcher": staff["researcher"].pk,
                                                  "on": TODAY + dt.timedelta(days=2)})
    visit = FieldVisit.objects.get(file=file)

    response = client.post(page_url("visit_nobody_home", visit.pk), {"new_date": TODAY + dt.timedelta(days=5),
                                                                 "note": "لم يفتح أحد"})
    assert response.status_code == 302
    visit.refresh_from_db()
    new_visit = visit.rescheduled_to
    assert visit.status == FieldVisit.Status.NOBODY_HOME and new_visit.scheduled_for == TODAY + dt.timedelta(days=5)

    incomplete = client.post(page_url("visit_report", new_visit.pk), {"observations": "x", "photos": png_upload()})
    assert form_errors(incomplete) == [ar(errors.VISIT_REPORT_INCOMPLETE)]
    assert not Document.objects.filter(doc_type="field_visit_photo").exists()

    photos = [png_upload(), png_upload("b.png")]
    response = client.post(page_url("visit_report", new_visit.pk), {**REPORT, "photos": photos})
    assert response.status_code == 302
    new_visit.refresh_from_db()
    assert (new_visit.status, new_visit.housing_state, new_visit.visited_at) == ("completed", "poor", VIEW_NOW)
    assert [p.doc_type for p in new_visit.photos.all()] == ["field_visit_photo"] * 2
    assert file.verification_items.get(kind=ItemKind.FIELD_VISIT).status == VerificationItem.Status.VERIFIED
    again = client.post(page_url("visit_report", new_visit.pk), REPORT)
    assert form_errors(again) == [ar(errors.VISIT_NOT_SCHEDULED)]


@pytest.mark.rule("EL-2")
def test_el2_visit_report_refuses_a_file_that_is_not_an_image(client, staff, file):
    visit = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"], on=TODAY,
                                    today=TODAY)
    client.force_login(staff["researcher"])
    response = client.post(page_url("visit_report", visit.pk), {**REPORT, "photos": pdf_upload()})
    assert response.status_code == 200 and form_errors(response, "photos")
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.SCHEDULED


@pytest.mark.rule("EL-2")
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
    response = client.get(page_url("my_visits"))
    assert list(response.context["upcoming"]) == [today, soon]
    assert list(response.context["past"]) == [old]


@pytest.mark.rule("EL-2", "GO-4", "RT-6")
def test_el2_go4_the_visits_list_shows_only_visits_of_visible_files_with_its_filters(client, staff, make_user):
    """EL-2, GO-4, RT-6: every visit of the files the user may see, filtered by status and
    date; a researcher sees only the visits of files assigned to them."""
    researcher, other = staff["researcher"], make_user(Role.RESEARCHER, username="researcher_other")
    mine, theirs = (file_services.assign_researcher(file=make_submitted(staff["intake"]), researcher=r,
                                                    by=staff["manager"], now=NOW) for r in (researcher, other))
    done = services.schedule_visit(file=mine, by=researcher, researcher=researcher, on=TODAY, today=TODAY)
    services.record_visit(visit=done, by=researcher, now=NOW, report={
        "housing_state": "fair", "observations": "-", "present": "الأم", "recommendation": "eligible"})
    services.schedule_visit(file=theirs, by=other, researcher=other, on=TODAY + dt.timedelta(days=3),
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
