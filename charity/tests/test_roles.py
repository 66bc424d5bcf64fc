"""Roles as groups with permissions; each demo login reaches its role's home."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from charity.demo import DEMO_PASSWORD, DEMO_USERS
from charity.models import User
from charity.roles import ROLE_PERMISSIONS, Role, user_roles

pytestmark = pytest.mark.django_db


def test_migration_creates_every_role_group_with_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names
    for role in Role:
        group = Group.objects.get(name=role.value)
        assert group.permissions.exists(), role
    assert Group.objects.get(name=Role.DIRECTOR).permissions.filter(codename="view_accesslog").exists()
    assert not Group.objects.get(name=Role.INTAKE).permissions.filter(codename="view_accesslog").exists()


def test_every_named_permission_exists():
    from django.contrib.auth.models import Permission

    existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    for role, perms in ROLE_PERMISSIONS.items():
        missing = [p.lstrip("-") for p in perms if p != "*" and p.lstrip("-") not in existing]
        assert not missing, (role, missing)


def test_seed_demo_is_idempotent(profile):
    call_command("seed_demo")
    users = {u.username: u.password for u in User.objects.all()}
    call_command("seed_demo")
    assert {u.username: u.password for u in User.objects.all()} == users
    assert len(users) == len(DEMO_USERS)


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, r, *_ in DEMO_USERS])
def test_each_demo_login_reaches_its_role_home(client, profile, username, role):
    call_command("seed_demo")
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert user_roles(response.context["user"]) == [role]
    page = response.content.decode()
    assert f'data-testid="role-panel-{role.value}"' in page


def test_navigation_shows_administration_only_to_admins(client, profile, make_user):
    client.force_login(make_user(Role.MANAGER))
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(make_user(Role.ADMIN))
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_home_for_a_visitor_is_the_public_home(client, profile):
    """A visitor who is not signed in gets the public home, the staff login one click away."""
    response = client.get(reverse("home"))
    assert response.status_code == 200 and reverse("login") in response.content.decode()


def test_admin_role_runs_the_system_but_does_not_see_every_case(make_user):
    admin_user = make_user(Role.ADMIN)
    assert admin_user.has_perm("charity.change_policyprofile")
    assert admin_user.has_perm("beneficiaries.change_beneficiaryfile")
    for scope in ("beneficiaries.view_all_files", "complaints.view_all_complaints",
                  "complaints.view_referred_complaints"):
        assert not admin_user.has_perm(scope)
