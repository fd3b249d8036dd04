"""SESSION_ENGINE: Django's database sessions, reading only a cookie that could be a key."""

import hashlib
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

_KEY_LENGTH = Session._meta.get_field("session_key").max_length
_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    """A cookie the site never made (a NUL byte, sent as `"\\000"`, or any other character
    no key has) counts as no session, without a query: PostgreSQL refuses a NUL in a query,
    and Django's own check passes any 8 characters, so such a cookie made every page a 500."""

    def _validate_session_key(self, key):
        return bool(key) and 8 <= len(key) <= _KEY_LENGTH and _KEY_CHARS.issuperset(key)


def sessions_delete_for(user_ids) -> int:
    """Delete every unexpired session signed in as one of `user_ids` (an account being deleted:
    its sessions on other devices would keep its id and settings until they expired). Database
    sessions hold the user inside their signed data, so each is read and decoded: one pass
    over the sessions table. Returns how many were deleted."""
    wanted = {str(pk) for pk in user_ids}
    store = SessionStore()
    doomed = [
        key
        for key, data in Session.objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator(chunk_size=2000)
        if str(store.decode(data).get(SESSION_KEY)) in wanted
    ]
    deleted = 0
    for start in range(0, len(doomed), 500):  # SQLite's limit on a query's parameters
        deleted += Session.objects.filter(session_key__in=doomed[start : start + 500]).delete()[0]
    return deleted


# A browser's session ended by deleting its account is remembered for a while (by a digest of
# its key, in the cache every worker shares): a second press of "Delete my account for good",
# sent before the first answer came back, carries the session the first press ended, and its
# answer is the one the learner sees.
ENDED_BY_DELETION_SECONDS = 600
ACCOUNT_DELETED = "Your account and everything in it are deleted."
DELETING, DELETED = "deleting", "deleted"
# How long such a second press waits for the first one's deletion to finish before saying so.
DELETION_WAIT_SECONDS = 10


def _ended_key(session_key: str) -> str:
    return "session-ended-by-deletion:" + hashlib.sha256(session_key.encode()).hexdigest()


@contextmanager
def session_ending_by_deletion(request):
    """Around signing out and deleting the request's account: remember its session as ending
    from the start (another request with its cookie is signed out once the sign-out commits),
    as ended once the deletion is done, and not at all if the deletion fails."""
    key = _ended_key(request.session.session_key or "")
    cache.set(key, DELETING, ENDED_BY_DELETION_SECONDS)
    try:
        yield
    except BaseException:
        cache.delete(key)
        raise
    cache.set(key, DELETED, ENDED_BY_DELETION_SECONDS)


def session_ended_by_deletion(request) -> bool:
    """The session cookie this request carries is one whose account was just deleted; for a
    deletion under way (the first press still at work), once it is done, waiting for it up to
    DELETION_WAIT_SECONDS."""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie:
        return False
    key = _ended_key(cookie)
    deadline = time.monotonic() + DELETION_WAIT_SECONDS
    while (state := cache.get(key)) == DELETING and time.monotonic() < deadline:
        time.sleep(0.1)
    return state == DELETED
