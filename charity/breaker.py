"""A circuit breaker per process, for a service the site can work without for a while (Redis:
the cache behind the rate limits, the broker behind the background tasks).

After a failure the process stops asking the service for `settings.REDIS_RETRY_AFTER_SECONDS`:
a hung Redis costs one bounded timeout (`settings.REDIS_TIMEOUT_SECONDS`), not one per call
and per request, so pages never stall behind it. The work the service would have carried is
not lost: rate limits fail open, and tasks wait in the database for the periodic sweeps."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("charity.breaker")


class Breaker:
    def __init__(self, name: str):
        self.name = name
        self._until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        """True while the service is being left alone after a failure."""
        return time.monotonic() < self._until

    def trip(self) -> None:
        seconds = settings.REDIS_RETRY_AFTER_SECONDS
        with self._lock:
            first = not self.is_open()
            self._until = time.monotonic() + seconds
        if first:
            logger.warning("%s unavailable: not asked again for %s s", self.name, seconds)

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0



def call(service: Breaker, fn, default=None):
    """`fn()`, or `default` when `service` failed a moment ago or fails now (then left alone)."""
    if service.is_open():
        return default
    try:
        return fn()
    except Exception:
        service.trip()
        logger.warning("%s call failed", service.name, exc_info=True)
        return default


cache = Breaker("cache")
broker = Breaker("broker")
