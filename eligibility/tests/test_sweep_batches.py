"""The daily sweep's batch path (SC-6, SC-12): the same records as a manager's exclusion or
freeze — history, certificate, notifications after commit — written a batch at a time with a
fixed number of statements per batch, and what a batch cannot take handled one by one."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, UpdateRequest
from beneficiaries.policy import FileStatus
from charity import sequences
from charity.models import Notification, PolicyProfile
from conftest import needs_postgresql, wait_for
from eligibility import controls, sweep
from eligibility.models import Certificate, CertificateSequence, Exclusion, Freeze
from testdata import NOW, TODAY, make_active, tell_families

pytestmark = pytest.mark.django_db
LATER = dt.date(2027, 3, 1)  # every SC-12 freeze made on TODAY has lapsed


def _frozen_files(staff, count):
    profile = PolicyProfile.objects.active()
    files = [make_active(staff["intake"]) for _ in range(count)]
    for file in files:
        controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    return files


@pytest.mark.rule("SC-12")
def test_sc12_sweep_in_batches_writes_what_a_manager_exclusion_writes(staff, django_capture_on_commit_callbacks):
    files = _frozen_files(staff, 5)
    versions = {f.pk: BeneficiaryFile.objects.get(pk=f.pk).version for f in files}
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        result = sweep.enforce_deadlines(today=LATER, now=NOW, batch_size=2)
    assert (result.excluded, result.frozen, result.failed) == (5, 0, 0)
    for file in files:
        file.refresh_from_db()
        assert file.status == FileStatus.EXCLUDED and file.version == versions[file.pk] + 1
        assert file.history.first().history_change_reason == "SC-12 exclusion"
        exclusion = Exclusion.objects.get(file=file)
        assert exclusion.rule == "SC-12" and exclusion.decided_on == LATER and exclusion.decided_by is None
        assert "without a response" in exclusion.proof_note or "دون" in exclusion.proof_note
        assert exclusion.history.count() == 1
        freeze = exclusion.freeze
        assert freeze.outcome == Freeze.Outcome.EXCLUDED and freeze.ended_at == NOW
        assert freeze.history.first().outcome == Freeze.Outcome.EXCLUDED
        sent = Notification.objects.filter(object_id=str(exclusion.pk), purpose="exclusion-SC-12")
        assert sent.filter(channel=Notification.Channel.SMS, recipient=file.mobile).count() == 1
        body = sent.get(channel=Notification.Channel.SMS).body
        assert file.number in body and ".." not in body
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    numbers = [int(serial.rsplit("-", 1)[1]) for serial in serials]
    assert numbers == list(range(numbers[0], numbers[0] + 5))  # consecutive, none reused
    assert len(callbacks) >= 3 * 2  # three batches: certificates and notifications queued after each commit


@pytest.mark.rule("SC-6")
def test_sc6_sweep_in_batches_freezes_every_late_file_for_the_profile_period(staff):
    files = [make_active(staff["intake"]) for _ in range(4)]
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    result = sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW, batch_size=3)
    assert (result.frozen, result.excluded, result.failed) == (4, 0, 0)
    for file in files:
        file.refresh_from_db()
        assert file.status == FileStatus.FROZEN
        assert file.history.first().history_change_reason == "SC-6 freeze"
        freeze = Freeze.objects.get(file=file)
        assert (freeze.rule, freeze.started_on, freeze.ends_on) == ("SC-6", dt.date(2027, 1, 1), dt.date(2027, 2, 1))
        assert freeze.update_request.status == UpdateRequest.Status.LATE
        assert freeze.update_request.history.first().status == UpdateRequest.Status.LATE
        assert freeze.history.count() == 1
        assert Notification.objects.filter(object_id=str(freeze.pk), purpose="freeze-SC-6").exists()
    assert sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW).frozen == 0


def test_sweep_statements_do_not_grow_with_the_number_of_due_files(staff):
    """The 30-second target for 10,000 files rests on this: a batch costs a fixed number of
    statements, whatever its size (bench/sweep.py measures the time itself)."""
    def statements(count):
        _frozen_files(staff, count)
        with CaptureQueriesContext(connection) as queries:
            assert sweep.enforce_deadlines(today=LATER, now=NOW, batch_size=50).excluded == count
        return len(queries)

    statements(2)  # first run: content types cached, the year's certificate sequence created
    assert statements(3) == statements(12)


def test_a_freeze_the_batch_cannot_take_goes_one_by_one_and_is_reported(staff, caplog):
    files = _frozen_files(staff, 3)
    odd = files[1]
    BeneficiaryFile.objects.filter(pk=odd.pk).update(status=FileStatus.CLOSED)  # closed by hand in the database
    result = sweep.enforce_deadlines(today=LATER, now=NOW, batch_size=10)
    assert (result.excluded, result.failed) == (2, 1)
    assert not Exclusion.objects.filter(file=odd).exists()
    assert Freeze.objects.get(file=odd).outcome == Freeze.Outcome.OPEN
    assert "could not become an exclusion" in caplog.text
    assert sweep.enforce_deadlines(today=LATER, now=NOW).failed == 1  # reported again, never forgotten


def test_numbers_reserved_in_a_block_are_consecutive_and_never_reused():
    year, first = sequences.next_in_hijri_year(CertificateSequence, TODAY, count=5)
    assert sequences.next_in_hijri_year(CertificateSequence, TODAY) == (year, first + 5)
    with pytest.raises(ValueError):
        sequences.next_in_hijri_year(CertificateSequence, TODAY, count=0)


@pytest.mark.django_db(transaction=True)
def test_a_file_held_by_a_colleague_during_the_sweep_is_excluded_once_released(profile, make_user, monkeypatch):
    """On PostgreSQL the batch skips a file another transaction holds; the one-by-one path then
    waits for it: the colleague saves only once PostgreSQL reports the sweep waiting for the
    lock. Nothing is skipped for the day."""
    needs_postgresql("row locks: PostgreSQL (CI's second pass)")
    from charity.roles import Role

    staff = {"intake": make_user(Role.INTAKE), "manager": make_user(Role.MANAGER)}
    files = _frozen_files(staff, 4)
    held, locked, release, waited = files[2], threading.Event(), threading.Event(), []

    def colleague():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM beneficiaries_beneficiaryfile WHERE id = %s FOR UPDATE", [held.pk])
                locked.set()
                waited.append(wait_for(lambda: _someone_waits_for_a_lock(cursor) or release.is_set(),
                                       timeout=120, interval=0.05) and not release.is_set())
                cursor.execute("COMMIT")
        finally:
            other.close()

    one_by_one = []
    original = sweep._exclude_lapsed

    def spy(freeze_id, file_id, **kw):
        one_by_one.append(file_id)
        return original(freeze_id, file_id, **kw)

    monkeypatch.setattr(sweep, "_exclude_lapsed", spy)
    thread = threading.Thread(target=colleague)
    thread.start()
    assert locked.wait(timeout=120)
    try:
        result = sweep.enforce_deadlines(today=LATER, now=NOW, batch_size=10)
    finally:
        release.set()  # the colleague ends, whatever failed
        thread.join(timeout=180)
    assert waited == [True], "the sweep never waited for the held file"
    assert (result.excluded, result.failed) == (4, 0)
    assert one_by_one == [held.pk]  # the batch took the other three
    assert set(Exclusion.objects.values_list("file_id", flat=True)) == {f.pk for f in files}


def _someone_waits_for_a_lock(cursor) -> bool:
    """Whether another PostgreSQL backend waits for a lock (pg_locks is read live, each call)."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid())")
    return cursor.fetchone()[0]


def test_a_batch_that_fails_in_the_database_leaves_the_rest_to_the_one_by_one_path(staff, monkeypatch, caplog):
    """A database error inside a batch rolls the batch back whole; the sweep goes on file by
    file and still excludes every due file once."""
    from django.db import DatabaseError

    from beneficiaries import services as file_services

    files = _frozen_files(staff, 3)
    original, calls = file_services.change_status_many, []

    def failing_once(**kwargs):
        calls.append(len(kwargs["files"]))
        if len(calls) == 1:
            raise DatabaseError("could not serialize access")
        return original(**kwargs)

    monkeypatch.setattr(file_services, "change_status_many", failing_once)
    result = sweep.enforce_deadlines(today=LATER, now=NOW, batch_size=10)
    assert (result.excluded, result.failed) == (3, 0)
    assert calls == [3]  # the batch failed; the three went one by one through exclude_file
    assert set(Exclusion.objects.values_list("file_id", flat=True)) == {f.pk for f in files}
    # The failed batch had written its three exclusions before failing: rolled back, one each.
    assert Exclusion.objects.count() == Certificate.objects.count() == 3
    assert "a batch failed and was rolled back" in caplog.text
