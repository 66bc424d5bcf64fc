"""Staff pages of data-subject requests (PDPL): permissions, the 30-day list, export, actions."""

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile
from charity.models import AccessLog
from charity.roles import Role
from privacy import services, urls
from privacy.models import DataSubjectRequest, DestroyedDocument, RetentionLog
from privacy.policy import RequestKind, RequestStatus, RetentionRule
from testdata import NOW, TODAY, national_id

from .factories import household, make_request

pytestmark = pytest.mark.django_db
LIST_URL = "/privacy/"


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


def urls_of(dsr) -> list[tuple[str, str]]:
    return [("get", LIST_URL), ("get", reverse("privacy:request_create")), ("get", dsr.get_absolute_url()),
            ("post", reverse("privacy:prepare_export", args=[dsr.pk])),
            ("get", reverse("privacy:export_download", args=[dsr.pk])),
            ("post", reverse("privacy:complete", args=[dsr.pk])), ("post", reverse("privacy:refuse", args=[dsr.pk])),
            ("get", reverse("privacy:retention_log"))]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.RESEARCHER, Role.INTAKE, Role.COMMITTEE, Role.INVESTIGATION])
def test_pdpl_staff_without_the_permission_get_403_everywhere(client, make_user, handler, role):
    dsr = make_request(handler, national_id("1", 11))
    client.force_login(make_user(role, username="someone"))
    for method, url in urls_of(dsr):
        assert getattr(client, method)(url).status_code == 403, url
    assert DataSubjectRequest.objects.get().status == RequestStatus.OPEN


def test_pdpl_the_list_shows_days_left_and_highlights_overdue_requests(client, handler):
    make_request(handler, national_id("1", 12), received_on=TODAY - dt.timedelta(days=10))
    late = make_request(handler, national_id("1", 13), received_on=TODAY - dt.timedelta(days=31))
    client.force_login(handler)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert late.due_on == TODAY - dt.timedelta(days=1)
    assert html.count('data-testid="request-row" class="table-danger"') == 1
    assert 'data-testid="overdue-alert"' in html and "طلب واحد تجاوز موعد الرد." in html
    # The limit is said with the policy's number (RESPONSE_DAYS), on the page and the form.
    assert "ويُرد على كل طلب خلال 30 يومًا من استلامه." in html
    from privacy.forms import RequestForm

    assert RequestForm().fields["received_on"].help_text == "يجب الرد خلال 30 يومًا من هذا التاريخ."
    assert [r.days_left for r in response.context["page"].object_list] == [-1, 20]
    assert len(client.get(LIST_URL, {"show": "overdue"}).context["page"].object_list) == 1


def test_pdpl_a_new_request_is_recorded_with_its_due_date(client, handler):
    client.force_login(handler)
    response = client.post(reverse("privacy:request_create"), {
        "kind": RequestKind.CORRECTION, "national_id": national_id("1", 14), "requester_name": "هند علي سالم",
        "contact": "0551234567", "details": "تاريخ الميلاد خطأ", "received_on": TODAY.isoformat()})
    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response.url == dsr.get_absolute_url()
    assert dsr.due_on == TODAY + dt.timedelta(days=30) and dsr.recorded_by == handler


def test_pdpl_a_request_with_a_bad_identity_number_shows_the_error_and_saves_nothing(client, handler):
    client.force_login(handler)
    response = client.post(reverse("privacy:request_create"), {
        "kind": RequestKind.ACCESS, "national_id": "1000000000", "requester_name": "هند علي سالم",
        "contact": "0551234567", "received_on": TODAY.isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["national_id"]
    assert not DataSubjectRequest.objects.exists()


def test_pdpl_the_request_page_is_logged(client, handler):
    dsr = make_request(handler, national_id("1", 15))
    client.force_login(handler)
    assert client.get(dsr.get_absolute_url()).status_code == 200
    log = AccessLog.objects.get(content_type=ContentType.objects.get_for_model(dsr))
    assert (log.user, log.action, log.object_id) == (handler, AccessLog.Action.VIEW, str(dsr.pk))


def test_pdpl_the_export_is_prepared_downloaded_and_logged_as_an_export(client, manager, handler):
    file, head, _ = household(manager)
    dsr = make_request(handler, head.id_number)
    client.force_login(handler)
    response = client.post(reverse("privacy:prepare_export", args=[dsr.pk]))
    assert response.status_code == 302
    response = client.get(reverse("privacy:export_download", args=[dsr.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("data.json"))
    assert data["sections"]["files"]["rows"][0]["number"] == file.number
    exported = set(AccessLog.objects.filter(action=AccessLog.Action.EXPORT, user=handler).values_list(
        "content_type__model", "object_id"))
    assert exported == {("datasubjectrequest", str(dsr.pk)), ("beneficiaryfile", str(file.pk))}


@pytest.mark.rule("RT-10")
def test_rt10_the_admin_role_handles_requests_but_never_opens_an_export(client, make_user, manager, handler):
    _file, head, _ = household(manager)
    dsr = services.prepare_export(request=make_request(handler, head.id_number), by=handler, now=NOW)
    sysadmin = make_user(Role.ADMIN, username="sysadmin")
    assert sysadmin.has_perm("privacy.handle_requests")  # "*" in the roles table
    client.force_login(sysadmin)
    assert client.get(dsr.get_absolute_url()).status_code == 200
    assert client.get(reverse("privacy:export_download", args=[dsr.pk])).status_code == 403
    assert client.post(reverse("privacy:prepare_export", args=[dsr.pk])).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_pdpl_a_correction_is_completed_from_the_page_with_the_change_linked(client, manager, handler):
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        file, head, sons = household(manager)
    dsr = make_request(handler, head.id_number, kind=RequestKind.CORRECTION)
    file_services.save_member(file=file, member=sons[0], data={"first_name": "خالدٌ"})
    client.force_login(handler)
    page = client.get(dsr.get_absolute_url())
    [complete] = [f for f in page.context["action_forms"] if f.url_name == "complete"]
    value = complete.fields["correction"].choices[1][0]

    response = client.post(reverse("privacy:complete", args=[dsr.pk]), {"outcome": ""})
    assert response.status_code == 400 and DataSubjectRequest.objects.get().status == RequestStatus.OPEN
    response = client.post(reverse("privacy:complete", args=[dsr.pk]), {"outcome": "صُحح", "correction": value})
    assert response.status_code == 302
    dsr.refresh_from_db()
    assert (dsr.status, dsr.corrected_file_id) == (RequestStatus.COMPLETED, file.pk)
    assert file.number in client.get(dsr.get_absolute_url()).content.decode()


@pytest.mark.rule("RT-4")
def test_rt4_a_refusal_from_the_page_needs_reasons(client, handler):
    dsr = make_request(handler, national_id("1", 16), kind=RequestKind.ERASURE)
    client.force_login(handler)
    assert client.post(reverse("privacy:refuse", args=[dsr.pk]), {"reasons": ""}).status_code == 400
    assert client.post(reverse("privacy:refuse", args=[dsr.pk]), {"reasons": "ملف مفتوح"}).status_code == 302
    assert DataSubjectRequest.objects.get().status == RequestStatus.REFUSED


def test_pdpl_the_retention_log_page_lists_the_jobs_actions(client, handler):
    RetentionLog.objects.create(at=NOW, rule=RetentionRule.FILE_FINAL, action=RetentionLog.Action.ANONYMISED,
                                content_type=ContentType.objects.get_for_model(BeneficiaryFile), object_id="42")
    client.force_login(handler)
    response = client.get(reverse("privacy:retention_log"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="retention-row"') == 1


def test_pdpl_nothing_in_the_privacy_pages_deletes(client, handler):
    dsr = make_request(handler, national_id("1", 17))
    client.force_login(handler)
    for _method, url in urls_of(dsr):
        assert client.delete(url).status_code == 405, url
    assert not any("delete" in pattern.name for pattern in urls.urlpatterns)
    assert DataSubjectRequest.objects.count() == 1


def test_pdpl_the_admin_can_delete_nothing(make_user):
    superuser = make_user(username="root", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model in (DataSubjectRequest, RetentionLog, DestroyedDocument):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_change_permission(request) and not model_admin.has_add_permission(request)
