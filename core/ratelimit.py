"""Counting requests against a limit, in the shared cache (Redis when there is one).

When the cache cannot be reached, the count goes to the database instead (core.models.RateLimitCount,
one row per key, locked while it is counted), with a warning logged, rather than failing the request
(a 500 on a public form) or letting every request through: the limit keeps holding across every web
process while Redis is down, at the cost of one small write per limited request for that while.
Expired rows are cleared as the fallback counts.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis.exceptions
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import RateLimitCount

logger = logging.getLogger(__name__)

# What the cache raises when its server is unreachable (Django's RedisCache lets redis-py's errors
# through; a socket-level failure is an OSError).
CACHE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _count_in_database(key: str, window: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        RateLimitCount.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        row, created = RateLimitCount.objects.select_for_update().get_or_create(
            key=key[:200], defaults={"count": 1, "expires_at": now + timedelta(seconds=window)}
        )
        if created:
            return 1
        if row.expires_at <= now:  # a new window
            row.count, row.expires_at = 0, now + timedelta(seconds=window)
        row.count += 1
        row.save(update_fields=["count", "expires_at"])
        return row.count


def rate_limit_exceeded(key: str, *, limit: int, window: int) -> bool:
    """Count one more request under `key` (a count lasts `window` seconds from the first); True once
    there have been more than `limit`."""
    try:
        count = _count(key, window)
    except CACHE_ERRORS as error:
        logger.warning(
            "The cache is unreachable (%s: %s); counting %s in the database instead.",
            type(error).__name__,
            error,
            key,
        )
        count = _count_in_database(key, window)
    return count > limit
