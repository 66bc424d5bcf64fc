"""What the access matrix checks, and the fixtures its two test modules share.

Allowed: exactly 200, or the redirect matrix_urls.REDIRECTS declares for that URL. Refused:
403 or 404 for a role without the permission, 404 for a user of an allowed role who is not
connected to the record, the login page for anonymous visitors (the admin site's own login page
for everyone but administrators), and for a POST also 405; never 200, never any other redirect.
A refused POST changes nothing: `snapshot` before and after, compared by `diff`.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from charity.models import AccessLog
from testdata import NOW

from .matrix_fixtures import WORLD_USERS, open_world
from .matrix_urls import ACCESS, ANY, PUBLIC, RECORDS, REDIRECTS, SIGNED_IN_REDIRECTS

VIEW_NOW = NOW + dt.timedelta(hours=1)


# --- Fixtures (each test module registers them: `world = matrix_checks.world`) -------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with open_world(django_db_blocker, tmp_path_factory.mktemp("matrix-media"), sessions_at=VIEW_NOW) as built:
        yield built


@pytest.fixture(scope="module")
def shared_client():
    return Client()


@pytest.fixture
def client(shared_client):
    """One test client for the module, signed out before each test: a new client loads the
    middleware again, and WhiteNoise then scans every static file (40 ms a test with DEBUG on)."""
    shared_client.cookies.clear()
    return shared_client


@pytest.fixture(autouse=True)
def view_clock():
    """Views read the clock: just after the world was built (TODAY)."""
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


def sign_in(client, world, user):
    """Use the user's session opened with the world (a force_login per test would cost more)."""
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[user]


# --- Who is allowed -------------------------------------------------------------------------


def role_allows(name, user) -> bool:
    allowed = ACCESS[name]
    return allowed in (PUBLIC, ANY) or (user is not None and WORLD_USERS[user] in allowed)


def connected(name, user) -> bool:
    """Whether `user` may use the record URL `name` on the world's record."""
    scope = RECORDS[name].scope
    return role_allows(name, user) and (scope is None or user in scope)


# --- Expectations ---------------------------------------------------------------------------


def login_url(name) -> str:
    return reverse("admin:login") if name == "admin:*" else reverse("login")


def sent_to_login(response, name) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_url(name))


def redirect_target(response) -> str | None:
    """The URL name a redirect goes to (None: not a redirect, or to no URL of the project)."""
    if response.status_code != 302:
        return None
    try:
        return resolve(urlsplit(response["Location"]).path).view_name
    except Resolver404:
        return None


def _shown(response) -> str:
    return f"{response.status_code} {response.get('Location', '')}".strip()


def assert_allowed(response, name, user):
    """Exactly 200, or the redirect the URL declares (REDIRECTS; SIGNED_IN_REDIRECTS when signed in)."""
    target = REDIRECTS.get(name) or (SIGNED_IN_REDIRECTS.get(name) if user is not None else None)
    if target is None:
        assert response.status_code == 200, f"{user} may use {name}: got {_shown(response)}"
    else:
        assert redirect_target(response) == target, f"{name} must redirect to {target}: got {_shown(response)}"


def assert_accepted(response, name, user):
    """A connected user's POST is let through: its page (with the form's errors, if any) or a
    redirect elsewhere than to the login page. Whether it acted is the snapshot's business."""
    assert response.status_code == 200 or (response.status_code == 302 and not sent_to_login(response, name)), (
        f"{user} may post to {name}: got {_shown(response)}")


def assert_refused(response, name, user, *, scoped=False, post=False):
    """See the module docstring: 403/404 (404 alone when `scoped`), the login page for
    anonymous visitors and on the admin site, and 405 for a POST; nothing else."""
    status, method_refused = response.status_code, post and response.status_code == 405
    who = user or "anonymous"
    if user is None or name == "admin:*":
        assert sent_to_login(response, name) or method_refused, f"{who} on {name}: got {_shown(response)}"
    elif scoped:
        assert status == 404 or method_refused, f"{who} is not connected to {name}: got {_shown(response)}"
    else:
        assert status in (403, 404) or method_refused, f"{who} may not use {name}: got {_shown(response)}"


# --- A refusal by scope is logged -----------------------------------------------------------


def last_log_id() -> int:
    return AccessLog.objects.aggregate(last=models.Max("pk"))["last"] or 0


def assert_denial_logged(world, name, user, since: int):
    """A user of an allowed role refused a record outside their scope leaves one «denied» row in
    the access log: who, which record, from which address (the test client's)."""
    from django.contrib.contenttypes.models import ContentType

    record = world.records[RECORDS[name].record]
    rows = [(r.user_id, r.content_type_id, r.object_id, r.ip_address)
            for r in AccessLog.objects.filter(pk__gt=since, outcome=AccessLog.Outcome.DENIED)]
    expected = (world.users[user].pk, ContentType.objects.get_for_model(record, for_concrete_model=False).pk,
                str(record.pk), "127.0.0.1")
    assert rows == [expected], f"{user} refused {name}: denied rows {rows}, expected {[expected]}"


# --- Nothing changed ------------------------------------------------------------------------


def _tables() -> list[tuple[str, str | None]]:
    """(table, integer primary key column or None) of every installed model, history included."""
    integer = (models.AutoField, models.BigAutoField, models.SmallAutoField)
    return sorted({(m._meta.db_table, m._meta.pk.column if isinstance(m._meta.pk, integer) else None)
                   for m in apps.get_models(include_auto_created=True)})


def _snapshot_sql() -> tuple[str, list[str]]:
    # Table and column names come from the models, never from input: one round trip for all.
    quote, columns, labels = connection.ops.quote_name, [], []
    for table, pk in _tables():
        if table == AccessLog._meta.db_table:
            # A refusal writes its own «denied» row (charity.audit): only granted rows count here.
            columns.append(f"(SELECT COUNT(*) FROM {quote(table)} WHERE outcome = '{AccessLog.Outcome.GRANTED}')")  # noqa: S608
            labels.append(f"{table} granted rows")
            continue
        columns.append(f"(SELECT COUNT(*) FROM {quote(table)})")  # noqa: S608
        labels.append(f"{table} rows")
        if pk:
            columns.append(f"(SELECT MAX({quote(pk)}) FROM {quote(table)})")  # noqa: S608
            labels.append(f"{table} max id")
    return "SELECT " + ", ".join(columns), labels


def snapshot(*records) -> dict:
    """Rows and highest id per table of every installed model (history tables included; of the
    access log, the granted rows alone), the given records' own field values, and the files
    stored under MEDIA_ROOT."""
    from django.forms.models import model_to_dict

    sql, labels = _snapshot_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(labels, cursor.fetchone(), strict=True))
    rows = {}
    for record in records:
        fresh = type(record)._default_manager.get(pk=record.pk)
        rows[f"{record._meta.label}:{record.pk}"] = {k: str(v) for k, v in model_to_dict(fresh).items()}
    media = Path(settings.MEDIA_ROOT)
    stored = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return {"counts": counts, "records": rows, "media": stored}


def diff(before: dict, after: dict) -> dict:
    """What differs between two snapshots, for a readable assertion message."""
    changed = {t: (before["counts"][t], after["counts"][t]) for t in before["counts"]
               if before["counts"][t] != after["counts"][t]}
    for key, fields in before["records"].items():
        changed.update({f"{key}.{k}": (v, after["records"][key].get(k)) for k, v in fields.items()
                        if after["records"][key].get(k) != v})
    if before["media"] != after["media"]:
        changed["media"] = sorted(set(after["media"]) ^ set(before["media"]))
    return changed


def watched(world, name) -> list:
    """The record a record URL names, and its file: their fields must not change on refusal."""
    record = world.records[RECORDS[name].record]
    file = getattr(record, "file", None) if not hasattr(record, "head_id_number") else None
    return [r for r in (record, file) if r is not None]


# --- Every URL of the project ---------------------------------------------------------------


def url_names() -> dict[str, bool]:
    """Every URL name of the project -> whether its pattern takes arguments; "admin:*" for the admin site."""
    names = {}

    def walk(patterns, namespace, has_args):
        for pattern in patterns:
            takes = has_args or bool(pattern.pattern.converters) or bool(pattern.pattern.regex.groups)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                if inner == "admin":
                    names["admin:*"] = False
                    continue
                walk(pattern.url_patterns, inner, takes)
            elif isinstance(pattern, URLPattern):
                name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else str(pattern.pattern)
                names[name] = takes

    walk(get_resolver().url_patterns, "", False)
    return names
