"""Proof under attack: the security items of the issue, each through the real pages.

1. `check --deploy --fail-level WARNING` is clean with production settings: proved by
   charity/tests/test_settings.py::test_check_deploy_passes_with_production_settings (not repeated).
2. Headers: CSP, HSTS (DEBUG off, secure request), nosniff, Referrer-Policy, no-store on case pages.
3. Login lockout per username *and* address (charity/tests/test_auth.py), extended below.
4. The session ends after SESSION_COOKIE_AGE idle seconds; continuous use keeps it.
5. RT-10: national IDs, income and medical text never reach logs or error mails.
6. IN-2, CP-4: uploads are recognised by their content, through the real upload pages.
7. RT-6, RT-10: a PDF fetches only our static files, never the network.
8. RT-6, RT-10, CP-8: the admin site's history pages keep the confidentiality scope.
"""

import datetime as dt
import io
import logging
import re
import socket
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries import pdf
from beneficiaries.models import Document
from beneficiaries.tests.factories import NOW, TODAY, unique_national_id
from charity.logging import RedactPersonalDataFilter
from charity.roles import Role
from charity.uploads import UPLOAD_WRONG_TYPE
from complaints.models import Complaint

from .matrix_fixtures import diff, open_world, snapshot

pytestmark = pytest.mark.django_db
VIEW_NOW = NOW + dt.timedelta(hours=1)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with open_world(django_db_blocker, tmp_path_factory.mktemp("security-media")) as built:
        yield built


@pytest.fixture(autouse=True)
def _view_clock():
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


# --- 2. Headers -----------------------------------------------------------------------------

CASE_PAGES = {  # url builder, who opens it
    "file": (lambda w: reverse("beneficiaries:file_detail", args=[w.active.pk]), "researcher_a"),
    "complaint": (lambda w: reverse("complaints:detail", args=[w.complaint.pk]), "director_a"),
    "document": (lambda w: reverse("beneficiaries:document_download", args=[w.document.pk]), "researcher_a"),
    "attachment": (lambda w: reverse("complaints:attachment", args=[w.attachment.pk]), "director_a"),
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


# --- 3. Login lockout -----------------------------------------------------------------------


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_page_is_arabic_and_the_colleague_signs_in_while_the_attacker_stays_locked(client, world, make_user):
    """Extends test_auth: the lockout page is Arabic, right to left; the colleague's own sign-in
    from their desk works and does not lift the lock on the attacker's address."""
    make_user(Role.MANAGER, username="colleague")
    attacker, desk = "203.0.113.9", "198.51.100.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "colleague", "guess", attacker)
    locked = _login(client, "colleague", "guess", attacker)
    page = locked.content.decode()
    assert locked.status_code == 429 and 'lang="ar"' in page and 'dir="rtl"' in page
    assert "تسجيل الدخول موقوف مؤقتًا" in page
    signed_in = _login(Client(), "colleague", "correct-horse-battery", desk)
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
    still = _login(client, "colleague", "correct-horse-battery", attacker)
    assert still.status_code == 429, "a colleague's sign-in must not unlock the attacker's address"


# --- 4. Session idle timeout ----------------------------------------------------------------


def test_session_unused_longer_than_its_age_is_signed_out(client, world):
    client.force_login(world.users["manager"])
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(VIEW_NOW + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_in_continuous_use_stays_alive(client, world):
    """Each request renews the idle period: an hour and a half of work, a request every 20 minutes."""
    client.force_login(world.users["manager"])
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE * 2 // 3)
    for n in range(1, 5):
        with time_machine.travel(VIEW_NOW + n * step, tick=False):
            assert client.get(reverse("home")).status_code == 200, f"signed out after {n} requests"


# --- 5. RT-10: no personal data in logs or error mails --------------------------------------

INCOME, MEDICAL = "4817.25", "فشل كلوي مزمن"


def _household(world, id_number):
    return ("intake_a", reverse("beneficiaries:intake_step", args=[world.draft.pk, "household"]),
            "beneficiaries.services.save_member", {
                "action": "member", "member-relationship": "son", "member-first_name": "سالم",
                "member-father_name": "خالد", "member-grandfather_name": "محمد", "member-family_name": "القحطاني",
                "member-id_type": "national_id", "member-id_number": id_number, "member-birth_date": "2012-03-01",
                "member-gender": "male", "member-marital_status": "single", "member-school_stage": "primary",
                "member-has_disability": "on", "member-disability": MEDICAL, "member-health_conditions": MEDICAL,
                "income-monthly_amount": INCOME})


def _income(world, id_number):
    return ("intake_a", reverse("beneficiaries:intake_step", args=[world.draft.pk, "income"]),
            "beneficiaries.services.save_income", {
                "action": "income", "income-kind": "salary", "income-member": "", "income-monthly_amount": INCOME,
                "income-note": MEDICAL, "head_id_number": id_number})


def _complaint(world, id_number):
    return (None, reverse("complaints_public:file"), "complaints.services.file_complaint", {
        "kind": "complaint", "topic": "service", "complainant_name": "فاطمة محمد القحطاني", "national_id": id_number,
        "phone": "0501234567", "email": "fatima@example.com", "subject": "تأخر الصرف",
        "facts": f"دخلي {INCOME} ريال وعندي {MEDICAL}", "against": "قسم الصرف", "harm": MEDICAL, "reasons": "لا رد",
        "steps_taken": "", "remedy": "الصرف", "other_info": "", "excuse": "",
        "incident_on": (TODAY - dt.timedelta(days=5)).isoformat()})


ERROR_POSTS = {"household member": _household, "income": _income, "public complaint": _complaint}


@pytest.fixture
def captured_logs(caplog, settings):
    """Every record at every level (caplog, also on django.request which does not propagate) and
    the text a handler configured like settings.LOGGING's console handler writes."""
    settings.ADMINS = [("Admin", "admin@charity.example")]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    handler.addFilter(RedactPersonalDataFilter())
    loggers = [logging.getLogger(), logging.getLogger("django.request"), logging.getLogger("django.security")]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(handler)
        if logger.name != "root":
            logger.addHandler(caplog.handler)
    yield caplog, stream
    for logger in loggers:
        logger.removeHandler(handler)
        logger.removeHandler(caplog.handler)


def _fail(client, world, scenario, error):
    user, url, service, data = ERROR_POSTS[scenario](world, unique_national_id())
    if user:
        client.force_login(world.users[user])
    client.raise_request_exception = False
    with mock.patch(service, side_effect=error):
        response = client.post(url, data)
    return response, data


def _sent_mail() -> str:
    return "\n".join(m.subject + m.body + "".join(a[0] for a in getattr(m, "alternatives", [])) for m in mail.outbox)


@pytest.mark.parametrize("scenario", list(ERROR_POSTS))
def test_error_in_a_real_view_logs_and_mails_no_personal_data_rt10(client, world, captured_logs, scenario):
    """RT-10: a view that fails after reading the ID, the income and the medical text: the Arabic
    500 page; the admins are mailed; neither the logs nor the mail hold any of the three."""
    caplog, stream = captured_logs
    response, data = _fail(client, world, scenario, RuntimeError("database unavailable"))
    with translation.override("ar"):
        assert response.status_code == 500 and translation.gettext("Something went wrong") in response.content.decode()
    assert mail.outbox, "the admins are told about the error"
    identity = next(v for k, v in data.items() if "id_number" in k or k == "national_id")
    outputs = {"caplog": caplog.text, "handler": stream.getvalue(), "mail": _sent_mail()}
    assert "database unavailable" in outputs["handler"] and "database unavailable" in outputs["mail"]
    for secret in (identity, INCOME, MEDICAL):
        assert [name for name, text in outputs.items() if secret in text] == [], secret


def test_identity_in_an_error_message_is_masked_in_logs_and_mail_rt10(client, world, captured_logs):
    """RT-10: even an exception whose message carries the ID (a database error, say) is masked."""
    _caplog, stream = captured_logs
    user, url, service, data = _complaint(world, unique_national_id())
    identity = data["national_id"]
    client.raise_request_exception = False
    with mock.patch(service, side_effect=RuntimeError(f"duplicate key (national_id)=({identity})")):
        response = client.post(url, data)
    assert response.status_code == 500
    assert identity not in stream.getvalue() and "[national-id]" in stream.getvalue()
    assert identity not in _sent_mail() and "[national-id]" in _sent_mail()


# --- 6. IN-2, CP-4: uploads recognised by their content -------------------------------------

DISGUISED = {
    "html behind a PNG header": ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script>",
                                 "image/png"),
    "exe renamed pdf": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be "
                        b"run in DOS mode.", "application/pdf"),
}


def _upload(name, content, ctype):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=ctype)


@pytest.mark.parametrize("kind", list(DISGUISED))
def test_disguised_document_upload_is_refused_and_nothing_stored_in2(client, world, kind):
    client.force_login(world.users["researcher_a"])
    before = snapshot(world.active)
    response = client.post(reverse("beneficiaries:document_upload", args=[world.active.pk]),
                           {"doc_type": "other", "uploaded": _upload(*DISGUISED[kind])})
    assert response.status_code == 200 and escape(ar(UPLOAD_WRONG_TYPE)) in response.content.decode()
    assert diff(before, snapshot(world.active)) == {}
    assert not Document.objects.filter(original_name=DISGUISED[kind][0]).exists()


@pytest.mark.parametrize("kind", list(DISGUISED))
def test_disguised_complaint_attachment_is_refused_and_nothing_stored_cp4(client, world, kind):
    _user, url, _service, data = _complaint(world, unique_national_id())
    before = snapshot()
    response = client.post(url, {**data, "attachments": [_upload(*DISGUISED[kind])]})
    assert response.status_code == 200 and escape(ar(UPLOAD_WRONG_TYPE)) in response.content.decode()
    assert diff(before, snapshot()) == {}
    assert not Complaint.objects.filter(national_id=data["national_id"]).exists()


# --- 7. RT-6, RT-10: a PDF fetches only our static files ------------------------------------

HOSTILE = "http://127.0.0.1:9/"


@pytest.fixture
def pdf_fetches(monkeypatch):
    """Inject hostile URLs into every PDF template, record each fetch and refuse every socket."""
    real_render, real_fetch = pdf.render_to_string, pdf.StaticOnlyFetcher.fetch
    fetched, connections = [], []

    def inject(template_name, context=None, request=None):
        html = real_render(template_name, context, request=request)
        verify = (context or {}).get("verify_url") or HOSTILE
        html = html.replace("</head>", f'<link rel="stylesheet" href="{HOSTILE}leak.css"></head>', 1)
        return html.replace("</body>", f'<img src="{verify}qr.png"><img src="{HOSTILE}pixel.png"></body>', 1)

    def fetch(self, url, headers=None):
        try:
            response = real_fetch(self, url, headers)
        except ValueError:
            fetched.append((url, False))
            raise
        fetched.append((url, True))
        return response

    def refuse(*args, **kwargs):
        connections.append(args)
        raise OSError("no network while rendering a PDF")

    monkeypatch.setattr(pdf, "render_to_string", inject)
    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", fetch)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return fetched, connections


def _only_static_fetched(fetched, connections):
    served = [url for url, ok in fetched if ok]
    refused = [url for url, ok in fetched if not ok]
    assert connections == []
    assert served and all(pdf.StaticOnlyFetcher().resolve(url) is not None for url in served), served
    assert all(not url.startswith(HOSTILE) for url in served)
    assert {f"{HOSTILE}leak.css", f"{HOSTILE}pixel.png"} <= set(refused)


def test_certificate_pdf_with_a_network_url_in_its_context_fetches_only_static_files(world, pdf_fetches, settings):
    """The certificate's context holds the verification URL (SITE_URL): it is printed, never fetched."""
    from eligibility.certificates import render_certificate

    settings.SITE_URL = HOSTILE.rstrip("/")
    data = render_certificate(world.certificate)
    assert data.startswith(b"%PDF-")
    _only_static_fetched(*pdf_fetches)
    assert f"{HOSTILE}verify/qr.png" in [url for url, _ok in pdf_fetches[0]]


def test_declaration_pdf_through_its_page_fetches_only_static_files(client, world, pdf_fetches):
    client.force_login(world.users["intake_a"])
    response = client.get(reverse("beneficiaries:declaration_pdf", args=[world.draft.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    _only_static_fetched(*pdf_fetches)


# --- 8. The admin site's history pages keep the scope (RT-6, RT-10, CP-8) ------------------


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
