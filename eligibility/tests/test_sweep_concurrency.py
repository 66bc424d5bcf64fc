"""The daily sweep excludes each due file exactly once: run twice, two at once, or killed
half-way and run again (issue: "Exactly once"). Separate processes on the real database; the
kill comes at a pause point the sweep announces (eligibility/tests/pause.py), never by timing."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count

from beneficiaries.models import BeneficiaryFile
from beneficiaries.policy import FileStatus
from charity.models import PolicyProfile
from conftest import _test_database_url
from eligibility.models import Exclusion, Freeze
from eligibility.tests.pause import paused_env, wait_until_paused
from testdata import NOW, make_active, unique_national_id

SWEEP_DAY = "2027-06-01"
# Small batches, so that a sweep stopped after its first batch has committed some and not all.
BATCH_ENV = {"SWEEP_BATCH_SIZE": "5"}


def _due_files(count, by):
    """`count` active files with an SC-12 freeze that ended before SWEEP_DAY."""
    template = make_active(by)
    files = []
    for n in range(count):
        files.append(BeneficiaryFile(
            number=f"9999-{n:06d}", status=FileStatus.ACTIVE, head_id_number=unique_national_id(),
            head_name=f"أسرة {n}", channel=template.channel, registered_by=by, mobile=template.mobile,
        ))
    created = BeneficiaryFile.objects.bulk_create(files)
    for file in created:
        file.status = FileStatus.FROZEN
    BeneficiaryFile.objects.filter(pk__in=[f.pk for f in created]).update(status=FileStatus.FROZEN)
    Freeze.objects.bulk_create([
        Freeze(file=f, rule="SC-12", started_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 4, 1), created_at=NOW)
        for f in created
    ])
    return created


def _sweep_process(extra_env: dict | None = None):
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "true", "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           **BATCH_ENV, **(extra_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "enforce_deadlines",
                             "--today", SWEEP_DAY], env=env, cwd=settings.BASE_DIR,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _assert_each_excluded_once(files):
    counts = Exclusion.objects.values("file").annotate(n=Count("pk"))
    assert {c["file"] for c in counts} == {f.pk for f in files}
    assert {c["n"] for c in counts} == {1}
    assert not Freeze.objects.filter(file__in=files, outcome=Freeze.Outcome.OPEN).exists()
    assert set(BeneficiaryFile.objects.filter(pk__in=[f.pk for f in files]).values_list("status", flat=True)) == {
        FileStatus.EXCLUDED}


@pytest.mark.django_db(transaction=True)
def test_sweep_run_twice_and_two_sweeps_at_once_exclude_each_file_once(profile, make_user):
    from charity.roles import Role

    files = _due_files(40, make_user(Role.INTAKE))
    first, second = _sweep_process(), _sweep_process()
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    _assert_each_excluded_once(files)
    rerun = _sweep_process()
    out = rerun.communicate(timeout=300)[0]
    assert "0 excluded" in out, out
    _assert_each_excluded_once(files)
    assert PolicyProfile.objects.active().code == "general"


@pytest.mark.django_db(transaction=True)
def test_sweep_killed_half_way_and_rerun_finishes_the_rest(profile, make_user, tmp_path):
    """SIGKILL right after the first batch committed (the sweep waits at its pause point):
    that batch stays, and the rerun excludes exactly the rest."""
    from charity.roles import Role

    files = _due_files(20, make_user(Role.INTAKE))
    pause = tmp_path / "paused"
    sweep = _sweep_process(paused_env(pause))
    try:
        committed = wait_until_paused(pause, sweep)
    finally:
        sweep.kill()
        sweep.communicate(timeout=60)
    done_before = Exclusion.objects.count()
    assert committed == done_before == int(BATCH_ENV["SWEEP_BATCH_SIZE"]) < len(files)
    rerun = _sweep_process()
    out = rerun.communicate(timeout=300)[0]
    assert rerun.returncode == 0, out
    assert f"{len(files) - done_before} excluded" in out, out
    _assert_each_excluded_once(files)
