"""Django's SQLite backend, with its placeholders rewritten without a regular expression.

Django writes SQL with %s placeholders and the SQLite backend turns them into ? on every
execute, with a regular expression (a %s not after a %) over the whole text, then a replace
of %% by %. The career page's six queries hold 8 KB of SQL: rewriting it took 3.8% of the
page's instructions in a worker (33.4M -> 32.1M a request, callgrind). SQL without a %% has
no escaped percent sign, so each %s is a placeholder and one str.replace() does the same; SQL
with one (a LIKE pattern written into the query) still goes Django's way.

Engine "careerportal.sqlite" (settings.py sets it for a sqlite:// DATABASE_URL, or none): a
subclass as Django's documentation describes, with everything else Django's.
"""

from django.db.backends.sqlite3 import base


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and "%%" not in query:
            return query.replace("%s", "?")
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
