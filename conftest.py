"""Fixtures shared by every app's tests."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["charity.tests.rule_coverage", "pytester"]

# pytest-playwright runs an event loop in the test thread; live_server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
TEST_PASSWORD = "correct-horse-battery"  # every user make_user creates
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks(settings, request):
    """Give each test an empty private cache; run Celery tasks inline unless a test
    starts a real worker (marker `worker`)."""
    from django.core.cache import cache

    from charity import breaker
    from charity.celery import app

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    breaker.cache.reset()  # a failure another test provoked is not this test's
    breaker.broker.reset()
    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = eager
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    """SMS go to the memory backend (the console one refuses with DEBUG off, as under pytest),
    as Django's test runner does for e-mail; a test that needs another backend sets its own."""
    from charity.notifications.backends import MemoryBackend

    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "charity.notifications.backends.MemoryBackend"}
    MemoryBackend.sent = []
    yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads, certificates and exports of a test go to its own folder, never to var/media.
    A test or module that set MEDIA_ROOT itself (the access-matrix world) keeps its own."""
    default = Path(os.environ.get("MEDIA_ROOT") or Path(settings.BASE_DIR) / "var" / "media")
    if Path(settings.MEDIA_ROOT) == default:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _two_factor(settings, request):
    """Two-factor sign-in is required in the tests marked `two_factor` (the access matrix, whose
    sessions are verified, and the tests of the second factor) and off in the others, which sign
    users in with force_login and no second factor, whatever DEBUG (.env) says."""
    settings.TWO_FACTOR_REQUIRED = request.node.get_closest_marker("two_factor") is not None


@pytest.fixture
def profile(db):
    """The `general` policy profile, active, with the values its text does not give set as the
    tests assume: the service area «الرياض» and a committee quorum of 3 (testdata.set_up)."""
    from testdata import load_set_up

    return load_set_up("general")


@pytest.fixture
def sms_gateway(settings):
    """A fake SMS gateway, a real HTTP server on 127.0.0.1 (testdata/sms_gateway.py), with SMS
    sent to it through the HttpSmsBackend; short timeouts so a held answer times out quickly."""
    from testdata.sms_gateway import FakeSmsGateway

    gateway = FakeSmsGateway().start()
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS,
                                      "sms": "charity.notifications.backends.HttpSmsBackend"}
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_SENDER = gateway.url, "test-token", "Jamiya"
    settings.SMS_GATEWAY_CONNECT_TIMEOUT, settings.SMS_GATEWAY_READ_TIMEOUT = 2.0, 0.5
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def make_user(db):
    """Create a member of staff with the given role: make_user(Role.MANAGER, username=...)."""
    from django.contrib.auth.models import Group

    from charity.models import User
    from charity.roles import Role

    counter = {"n": 0}

    def _make(role=None, **fields):
        counter["n"] += 1
        fields.setdefault("username", f"user{counter['n']}")
        fields.setdefault("first_name", "موظف")
        fields.setdefault("last_name", str(counter["n"]))
        user = User.objects.create_user(password=TEST_PASSWORD, **fields)
        if role is not None:
            user.groups.add(Group.objects.get(name=Role(role).value))
            if role == Role.ADMIN:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        return user

    return _make


@pytest.fixture
def staff(profile, make_user):
    """Members of staff by real role, with the `general` profile active: staff["intake"],
    staff["researcher"], staff["manager"], staff["committee"], staff["director"],
    staff["investigation"], staff["admin"], and a second of a role as staff["researcher2"]
    (testdata.Staff; each made when first asked for). They hold their role's permissions only."""
    from testdata import Staff

    return Staff(make_user)


def browser_login(page, live_server, username: str) -> None:
    """Sign in through the login form in the browser (a fresh session), as a make_user user."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser; `expect()` waits up to 30 s for what a
    click brings (Playwright's default, 5 s, is short on a slow CI machine)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# CI's second pass sets this: the services are there, so a test that needs one fails rather
# than skips when it is missing, and the pass itself must run on PostgreSQL and Redis.
REQUIRE_SERVICES = os.environ.get("CI_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    url = os.environ.get("DATABASE_URL", "")
    if REQUIRE_SERVICES and not (url.startswith("postgres") and os.environ.get("REDIS_URL")):
        raise pytest.UsageError("CI_REQUIRE_SERVICES=1 needs DATABASE_URL=postgres://… and REDIS_URL")


def needs_service(available: bool, reason: str) -> None:
    """Skip the test, saying `reason`, unless what it needs is `available`; with
    CI_REQUIRE_SERVICES=1 (CI's second pass) fail it instead. Every such test calls this."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"CI_REQUIRE_SERVICES=1, yet this test would be skipped: {reason}", pytrace=False)
    pytest.skip(reason)


def needs_postgresql(reason: str = "needs PostgreSQL (CI's second pass)") -> None:
    from django.db import connection

    needs_service(connection.vendor == "postgresql", reason)


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(queue: str, log_path, env: dict | None = None):
    """Start a real Celery worker process consuming only `queue`, on the test database, with
    `env` added to its environment."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "true", "CELERY_TASK_DEFAULT_QUEUE": queue,
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), **(env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    celery = str(Path(sys.executable).parent / "celery")
    with open(log_path, "a") as log:
        return subprocess.Popen(
            [celery, "-A", "charity", "worker", "--pool", "solo", "-Q", queue, "--loglevel", "INFO",
             "--without-mingle", "--without-gossip", "--hostname", f"{queue}-{os.getpid()}@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )


def stop_worker(proc, *, kill: bool = False) -> None:
    import signal
    import subprocess

    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def live_worker(transactional_db, tmp_path):
    """A real Celery worker process on the test database and the configured broker.

    Yield (queue name, path of the worker's log). The worker consumes only its own queue, so
    a worker of `make run` on the same machine cannot take the test's tasks."""
    import uuid

    queue = f"test-{uuid.uuid4().hex[:10]}"
    log_path = tmp_path / "worker.log"
    proc = start_worker(queue, log_path)
    try:
        yield queue, log_path
    finally:
        stop_worker(proc)


def wait_for(predicate, timeout=90.0, interval=0.3):
    """Poll `predicate` until it returns a truthy value or `timeout` seconds pass."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
