"""Staff accounts and groups in Django admin: nobody grants what they do not hold, and superuser
status comes only from the command line (logged). Each test POSTs through the real admin form,
as a forged request would."""

import logging

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from charity.admin_users import NOT_GRANTABLE
from charity.models import User
from charity.roles import Role

pytestmark = pytest.mark.django_db


def _form_data(response) -> dict:
    """What the admin change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value, widget = bound.value(), bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def _post_change(client, actor, url, **changes):
    client.force_login(actor)
    page = client.get(url)
    assert page.status_code == 200
    data = {**_form_data(page), **changes}
    return client.post(url, data)


def _user_url(user) -> str:
    return reverse("admin:charity_user_change", args=[user.pk])


def _group(role) -> Group:
    return Group.objects.get(name=Role(role).value)


def _perm(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_admin_form_never_makes_a_superuser(client, staff, make_user):
    admin_user = staff["admin"]
    _post_change(client, admin_user, _user_url(admin_user), is_superuser="on")
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    # Not even a superuser sets it through the form: only `createsuperuser` does.
    root = make_user(username="root", is_superuser=True, is_staff=True)
    other = staff["intake"]
    _post_change(client, root, _user_url(other), is_superuser="on")
    other.refresh_from_db()
    assert not other.is_superuser


def test_admin_cannot_grant_a_role_it_does_not_hold(client, staff):
    admin_user, intake = staff["admin"], staff["intake"]
    director = _group(Role.DIRECTOR)
    for target in (intake, admin_user):
        groups = [str(g.pk) for g in target.groups.all()] + [str(director.pk)]
        response = _post_change(client, admin_user, _user_url(target), groups=groups)
        assert response.status_code == 200 and str(NOT_GRANTABLE) in str(response.context["adminform"].form.errors)
        assert not target.groups.filter(pk=director.pk).exists()


def test_admin_cannot_grant_a_permission_it_does_not_hold(client, staff):
    admin_user = staff["admin"]
    for label in ("beneficiaries.view_all_files", "complaints.view_all_complaints"):
        response = _post_change(client, admin_user, _user_url(admin_user), user_permissions=[str(_perm(label).pk)])
        assert response.status_code == 200
        assert not User.objects.get(pk=admin_user.pk).has_perm(label)


def test_admin_offers_and_grants_only_what_it_holds(client, staff):
    admin_user, intake = staff["admin"], staff["intake"]
    client.force_login(admin_user)
    form = client.get(_user_url(intake)).context["adminform"].form
    groups = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert {Role.RESEARCHER.value, Role.INTAKE.value, Role.ADMIN.value} <= groups
    assert not groups & {Role.DIRECTOR.value, Role.MANAGER.value, Role.INVESTIGATION.value, Role.COMMITTEE.value}
    permissions = form.fields["user_permissions"].queryset
    assert not permissions.filter(pk=_perm("beneficiaries.view_all_files").pk).exists()
    # What the admin holds, it may give.
    researcher = _group(Role.RESEARCHER)
    response = _post_change(client, admin_user, _user_url(intake),
                            groups=[str(g.pk) for g in intake.groups.all()] + [str(researcher.pk)])
    assert response.status_code == 302 and intake.groups.filter(pk=researcher.pk).exists()


def test_an_account_holding_more_is_read_only_to_the_admin(client, staff, make_user):
    admin_user, director = staff["admin"], staff["director"]
    client.force_login(admin_user)
    assert client.post(reverse("admin:auth_user_password_change", args=[director.pk]),
                       {"password1": "new-pass-12345-x", "password2": "new-pass-12345-x"}).status_code == 403
    response = client.post(_user_url(director), {"username": director.username, "email": "me@attacker.example"})
    assert response.status_code == 403
    director.refresh_from_db()
    assert director.email != "me@attacker.example" and director.check_password("correct-horse-battery")
    root = make_user(username="root", is_superuser=True, is_staff=True)
    assert client.post(reverse("admin:auth_user_password_change", args=[root.pk]),
                       {"password1": "new-pass-12345-x", "password2": "new-pass-12345-x"}).status_code == 403


def test_group_permissions_only_from_what_the_admin_holds(client, staff):
    admin_user = staff["admin"]
    admin_group = _group(Role.ADMIN)
    url = reverse("admin:auth_group_change", args=[admin_group.pk])
    wanted = [str(pk) for pk in admin_group.permissions.values_list("pk", flat=True)]
    forged = str(_perm("beneficiaries.view_all_files").pk)
    response = _post_change(client, admin_user, url, permissions=[*wanted, forged])
    assert response.status_code == 200 and str(NOT_GRANTABLE) in str(response.context["adminform"].form.errors)
    assert not admin_group.permissions.filter(codename="view_all_files").exists()
    # A role holding what the admin lacks is not the admin's to change.
    director_group = _group(Role.DIRECTOR)
    director_url = reverse("admin:auth_group_change", args=[director_group.pk])
    assert client.post(director_url, {"name": "x", "permissions": wanted}).status_code == 403
    director_group.refresh_from_db()
    assert director_group.name == Role.DIRECTOR.value


def test_createsuperuser_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="charity.security"):
        call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)
    records = [r for r in caplog.records if r.name == "charity.security"]
    assert len(records) == 1 and "root" in records[0].getMessage() and "superuser" in records[0].getMessage()
    caplog.clear()
    User.objects.get(username="root").save()  # saving it again is no new grant
    assert not [r for r in caplog.records if r.name == "charity.security"]
