"""Denied access is logged (charity.audit.get_in_scope): a 404 from a record scope writes an
access-log row with who asked, for what, when and from which address (the real client's, behind
the proxy), and the administrator reviews those rows with the PDPL access log in the admin.
Every scoped record URL of the project is checked the same way by the access matrix."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import BeneficiaryFile
from charity.models import AccessLog
from testdata import make_draft

pytestmark = pytest.mark.django_db

BEHIND_NGINX = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.20"}


@pytest.fixture
def draft(staff):
    return make_draft(staff["intake"])


@pytest.mark.rule("RT-6", "RT-10")
def test_a_member_of_staff_not_connected_to_the_file_gets_404_and_a_denied_row(client, settings, staff, draft):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    outsider = staff["intake2"]
    client.force_login(outsider)
    url = reverse("beneficiaries:file_detail", args=[draft.pk])
    response = client.get(url, **BEHIND_NGINX)
    assert response.status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.user, entry.outcome, entry.action) == (outsider, AccessLog.Outcome.DENIED, AccessLog.Action.VIEW)
    assert entry.content_type == ContentType.objects.get_for_model(BeneficiaryFile)
    assert (entry.object_id, entry.path, entry.ip_address) == (str(draft.pk), url, "203.0.113.20")
    assert abs(timezone.now() - entry.at) < dt.timedelta(minutes=5) and "(denied)" in str(entry)


def test_a_refused_post_is_logged_too_and_changes_nothing(client, staff, draft):
    client.force_login(staff["intake2"])
    url = reverse("beneficiaries:document_upload", args=[draft.pk])
    assert client.post(url, {"doc_type": "other"}, REMOTE_ADDR="198.51.100.4").status_code == 404
    assert list(AccessLog.objects.values_list("user__username", "outcome", "object_id", "ip_address")) == [
        ("intake2", "denied", str(draft.pk), "198.51.100.4")]
    assert not draft.documents.exists()


def test_a_record_that_does_not_exist_is_a_plain_404_without_a_row(client, staff, draft):
    client.force_login(staff["intake2"])
    assert client.get(reverse("beneficiaries:file_detail", args=[draft.pk + 1000])).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_connected_member_of_staff_is_granted_and_logged_as_granted(client, staff, draft):
    client.force_login(staff["intake"])
    assert client.get(reverse("beneficiaries:file_detail", args=[draft.pk])).status_code == 200
    assert list(AccessLog.objects.values_list("outcome", flat=True)) == [AccessLog.Outcome.GRANTED]


def test_the_admin_filters_the_access_log_to_the_denied_rows(client, staff, draft):
    client.force_login(staff["intake"])
    client.get(reverse("beneficiaries:file_detail", args=[draft.pk]), REMOTE_ADDR="192.0.2.10")
    client.force_login(staff["intake2"])
    client.get(reverse("beneficiaries:file_detail", args=[draft.pk]), REMOTE_ADDR="203.0.113.20")
    client.force_login(staff["admin"])
    changelist = reverse("admin:charity_accesslog_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and "outcome__exact=denied" in page.content.decode()
    denied = client.get(changelist, {"outcome__exact": "denied"})
    assert denied.status_code == 200
    assert [e.ip_address for e in denied.context["cl"].result_list] == ["203.0.113.20"]
