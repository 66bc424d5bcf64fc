"""Configuration through the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "charity.example.org",
    "DATABASE_URL": f"sqlite:///{BASE / 'var' / 'deploy-check.sqlite3'}",
    "SITE_URL": "https://charity.example.org",
    "SMS_GATEWAY_URL": "https://sms.example.sa/api/send",
    "SMS_GATEWAY_TOKEN": "gateway-token",
    "TRUSTED_PROXIES": "127.0.0.1",
}


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"ENV_FILE": os.devnull, **env_overrides})
    return subprocess.run([sys.executable, str(BASE / "manage.py"), *args], env=env, cwd=BASE,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_sms_gateway_site_url_and_trusted_proxy():
    """charity.W001, W002 and W003: with DEBUG off, SMS would go to the console backend (which
    refuses them), every link would be a bare path, and behind nginx every client would be nginx."""
    dropped = {"SITE_URL", "SMS_GATEWAY_URL", "SMS_GATEWAY_TOKEN", "TRUSTED_PROXIES"}
    env = {k: v for k, v in PRODUCTION.items() if k not in dropped}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "(charity.W001) No SMS gateway is configured" in result.stderr
    assert "(charity.W002) SITE_URL is not set" in result.stderr
    assert "(charity.W003) TRUSTED_PROXIES is empty while DEBUG is off" in result.stderr


def test_debug_off_refuses_to_start_without_secret_key():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION}
    del env["ALLOWED_HOSTS"]
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_embedded_defaults_need_no_server():
    assert settings.TIME_ZONE == "Asia/Riyadh" and settings.USE_TZ
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_BROKER_URL == "filesystem://"


def test_media_root_is_private():
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert static not in media.parents and media not in static.parents and media != static
    assert all(Path(d).resolve() not in media.parents for d in settings.STATICFILES_DIRS)


@pytest.mark.django_db
def test_media_is_never_served_by_url(client):
    (Path(settings.MEDIA_ROOT)).mkdir(parents=True, exist_ok=True)
    probe = Path(settings.MEDIA_ROOT) / "probe.txt"
    probe.write_text("secret")
    try:
        for url in (f"{settings.MEDIA_URL}probe.txt", "/media/probe.txt", "/static/probe.txt", "/probe.txt"):
            assert client.get(url).status_code == 404
    finally:
        probe.unlink()
