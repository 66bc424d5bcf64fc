"""2. Headers: CSP, HSTS (DEBUG off, secure request), nosniff, Referrer-Policy, no-store on
case pages (RT-10)."""

import re

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


CASE_PAGES = {  # url builder, who opens it
    "file": (lambda w: reverse("beneficiaries:file_detail", args=[w.active.pk]), "researcher_a"),
    "complaint": (lambda w: reverse("complaints:detail", args=[w.complaint.pk]), "board_chair"),
    "document": (lambda w: reverse("beneficiaries:document_download", args=[w.document.pk]), "researcher_a"),
    "attachment": (lambda w: reverse("complaints:attachment", args=[w.attachment.pk]), "board_chair"),
}
PUBLIC_PAGES = {"charter": lambda w: reverse("charter"), "complaint form": lambda w: reverse("complaints_public:file"),
                "survey": lambda w: reverse("survey:answer", args=[w.survey_token])}


def _open(client, world, where):
    if where in CASE_PAGES:
        build, user = CASE_PAGES[where]
        client.force_login(world.users[user])
        return client.get(build(world))
    return client.get(PUBLIC_PAGES[where](world))


# An inline <script> (not a JSON data block, not a file), an on…= handler or a style="" attribute.
INLINE_CODE = re.compile(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>|\son[a-z]+="|\sstyle="')


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("where", [*CASE_PAGES, *PUBLIC_PAGES])
def test_security_headers_on_case_and_public_pages(client, world, where):
    """CSP default-src 'self' with no inline or eval script; nosniff; same-origin referrer."""
    response = _open(client, world, where)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(directives.get("script-src", ["'self'"]))
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if response["Content-Type"].startswith("text/html"):  # and the page needs nothing the policy forbids
        assert INLINE_CODE.findall(response.content.decode()) == []


@pytest.mark.rule("RT-10")
@pytest.mark.parametrize("where", list(CASE_PAGES))
def test_case_pages_are_never_stored_rt10(client, world, where):
    """RT-10: no browser or proxy keeps a copy of a file, a complaint, a document or an attachment."""
    response = _open(client, world, where)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("where", ["file", "charter"])
def test_hsts_on_secure_requests_when_debug_is_off(world, where):
    """HSTS as production sets it (DEBUG off): sent on HTTPS requests, never on plain HTTP."""
    with override_settings(DEBUG=False, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                           SECURE_HSTS_PRELOAD=True, SECURE_SSL_REDIRECT=False):
        client = Client()  # a new handler: SecurityMiddleware reads the settings when it is built
        secure = client.get(reverse("charter"), secure=True) if where == "charter" else _secure_case_page(client, world)
        plain = client.get(reverse("charter"))
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in plain


def _secure_case_page(client, world):
    client.force_login(world.users["researcher_a"])
    return client.get(reverse("beneficiaries:file_detail", args=[world.active.pk]), secure=True)
