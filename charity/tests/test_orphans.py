"""Upload files no record points to are removed by a logged daily job, and nothing else is
(issue «Proof under attack»: no orphan files remain)."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from beneficiaries import services as file_services
from charity.orphans import GRACE, remove_orphan_files
from charity.roles import Role
from charity.settings import CELERY_BEAT_SCHEDULE
from testdata import TODAY, make_active, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _stray(media, name, *, age):
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 personal data\n%%EOF")
    stamp = (timezone.now() - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_orphans_older_than_the_grace_period_go_and_every_referenced_file_stays(media, profile, make_user, caplog):
    user = make_user(Role.INTAKE)
    file = make_active(user)
    first = file_services.upload_document(file=file, by=user, uploaded=pdf_upload("a.pdf"), doc_type="other",
                                          today=TODAY)
    kept = media / first.stored.name
    old_orphan = _stray(media, "complaints/2026/11/orphan.pdf", age=GRACE + dt.timedelta(minutes=5))
    in_flight = _stray(media, "documents/in-flight.pdf", age=dt.timedelta(minutes=1))
    for path in media.rglob("*"):  # the documents written above are as old as the orphan
        if path.is_file() and path != in_flight:
            os.utime(path, (old_orphan.stat().st_mtime,) * 2)

    result = remove_orphan_files(now=timezone.now())

    assert result.removed == ["complaints/2026/11/orphan.pdf"]
    assert not old_orphan.exists()
    assert in_flight.exists() and result.too_recent == 1
    assert kept.exists()
    assert "orphan upload removed: complaints/2026/11/orphan.pdf" in caplog.text
    assert remove_orphan_files(now=timezone.now()).removed == []  # idempotent


def test_a_file_only_history_remembers_is_not_an_orphan(media, profile, make_user):
    """A document whose row now points elsewhere keeps its old file: history names it."""
    user = make_user(Role.INTAKE)
    document = file_services.upload_document(file=make_active(user), by=user, uploaded=pdf_upload("a.pdf"),
                                             doc_type="other", today=TODAY)
    old_name = document.stored.name
    document.stored.name = "documents/elsewhere.pdf"
    document.save()
    old = media / old_name
    os.utime(old, (0, 0))
    assert remove_orphan_files(now=timezone.now()).removed == []
    assert old.exists()


def test_dry_run_lists_and_removes_nothing(media, profile, capsys):
    orphan = _stray(media, "exports/lost.xlsx", age=dt.timedelta(days=2))
    call_command("remove_orphan_uploads", "--dry-run")
    out = capsys.readouterr().out
    assert "exports/lost.xlsx" in out and "1 orphans found" in out
    assert orphan.exists()
    call_command("remove_orphan_uploads")
    assert not orphan.exists()


def test_the_job_runs_daily():
    from celery.schedules import crontab

    job = CELERY_BEAT_SCHEDULE["remove-orphan-uploads"]
    assert job["task"] == "charity.tasks.remove_orphan_uploads"
    assert job["schedule"] == crontab(hour=3, minute=15)
