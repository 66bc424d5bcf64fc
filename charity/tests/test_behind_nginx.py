"""Behind a real nginx, each client keeps its own address (issue «Proof under attack», point 1).

Debian's nginx runs on loopback with the shipped `location /` block (deploy/nginx/charity.conf,
verbatim) in front of gunicorn, which runs with the shipped unit's --forwarded-allow-ips and
TRUSTED_PROXIES (deploy/systemd/charity-web.service) on the test database. Distinct clients are
distinct loopback addresses: every request leaves from 127.0.0.2 or 127.0.0.3 (all of
127.0.0.0/8 is loopback on Linux) while nginx listens on 127.0.0.1 and is gunicorn's only
peer. Proved: five wrong passwords from one client do not lock the same user out from another;
the access log records the client's address; a forged X-Forwarded-For is not taken as the
address, through nginx or straight to gunicorn; the complaint form's limit per address is per
client. Each wait is for an event with a generous ceiling. Without nginx the test is skipped,
saying why; in CI's second pass (CI_REQUIRE_SERVICES=1) it fails instead.
"""

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import pytest
from django.conf import global_settings, settings
from django.urls import reverse

from charity.roles import Role
from conftest import TEST_PASSWORD, _test_database_url, needs_service, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

BASE = Path(settings.BASE_DIR)
NGINX_CONF = BASE / "deploy" / "nginx" / "charity.conf"
WEB_UNIT = BASE / "deploy" / "systemd" / "charity-web.service"
GUNICORN_CONF = BASE / "deploy" / "gunicorn.conf.py"
ALICE, BOB = "127.0.0.2", "127.0.0.3"  # two clients on two machines, as nginx sees them
READY_CEILING = 90  # seconds: generous, CI can be several times slower than a laptop
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The shipped configuration --------------------------------------------------------------


def shipped_location() -> str:
    """The `location / { … }` block of the shipped nginx site, as written."""
    text = NGINX_CONF.read_text()
    match = re.search(r"^[ \t]*location / \{.*?^[ \t]*\}", text, re.S | re.M)
    assert match, f"no `location / {{ … }}` block in {NGINX_CONF}"
    return match.group(0)


def shipped_gunicorn() -> tuple[str, str]:
    """(--forwarded-allow-ips, TRUSTED_PROXIES) of the shipped web unit."""
    text = WEB_UNIT.read_text()
    allow = re.search(r"--forwarded-allow-ips[ =](\S+)", text)
    trusted = re.search(r"^Environment=TRUSTED_PROXIES=(\S+)$", text, re.M)
    assert allow and trusted, f"{WEB_UNIT} must set --forwarded-allow-ips and TRUSTED_PROXIES"
    return allow.group(1), trusted.group(1)


def shipped_log_format() -> tuple[str, str]:
    """(the name, the whole `log_format … ;` directive) of the shipped nginx site."""
    match = re.search(r"^log_format (\w+) .*?;$", NGINX_CONF.read_text(), re.S | re.M)
    assert match, f"no log_format in {NGINX_CONF}"
    return match.group(1), match.group(0)


def nginx_conf(tmp: Path, listen: int, upstream: int) -> str:
    location = shipped_location()
    log_name, log_format = shipped_log_format()
    name = re.search(r"proxy_pass http://(\w+);", location).group(1)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers write their temp files under tmp
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in kinds)
    return f"""{user}daemon off;
master_process on;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    {log_format}
    access_log {tmp / "access.log"} {log_name};
{temp}
    upstream {name} {{ server 127.0.0.1:{upstream} fail_timeout=0; }}
    server {{
        listen 127.0.0.1:{listen};
        server_name _;
{location}
    }}
}}
"""


# --- The processes --------------------------------------------------------------------------


def _start_gunicorn(port: int, log: Path, media: Path) -> subprocess.Popen:
    allow, trusted = shipped_gunicorn()
    env = {**os.environ, "ENV_FILE": os.devnull, "DATABASE_URL": _test_database_url(), "DEBUG": "false",
           # A fresh key: the rate-limit counters (keyed by an HMAC of it) start empty every run.
           "SECRET_KEY": "behind-nginx-" + secrets.token_urlsafe(40), "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
           "TRUSTED_PROXIES": trusted, "MEDIA_ROOT": str(media),
           # Staff sign in with a password alone here: these tests are about addresses (the
           # second factor, on with DEBUG off, has its own: test_two_factor.py and the access matrix).
           "TWO_FACTOR_REQUIRED": "false",
           "CELERY_BROKER_URL": "memory://", "CELERY_RESULT_BACKEND": "cache+memory://"}
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "COMPLAINT_RATE_LIMIT_PER_IP", "AXES_FAILURE_LIMIT"):
        env.pop(name, None)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with open(log, "a") as out:
        return subprocess.Popen([gunicorn, "-c", str(GUNICORN_CONF),
                                 "--access-logfile", str(log.parent / "gunicorn-access.log"), "charity.wsgi",
                                 "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2",
                                 "--timeout", "60", "--forwarded-allow-ips", allow, "--no-control-socket"],
                                cwd=BASE, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _answers(port: int, source: str) -> bool:
    try:
        return Browser(port, source).get("/healthz")[0] == 200
    except OSError:
        return False


class Stack(NamedTuple):
    proxy: int
    web: int
    logs: Path


@pytest.fixture(scope="module")
def stack(django_db_setup, tmp_path_factory):
    """nginx's port, gunicorn's port (both answering) and the folder of their logs; stopped after the module."""
    nginx = _nginx()
    needs_service(nginx is not None, "needs nginx (Debian's package; `make test` installs it)")
    tmp = tmp_path_factory.mktemp("nginx")
    web_port, proxy_port = _free_port(), _free_port()
    web = _start_gunicorn(web_port, tmp / "gunicorn.log", tmp / "media")
    (tmp / "nginx.conf").write_text(nginx_conf(tmp, proxy_port, web_port))
    with open(tmp / "nginx-stderr.log", "w") as err:
        proxy = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=err)
    try:
        up = wait_for(lambda: web.poll() is not None or proxy.poll() is not None
                      or (_answers(web_port, "127.0.0.1") and _answers(proxy_port, ALICE)), timeout=READY_CEILING)
        logs = {p.name: p.read_text(errors="replace")[-3000:] for p in tmp.glob("*.log")}
        assert up and web.poll() is None and proxy.poll() is None, f"gunicorn or nginx did not start: {logs}"
        yield Stack(proxy_port, web_port, tmp)
    finally:
        _stop(proxy)
        _stop(web)


# --- A client on one loopback address -------------------------------------------------------


class Browser:
    """A client leaving from `source`, with its cookies; one connection per request."""

    def __init__(self, port: int, source: str):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method: str, path: str, fields: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.source, 0))
        sent = {**(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            return response.status, response.getheader("Location", ""), page
        finally:
            conn.close()

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict, headers: dict | None = None):
        """GET the page for its CSRF token, then POST `fields` with it."""
        status, _, page = self.get(path)
        token = _CSRF_INPUT.search(page)
        assert status == 200 and token, f"{path} from {self.source}: {status}"
        return self.request("POST", path, {**fields, "csrfmiddlewaretoken": token.group(1)}, headers)

    def sign_in(self, username: str, password: str, headers: dict | None = None):
        return self.post_form(reverse("login"), {"username": username, "password": password}, headers)


@pytest.fixture
def real_hashers(settings):
    """gunicorn checks passwords with the project's hashers, not the tests' fast MD5."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


# --- The proofs -----------------------------------------------------------------------------


def test_nginx_block_is_the_shipped_one_and_passes_the_client():
    """The block the test runs is the shipped one, and it passes what the app reads."""
    location = shipped_location()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in location
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in location
    assert "proxy_set_header Host $host;" in location
    assert shipped_gunicorn() == ("127.0.0.1", "127.0.0.1")


def test_wrong_passwords_from_one_client_do_not_lock_out_another(stack, real_hashers, profile, make_user):
    from axes.models import AccessAttempt

    proxy_port = stack.proxy
    make_user(Role.MANAGER, username="colleague")
    attacker, colleague = Browser(proxy_port, ALICE), Browser(proxy_port, BOB)
    # Each guess claims another address: nginx appends the real one, the app reads that. The
    # last failure allowed locks the account out from that address (429).
    guesses = [attacker.sign_in("colleague", "guess", {"X-Forwarded-For": f"198.51.100.{n}"})[0]
               for n in range(settings.AXES_FAILURE_LIMIT)]
    assert guesses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert attacker.sign_in("colleague", TEST_PASSWORD)[0] == 429
    status, location, _ = colleague.sign_in("colleague", TEST_PASSWORD)
    assert (status, location) == (302, "/")
    # One lockout record, of the attacker's address (the refused right password counts too);
    # none of the colleague's.
    attempts = list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))
    assert attempts == [("colleague", ALICE, settings.AXES_FAILURE_LIMIT + 1)]
    print(f"\nbehind nginx: guesses from {ALICE} answered {guesses}, then its right password 429; "
          f"{BOB} signed in ({status}); lockouts of {BOB}: 0")


def test_access_log_records_the_client_and_its_refusals(stack, real_hashers, staff):
    from charity.models import AccessLog
    from testdata import make_draft

    proxy_port = stack.proxy
    draft, _outsider = make_draft(staff["intake"]), staff["intake2"]
    url = reverse("beneficiaries:file_detail", args=[draft.pk])
    owner, outsider = Browser(proxy_port, ALICE), Browser(proxy_port, BOB)
    assert owner.sign_in("intake", TEST_PASSWORD)[0] == 302
    assert owner.get(url, {"X-Forwarded-For": "203.0.113.66"})[0] == 200  # a forged header changes nothing
    assert outsider.sign_in("intake2", TEST_PASSWORD)[0] == 302
    assert outsider.get(url)[0] == 404
    rows = list(AccessLog.objects.order_by("pk").values_list("user__username", "outcome", "object_id", "ip_address"))
    assert rows == [("intake", "granted", str(draft.pk), ALICE), ("intake2", "denied", str(draft.pk), BOB)]
    print(f"\naccess log behind nginx: {rows}")


def test_a_forged_header_straight_to_gunicorn_is_ignored(stack, real_hashers, profile, make_user):
    """A client that reaches gunicorn itself is no trusted proxy: its X-Forwarded-For is its own claim."""
    from axes.models import AccessAttempt

    web_port = stack.web
    make_user(Role.MANAGER, username="colleague")
    status, _, _ = Browser(web_port, ALICE).sign_in("colleague", "guess", {"X-Forwarded-For": "127.0.0.1"})
    assert status == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ALICE]


def test_complaint_form_limit_is_per_client_behind_nginx(stack, profile):
    """Five junk POSTs close the public complaint form to their sender only."""
    from complaints.policy import RATE_LIMIT_PER_IP

    proxy_port = stack.proxy
    form = reverse("complaints_public:file")
    flooder, neighbour = Browser(proxy_port, ALICE), Browser(proxy_port, BOB)
    answers = [flooder.post_form(form, {})[0] for _ in range(RATE_LIMIT_PER_IP[0])]
    assert answers == [200] * RATE_LIMIT_PER_IP[0]
    assert flooder.post_form(form, {})[0] == 429
    assert flooder.post_form(form, {}, {"X-Forwarded-For": "192.0.2.1"})[0] == 429
    assert neighbour.post_form(form, {})[0] == 200
    print(f"\ncomplaint form behind nginx: {ALICE} {answers} then 429; {BOB} 200")


def test_the_web_unit_runs_the_shipped_gunicorn_settings():
    assert f"-c /srv/charity/app/deploy/{GUNICORN_CONF.name}" in WEB_UNIT.read_text()


@pytest.mark.rule("RT-10")
def test_rt10_no_search_words_reach_the_access_logs_of_nginx_or_gunicorn(stack, real_hashers, staff):
    """RT-10: the search box posts its words (charity/searches.py), and the shipped log formats
    keep paths without query strings, so even a hand-typed `?q=` or Django admin's search box
    leaves neither the identity number nor the name in nginx's or gunicorn's access log."""
    from testdata import make_submitted

    file = make_submitted(staff["manager"])
    number, name = file.head_id_number, "فاطمة"
    browser = Browser(stack.proxy, ALICE)
    assert browser.sign_in("manager", TEST_PASSWORD)[0] == 302
    status, location, _ = browser.post_form(reverse("beneficiaries:file_list"), {"q": number})
    assert status == 302 and number not in location
    status, _, page = browser.get(location)
    assert status == 200 and f'data-file-number="{file.number}"' in page
    assert browser.get(reverse("beneficiaries:file_list") + f"?q={number}")[0] == 302  # hand-typed
    browser.get(f"/admin/beneficiaries/beneficiaryfile/?{urlencode({'q': number, 'name': name})}")
    logs = {path.name: path.read_text(errors="replace") for path in (stack.logs / "access.log",
                                                                      stack.logs / "gunicorn-access.log")}
    for log_name, text in logs.items():
        assert reverse("beneficiaries:file_list") in text, f"{log_name} recorded no request"
        assert number not in text and "q=" not in text and "%D9" not in text.upper(), log_name
    print(f"\naccess logs behind nginx: {sum(t.count(chr(10)) for t in logs.values())} lines, "
          f"identity number found 0 times")
