"""Two requests at once, in a chosen order: one runs in a thread (its own database
connection) while the test drives the other up to the moment that matters.

PostgreSQL only for real overlap: pytest-django's SQLite test database lives in memory,
where a second connection is refused ("database table is locked") rather than made to wait,
and the site's SQLite runs every write transaction alone (BEGIN IMMEDIATE) anyway, so the
interleavings that matter there are the ones a single thread can stage.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections

needs_postgresql = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs two connections that wait for each other's locks (PostgreSQL)",
)


class InThread:
    """Run `call()` in a thread of its own (with its own database connection); `result()`
    returns what it returned or raises what it raised."""

    def __init__(self, call):
        self._call, self._value, self._error = call, None, None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            self._value = self._call()
        except BaseException as error:  # handed to the test by result()
            self._error = error
        finally:
            connections.close_all()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self, timeout: float = 30):
        self._thread.join(timeout)
        assert self.done, "the other request never finished"
        if self._error is not None:
            raise self._error
        return self._value


def others_waiting_for_a_lock() -> int:
    """How many other connections to the test database wait for a row lock right now."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL answers from a snapshot taken at the first look.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def until_done_or_waiting(other: InThread, timeout: float = 20) -> None:
    """Return once `other` has finished, or waits for a lock this test's connection holds."""
    deadline = time.monotonic() + timeout
    while not other.done and not others_waiting_for_a_lock():
        assert time.monotonic() < deadline, "the other request neither finished nor waited"
        time.sleep(0.02)
