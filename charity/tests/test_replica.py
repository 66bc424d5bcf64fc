"""The read replica's router (charity/replica.py), in the normal suite: the "replica" alias is a
test mirror of the default database (a second connection to it), so the tests count which
connection each read went through. Inert without DATABASE_REPLICA_URL; with it, the dashboard,
its exports and the file list read the replica, a session that has just written reads the
primary, and a replica that does not answer leaves the pages on the primary, never a 500.
The same against a real standby cluster: test_replica_cluster.py."""

import datetime as dt
import logging
import time

import pytest
from django.db import OperationalError, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charity import replica
from charity.models import User
from dashboard.models import ExportJob
from dashboard.tasks import run_export

DASHBOARD = reverse("dashboard:index")
FILES = reverse("beneficiaries:file_list")
ROUTED = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def _replica_up():
    replica._down["until"] = 0.0
    yield
    replica._down["until"] = 0.0


@pytest.fixture
def on_replica(settings):
    settings.REPLICA_ENABLED = True
    return settings


@pytest.fixture
def director(client, staff, on_replica):
    client.force_login(staff["director"])
    return client


def _per_alias(fn):
    """Run fn(); return (its result, queries on the primary, queries on the replica)."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as standby:
        result = fn()
    return result, len(primary), len(standby)


# --- The router's decisions -----------------------------------------------------------------


@pytest.mark.django_db
def test_router_is_inert_without_a_replica(settings):
    settings.REPLICA_ENABLED = False
    with replica.reading_from_replica() as reading:
        assert not reading.replica
        assert router.db_for_read(User) == "default"
        assert replica.ReplicaRouter().db_for_read(User) is None
        assert replica.ReplicaRouter().db_for_write(User) is None


@ROUTED
def test_router_sends_reads_in_the_block_to_the_replica_and_every_write_to_the_primary(on_replica):
    assert router.db_for_read(User) == "default"
    with replica.reading_from_replica() as reading:
        assert reading.replica and reading.as_of is not None
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
        with transaction.atomic():  # a block that writes reads what it wrote
            assert router.db_for_read(User) == "default"
    assert router.db_for_read(User) == "default"
    assert not router.allow_migrate("replica", "charity")


@ROUTED
def test_router_objects_read_from_the_replica_are_saved_on_the_primary(on_replica, make_user):
    make_user(username="reader")
    with replica.reading_from_replica():
        user = User.objects.get(username="reader")
    assert user._state.db == "replica"
    user.first_name = "قارئ"
    user.save(update_fields=["first_name"])
    assert User.objects.using("default").get(pk=user.pk).first_name == "قارئ"


# --- The routed pages -------------------------------------------------------------------------


@ROUTED
def test_dashboard_reads_its_figures_from_the_replica_and_says_as_of_when(director):
    director.get(DASHBOARD)  # warm: session, permissions
    response, _primary, standby = _per_alias(lambda: director.get(DASHBOARD))
    assert response.status_code == 200
    assert standby > 10  # the figures
    assert response.context["replica_as_of"] is not None
    assert 'data-testid="replica-as-of"' in response.content.decode()


@ROUTED
def test_file_list_reads_from_the_replica_and_a_search_post_does_not_pin(client, staff, on_replica):
    client.force_login(staff["manager"])
    response = client.post(FILES, {"q": "1234"})  # sealed in the session: no data written
    assert response.status_code == 302
    response, _primary, standby = _per_alias(lambda: client.get(response["Location"]))
    assert response.status_code == 200 and standby > 0
    assert replica.SESSION_KEY not in client.session


@ROUTED
def test_export_task_reads_from_the_replica_and_writes_its_job_on_the_primary(staff, on_replica, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(user=staff["director"], kind="figures",
                                   params={"start": "2026-01-01", "end": "2026-01-31", "today": "2026-01-31"})
    done, _primary, standby = _per_alias(lambda: run_export(job.pk))
    job.refresh_from_db()
    assert done and job.status == ExportJob.Status.DONE
    assert standby > 10


# --- Read-your-writes -------------------------------------------------------------------------


@ROUTED
def test_read_your_writes_a_post_that_wrote_pins_the_next_pages_to_the_primary(director, on_replica):
    response = director.post(reverse("dashboard:export_start"), {"kind": "figures"})
    assert response.status_code == 302 and ExportJob.objects.exists()
    assert director.session[replica.SESSION_KEY] > time.time()
    for _ in range(2):  # the next page, and the one after
        response, primary, standby = _per_alias(lambda: director.get(DASHBOARD))
        assert response.status_code == 200 and standby == 0 and primary > 10
        assert response.context["replica_as_of"] is None
    session = director.session
    session[replica.SESSION_KEY] = time.time() - 1  # N seconds later
    session.save()
    _response, _primary, standby = _per_alias(lambda: director.get(DASHBOARD))
    assert standby > 10


@ROUTED
def test_read_your_writes_another_session_is_not_pinned(director, staff, on_replica):
    director.post(reverse("dashboard:export_start"), {"kind": "figures"})
    other = Client()
    other.force_login(staff["director"])
    _response, _primary, standby = _per_alias(lambda: other.get(DASHBOARD))
    assert standby > 10


# --- The replica down -------------------------------------------------------------------------


@ROUTED
def test_replica_unreachable_pages_read_the_primary_with_a_warning(director, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed: Connection refused")

    monkeypatch.setattr(connections["replica"], "cursor", refuse)
    with caplog.at_level(logging.WARNING, logger="charity.replica"):
        response, primary, _standby = _per_alias(lambda: director.get(DASHBOARD))
    assert response.status_code == 200 and primary > 10
    assert response.context["replica_as_of"] is None
    assert "Read replica unavailable" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="charity.replica"):
        assert director.get(FILES).status_code == 200
    assert not caplog.text  # left alone for REPLICA_RETRY_AFTER_SECONDS: one timeout, not one per page
    monkeypatch.undo()
    replica._down["until"] = 0.0
    _response, _primary, standby = _per_alias(lambda: director.get(DASHBOARD))
    assert standby > 10  # back


@ROUTED
def test_replica_far_behind_pages_read_the_primary(director, on_replica, monkeypatch, caplog):
    on_replica.REPLICA_MAX_LAG_SECONDS = 60
    monkeypatch.setattr(replica, "_replica_as_of", lambda: timezone.now() - dt.timedelta(minutes=5))
    with caplog.at_level(logging.WARNING, logger="charity.replica"):
        _response, _primary, standby = _per_alias(lambda: director.get(DASHBOARD))
    assert standby == 0 and "behind" in caplog.text
