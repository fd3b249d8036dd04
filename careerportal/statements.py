"""PostgreSQL statements prepared before a migration changed what they return run again.

With prepared statements (settings: DATABASE_PREPARED_STATEMENTS), PostgreSQL keeps each
connection's statements, and one whose result columns a migration changed the type of (a
longer CharField, say) fails with "cached plan must not change result type" on every run
until its connection closes (checked on PostgreSQL 15 with psycopg 3.3: the career page was
a 500 on each request after `ALTER COLUMN tagline TYPE varchar(241)` from another session).
Such a query is run again without its prepared statement, and the connection, whose other
statements may be as stale, is replaced at the end of the request.
"""

from django.db import NotSupportedError

_STALE_PLAN = "cached plan must not change result type"


def watch(sender, connection, **kwargs):
    """connection_created: make a PostgreSQL connection run stale statements afresh."""
    wrappers = connection.execute_wrappers
    if connection.vendor == "postgresql" and run_afresh_when_stale not in wrappers:
        # First, not last: connection.execute_wrapper() takes off the last one when it ends.
        wrappers.insert(0, run_afresh_when_stale)


def run_afresh_when_stale(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        if _STALE_PLAN not in str(error.__cause__ or error):
            raise
        connection = context["connection"]
        connection.close_at = 0  # closed once the request ends (close_old_connections)
        if many or connection.in_atomic_block:  # the transaction is lost: nothing to run again
            raise
        # Autocommit: the statement failed before it ran, so running it again is safe.
        with connection.wrap_database_errors:
            return context["cursor"].cursor.execute(sql, params, prepare=False)
