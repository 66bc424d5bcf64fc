"""Proof under attack: who may open each URL of the project (RT-6, RT-10, CP-8, SAT-1, PDPL).

The tables are matrix_urls.py (ACCESS, RECORDS), the records matrix_fixtures.py, the checks
matrix_checks.py. Here, GET: a URL missing from the tables fails; anonymous visitors are sent to
the login page; a role without the permission gets 403 (or 404); a user of an allowed role who
is not connected to the record gets 404; an allowed user gets exactly 200, or the one redirect
the table declares. POSTs are in test_access_matrix_post.py.
"""

import pytest
from django.urls import reverse

from . import matrix_checks
from .matrix_checks import (
    assert_allowed,
    assert_denial_logged,
    assert_refused,
    connected,
    last_log_id,
    redirect_target,
    role_allows,
    sent_to_login,
    sign_in,
    url_names,
)
from .matrix_fixtures import FILE_SCOPE, ROLE_USERS, WORLD_USERS
from .matrix_urls import ACCESS, ARGLESS, POST_ONLY, POSTS, PUBLIC, QUERIES, RECORDS, empty

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]  # the sessions are verified by a second factor
world, shared_client, client, view_clock = (matrix_checks.world, matrix_checks.shared_client, matrix_checks.client,
                                            matrix_checks.view_clock)


# --- Every URL is in the matrix -------------------------------------------------------------


def test_every_url_is_in_the_access_matrix():
    """A URL added without a row here, or a row whose URL is gone, fails; so does a record URL
    without its record (RECORDS) or a URL without arguments listed as one."""
    names = url_names()
    assert sorted(set(names) - set(ACCESS)) == [], "URLs missing from ACCESS"
    assert sorted(set(ACCESS) - set(names)) == [], "ACCESS rows whose URL no longer exists"
    assert sorted(n for n, takes in names.items() if takes and n not in RECORDS) == [], "record URLs without RECORDS"
    assert sorted(n for n in RECORDS if not names.get(n)) == [], "RECORDS rows for URLs without arguments"
    assert sorted(set(POSTS) - set(ARGLESS)) == [], "POSTS rows for URLs that are not in ACCESS without arguments"


# --- URLs without arguments: anonymous, then one user of each role --------------------------


def _argless_request(client, world, name):
    """GET the URL (POST, with its payload, when it answers POST only)."""
    if name == "admin:*":
        return client.get(reverse("admin:index"))
    if name in POST_ONLY:
        return client.post(reverse(name), POSTS.get(name, empty)(world))
    return client.get(reverse(name), QUERIES.get(name, {}))


@pytest.mark.parametrize("name", ARGLESS)
def test_url_without_arguments_anonymous(client, world, name):
    """Public pages answer anyone; every other page sends an anonymous visitor to sign in."""
    response = _argless_request(client, world, name)
    if ACCESS[name] == PUBLIC:
        assert_allowed(response, name, None)
    else:
        assert sent_to_login(response, name), response.status_code


@pytest.mark.parametrize(("name", "user"), [pytest.param(n, u, id=f"{n}-{u}") for n in ARGLESS for u in ROLE_USERS])
def test_url_without_arguments_per_role(client, world, name, user):
    """Allowed: exactly 200 (or the declared redirect); not allowed: 403/404, never 200."""
    sign_in(client, world, user)
    response = _argless_request(client, world, name)
    if role_allows(name, user):
        assert_allowed(response, name, user)
    else:
        assert_refused(response, name, user)


# --- Record URLs ----------------------------------------------------------------------------


GET_CASES = [pytest.param(n, u, id=f"{n}-{u}") for n, rec in RECORDS.items() if rec.get
             for u in [None, *WORLD_USERS]]


def _hidden_markers(world, key) -> list[str]:
    file = world.records[key]
    return [file.number, file.head_id_number, file.head_name]


@pytest.mark.rule("RT-6", "RT-10", "CP-8")
@pytest.mark.parametrize(("name", "user"), GET_CASES)
def test_record_url_get(client, world, name, user):
    """RT-6, RT-10, CP-8: connected users see the record; an allowed role not connected to it gets
    404, and the refusal is in the access log; a role without the permission 403 (or 404);
    anonymous visitors sign in first."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    since = last_log_id()
    response = client.get(rec.url(world, name))
    if user is None and ACCESS[name] != PUBLIC:
        assert_refused(response, name, None)
    elif connected(name, user) or (user is None and ACCESS[name] == PUBLIC):
        assert_allowed(response, name, user)
        if rec.hidden and user not in FILE_SCOPE[rec.hidden]:
            page = response.content.decode()
            leaked = [m for m in _hidden_markers(world, rec.hidden) if m in page]
            assert leaked == [], f"{name} shows {user} a file outside their scope"
    else:
        scoped = role_allows(name, user)
        assert_refused(response, name, user, scoped=scoped)
        if scoped:
            assert_denial_logged(world, name, user, since)


# --- Two-factor sign-in ---------------------------------------------------------------------


SECOND_FACTOR_PAGES = {"two_factor_setup", "two_factor_verify"}
GUARDED = sorted(n for n in ACCESS if (ACCESS[n] != PUBLIC or n == "home") and n not in SECOND_FACTOR_PAGES)


def _unverified_request(client, world, name):
    """Sign the administrator in with the password alone, then ask for `name`."""
    client.force_login(world.users["admin"])
    if name in RECORDS:
        return client.get(RECORDS[name].url(world, name))
    return _argless_request(client, world, name)


@pytest.mark.parametrize("name", GUARDED)
def test_password_alone_opens_no_staff_page(client, world, name):
    """Every staff page (the admin site and the signed-in home included) sends a user signed in
    with a password alone to enter the code of the authenticator they set up."""
    response = _unverified_request(client, world, name)
    assert redirect_target(response) == "two_factor_verify", f"{name}: got {response.status_code}"


@pytest.mark.parametrize("name", sorted(n for n in ACCESS if ACCESS[n] == PUBLIC and n not in GUARDED))
def test_public_pages_ask_no_second_factor(client, world, name):
    """The public pages, signing in and out and the password reset need no second factor."""
    response = _unverified_request(client, world, name)
    assert redirect_target(response) not in SECOND_FACTOR_PAGES, f"{name}: got {response.status_code}"
