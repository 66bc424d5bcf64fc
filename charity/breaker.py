"""A circuit breaker for a service the site can work without for a while (Redis: the cache
behind the rate limits, the broker behind the background tasks).

After a failure the service is left alone for `settings.REDIS_RETRY_AFTER_SECONDS`: a hung
Redis costs one bounded timeout (`settings.REDIS_TIMEOUT_SECONDS`), not one per call and per
request, so pages never stall behind it. The work the service would have carried is not lost:
rate limits fail open, and tasks wait in the database for the periodic sweeps.

The state is shared by every process of the machine (gunicorn's workers, the Celery worker),
in a small file per server (`settings.BREAKER_DIR`), so the cache and the broker on the same
Redis share one breaker, one process's failure spares the others their own timeout, and when
the period ends *one* process asks again (it holds the probe for two timeouts) while the others
keep leaving the service alone until it answers or fails.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("charity.breaker")
CLOSED = 0.0


class Breaker:
    def __init__(self, name: str, url_setting: str):
        self.name, self.url_setting = name, url_setting
        self._until = CLOSED  # this process's copy of the shared «left alone until» (epoch seconds)
        self._probing = threading.local()
        self._lock = threading.Lock()

    # --- the shared state ------------------------------------------------------------------

    def _path(self) -> Path:
        """One file per server: the cache and the broker on one Redis share it."""
        url = str(getattr(settings, self.url_setting, "") or self.name)
        server = re.sub(r"^\w+://", "", url).split("/", 1)[0].rsplit("@", 1)[-1]
        return Path(settings.BREAKER_DIR) / (re.sub(r"[^\w.-]", "_", server) or self.name)

    def _read(self) -> float:
        try:
            return float(self._path().read_text() or CLOSED)
        except (OSError, ValueError):
            return CLOSED

    def _write(self, until: float) -> None:
        path = self._path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
            partial.write_text(repr(until))
            partial.replace(path)  # atomic: a reader never sees half a number
        except OSError:  # a full or read-only disk: the breaker works for this process alone
            logger.warning("breaker state for %s not shared", self.name, exc_info=True)
        self._until = until

    def _claim_probe(self, now: float) -> bool:
        """The period is over: True for the one process that asks the service again."""
        lock_path = self._path().with_suffix(".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            with open(lock_path, "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shared = self._read()
                if shared == CLOSED or shared <= now:
                    self._write(now + 2 * settings.REDIS_TIMEOUT_SECONDS if shared != CLOSED else CLOSED)
                    self._probing.active = shared != CLOSED
                    return True
                self._until = shared
                return False
        except BlockingIOError:  # another process is claiming it right now
            return False
        except OSError:
            return True

    # --- the interface ---------------------------------------------------------------------

    def is_open(self) -> bool:
        """True while the service is being left alone after a failure."""
        now = time.time()
        if now < self._until:
            return True
        shared = self._read()
        if shared == CLOSED:
            self._until = CLOSED
            return False
        if now < shared:
            self._until = shared
            return True
        return not self._claim_probe(now)

    def trip(self) -> None:
        seconds = settings.REDIS_RETRY_AFTER_SECONDS
        with self._lock:
            first = self._read() == CLOSED or getattr(self._probing, "active", False)
            self._probing.active = False
            self._write(time.time() + seconds)
        if first:
            logger.warning("%s unavailable: not asked again for %s s", self.name, seconds)

    def succeeded(self) -> None:
        """The service answered: close the breaker if this process was the one asking again."""
        if getattr(self._probing, "active", False):
            self._probing.active = False
            self.reset()
            logger.warning("%s answers again", self.name)

    def reset(self) -> None:
        with self._lock:
            self._write(CLOSED)


def call(service: Breaker, fn, default=None):
    """`fn()`, or `default` when `service` failed a moment ago or fails now (then left alone)."""
    if service.is_open():
        return default
    try:
        result = fn()
    except Exception:
        service.trip()
        logger.warning("%s call failed", service.name, exc_info=True)
        return default
    service.succeeded()
    return result


cache = Breaker("cache", "REDIS_URL")
broker = Breaker("broker", "CELERY_BROKER_URL")
