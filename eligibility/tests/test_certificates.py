"""Exclusion certificates and decisions (SC-2…SC-12, RT-4): the download (scope, log, same bytes
every time), the PDF's content, and the public verification page (no personal data, CSRF,
rate limit)."""

import datetime as dt
import hashlib
import io
import re

import pypdf
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from charity import calendar
from charity.models import AccessLog, PolicyProfile
from charity.roles import Role
from eligibility import controls
from eligibility.certificates import format_code
from eligibility.models import Certificate
from eligibility.views import public
from testdata import NOW, TODAY, load_set_up, make_active

pytestmark = pytest.mark.django_db

VERIFY_URL = "/verify/"


def _exclude(staff, rule="SC-8", **kw) -> Certificate:
    file = make_active(staff["intake"], categories=("widow",))
    kw.setdefault("proof_note", "عقد زواج موثق")
    exclusion = controls.exclude_file(file=file, rule=rule, by=staff["manager"], today=TODAY, now=NOW,
                                      profile=PolicyProfile.objects.active(), **kw)
    return exclusion.certificate


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# --- Download ------------------------------------------------------------------------------


@pytest.mark.rule("SC-2")
def test_certificate_download_twice_returns_the_same_stored_bytes(client, staff):
    """SC-2: the certificate (مشهد) is rendered once, stored with its hash, and every download is logged."""
    certificate = _exclude(staff, rule="SC-2")
    client.force_login(staff["manager"])
    url = reverse("eligibility:certificate_download", args=[certificate.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == f'attachment; filename="{certificate.serial}.pdf"'
    assert first.content.startswith(b"%PDF-") and first.content == second.content
    certificate.refresh_from_db()
    assert certificate.sha256 == hashlib.sha256(first.content).hexdigest()
    assert certificate.pdf and certificate.rendered_at is not None
    logged = AccessLog.objects.filter(content_type=ContentType.objects.get_for_model(Certificate),
                                      object_id=str(certificate.pk), action=AccessLog.Action.DOWNLOAD,
                                      user=staff["manager"])
    assert logged.count() == 2


@pytest.mark.rule("RT-6", "RT-10")
def test_certificate_download_is_404_outside_the_users_scope(client, staff, make_user):
    """RT-6, RT-10: the certificate of a file the user may not see does not exist for them."""
    certificate = _exclude(staff)
    client.force_login(make_user(Role.RESEARCHER, username="outsider"))
    assert client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).status_code == 404
    certificate.refresh_from_db()
    assert not certificate.pdf  # nothing rendered for them
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).exists()


@pytest.mark.rule("RT-4", "SC-8")
def test_certificate_pdf_names_serial_file_code_person_and_both_dates(client, staff):
    """SC-8, RT-4: the decision states the file, the person, the rule, the proof and how to verify it.

    pypdf returns Arabic words in logical order but arranges the runs of a right-to-left line in
    visual order, so a phrase mixing Arabic and digits (the Hijri date) comes out reordered: its
    parts are checked one by one. Latin and digits (serial, file number, code) extract verbatim."""
    signatory = staff["director"]  # the executive director, who signs the decision
    certificate = _exclude(staff)
    file = certificate.exclusion.file
    client.force_login(staff["manager"])
    text = pdf_text(client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).content)
    assert certificate.serial in text and file.number in text and file.head_id_number in text
    assert format_code(certificate.verification_code) in text and "SC-8" in text
    assert file.head_name in text and "عقد زواج موثق" in text
    assert "24/11/2026" in text
    hijri = calendar.to_hijri(NOW)
    assert hijri.month_name("ar") in text and str(hijri.year) in text and f"{hijri.day}" in text
    assert signatory.get_full_name() == "فهد المطيري" and "فهد المطيري" in text
    with translation.override("ar"):
        assert pgettext("document title", "Exclusion decision") in text


@pytest.mark.rule("SC-2")
def test_sc2_certificate_pdf_has_the_certificate_title(client, staff):
    """SC-2: the document is the association's certificate (مشهد), not a decision."""
    certificate = _exclude(staff, rule="SC-2")
    client.force_login(staff["manager"])
    text = pdf_text(client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).content)
    with translation.override("ar"):
        assert pgettext("SC-2 exclusion certificate, مشهد", "Certificate") in text
        assert pgettext("document title", "Exclusion decision") not in text


@pytest.mark.rule("SC-2", "SC-8")
def test_signatory_title_is_arabic_whatever_language_the_excluding_manager_uses(client, staff):
    """SC-2, SC-8: the title printed under the signature is stored once, in the document's
    language; a manager working in English must not put «Executive director» on it."""
    staff["director"].job_title = ""
    staff["director"].save()
    with translation.override("en"):
        certificate = _exclude(staff)
    with translation.override("ar"):
        arabic = str(Role.DIRECTOR.label)
    with translation.override("en"):
        assert str(Role.DIRECTOR.label) != arabic  # the label is translated, so the test means something
    assert certificate.signatory_title == arabic
    client.force_login(staff["manager"])
    text = pdf_text(client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).content)
    assert "Executive" not in text and "فهد المطيري" in text


# --- Public verification -------------------------------------------------------------------


def _without_csrf(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


@pytest.mark.rule("RT-10", "SC-2", "SC-12")
def test_verify_a_valid_code_shows_only_validity_date_kind_and_association(client, staff, profile):
    """SC-2…SC-12: anyone can check a document; the answer holds no personal data (RT-10)."""
    certificate = _exclude(staff)
    file = certificate.exclusion.file
    typed = format_code(certificate.verification_code).lower().replace("-", " ")  # as a person might type it
    response = client.post(VERIFY_URL, {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-valid="true"' in html
    assert escape(profile.name_ar) in html and calendar.format_dual(NOW, "ar") in html
    for private in (file.head_name, file.head_id_number, file.number, "SC-8", certificate.serial,
                    certificate.verification_code, "عقد زواج"):
        assert private not in html


def test_verify_unknown_and_malformed_codes_get_the_same_answer(client, staff):
    """The page does not tell a mistyped code from an unknown one."""
    _exclude(staff)
    unknown = client.post(VERIFY_URL, {"code": "ABCD-EFGH-JKLM-NPQR-STUV"})
    malformed = client.post(VERIFY_URL, {"code": "12<script>"})
    assert unknown.status_code == malformed.status_code == 200
    assert 'data-valid="false"' in unknown.content.decode()
    assert _without_csrf(unknown.content) == _without_csrf(malformed.content)


def test_verify_keeps_answering_when_the_cache_is_down(client, staff, monkeypatch, caplog):
    """With Redis down the limit is skipped (and logged), never a server error for the public."""
    from charity import ratelimit

    certificate = _exclude(staff)

    class DownCache:
        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("the cache is down")

            return down

    monkeypatch.setattr(ratelimit, "cache", DownCache())
    for _ in range(public.RATE_LIMIT + 2):
        response = client.post(VERIFY_URL, {"code": certificate.verification_code}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 200 and b'data-valid="true"' in response.content
    assert "rate limit unavailable" in caplog.text


def test_verify_rate_limit_keeps_no_address_in_the_cache(client, staff):
    """The counter's key is an HMAC: the cache never holds the visitor's address in clear."""
    from django.core.cache import cache

    client.post(VERIFY_URL, {"code": "WRONG"}, REMOTE_ADDR="10.0.0.77")
    keys = list(cache._cache.keys())  # locmem in tests
    assert keys and not any("10.0.0.77" in k for k in keys)
    assert any(":rate:verify-certificate:" in k for k in keys)

def test_verify_ignores_a_code_in_the_url(client, staff):
    """Codes stay out of URLs: a GET only shows the form."""
    certificate = _exclude(staff)
    response = client.get(VERIFY_URL, {"code": certificate.verification_code})
    assert response.status_code == 200
    assert b"data-valid" not in response.content and b'data-testid="verify-form"' in response.content


def test_verify_needs_the_csrf_token(staff):
    certificate = _exclude(staff)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(VERIFY_URL, {"code": certificate.verification_code}).status_code == 403
    page = strict.get(VERIFY_URL)
    token = page.cookies["csrftoken"].value
    response = strict.post(VERIFY_URL, {"code": certificate.verification_code, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and b'data-valid="true"' in response.content


def test_verify_rate_limit_20_posts_per_10_minutes_per_address(client, staff):
    """Guessing codes is slowed down: the 21st POST from one address in 10 minutes gets 429."""
    certificate = _exclude(staff)
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(public.RATE_LIMIT):
            assert client.post(VERIFY_URL, {"code": "WRONG"}, REMOTE_ADDR="10.0.0.1").status_code == 200
        limited = client.post(VERIFY_URL, {"code": certificate.verification_code}, REMOTE_ADDR="10.0.0.1")
        assert limited.status_code == 429 and int(limited["Retry-After"]) == public.RATE_WINDOW
        with translation.override("ar"):
            expected = public.TOO_MANY_ATTEMPTS % {"time": "10:10", "minutes": 10}
        assert escape(expected) in limited.content.decode()
        assert b"data-valid" not in limited.content  # nothing was checked
        assert client.post(VERIFY_URL, {"code": "WRONG"}, REMOTE_ADDR="10.0.0.2").status_code == 200
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        again = client.post(VERIFY_URL, {"code": certificate.verification_code}, REMOTE_ADDR="10.0.0.1")
        assert again.status_code == 200 and b'data-valid="true"' in again.content


# --- The issuer and the link (SC-2): what the certificate says stays what it said -----------


@pytest.mark.rule("SC-2")
def test_sc2_certificate_pdf_links_to_the_verify_page_on_site_url(client, staff, settings):
    """SC-2: the printed verification link is the public address (SITE_URL), not the host that
    happened to render it."""
    settings.SITE_URL = "https://example.org.sa"
    certificate = _exclude(staff, rule="SC-2")
    client.force_login(staff["manager"])
    text = pdf_text(client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).content)
    assert "https://example.org.sa/verify/" in text and "127.0.0.1" not in text


@pytest.mark.rule("SC-2")
def test_sc2_verify_names_the_association_stored_on_the_certificate_not_the_active_one(client, staff, profile):
    """SC-2: a certificate issued under one association is verified, and printed, under that
    association's name and licence even after another profile becomes the active one."""
    from charity.services import load_policy_profile

    certificate = _exclude(staff, rule="SC-2")
    assert (certificate.issuer_name, certificate.issuer_licence) == (profile.name_ar, profile.licence_number)
    banan, _ = load_policy_profile("banan")
    assert PolicyProfile.objects.active() == banan and banan.name_ar != profile.name_ar
    html = client.post(VERIFY_URL, {"code": certificate.verification_code}).content.decode()
    # The answer itself; the page's header names the installation's association of today.
    answer = re.search(r'data-testid="verify-result" data-valid="true">(.*?)</div>', html, re.S).group(1)
    issuer = re.search(r'data-testid="verify-issuer">(.*?)</dd>', answer).group(1)
    assert issuer == escape(profile.name_ar)
    assert escape(banan.name_ar) not in answer and banan.licence_number not in answer
    client.force_login(staff["manager"])  # rendered now, under the new active profile
    text = pdf_text(client.get(reverse("eligibility:certificate_download", args=[certificate.pk])).content)
    assert "بنان" not in text and banan.licence_number not in text


def test_migration_fills_the_issuer_from_the_profile_active_at_issue_time(staff, profile):
    """Certificates issued before the issuer was stored get the profile active when each was
    issued (from the profiles' history), not the one active when the migration runs."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from charity.policy import Section
    from charity.services import adopt_section

    migration = importlib.import_module("eligibility.migrations.0002_certificate_issuer")
    before = _exclude(staff, rule="SC-2")
    Certificate.objects.filter(pk=before.pk).update(issued_at=timezone.now())
    banan = load_set_up("banan")
    adopt_section(profile=banan, section=Section.SERVICE_CONTROLS, decision_number="5/1447",
                  decided_on=dt.date(2026, 1, 10), by=staff["admin"], now=timezone.now(), today=dt.date(2026, 11, 24))
    after = _exclude(staff, rule="SC-2")
    Certificate.objects.filter(pk=after.pk).update(issued_at=timezone.now())
    Certificate.objects.update(issuer_name="", issuer_name_en="", issuer_licence="")
    migration.fill_issuer(apps, None)
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.issuer_name, before.issuer_licence) == (profile.name_ar, profile.licence_number)
    assert (after.issuer_name, after.issuer_licence) == (banan.name_ar, "1000686900")
