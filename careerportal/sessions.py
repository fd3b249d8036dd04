"""SESSION_ENGINE: Django's database sessions, reading only a cookie that could be a key."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
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
