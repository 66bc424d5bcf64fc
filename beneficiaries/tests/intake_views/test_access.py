"""Who reaches the intake pages and the drafts (RT-6, RT-10); every page shown is logged."""


import pytest
from django.urls import reverse

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.intake import STEPS
from charity.models import AccessLog
from charity.roles import Role
from testdata import make_draft, make_submitted

from .helpers import contact_data, start_data, step_url

pytestmark = pytest.mark.django_db


def test_start_needs_register_permission(client, make_user, profile):
    client.force_login(make_user(Role.COMMITTEE))
    assert client.get(reverse("beneficiaries:intake_start")).status_code == 403
    assert client.post(reverse("beneficiaries:intake_start"), start_data()).status_code == 403
    assert not BeneficiaryFile.objects.exists()


@pytest.mark.rule("RT-6", "RT-10")
def test_steps_of_another_users_draft_are_404(client, make_user, intake, profile):
    """RT-6, RT-10: intake staff see only the drafts they registered."""
    file = make_draft(intake)
    client.force_login(make_user(Role.INTAKE, username="colleague"))
    for step in STEPS:
        assert client.get(step_url(file, step)).status_code == 404
    assert client.post(step_url(file, "contact"), contact_data(file, city="جدة")).status_code == 404
    assert client.get(reverse("beneficiaries:declaration_pdf", args=[file.pk])).status_code == 404
    file.refresh_from_db()
    assert file.city == "الرياض"


def test_step_view_is_logged_and_unknown_step_is_404(desk, intake):
    file = make_draft(intake)
    desk.get(step_url(file, "household"))
    assert AccessLog.objects.filter(object_id=str(file.pk), action="view", user=intake).count() == 1
    assert desk.get(step_url(file, "nonsense")).status_code == 404


def test_submitted_file_steps_redirect_to_its_page(desk, intake):
    file = make_submitted(intake)
    response = desk.get(step_url(file, "contact"))
    assert response.status_code == 302 and response["Location"] == reverse("beneficiaries:file_detail", args=[file.pk])


def test_drafts_lists_only_own_open_drafts(desk, intake, make_user):
    mine = make_draft(intake)
    submitted = make_submitted(intake)
    theirs = make_draft(make_user(Role.INTAKE, username="other"))
    page = desk.get(reverse("beneficiaries:intake_drafts")).content.decode()
    assert mine.number in page and submitted.number not in page and theirs.number not in page
