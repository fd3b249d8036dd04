"""Django's Redis cache, made something the site survives losing.

Redis holds only what can be rebuilt: cached pages, the pages' content version and the
sign-in rate limits. With Django's own backend an unreachable Redis turned every page, cached
or not, into a server error, though the database was fine. Here a failed call reads as a miss
and writes nothing, and for the next RETRY_AFTER seconds this process does not try Redis at
all, so pages are rendered afresh at their usual speed instead of each waiting on a timeout.
Rate limits lapse while Redis is away (sign-in keeps working); every outage is logged.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("careerportal.cache")

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure (see also the socket
# timeouts in settings.CACHES: what one call to a host that does not answer may cost)


class _Outage:
    """When this process may try Redis again (one clock for the cache and the version key)."""

    retry_at = 0.0

    @classmethod
    def guard(cls, call, fallback):
        """call() unless Redis failed in the last RETRY_AFTER seconds; fallback() instead."""
        if time.monotonic() < cls.retry_at:
            return fallback()
        try:
            return call()
        except RedisError as error:
            cls.retry_at = time.monotonic() + RETRY_AFTER
            logger.error(
                "Redis is unreachable (%s): caches read as empty for %.0f s", error, RETRY_AFTER
            )
            return fallback()


guard = _Outage.guard


def _guarded(name, fallback):
    def method(self, *args, **kwargs):
        parent = getattr(super(ResilientRedisCache, self), name)
        return guard(lambda: parent(*args, **kwargs), lambda: fallback(*args, **kwargs))

    method.__name__ = name
    return method


def _default(key, default=None, version=None):
    return default


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # as BaseCache.incr says of a missing key


class ResilientRedisCache(RedisCache):
    """RedisCache whose calls, when Redis fails, answer as an empty cache that keeps nothing.
    `add` answers True: a lock (allauth's rate limits take one) counts as taken."""

    get = _guarded("get", _default)
    add = _guarded("add", lambda *args, **kwargs: True)
    set = _guarded("set", lambda *args, **kwargs: None)
    incr = _guarded("incr", _missing)
    touch = _guarded("touch", lambda *args, **kwargs: False)
    delete = _guarded("delete", lambda *args, **kwargs: False)
    has_key = _guarded("has_key", lambda *args, **kwargs: False)
    get_many = _guarded("get_many", lambda *args, **kwargs: {})
    set_many = _guarded("set_many", lambda *args, **kwargs: [])
    delete_many = _guarded("delete_many", lambda *args, **kwargs: None)
    clear = _guarded("clear", lambda *args, **kwargs: None)
