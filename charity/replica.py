"""Reads from a streaming-replication standby (DATABASE_REPLICA_URL), where they may lag.

Only what asks for it reads from the replica: the dashboard, its exports and the file list and
search wrap their reads in `reading_from_replica()`; every other read and every write goes to
the primary ("default"). Within that block the router still sends a read to the primary when
  - no replica is configured (the router is inert: everything as without it),
  - this session wrote a moment ago (read-your-writes: a POST that changed data pins the
    session to the primary for `REPLICA_READ_YOUR_WRITES_SECONDS`, its next pages included),
  - the request has written, or the primary is inside a transaction (a page that writes never
    reads stale rows),
  - the replica did not answer (then it is left alone for `REPLICA_RETRY_AFTER_SECONDS`, with a
    warning in the log) or lags more than `REPLICA_MAX_LAG_SECONDS`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger("charity.replica")

PRIMARY, REPLICA = "default", "replica"
SESSION_KEY = "_replica_primary_until"  # epoch seconds until which this session reads the primary
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Writes that do not change what the user reads back (the session row itself).
UNTRACKED_APPS = {"sessions"}
# How far the standby is behind: the time of the last transaction replayed, or now when it has
# replayed all it received (an idle primary sends nothing, which is not lag).
_AS_OF_SQL = ("SELECT COALESCE(CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() "
              "IS DISTINCT FROM pg_last_wal_replay_lsn() THEN pg_last_xact_replay_timestamp() END, now())")


@dataclass
class _Request:
    """What the router needs to know of the current request (set by the middleware)."""
    pinned: bool = False  # this session wrote a moment ago
    tracking: bool = False  # an unsafe method: a write pins the session
    wrote: bool = False


@dataclass
class Reading:
    """The answer of `reading_from_replica()`: where the block reads, and as of when."""
    replica: bool = False
    as_of: dt.datetime | None = None


_request: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("replica_request", default=None)
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reading", default=False)
_down = {"until": 0.0}  # this process leaves an unreachable replica alone until then
_down_lock = threading.Lock()


def enabled() -> bool:
    """True when a replica is configured (DATABASE_REPLICA_URL)."""
    return bool(getattr(settings, "REPLICA_ENABLED", False)) and REPLICA in connections.settings


def _replica_as_of() -> dt.datetime | None:
    """Ask the replica how current it is; None if it does not answer (then leave it alone)."""
    if time.time() < _down["until"]:
        return None
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(_AS_OF_SQL)
                return cursor.fetchone()[0]
            cursor.execute("SELECT 1")
            return timezone.now()
    except DatabaseError:
        with _down_lock:
            _down["until"] = time.time() + settings.REPLICA_RETRY_AFTER_SECONDS
        logger.warning("Read replica unavailable: reading from the primary for %s s",
                       settings.REPLICA_RETRY_AFTER_SECONDS, exc_info=True)
        with suppress(DatabaseError):
            connection.close()
        return None


def _may_use_replica() -> bool:
    state = _request.get()
    return enabled() and not (state and (state.pinned or state.wrote))


@contextmanager
def reading_from_replica():
    """Within the block, reads go to the replica when it may serve them (see the module's doc);
    the `Reading` yielded says whether they do, and how current the replica is."""
    reading = Reading()
    if _may_use_replica():
        as_of = _replica_as_of()
        if as_of is not None and timezone.now() - as_of > dt.timedelta(seconds=settings.REPLICA_MAX_LAG_SECONDS):
            logger.warning("Read replica %s behind: reading from the primary", timezone.now() - as_of)
        elif as_of is not None:
            reading.replica, reading.as_of = True, as_of
    token = _reading.set(reading.replica)
    try:
        yield reading
    finally:
        _reading.reset(token)


def _routing_reads() -> bool:
    if not _reading.get() or not _may_use_replica():
        return False
    return not connections[PRIMARY].in_atomic_block


class ReplicaRouter:
    """Send the reads of a `reading_from_replica()` block to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        if not enabled():
            return None
        return REPLICA if _routing_reads() else PRIMARY

    def db_for_write(self, model, **hints):
        if not enabled():
            return None
        state = _request.get()
        if state and state.tracking and model._meta.app_label not in UNTRACKED_APPS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if enabled() and {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """Pin a session that has just written to the primary for a few seconds (read-your-writes).
    Sits after SessionMiddleware, which saves what it records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        session = getattr(request, "session", None)
        now = time.time()
        pinned = bool(session is not None and session.get(SESSION_KEY, 0) > now)
        state = _Request(pinned=pinned, tracking=request.method in UNSAFE_METHODS)
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote and session is not None:
            session[SESSION_KEY] = time.time() + settings.REPLICA_READ_YOUR_WRITES_SECONDS
        return response
