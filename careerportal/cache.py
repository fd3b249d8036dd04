"""A shared cache of anonymous pages that an editor's save invalidates at once.

Anonymous GETs of the published pages named in CACHED_VIEWS are kept in the "pages" cache
(Redis when REDIS_URL is set, so every app server shares it; otherwise a file cache shared
by the workers of one machine). Every key carries a content version; saving or deleting any
content row bumps the version, so the next request renders fresh. The version is a string in
Redis (RedisVersion), or a small file beside the file cache (FileVersion). Each worker keeps
its own copies of the pages of the current version (LocalPages), so a hit reads only the
version, not the page.

A request with a session cookie (signed in) or a messages cookie (a message waiting to be
shown) never reads or writes the shared cache, and a response that sets a cookie (a CSRF
token, a session, a message) is never stored, so nothing personal is ever served to someone
else.

While the store is down (Redis unreachable, a folder that cannot be written) a save cannot
bump the version: the change is saved, but pages cached before may be served until they
expire, PAGE_TTL after they were stored. The editor who saved is told so on the next page
(StalePagesWarningMiddleware), and the log says it once per request. The worker that missed
the bump remembers it (MissedRefresh) and tries again on its later requests, at most every
RETRY_EVERY seconds: its first request that long after the store answers again drops those
pages, rather than leave them for the rest of PAGE_TTL.
"""

import base64
import contextvars
import hashlib
import logging
import math
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import get_script_prefix
from django.utils.cache import patch_vary_headers

from careerportal.cache_backends import FOLDER_OUTAGE

CACHED_VIEWS = frozenset(
    {
        "home",
        "search",
        "careers:list",
        "careers:detail",
        "certifications:list",
        "certifications:detail",
        "certifications:careers",
        "employers:list",
        "employers:detail",
        "employers:careers",
        "sitemap",
        "sitemap-section",
    }
)
CONTENT_APPS = frozenset({"careers", "certifications"})
logger = logging.getLogger("careerportal.cache")
VERSION_KEY = "pages:version"
# The benchmark switches this off to measure rendering.
ENABLED = True
# How long a page is kept (the pages cache's TIMEOUT): changes that do not fire a signal (a
# queryset .update(), a raw SQL fix), or saved while the store was down, show after this.
PAGE_TTL = settings.CACHES["pages"].get("TIMEOUT") or 600
# Each worker also keeps the pages of the current version it served lately, up to this many
# bytes, so a hit reads only the version (a few bytes) from the shared store, not the page.
LOCAL_BYTES = 4 * 1024 * 1024
# Added again on every response by the middleware around this one, or never shared.
_NOT_STORED = {"set-cookie", "x-request-id", "x-page-cache", "content-length"}


def page_cache():
    return caches["pages"]


class StoreVersion:
    """The content version as a key of the pages cache (any other cache backend)."""

    def get(self) -> str:
        store = page_cache()
        version = store.get(VERSION_KEY)
        if version is None:
            store.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = store.get(VERSION_KEY)
        return version

    def bump(self) -> str:
        version = uuid.uuid4().hex
        page_cache().set(VERSION_KEY, version, None)
        return version


class FileVersion:
    """The content version as a small file beside the file cache, for the workers of one
    machine. Reading it is one open and read; the file cache would also hash the key, unpickle
    an expiry and decompress the value, a tenth of the time a cached page takes. A bump writes
    a new file and renames it over the old one, so a reader sees one version or the other."""

    def __init__(self, path: Path):
        self.path = path

    def get(self) -> str:
        """The version; while the folder fails, a new one each time (no page matches it)."""
        return FOLDER_OUTAGE.guard(self._get, lambda: uuid.uuid4().hex)

    def _get(self) -> str:
        try:
            with open(self.path, "rb") as file:
                version = file.read(64)
        except FileNotFoundError:
            version = b""
        return version.decode() if len(version) == 32 else self._bump()

    def bump(self) -> str | None:
        """A new version; None while the folder fails (an editor's save still succeeds)."""
        return FOLDER_OUTAGE.guard(self._bump, lambda: None)

    def _bump(self) -> str:
        version = uuid.uuid4().hex
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".version-")
        with os.fdopen(fd, "wb") as file:
            file.write(version.encode())
        os.replace(temporary, self.path)
        return version


class RedisVersion:
    """The content version as a plain Redis string.

    Each process remembers the version it read, and Redis tells it when the key changes:
    a connection of its own asks for CLIENT TRACKING (Redis 6 or later, RESP3) in broadcast
    mode on the key, so any write to the key, from any server, an eviction or a flush, pushes
    a notice down that connection. A hit then only polls that socket (2 µs measured on this
    machine) instead of a GET (121 µs, and the Redis server's CPU), and an editor's change still
    shows at once. The remembered version is trusted for at most TRUST_FOR seconds, so even a
    notice that never came (a link dropped without a reset) costs at most that long. Where
    tracking is refused, the version is read on every hit, as before.
    """

    TRUST_FOR = 1.0
    # After the tracking connection could not be opened, read directly this long before trying.
    RETRY_TRACKING_AFTER = 60.0

    def __init__(self, url: str, key: str, options: dict, clock=time.monotonic):
        import redis

        from careerportal.redis_cache import REDIS_OUTAGE

        # redis-py opens its connections lazily and again in a forked worker.
        self.client = redis.Redis.from_url(url, **options)
        self.key = key
        self.clock = clock  # a test's own, to step past TRUST_FOR without waiting for it
        self.guard = REDIS_OUTAGE.guard
        self.errors = REDIS_OUTAGE.errors
        self.lock = threading.Lock()  # the development server answers from several threads
        self.known: str | None = None  # read while tracked; None once Redis says it changed
        self.known_until = 0.0
        self.tracker = None  # the connection the notices come down, in the process that opened it
        self.tracker_pid = 0
        self.track_after = 0.0

    def get(self) -> str:
        """The version; while Redis is unreachable, a new one each time: no page matches it,
        so every page is rendered afresh (careerportal.cache_backends)."""
        with self.lock:
            return self.guard(self._get, self._unreachable)

    def _get(self) -> str:
        tracked = self._tracked()
        if tracked and self.known is not None and self.clock() < self.known_until:
            return self.known
        version = self.client.get(self.key)
        if version is None:  # first use, or evicted: any new version is a safe one
            self.client.set(self.key, uuid.uuid4().hex, nx=True)
            version = self.client.get(self.key)
        version = version.decode()
        if tracked:  # tracking began before the read: a later change sends a notice
            self.known, self.known_until = version, self.clock() + self.TRUST_FOR
        return version

    def _tracked(self) -> bool:
        """Whether notices of changes to the key reach this process; reads any that came."""
        if self.tracker is None or self.tracker_pid != os.getpid():
            self.tracker = self.known = None
            if self.clock() < self.track_after:
                return False
            try:
                self.tracker = self._open_tracker()
                self.tracker_pid = os.getpid()
            except self.errors:  # an old Redis, a proxy refusing CLIENT, or Redis is down
                self.track_after = self.clock() + self.RETRY_TRACKING_AFTER
                return False
            return True
        try:
            while self.tracker.can_read(timeout=0):
                self.tracker.read_response(push_request=True)
                self.known = None
        except self.errors:  # the connection dropped: notices may have been lost
            self._forget()
            return False
        return True

    def _open_tracker(self):
        pool = self.client.connection_pool
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        try:
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.key)
            connection.read_response()
        except BaseException:
            connection.disconnect()
            raise
        return connection

    def _forget(self) -> None:
        if self.tracker is not None and self.tracker_pid == os.getpid():
            self.tracker.disconnect()
        self.tracker = self.known = None

    def _unreachable(self) -> str:
        self._forget()
        return uuid.uuid4().hex

    def bump(self) -> str | None:
        """A new version; None while Redis is unreachable (an editor's save still succeeds,
        and the pages cached before stay at most PAGE_TTL)."""
        version = uuid.uuid4().hex
        with self.lock:
            self.known = None  # this process sees its own change without waiting for the notice
            stored = self.guard(lambda: self.client.set(self.key, version) or True, lambda: False)
        return version if stored else None


@lru_cache(maxsize=4)
def _version_for(backend: str, location: str, prefix: str, options: tuple):
    if backend.endswith("FileBasedCache"):
        return FileVersion(Path(location) / f"{prefix or 'pages'}.version")
    if backend.endswith("RedisCache") and isinstance(location, str):
        return RedisVersion(location, f"{prefix}:{VERSION_KEY}", dict(options))
    return StoreVersion()


def content_version():
    """Where the content version of the pages cache lives (a file, or a cache key)."""
    config = settings.CACHES["pages"]
    return _version_for(
        config["BACKEND"],
        config.get("LOCATION", ""),
        config.get("KEY_PREFIX", ""),
        tuple(sorted(config.get("OPTIONS", {}).items())),
    )


def per_content_version(compute):
    """A function of no arguments that reads published content, computed again only once an
    editor's change bumps the content version (or after PAGE_TTL, for changes that fire no
    signal). Each worker keeps one result: fit for what every visitor shares, such as the
    words a search can be respelled in."""
    held = threading.local()  # a thread's result never races another's

    @wraps(compute)
    def memo():
        version = content_version().get()
        now = time.monotonic()
        kept = getattr(held, "result", None)
        if kept is not None and kept[0] == version and now < kept[1]:
            return kept[2]
        result = compute()
        held.result = (version, now + PAGE_TTL, result)
        return result

    return memo


def bump_version() -> bool:
    """Make every cached page stale, so the next request for each renders fresh; False when
    the store is down and pages cached before may be served until they expire. One that
    succeeds also makes the refreshes this process missed (MissedRefresh)."""
    missed = MISSED_REFRESH
    misses = missed.misses
    bumped = content_version().bump() is not None
    if bumped and missed.due is not None:
        missed.made(misses)
    return bumped


class MissedRefresh:
    """The refresh of the pages (a new content version) that this process could not make,
    as content was saved while the store was down, tried again on its later requests.

    Each worker retries what it itself missed: the version is shared, so one bump by the
    worker that saved refreshes the pages for every worker and server, and a worker that
    missed nothing has nothing to retry. Kept in the process only: if the worker dies or
    gets no request before the store answers, the pages cached before still expire PAGE_TTL
    after they were stored, as the editor was told. A try is made at most every RETRY_EVERY
    seconds, so while the store stays down a request does not wait on it each time (the
    store's own outage guard, careerportal/cache_backends.py, also spares it the call).
    """

    RETRY_EVERY = 5.0  # seconds

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()  # the development server answers from several threads
        self.due: float | None = None  # when to try again; None: nothing missed
        self.since = 0.0  # when the first refresh was missed
        self.models: set[str] = set()
        self.misses = 0  # refreshes missed so far; a bump clears only those it followed

    def note(self, labels: set) -> None:
        """Content of `labels` was saved while the pages could not be made stale."""
        with self.lock:
            now = self.clock()
            if self.due is None:
                self.since, self.due = now, now + self.RETRY_EVERY
            self.models |= labels
            self.misses += 1

    def retry(self) -> None:
        """Make the pages stale if a refresh was missed and the next try is due."""
        with self.lock:
            if self.due is None or self.clock() < self.due:
                return
            self.due = self.clock() + self.RETRY_EVERY  # meanwhile, other threads go on
        bump_version()

    def made(self, misses: int) -> None:
        """A bump begun after `misses` refreshes were missed succeeded: they are made."""
        with self.lock:
            if self.due is None or self.misses != misses:
                return  # made already, or missed again meanwhile: that one is still due
            models, missed_for = self.models, self.clock() - self.since
            self.due, self.models = None, set()
        logger.info(
            "The cached pages were refreshed %.0f s after saved changes to %s could not",
            missed_for,
            ", ".join(sorted(models)),
            extra={
                "event": "pages_refreshed_after_outage",
                "models": ", ".join(sorted(models)),
                "missed_for_seconds": round(missed_for, 1),
                "pid": os.getpid(),
            },
        )


MISSED_REFRESH = MissedRefresh()


def _is_content_model(model) -> bool:
    # Learner rows (anything pointing at a user) never change what a visitor sees.
    if model._meta.app_label not in CONTENT_APPS:
        return False
    user_model = settings.AUTH_USER_MODEL.lower()
    return not any(
        field.is_relation
        and field.related_model
        and field.related_model._meta.label_lower == user_model
        for field in model._meta.get_fields()
        if field.concrete
    )


def _content_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata: the load command's own caller decides
    content_changed(sender)


def content_changed(model) -> None:
    """Rows of `model` changed: if visitors see them, make every cached page stale. Signals
    call this on each save and delete; call it after a change that sends none (`.update()`).
    When that fails, the change is reported once it is committed (`_saved_while_store_down`)."""
    if _is_content_model(model) and not bump_version():
        transaction.on_commit(lambda: _saved_while_store_down(model))


# The content models this request changed while the pages could not be made stale; None
# outside a request (a management command), which is told at once.
_unrefreshed: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "pages_unrefreshed", default=None
)
STALE_PAGES = (
    "Your change is saved, but the public pages could not be refreshed: the page cache is not "
    "answering. Visitors may see the previous version for up to {minutes} minutes."
)


def stale_minutes() -> int:
    """The longest a page cached before a change may still be served, in whole minutes."""
    return math.ceil(PAGE_TTL / 60)


def _saved_while_store_down(model) -> None:
    MISSED_REFRESH.note({model._meta.label})
    unrefreshed = _unrefreshed.get()
    if unrefreshed is not None:
        unrefreshed.add(model._meta.label)
        return
    # A command (load_demo, say) saving row after row: one line for the outage.
    outage = getattr(page_cache(), "outage", None)
    told = _told_outside_requests
    if outage is None or told.get(outage.store) != outage.outages:
        if outage is not None:
            told[outage.store] = outage.outages
        _log_stale_pages({model._meta.label})


_told_outside_requests: dict[str, int] = {}  # store: the outage last logged, in this process


def _log_stale_pages(labels: set, **fields) -> None:
    outage = getattr(page_cache(), "outage", None)
    logger.warning(
        "Saved changes to %s could not refresh the cached pages: visitors may see the "
        "previous version for up to %d minutes",
        ", ".join(sorted(labels)),
        stale_minutes(),
        extra={
            "event": "pages_not_refreshed",
            "models": ", ".join(sorted(labels)),
            "stale_for_seconds": PAGE_TTL,
            "cache_error": (outage and outage.current_error()) or "",
            **fields,
        },
    )


class StalePagesWarningMiddleware:
    """Tells whoever saved content while the page cache's store was down (an editor, in the
    admin) that visitors may see the previous version for a while, and logs it once for the
    request. Inside MessageMiddleware, whose storage it writes to on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unrefreshed: set = set()
        token = _unrefreshed.set(unrefreshed)
        try:
            response = self.get_response(request)
        finally:
            _unrefreshed.reset(token)
        if unrefreshed:
            user = getattr(request, "user", None)
            _log_stale_pages(
                unrefreshed,
                request_id=getattr(request, "id", ""),
                user_id=getattr(user, "pk", None),
            )
            messages.warning(
                request, STALE_PAGES.format(minutes=stale_minutes()), fail_silently=True
            )
        return response


def connect_invalidation() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"careerportal-pages-{signal!r}")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of what renders the pages: the project's own apps, its templates, the static
    manifest (the hashed asset names pages link) and the pinned dependencies.

    It is part of every page key, so after a deploy no server replays a page that the code it
    replaced rendered (with links to assets that may be gone), while servers running the same
    code still share their pages. Computed once per process: about 150 files, 20-30 ms.
    """
    base = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()  # the virtualenv may live inside the project
    own_apps = [
        path
        for path in (Path(app.path).resolve() for app in apps.get_app_configs())
        if path.is_relative_to(base) and not path.is_relative_to(installed)
    ]
    roots = own_apps + [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    files = {path for root in roots for path in root.rglob("*") if path.suffix in _SOURCES}
    files |= {Path(settings.STATIC_ROOT) / "staticfiles.json", base / "pyproject.toml"}
    digest = hashlib.sha256()
    for path in sorted(f.resolve() for f in files if f.is_file()):
        name = path.relative_to(base) if path.is_relative_to(base) else path.name
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_SOURCES = {".py", ".html", ".txt", ".xml", ".json"}


def _page_key(request) -> str | None:
    """The page's key in the cache; None for a Host that is not ours, which is never cached:
    the middleware inside refuses it with the site's 400 page, carrying the site's headers.

    The path the site was mounted under (the script prefix, from SCRIPT_NAME, which every link
    on the page starts with) and the path within the site are two parts of the key, not one:
    gunicorn takes SCRIPT_NAME from a header a proxy may pass on from the client, and /careers/
    asked for with `SCRIPT_NAME: /careers` is the home page with every link under
    /careers/careers/, which the joined path stored for every visitor of the career list."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    query = request.META.get("QUERY_STRING", "")
    raw = (
        f"{code_version()}:{request.method == 'HEAD'}:{host}:{get_script_prefix()!r}:"
        f"{request.path_info!r}:{query}"
    )
    return f"pages:{hashlib.sha256(raw.encode()).hexdigest()}"


@dataclass(frozen=True)
class StoredPage:
    """A page ready to replay: its body split where the CSP nonce was, its headers (with the
    nonce), and the nonce; each hit joins the parts with a fresh nonce."""

    parts: tuple[bytes, ...]
    headers: list[tuple[str, str]]
    nonce: str

    @classmethod
    def from_stored(cls, content: bytes, headers: list, nonce: str) -> "StoredPage":
        parts = tuple(content.split(nonce.encode())) if nonce else (content,)
        return cls(parts, headers, nonce)

    @property
    def size(self) -> int:
        return sum(map(len, self.parts))


class LocalPages:
    """This worker's copies of shared pages: (version, expiry, page) by key, least recently
    used first, at most LOCAL_BYTES of content. A copy is served only while the shared version
    is still the one it was stored under, so it can never be staler than the shared cache."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.pages: OrderedDict[str, tuple[str, float, StoredPage]] = OrderedDict()
        self.size = 0

    def get(self, key: str, version: str) -> StoredPage | None:
        found = self.pages.get(key)
        if found is None:
            return None
        stored_version, expires, page = found
        if stored_version != version or expires < time.monotonic():
            self._drop(key)
            return None
        self.pages.move_to_end(key)
        return page

    def put(self, key: str, version: str, page: StoredPage) -> None:
        if key in self.pages:
            self._drop(key)
        if page.size > self.max_bytes:
            return
        self.pages[key] = (version, time.monotonic() + PAGE_TTL, page)
        self.size += page.size
        while self.size > self.max_bytes:
            self._drop(next(iter(self.pages)))

    def _drop(self, key: str) -> None:
        _version, _expires, page = self.pages.pop(key)
        self.size -= page.size


local_pages = LocalPages(LOCAL_BYTES)


def _fresh_nonce() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous GETs of public pages; adds Vary: Cookie to every HTML page.

    It sits right after SecurityMiddleware, so a hit skips sessions, authentication, CSRF and
    the view: the stored response already carries the headers the inner middleware added
    (CSP, X-Frame-Options, Vary), and gets a fresh CSP nonce in its header and body.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        code_version()  # at start-up: gunicorn's master computes it once for every worker

    def __call__(self, request):
        if MISSED_REFRESH.due is not None:  # before a page cached before a save is served
            MISSED_REFRESH.retry()
        key = None
        if (
            ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # A message waiting to be shown (signed out, say): this page shows it.
            and not request.COOKIES.get(settings.MESSAGES_COOKIE_NAME)
        ):
            key = _page_key(request)
        if key:
            version = content_version().get()
            page = local_pages.get(key, version)
            if page is None:
                cached = page_cache().get(key)
                if cached is not None and cached[0] == version:
                    page = StoredPage.from_stored(*cached[1:])
                    local_pages.put(key, version, page)
            if page is not None:
                return self._replay(page)
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Cookie",))
        if key and self._storable(request, response):
            nonce = getattr(request, "_csp_nonce", None) or ""
            headers = [(h, v) for h, v in response.items() if h.lower() not in _NOT_STORED]
            page_cache().set(key, (version, response.content, headers, nonce), PAGE_TTL)
            local_pages.put(key, version, StoredPage.from_stored(response.content, headers, nonce))
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _replay(page: StoredPage):
        # Each response gets its own nonce: a replayed one would let an attacker who read one
        # page predict the nonce of the next.
        fresh = _fresh_nonce() if page.nonce else ""
        body = fresh.encode().join(page.parts)
        response = HttpResponse(body, status=200)
        # CommonMiddleware, inside this one, sets it on a rendered page; without it a server
        # would send the page in chunks.
        response["Content-Length"] = str(len(body))
        for header, value in page.headers:
            response[header] = value.replace(page.nonce, fresh) if page.nonce else value
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and match.view_name in CACHED_VIEWS
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
            and response.get("Content-Type", "").startswith(("text/html", "application/xml"))
        )
