"""Counting requests against a limit, in the shared cache (Redis when there is one).

When the cache cannot be reached, the count falls back to this process's own memory, with a warning
logged, rather than failing the request (a 500 on a public form) or letting every request through.
Why memory and not the database: the limit keeps holding, per web process (with N processes an
address gets at most N times the limit while Redis is down), it needs no table, migration or write
on every request, and Redis being down is short-lived and already an alert. The cost: a restart
forgets the counts, and processes do not share them.
"""

from __future__ import annotations

import logging

import redis.exceptions
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# What the cache raises when its server is unreachable (Django's RedisCache lets redis-py's errors
# through; a socket-level failure is an OSError).
CACHE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)

_fallback = LocMemCache("core-ratelimit-fallback", {"MAX_ENTRIES": 10_000})


def _count(store: BaseCache, key: str, window: int) -> int:
    store.add(key, 0, timeout=window)
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout=window)
        return 1


def rate_limit_exceeded(key: str, *, limit: int, window: int) -> bool:
    """Count one more request under `key` (a count lasts `window` seconds from the first); True once
    there have been more than `limit`."""
    try:
        count = _count(cache, key, window)
    except CACHE_ERRORS as error:
        logger.warning(
            "The cache is unreachable (%s: %s); counting %s in this process's memory instead.",
            type(error).__name__,
            error,
            key,
        )
        count = _count(_fallback, key, window)
    return count > limit
