"""Redis as the cache all app hosts share, answering misses while Redis cannot be reached.

The cache holds only copies: rendered pages, aggregates, data-version tokens, and sessions whose
master copy is in the database. So while Redis is away the portal serves uncached pages instead
of errors, and a process stops asking Redis for a few seconds after a failure rather than make
every request wait for a timeout.

Writes made while Redis was away are lost, and a stale copy could then outlive its change (a
signed-out session, a renewed data-version token), for instance when Redis comes back from a
snapshot. A process that lost writes therefore empties the cache when it reaches Redis again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.checks import Tags, Warning, register
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
#: Seconds a process answers misses after a failure before it tries Redis again
#: (``OPTIONS["retry_after"]``).
RETRY_AFTER = 5.0

DEFAULT_OPTIONS = {
    # A pooled connection that a restarted Redis closed is reopened once; a Redis that does not
    # answer costs a request at most these timeouts.
    "retry": Retry(NoBackoff(), 1),
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    "health_check_interval": 30,
}


class _Reachability:
    """What the threads of one process know of one Redis server."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.lost_writes = False


_reachability: dict[tuple[str, ...], _Reachability] = {}
_reachability_lock = threading.Lock()


def _reachability_of(servers) -> _Reachability:
    key = tuple(servers)
    with _reachability_lock:
        return _reachability.setdefault(key, _Reachability())


def _key_not_found():
    # What incr() raises for a missing key, which every caller of incr() handles.
    raise ValueError("Key not found (the cache is unreachable).")


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, retry_after: float = RETRY_AFTER, **options):
        super().__init__(servers, **{**DEFAULT_OPTIONS, **options})
        self._reachability = _reachability_of(servers)
        self._retry_after = retry_after

    def _guarded(self, call: Callable[[], Any], fallback: Callable[[], Any], *, write: bool):
        state = self._reachability
        if time.monotonic() < state.down_until:
            if write:
                state.lost_writes = True
            return fallback()
        try:
            if state.lost_writes:
                self._start_clean()
            return call()
        except UNREACHABLE as error:
            with state.lock:
                if time.monotonic() >= state.down_until:
                    logger.warning(
                        "The cache (Redis) cannot be reached, pages are served uncached: %s",
                        error,
                    )
                state.down_until = time.monotonic() + self._retry_after
                state.lost_writes = state.lost_writes or write
            return fallback()

    def _start_clean(self) -> None:
        state = self._reachability
        with state.lock:
            if state.lost_writes:
                super().clear()
                state.lost_writes = False
                logger.warning("The cache (Redis) is back; emptied it of copies made stale.")

    def add(self, key, value, timeout):
        return self._guarded(partial(super().add, key, value, timeout), lambda: False, write=True)

    def get(self, key, default):
        return self._guarded(partial(super().get, key, default), lambda: default, write=False)

    def set(self, key, value, timeout):
        return self._guarded(partial(super().set, key, value, timeout), lambda: None, write=True)

    def touch(self, key, timeout):
        return self._guarded(partial(super().touch, key, timeout), lambda: False, write=True)

    def delete(self, key):
        return self._guarded(partial(super().delete, key), lambda: False, write=True)

    def get_many(self, keys):
        return self._guarded(partial(super().get_many, keys), dict, write=False)

    def has_key(self, key):
        return self._guarded(partial(super().has_key, key), lambda: False, write=False)

    def incr(self, key, delta):
        return self._guarded(partial(super().incr, key, delta), _key_not_found, write=True)

    def set_many(self, data, timeout):
        return self._guarded(partial(super().set_many, data, timeout), lambda: None, write=True)

    def delete_many(self, keys):
        return self._guarded(partial(super().delete_many, keys), lambda: None, write=True)

    def clear(self):
        return self._guarded(partial(super().clear), lambda: False, write=True)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that degrades to misses instead of raising while Redis is away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    def ping(self) -> None:
        """Raise unless Redis answers now (for the readiness check; never degraded)."""
        self._cache.get_client(write=True).ping()


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        return []
    return [
        Warning(
            "REDIS_URL is not set: each server process keeps its own cache.",
            hint=(
                "Set REDIS_URL (e.g. redis://redis.internal:6379/0). Without it a change made "
                "through one process shows on the public pages served by the others only "
                "after up to 15 minutes."
            ),
            id="tpbis_portal.W001",
        )
    ]
