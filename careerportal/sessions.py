"""SESSION_ENGINE: Django's database sessions, reading only a cookie that could be a key."""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session

_KEY_LENGTH = Session._meta.get_field("session_key").max_length
_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    """A cookie the site never made (a NUL byte, sent as `"\\000"`, or any other character
    no key has) counts as no session, without a query: PostgreSQL refuses a NUL in a query,
    and Django's own check passes any 8 characters, so such a cookie made every page a 500."""

    def _validate_session_key(self, key):
        return bool(key) and 8 <= len(key) <= _KEY_LENGTH and _KEY_CHARS.issuperset(key)
