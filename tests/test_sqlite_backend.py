"""SQLite runs each query's SQL as Django writes it (careerportal/sqlite/base.py)."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from hypothesis import given
from hypothesis import strategies as st

from careerportal.sqlite.base import CursorWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backend")

# What SQL with placeholders is made of: placeholders, escaped and bare percent signs, quotes,
# and the text around them (a %s after an escaped %% is a literal "%s", not a placeholder).
SQL = st.lists(
    st.sampled_from(["%s", "%%", "%", "s", "%%s", "%%%s", "?", "'", " LIKE ", "SELECT x", "é"]),
    max_size=12,
).map("".join)


@pytest.mark.django_db
@given(SQL)
def test_placeholders_are_rewritten_as_django_rewrites_them(sql):
    with connection.cursor() as cursor:
        ours = cursor.cursor
        djangos = connection.connection.cursor(factory=SQLiteCursorWrapper)
        try:
            assert ours.convert_query(sql) == djangos.convert_query(sql)
        finally:
            djangos.close()


def test_named_parameters_are_rewritten_as_django_rewrites_them(db):
    with connection.cursor() as cursor:
        assert cursor.cursor.convert_query("x = %(a)s", param_names=["a"]) == "x = :a"


def test_the_site_runs_its_queries_through_this_backend(db):
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, CursorWrapper)
        cursor.execute("SELECT %s || '%%', %s", ["50", 7])
        assert cursor.fetchone() == ("50%", 7)
