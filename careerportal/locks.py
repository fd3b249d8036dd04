"""Holding rows against deletion while a transaction writes rows that point at them.

A foreign key is checked when the transaction commits (Django makes them deferrable), so a
row deleted between the moment a form was checked and that commit failed the save with a
server error. `hold_rows` takes the lock the foreign key check would take, early.
"""

from django.db import connections, router


def hold_rows(model, pks) -> set:
    """Those of `pks` whose rows exist, each kept from being deleted until the surrounding
    transaction ends (one query).

    PostgreSQL: FOR KEY SHARE, which only a delete (or a change of primary key) waits for, so
    writers holding the same row never wait for each other. SQLite: the transaction is the
    only writer already (BEGIN IMMEDIATE), so a row there now stays until it commits."""
    pks = list(pks)
    if not pks:
        return set()
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE {column} = ANY(%s) FOR KEY SHARE", [pks]
        )
        return {row[0] for row in cursor.fetchall()}
