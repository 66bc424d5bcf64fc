"""Fixed-window limits for the public pages (the complaint link, the certificate check).

One place for how an event is counted: the cache (Redis in production) holds a counter and the
window's start under a key that is an HMAC of what is counted, so it never holds an address or
an identity number in clear. When the cache is down the limit is skipped, logged, and the
request goes on: the public pages must keep working (CP-4), and CSRF and each page's own
checks still apply. Each page keeps its own limits and messages."""

from __future__ import annotations

import logging
from functools import wraps

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from . import breaker

logger = logging.getLogger("charity.ratelimit")


def key(namespace: str, value: str) -> str:
    """The cache key counting `value` (an address, an identity number) under `namespace`."""
    digest = salted_hmac(f"charity.ratelimit.{namespace}", value or "unknown").hexdigest()[:32]
    return f"rate:{namespace}:{digest}"


def _fail_open(check):
    @wraps(check)
    def guarded(*args, **kwargs):
        if breaker.cache.is_open():  # failed a moment ago: do not wait on it again
            return None
        try:
            result = check(*args, **kwargs)
        except Exception:  # the cache backend's own connection errors and timeouts
            breaker.cache.trip()
            logger.warning("rate limit unavailable (cache error) in %s; request allowed", check.__name__,
                           exc_info=True)
            return None
        breaker.cache.succeeded()
        return result

    return guarded


def _window_end(counter: str, seconds: int, now: float) -> float:
    return cache.get(f"{counter}:start", now) + seconds


@_fail_open
def hit(counter: str, limit: tuple[int, int], now: float) -> float | None:
    """Count one event in a window of `limit` = (count, seconds); return when the window ends
    (a timestamp) if this event is over the limit, else None."""
    count, seconds = limit
    cache.add(f"{counter}:start", now, seconds)
    cache.add(counter, 0, seconds)
    try:
        hits = cache.incr(counter)
    except ValueError:  # the window expired between add and incr
        cache.set(f"{counter}:start", now, seconds)
        cache.set(counter, 1, seconds)
        hits = 1
    return _window_end(counter, seconds, now) if hits > count else None


@_fail_open
def reached(counter: str, limit: tuple[int, int], now: float) -> float | None:
    """When the window ends if the limit is already reached, without counting; else None."""
    count, seconds = limit
    return _window_end(counter, seconds, now) if cache.get(counter, 0) >= count else None
