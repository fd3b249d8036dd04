from django.core.management.commands import migrate
from django.db import OperationalError, connections

from careerportal.management.commands.backup_db import unreachable


class Command(migrate.Command):
    """Django's migrate, stopped with one line rather than an 87-line traceback when the
    database does not answer (PostgreSQL down, a mistyped DATABASE_URL), as the daily jobs
    and load_demo are. Only the connection is checked here: an error while migrating still
    shows Django's own traceback."""

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        try:
            connection.ensure_connection()
        except OperationalError as error:
            raise unreachable(connection, "nothing migrated", error) from error
        return super().handle(*args, **options)
