"""Django's Redis cache, made something the site survives losing (careerportal/cache_backends.py
says how). Only a process configured for Redis imports this module, and with it redis-py."""

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from careerportal.cache_backends import CountsInMemoryWhileDown, Outage, ResilientCacheMixin

# One clock for the caches and the pages' version key: they live on the same Redis. The socket
# timeouts in settings.CACHES bound what one call to a host that does not answer may cost.
REDIS_OUTAGE = Outage("Redis", (RedisError,))


class ResilientRedisCache(ResilientCacheMixin, RedisCache):
    outage = REDIS_OUTAGE


class CountingRedisCache(CountsInMemoryWhileDown, ResilientRedisCache):
    """The default cache with Redis (the rate limits, the health check): while Redis is down,
    each process counts the limits in its own memory rather than letting them lapse."""
