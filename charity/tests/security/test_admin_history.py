"""8. RT-6, RT-10, CP-8: the admin site's history pages keep the confidentiality scope."""


import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from charity.tests.matrix_checks import diff, snapshot

pytestmark = pytest.mark.django_db


def _scoped_history_admins() -> list[str]:
    """Admin pages with history whose list is scoped (NoDeleteHistoryAdmin, ComplaintAdmin, …)."""
    return sorted(model._meta.label_lower for model, model_admin in admin.site._registry.items()
                  if isinstance(model_admin, SimpleHistoryAdmin) and getattr(model_admin, "scope_field", "") is not None
                  and type(model_admin).get_queryset is not SimpleHistoryAdmin.get_queryset)


def _outside_scope(world, label):
    """A historical row of a record of `label` that the system administrator may not see."""
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    visible = model_admin.get_queryset(request).values("pk")
    model = model_admin.model
    if hasattr(model._meta, "simple_history_manager_attribute"):
        record = model.history.exclude(id__in=visible).order_by("history_id").first()
        if record is not None:
            return model_admin, record
    # No history kept (bulk-created rows, or a model without history): its pages must still be refused.
    record = model.objects.exclude(pk__in=visible).order_by("pk").first()
    record.id, record.history_id = record.pk, 0
    return model_admin, record


def _history_urls(model_admin, record):
    opts = model_admin.model._meta
    return (reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.id]),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[record.id, record.history_id]))


@pytest.mark.parametrize("label", _scoped_history_admins())
def test_admin_history_of_a_record_outside_the_scope_is_404(client, world, label):
    """The system administrator sees no file or complaint (roles.py): their history neither."""
    model_admin, record = _outside_scope(world, label)
    client.force_login(world.users["admin"])
    client.raise_request_exception = False  # a server error is a failure here, not a crash of the test
    for url in _history_urls(model_admin, record):
        assert client.get(url).status_code == 404, url


def _revert_data(model_admin, record, user) -> dict:
    """The admin form's data for the historical version, as the revert button would post it."""
    request = RequestFactory().get("/admin/")
    request.user = user
    form = model_admin.get_form(request, record.instance)(instance=record.instance)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is not None:
            data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else value
    return data


def _revert(client, world, key, user):
    """POST the oldest version of a world record to its history form; return the response and
    what changed."""
    target = world.records[key]
    model_admin = admin.site._registry[type(target)]
    oldest = type(target).history.filter(id=target.pk).order_by("history_id").first()
    client.force_login(user)
    before = snapshot(target)
    response = client.post(_history_urls(model_admin, oldest)[1], _revert_data(model_admin, oldest, user))
    return response, diff(before, snapshot(target))


@pytest.mark.parametrize("key", ["active", "ruled_complaint"])
def test_admin_history_revert_of_a_record_outside_the_scope_changes_nothing(client, world, key):
    """A POST to the history form would put an old version back on a record the system
    administrator may not even see."""
    response, changed = _revert(client, world, key, world.users["admin"])
    assert response.status_code in (403, 404) and changed == {}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", email="root@charity.example",
                                                      password="correct-horse-battery")


@pytest.mark.parametrize("key", ["active", "ruled_complaint", "approved_disbursement"])
def test_admin_history_form_never_reverts_a_case_record_even_for_a_superuser(client, world, superuser, key):
    """A revert sets every field, status included, by hand — around the services (a ruled
    complaint back to «received», approved aid back to «proposed»), even where the admin is
    read-only (complaints)."""
    response, changed = _revert(client, world, key, superuser)
    assert response.status_code in (403, 405) and changed == {}


def test_admin_history_pages_never_fail_with_a_server_error(client, world, superuser):
    """Every admin page with history, for a record of its model: shown or refused, never a 500."""
    client.force_login(superuser)
    client.raise_request_exception = False
    failing, unchecked = [], []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        record = model.objects.order_by("pk").first()
        if record is None:  # the world must hold a record of every model with history, or it proves nothing
            unchecked.append(model._meta.label)
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.pk])
        failing += [url] if client.get(url).status_code >= 500 else []
    assert failing == [] and unchecked == []


def test_admin_changelists_show_no_case_record_outside_the_scope(client, world):
    """Every list of the admin site, as the system administrator: no file, ID or complaint shows."""
    markers = {}
    for key in ("draft", "study", "active", "frozen", "excluded"):
        file = world.records[key]
        markers.update({f"{key} number": file.number, f"{key} ID": file.head_id_number, f"{key} head": file.head_name})
    markers.update({"complainant ID": world.complaint.national_id, "complainant": world.complaint.complainant_name,
                    "member ID": world.son.id_number})
    client.force_login(world.users["admin"])
    for model in admin.site._registry:
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.label
        page = response.content.decode()
        assert [name for name, value in markers.items() if value in page] == [], opts.label
