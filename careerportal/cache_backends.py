"""Cache backends the site survives losing: a failed call reads as a miss and writes nothing.

The caches hold only what can be rebuilt: cached pages, the pages' content version and the
sign-in rate limits. With Django's own backends a store that failed (Redis unreachable, a
page-cache folder that cannot be written, a full disk) turned every page, cached or not, into
a server error, though the database was fine, and made editors' saves fail. Here, after a
failure, this process leaves the store alone for RETRY_AFTER seconds, so pages are rendered
afresh at their usual speed instead of each waiting on a timeout; each outage is logged once.

The default cache holds counts: the rate limits on signing in, signing up, password resets and
learners' writes. An empty cache that keeps nothing let them lapse, so while Redis was down
anyone could guess passwords without limit. There (`CountsInMemoryWhileDown`) each process
keeps the counts in its own memory meanwhile: a limit of 5 failed sign-ins is 5 per worker
(at most 5 times the workers of every server), never unlimited, and signing in still works;
failing closed instead would lock every learner out for as long as Redis is away. The first
count kept so in each process and outage is logged as one warning. The Redis flavour is in
careerportal/redis_cache.py, which alone imports redis.
"""

import fcntl
import logging
import os
import time
from contextlib import contextmanager

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger("careerportal.cache")

RETRY_AFTER = 5.0  # seconds without trying a store after it failed


class Outage:
    """One store's failures in this process: which errors count, and when to try again."""

    def __init__(self, store: str, errors: tuple[type[BaseException], ...]):
        self.store = store
        self.errors = errors
        self.retry_at = 0.0
        self.last_error = ""
        self.failing = False
        self.outages = 0  # how many times it failed after answering, in this process

    def current_error(self) -> str:
        """What made the store fail, while this process is leaving it alone; else ""."""
        return self.last_error if time.monotonic() < self.retry_at else ""

    def guard(self, call, fallback):
        """call() unless the store failed in the last RETRY_AFTER seconds; fallback() instead."""
        if time.monotonic() < self.retry_at:
            return fallback()
        try:
            result = call()
        except self.errors as error:
            if not self.failing:
                self.failing, self.outages = True, self.outages + 1
            self.retry_at = time.monotonic() + RETRY_AFTER
            self.last_error = f"{self.store} failed: {error}"
            logger.error(
                "%s failed (%s): caches read as empty for %.0f s", self.store, error, RETRY_AFTER
            )
            return fallback()
        self.failing = False
        return result


def _guarded(name, fallback):
    def method(self, *args, **kwargs):
        parent = getattr(super(ResilientCacheMixin, self), name)
        return self.outage.guard(
            lambda: parent(*args, **kwargs),
            lambda: self._while_down(name, fallback, *args, **kwargs),
        )

    method.__name__ = name
    return method


def _default(key, default=None, version=None):
    return default


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # as BaseCache.incr says of a missing key


class ResilientCacheMixin:
    """A cache whose calls, while its store fails (`outage`), answer as an empty cache that
    keeps nothing. `add` answers True: a lock (allauth's rate limits take one) counts as
    taken."""

    outage: Outage

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

    def _while_down(self, name, fallback, *args, **kwargs):
        """What call `name` answers while the store fails."""
        return fallback(*args, **kwargs)


class CountsInMemoryWhileDown(ResilientCacheMixin):
    """A cache of counts that, while its store fails, keeps them in this process's memory
    rather than nowhere: the rate limits go on counting, per process."""

    STAND_IN_ENTRIES = 10_000  # as the file cache's; past it a third is dropped, as there

    def _while_down(self, name, fallback, *args, **kwargs):
        if getattr(self, "_warned_for", 0) != self.outage.outages:
            self._warned_for = self.outage.outages
            logger.warning(
                "%s is down: rate limits are counted in this process until it answers",
                self.outage.store,
                extra={
                    "event": "rate_limits_in_process",
                    "store": self.outage.store,
                    "cache_error": self.outage.last_error,
                    "pid": os.getpid(),
                },
            )
        return getattr(self._stand_in(), name)(*args, **kwargs)

    def _stand_in(self) -> LocMemCache:
        # LocMemCache keeps its entries per process and name (a forked worker its own copy),
        # shared by this cache's instance in each thread.
        stand_in = self.__dict__.get("_stand_in_cache")
        if stand_in is None:
            stand_in = self._stand_in_cache = LocMemCache(
                f"careerportal-stand-in-{self.outage.store}",
                {
                    "TIMEOUT": self.default_timeout,
                    "OPTIONS": {"MAX_ENTRIES": self.STAND_IN_ENTRIES},
                },
            )
        return stand_in


FOLDER_OUTAGE = Outage("The page cache folder", (OSError,))


class ResilientFileBasedCache(ResilientCacheMixin, FileBasedCache):
    """Django's file cache (the pages cache without Redis); a folder that cannot be written
    costs the cache, not the page."""

    outage = FOLDER_OUTAGE

    def _createdir(self):
        # Called when the cache is first used in a request, too: a folder that cannot be made
        # must not fail it.
        self.outage.guard(super()._createdir, lambda: None)


class AtomicFileCounts(FileBasedCache):
    """Django's file cache with `add` and `incr` that workers cannot interleave. Django's
    check whether a key exists and then writes, and its incr reads and then writes: two
    workers counting the same wrong password at the same instant both wrote the same count
    (4 processes counting 150 each at once kept 156 to 171 of 600, measured here). Both now
    hold a lock on a file in the folder (flock: released by the kernel if a worker dies)."""

    LOCK_NAME = "counts.lock"  # not a .djcache file: never listed, culled or cleared

    @contextmanager
    def _counting(self):
        self._createdir()
        with open(os.path.join(self._dir, self.LOCK_NAME), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, *args, **kwargs):
        with self._counting():
            return super().add(*args, **kwargs)

    def incr(self, *args, **kwargs):
        with self._counting():
            return super().incr(*args, **kwargs)


class SharedFileBasedCache(CountsInMemoryWhileDown, ResilientFileBasedCache, AtomicFileCounts):
    """The default cache without Redis: the rate limits (sign-in, sign-up, password resets,
    learner writes) in files that every worker of the machine shares and that outlive a
    restart. In local memory each gunicorn worker kept its own counts (four workers let 20
    wrong passwords through a limit of 5) and a restart forgot them: so only while the folder
    cannot be written. A folder of its own, so that culling the pages never drops a count, and
    an outage of its own."""

    outage = Outage("The cache folder", (OSError,))
    # Django's file cache counts the folder's files on every write to keep MAX_ENTRIES: 0.4 ms
    # with 100 files, 15 ms with 3,000 (measured here), on every counted request. Here each
    # process counts at most this often; the folder can only grow by what arrives meanwhile.
    CULL_EVERY = 30.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_cull = 0.0

    def _cull(self):
        """Past MAX_ENTRIES, delete the expired files first (most, in a folder of rate limits
        whose windows have passed), so that a live count is not dropped while they remain;
        Django's random third only if that was not enough."""
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_EVERY
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        for name in files:
            try:
                with open(name, "rb") as file:
                    self._is_expired(file)  # deletes the file when it is
            except FileNotFoundError:  # another worker deleted it first
                pass
        super()._cull()
