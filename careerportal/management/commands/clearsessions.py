from django.contrib.sessions.management.commands import clearsessions
from django.db import connection

from careerportal.management.commands.backup_db import refuse_an_empty_database


class Command(clearsessions.Command):
    """Django's clearsessions, stopped with a message rather than a traceback (and an empty
    db.sqlite3 left behind) when cron starts it without the app's variables."""

    def handle(self, **options):
        refuse_an_empty_database(connection, nothing="no sessions cleared")
        return super().handle(**options)
