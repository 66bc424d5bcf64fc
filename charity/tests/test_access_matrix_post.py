"""Proof under attack: who may POST to each URL of the project (RT-6, RT-10, CP-8, SAT-1, PDPL).

Every URL that is not public, with and without arguments, is POSTed by everyone it refuses:
anonymous visitors, every role without the permission, and (for record URLs) every user of an
allowed role who is not connected to the record. The answer must be a refusal (403/404/405, or
the login page for anonymous visitors) and the database, the record, the stored files and the
after-commit queue must be as before. The same payloads from a connected user are accepted and
change something, so the refusals are refusals of a real change. Tables: matrix_urls.py.
"""

import pytest
from django.urls import reverse

from . import matrix_checks
from .matrix_checks import (
    assert_accepted,
    assert_denial_logged,
    assert_refused,
    connected,
    diff,
    last_log_id,
    role_allows,
    sign_in,
    snapshot,
    watched,
)
from .matrix_fixtures import ROLE_USERS, WORLD_USERS
from .matrix_urls import ACCESS, ARGLESS, POSTS, PUBLIC, RECORDS, empty

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]  # the sessions are verified by a second factor
world, shared_client, client, view_clock = (matrix_checks.world, matrix_checks.shared_client, matrix_checks.client,
                                            matrix_checks.view_clock)
PREFERRED = ["researcher_a", "intake_a", "manager", "director_a", "committee", "investigation", "board_chair", "admin"]


def _argless_url(name) -> str:
    return reverse("admin:index") if name == "admin:*" else reverse(name)


def _refused_post(client, url, payload, records, capture):
    """POST and return the response and what changed (an empty dict: nothing)."""
    before = snapshot(*records)
    with capture() as queued:
        response = client.post(url, payload)
    changed = diff(before, snapshot(*records))
    if queued:
        changed["queued after commit"] = len(queued)
    return response, changed


# --- URLs without arguments -----------------------------------------------------------------


ARGLESS_POST_CASES = [pytest.param(n, u, id=f"{n}-{u}") for n in ARGLESS if ACCESS[n] != PUBLIC
                      for u in [None, *ROLE_USERS] if not role_allows(n, u)]


@pytest.mark.parametrize(("name", "user"), ARGLESS_POST_CASES)
def test_url_without_arguments_refused_post_changes_nothing(client, world, django_capture_on_commit_callbacks,
                                                            name, user):
    """A creation page's payload (an empty POST elsewhere) from anyone not allowed is refused,
    and no row, stored file or after-commit task appears."""
    sign_in(client, world, user)
    response, changed = _refused_post(client, _argless_url(name), POSTS.get(name, empty)(world), [],
                                      django_capture_on_commit_callbacks)
    assert_refused(response, name, user, post=True)
    assert changed == {}


ARGLESS_PROOF_CASES = [pytest.param(n, next(u for u in PREFERRED if role_allows(n, u)), id=n) for n in POSTS]


@pytest.mark.parametrize(("name", "user"), ARGLESS_PROOF_CASES)
def test_url_without_arguments_allowed_post_acts(client, world, name, user):
    """The same payload from a user of an allowed role creates something."""
    sign_in(client, world, user)
    before = snapshot()
    response = client.post(_argless_url(name), POSTS[name](world))
    assert_accepted(response, name, user)
    assert diff(before, snapshot()) != {}, f"{name}: the payload created nothing"


# --- Record URLs ----------------------------------------------------------------------------


RECORD_POST_CASES = [pytest.param(n, u, id=f"{n}-{u}") for n in RECORDS if ACCESS[n] != PUBLIC
                     for u in [None, *WORLD_USERS] if not connected(n, u)]


@pytest.mark.rule("RT-6", "RT-10", "CP-8")
@pytest.mark.parametrize(("name", "user"), RECORD_POST_CASES)
def test_record_url_unauthorised_post_changes_nothing(client, world, django_capture_on_commit_callbacks, name,
                                                     user):
    """A POST by anyone not allowed (wrong role: 403; allowed role, not connected: 404, its
    refusal in the access log; anonymous: to the login page; a page that takes no POST may say
    405) changes no row, no record field and no stored file, and queues nothing to run after the
    commit."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    since = last_log_id()
    response, changed = _refused_post(client, rec.url(world, name), (rec.post or empty)(world),
                                      watched(world, name), django_capture_on_commit_callbacks)
    scoped = user is not None and role_allows(name, user)
    assert_refused(response, name, user, scoped=scoped, post=True)
    assert changed == {}
    if scoped and response.status_code == 404:
        assert_denial_logged(world, name, user, since)


PROOF_CASES = [pytest.param(n, next(u for u in PREFERRED if connected(n, u)), id=n)
               for n, rec in RECORDS.items() if rec.post and ACCESS[n] != PUBLIC]


@pytest.mark.parametrize(("name", "user"), PROOF_CASES)
def test_record_url_connected_post_is_accepted(client, world, name, user):
    """The same payload from a connected user is let through — and, where the record's state
    allows it, acts — so the refusals above are refusals of a real change."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    if rec.prepare:
        rec.prepare(world)
    before = snapshot(*watched(world, name))
    response = client.post(rec.url(world, name), rec.post(world))
    assert_accepted(response, name, user)
    assert diff(before, snapshot(*watched(world, name))) != {}, f"{name}: the payload changed nothing"


def test_survey_link_with_a_forged_token_is_404_and_changes_nothing(client, world):
    """SAT-1: the token is the credential: a forged one shows nothing and records nothing."""
    forged = reverse("survey:answer", kwargs={"token": "x" * len(world.survey_token)})
    before = snapshot(world.survey)
    assert client.get(forged).status_code == 404
    assert client.post(forged, RECORDS["survey:answer"].post(world)).status_code == 404
    assert diff(before, snapshot(world.survey)) == {}
