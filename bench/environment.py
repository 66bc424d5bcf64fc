"""The bench's database and environment, shared by `python -m bench` and its parts."""

import os
import secrets
from urllib.parse import urlsplit

# How many files the bench seeds (`make bench BENCH_FILES=1000000`); everything else scales with it.
BENCH_FILES = int(os.environ.get("BENCH_FILES", "100000"))
# One database per size, so that sizes never mix: charity_bench_100000, charity_bench_1000000...
DEFAULT_URL = f"postgres://postgres@127.0.0.1:5432/charity_bench_{BENCH_FILES}"

# Measure as in production: DEBUG off, no HTTPS redirect for the test client, quiet logs.
BENCH_ENVIRONMENT = {
    "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
    "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "charity.settings",
    # The tasks the sweep and the submissions queue go to a queue of the bench's own, purged after.
    "CELERY_TASK_DEFAULT_QUEUE": "bench",
    # The test client logs staff in without a second factor; with DEBUG off the site would send
    # them to the two-factor setup. (In production a verified session costs one device lookup.)
    "TWO_FACTOR_REQUIRED": "false",
}


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")
