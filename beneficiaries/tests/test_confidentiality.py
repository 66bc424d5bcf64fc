"""RT-6, RT-10: who may see a file, its documents and its researcher card; every look is logged.

Anyone outside a file's scope gets 404 (never 403: the file's existence is not revealed).
"""

import re

import pytest
from django.urls import reverse

from beneficiaries import services
from charity.models import AccessLog
from charity.roles import Role
from testdata import NOW, make_active, make_draft, make_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def files(profile, make_user, manager):
    """A draft (intake), an application under study, and an active file with a researcher."""
    intake = make_user(Role.INTAKE, username="intake")
    researcher = make_user(Role.RESEARCHER, username="researcher", job_title="باحث اجتماعي", phone="0114445566")
    draft = make_draft(intake)
    under_study = make_submitted(intake)
    active = make_active(intake)
    services.assign_researcher(file=active, researcher=researcher, by=manager, now=NOW)
    return {"intake": intake, "researcher": researcher, "draft": draft, "under_study": under_study,
            "active": active}


def file_url(file):
    return reverse("beneficiaries:file_detail", args=[file.pk])


def download_url(file):
    return reverse("beneficiaries:document_download", args=[file.documents.order_by("pk").first().pk])


def card_url(file):
    return reverse("beneficiaries:researcher_card", args=[file.pk])


def listed(client) -> set[str]:
    page = client.get(reverse("beneficiaries:file_list")).content.decode()
    return set(re.findall(r'data-testid="file-row" data-file-number="([^"]+)"', page))


@pytest.mark.rule("RT-6")
def test_researcher_sees_only_assigned_files_rt6(files, client):
    """RT-6: a researcher's list and pages hold only the files assigned to them."""
    client.force_login(files["researcher"])
    assert listed(client) == {files["active"].number}
    assert client.get(file_url(files["active"])).status_code == 200
    assert client.get(file_url(files["under_study"])).status_code == 404
    assert client.get(file_url(files["draft"])).status_code == 404


@pytest.mark.rule("RT-10")
def test_another_researcher_gets_404_on_page_download_and_card_rt10(files, make_user, client):
    """RT-10: another researcher learns nothing about the file: 404 everywhere, and the access
    log holds the refusals only."""
    other = make_user(Role.RESEARCHER)
    client.force_login(other)
    active = files["active"]
    assert client.get(file_url(active)).status_code == 404
    assert client.get(download_url(active)).status_code == 404
    assert client.get(card_url(active)).status_code == 404
    assert client.get(reverse("beneficiaries:document_upload", args=[active.pk])).status_code == 404
    assert listed(client) == set()
    assert not AccessLog.objects.filter(outcome=AccessLog.Outcome.GRANTED).exists()
    assert AccessLog.objects.filter(outcome=AccessLog.Outcome.DENIED, user=other).count() == 4


@pytest.mark.rule("RT-6")
def test_intake_sees_registered_files_until_a_researcher_is_assigned_rt6(files, manager, client):
    """RT-6: intake staff see the files they registered; once a researcher has one, 404."""
    intake = files["intake"]
    client.force_login(intake)
    assert listed(client) == {files["draft"].number, files["under_study"].number}
    assert client.get(file_url(files["under_study"])).status_code == 200
    assert client.get(file_url(files["active"])).status_code == 404
    assert client.get(download_url(files["active"])).status_code == 404
    services.assign_researcher(file=files["under_study"], researcher=files["researcher"], by=manager, now=NOW)
    assert client.get(file_url(files["under_study"])).status_code == 404
    assert listed(client) == {files["draft"].number}


def test_intake_does_not_see_files_registered_by_a_colleague(files, make_user, client):
    client.force_login(make_user(Role.INTAKE))
    assert client.get(file_url(files["draft"])).status_code == 404
    assert listed(client) == set()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR])
def test_manager_and_director_see_every_file(files, make_user, client, role):
    client.force_login(make_user(role))
    assert listed(client) == {files[k].number for k in ("draft", "under_study", "active")}
    for key in ("draft", "under_study", "active"):
        assert client.get(file_url(files[key])).status_code == 200
    assert client.get(download_url(files["active"])).status_code == 200
    assert client.get(card_url(files["active"])).status_code == 200


@pytest.mark.rule("RT-6")
def test_committee_sees_applications_under_study_only(files, make_user, client):
    """RT-6: the research committee sees only the applications awaiting its decision."""
    client.force_login(make_user(Role.COMMITTEE))
    assert listed(client) == {files["under_study"].number}
    assert client.get(file_url(files["under_study"])).status_code == 200
    assert client.get(download_url(files["under_study"])).status_code == 200
    assert client.get(file_url(files["active"])).status_code == 404
    assert client.get(file_url(files["draft"])).status_code == 404


@pytest.mark.rule("RT-10")
def test_investigation_committee_sees_no_file(files, make_user, client):
    """RT-10: the investigation committee has no access to beneficiary files."""
    client.force_login(make_user(Role.INVESTIGATION))
    assert client.get(reverse("beneficiaries:file_list")).status_code == 403
    assert client.get(file_url(files["active"])).status_code == 404
    assert client.get(download_url(files["active"])).status_code == 404
    assert client.get(card_url(files["active"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_are_sent_to_login(files, client):
    for url in (file_url(files["active"]), download_url(files["active"]), card_url(files["active"])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.rule("RT-6", "RT-10")
def test_every_page_view_and_download_is_logged_rt6(files, manager, client):
    """RT-6, RT-10: one access-log row per file page view, per download and per printed card."""
    active = files["active"]
    client.force_login(files["researcher"])
    client.get(file_url(active))
    client.get(file_url(active))
    client.get(download_url(active))
    client.get(card_url(active))
    logs = AccessLog.objects.filter(user=files["researcher"])
    assert logs.filter(action=AccessLog.Action.VIEW, object_id=str(active.pk),
                       content_type__model="beneficiaryfile").count() == 2
    document = active.documents.order_by("pk").first()
    assert logs.filter(action=AccessLog.Action.DOWNLOAD, object_id=str(document.pk),
                       content_type__model="document").count() == 1
    assert logs.filter(action=AccessLog.Action.PRINT, object_id=str(active.pk)).count() == 1
    assert all(log.path and log.at for log in logs)


def test_list_views_are_not_logged(files, manager, client):
    client.force_login(manager)
    client.post(reverse("beneficiaries:file_list"), {"q": files["active"].number}, follow=True)
    assert not AccessLog.objects.exists()
