"""Every role's menu shows only what it may open (issue «Each association's own approved policy»,
menus): each entry of each role's menu, opened by a user of that role, answers 200 (or its
declared redirect), never 403 or 404; and intake staff, who handle no complaint, have no
«Complaints» entry and get 404 on the list (CP-8)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from charity.navigation import items_for

from . import matrix_checks
from .matrix_checks import assert_allowed, sign_in
from .matrix_fixtures import ROLE_USERS

pytestmark = pytest.mark.django_db
world, shared_client, client, view_clock = (matrix_checks.world, matrix_checks.shared_client, matrix_checks.client,
                                            matrix_checks.view_clock)
POST_ONLY = {"dashboard:export_start"}


@pytest.mark.rule("CP-8", "RT-6")
@pytest.mark.parametrize("user", [u for u in ROLE_USERS if u != "norole"])
def test_every_menu_entry_opens_for_its_role(client, world, user):
    sign_in(client, world, user)
    account = get_user_model().objects.get(pk=world.users[user].pk)
    entries = [item for item in items_for(account) if item.url_name not in POST_ONLY]
    assert entries, user
    for item in entries:
        response = client.get(item.url)
        if item.url_name == "admin:index":
            assert response.status_code == 200, (user, item.url_name)
            continue
        assert_allowed(response, item.url_name, user)


@pytest.mark.rule("CP-8")
def test_intake_staff_have_no_complaints_entry_and_get_404(client, world):
    sign_in(client, world, "intake_a")
    intake = get_user_model().objects.get(pk=world.users["intake_a"].pk)
    assert "complaints:list" not in [item.url_name for item in items_for(intake)]
    assert client.get(reverse("complaints:list")).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("complaints:list")}"' not in home
