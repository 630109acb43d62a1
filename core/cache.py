"""The Redis cache made to degrade: with Redis unreachable a read misses and a write is dropped, the page is served.

The cache only holds what can be computed again (served dashboards, figures) and the public pages' rate-limit
counts. Django's own RedisCache raises on a lost connection, which made every page that reads the cache a 500
during a Redis outage. Errors of the data (a wrong type, a bad command) still raise: they are bugs.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .circuit import Circuit

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

circuit = Circuit("Redis cache", open_seconds=5)  # each try costs at most the 1 s socket timeout (settings)


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache; while Redis is unreachable (and for a few seconds after each failure) every call
    answers as an empty cache would, without waiting for the server."""

    def _call(self, method, *args, fallback=None, **kwargs):
        if circuit.is_open():
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            circuit.trip(error, method)
            return fallback
        circuit.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._call("delete", key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        # As for a missing key: django-ratelimit then finds no count and lets the request through
        # (RATELIMIT_FAIL_OPEN); a caller counting something else sees the documented ValueError.
        result = self._call("incr", key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear", fallback=False)
