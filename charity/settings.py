"""Settings for the charity case-management system.

One file, read from the environment (and an optional `.env`) through django-environ.
Every value has an embedded default that needs no server (SQLite file, filesystem broker),
except the secrets: with DEBUG off the app refuses to start without SECRET_KEY and
ALLOWED_HOSTS. Production values are listed in README.md and docs/deployment.md.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# ENV_FILE lets tests and deployments choose (or disable, with /dev/null) the dotenv file.
_env_file = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    env.read_env(str(_env_file))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-" + "x" * 40  # never used with DEBUG off
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site (https://charity.example.org.sa): every link in an SMS, an
# e-mail or a PDF is built on it (charity.links). With DEBUG off it must be set (charity.W002).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

INSTALLED_APPS = [
    "charity",  # first: its templates (403/404/500, login) override contrib's
    "charity.admin_apps.CharityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static",
    "beneficiaries",
    "aid",
    "programmes",
    "eligibility",
    "complaints",
    "satisfaction",
    "dashboard",
    "privacy",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "charity.replica.ReadYourWritesMiddleware",  # saved by the session: after it
    "charity.middleware.ArabicFirstLocaleMiddleware",
    "charity.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "charity.twofactor.TwoFactorMiddleware",  # a second factor before any staff page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "charity.middleware.NoStoreMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "charity.urls"
WSGI_APPLICATION = "charity.wsgi.application"
ASGI_APPLICATION = "charity.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "charity.context_processors.association",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# Default: an SQLite file under var/. Production: DATABASE_URL=postgres://user:pass@host/db
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'charity.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL and IMMEDIATE transactions avoid "database is
    # locked" under that concurrency; the test database is a file so a worker can see it.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # One file per test process, so that parallel test runs never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional read replica (a streaming-replication standby): the dashboard, its exports and the
# file list read from it (charity/replica.py). Unset, the alias is the primary and the router
# inert; under tests it mirrors the default database.
REPLICA_ENABLED = bool(env.str("DATABASE_REPLICA_URL", default=""))
DATABASES["replica"] = {**(env.db_url("DATABASE_REPLICA_URL") if REPLICA_ENABLED else DATABASES["default"]),
                        "TEST": {"MIRROR": "default"}}
if REPLICA_ENABLED:
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)  # down: a page waits 2 s once
DATABASE_ROUTERS = ["charity.replica.ReplicaRouter"]
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=15)
REPLICA_RETRY_AFTER_SECONDS = env.int("REPLICA_RETRY_AFTER_SECONDS", default=30)
REPLICA_MAX_LAG_SECONDS = env.int("REPLICA_MAX_LAG_SECONDS", default=300)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis down or hung never stalls a page: every connection to it (cache, broker, results) gives
# up after this many seconds, and a process that met a failure leaves it alone for a while
# (charity/breaker.py): rate limits fail open, tasks wait in the database for the sweeps.
REDIS_TIMEOUT_SECONDS = min(env.float("REDIS_TIMEOUT_SECONDS", default=2.0), 2.0)
REDIS_RETRY_AFTER_SECONDS = env.int("REDIS_RETRY_AFTER_SECONDS", default=30)
# The breakers' state, shared by every process of this machine (charity/breaker.py).
BREAKER_DIR = env.str("BREAKER_DIR", default=str(VAR_DIR / "breakers"))
_REDIS_SOCKETS = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": dict(_REDIS_SOCKETS)}}
else:
    # A file cache is shared by the web, worker and beat processes (locmem would not be).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Embedded default: kombu's filesystem transport under var/, so a real worker and beat run
# with no server at all. Production: CELERY_BROKER_URL or REDIS_URL=redis://host:6379/0
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    for _d in (_queue_dir, *(VAR_DIR / "celery" / d for d in ("processed", "results", "control"))):
        _d.mkdir(parents=True, exist_ok=True)  # kombu's filesystem transport needs them to exist
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # One connection attempt per dispatch (kombu's default retries for about a minute).
    CELERY_BROKER_TRANSPORT_OPTIONS = {**_REDIS_SOCKETS, "retry_on_timeout": False, "max_retries": 0}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
# A publish that fails is not retried: the work waits in the database for the sweeps.
CELERY_TASK_PUBLISH_RETRY = False
# Every task is fire-and-forget (its effects are rows): no result is stored or waited for, so a
# dispatch never enters the result backend's reconnect loop.
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": REDIS_TIMEOUT_SECONDS}}
CELERY_TIMEZONE = "Asia/Riyadh"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Tests give each worker process its own queue, so parallel runs never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Bounded by default; tasks that are idempotent opt into acks_late themselves.
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The daily sweep takes due rows this many at a time, one transaction each (eligibility/sweep.py):
# larger is faster, smaller commits more often (a killed sweep redoes at most one batch).
SWEEP_BATCH_SIZE = env.int("SWEEP_BATCH_SIZE", default=500)
# A pause point for tests that kill or hold a sweep at a known place: the dotted path of a
# callable the sweep calls after each committed batch with the rows done so far. Unset: none.
SWEEP_AFTER_BATCH = env.str("SWEEP_AFTER_BATCH", default="")
# A long job (the daily sweep) with no sign of life for this long is thought dead: the watchdog
# sends it again and tells the administrators (charity/jobs.py). A batch takes seconds.
JOB_STALL_MINUTES = env.int("JOB_STALL_MINUTES", default=10)
# Every periodic job, in one place: charity/schedule.py.
from .schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# --- Auth, sessions, lockout ---------------------------------------------------------------
AUTH_USER_MODEL = "charity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link is good for one hour
# Two-factor sign-in (charity/twofactor.py): on whenever DEBUG is off; `make run`'s demo leaves it off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Charity")
# Idle timeout: the session lives SESSION_IDLE_SECONDS after the last request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The proxies in front of the application (addresses or networks, e.g. 127.0.0.1,::1 for nginx
# on the same machine). Only when the peer is one of them is X-Forwarded-For read, from the right,
# to find the client (charity/clientip.py); empty: REMOTE_ADDR is the client. The access log, the
# sign-in lockout and the public pages' rate limits all use that one address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Lockout after repeated failures for one username *from one address* (the client's, not the
# proxy's): an attacker elsewhere cannot lock a colleague out by guessing their password.
AXES_CLIENT_IP_CALLABLE = "charity.clientip.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "national_id"]

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Riyadh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "charity_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and private media --------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    # FileSystemStorage that leaves no partial file behind when the disk is full (charity/storage.py).
    "default": {"BACKEND": "charity.storage.UploadStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Case documents: private. Never under STATIC_ROOT, never given a URL; served only through
# views that check permission and log the download.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL pattern serves this prefix (a request for it is a 404); it exists because Django
# requires a value. Files are streamed by permission-checking views only.
MEDIA_URL = "/private-media/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# The most a request may carry besides its files (those are bounded by the upload check, 10 MB
# each, and nginx): the longest form holds a few tens of kilobytes; more is refused with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Email and notifications ---------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@charity.invalid")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [tuple(a.split(":", 1)) for a in env.list("ADMINS", default=[])]

# Notification backends per channel (charity/notifications/backends.py). SMS goes to the HTTP
# gateway once SMS_GATEWAY_URL is set; without it, to the console backend, which works only with
# DEBUG on (with DEBUG off it refuses, and `check --deploy` warns: charity.W001).
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Charity")
# Seconds to connect (TLS included) and to wait for the gateway's answer. One attempt each time:
# the outbox retries (MAX_ATTEMPTS, with backoff); a 4xx answer fails at once.
SMS_GATEWAY_CONNECT_TIMEOUT = env.float("SMS_GATEWAY_CONNECT_TIMEOUT", default=5.0)
SMS_GATEWAY_READ_TIMEOUT = env.float("SMS_GATEWAY_READ_TIMEOUT", default=15.0)
NOTIFICATION_BACKENDS = {
    "sms": env.str("NOTIFY_SMS_BACKEND", default="charity.notifications.backends."
                   + ("HttpSmsBackend" if SMS_GATEWAY_URL else "ConsoleBackend")),
    "email": env.str("NOTIFY_EMAIL_BACKEND", default="charity.notifications.backends.EmailBackend"),
}
# Abuse limits of the public complaint form; unset = complaints/policy.py. Raised only for a load test.
# SAT-1: how many days a satisfaction-survey link stays valid.
SURVEY_TTL_DAYS = env.int("SURVEY_TTL_DAYS", default=14)
COMPLAINT_RATE_LIMIT_PER_IP = env.int("COMPLAINT_RATE_LIMIT_PER_IP", default=None)
COMPLAINT_RATE_LIMIT_PER_NATIONAL_ID = env.int("COMPLAINT_RATE_LIMIT_PER_NATIONAL_ID", default=None)

# --- Personal data protection (PDPL) retention ----------------------------------------------
# Years a final file, a closed complaint or an answered request keeps its personal data;
# years an access-log entry keeps who looked and from where.
PRIVACY_RETENTION_YEARS = env.int("PRIVACY_RETENTION_YEARS", default=10)
PRIVACY_ACCESS_LOG_YEARS = env.int("PRIVACY_ACCESS_LOG_YEARS", default=5)

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}

# --- Forms ---------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging -------------------------------------------------------------------------------
# Personal data (national IDs, phone numbers, IBANs) is masked in every log line and error mail.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "charity.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
        "mail_admins": {
            "class": "charity.logging.RedactingAdminEmailHandler",
            "level": "ERROR",
            "filters": ["redact"],
            "include_html": False,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        # Who became superuser, and when (charity/superusers.py).
        "charity.security": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        # What pypdf says about a broken upload is no news: the upload is refused (charity.uploads).
        "pypdf": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "charity.logging.PersonalDataExceptionReporterFilter"
