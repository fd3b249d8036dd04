import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from careerportal import cache as page_cache
from careerportal.management.commands.backup_db import pg_env_and_args


class Command(BaseCommand):
    help = (
        "Replace the whole database with a file written by backup_db. Stop the app servers "
        "first: every change made since that backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a .sqlite3 or .pgdump file from backup_db")
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, backup, database, interactive, **options):
        source = Path(backup)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        sqlite_file = connection.vendor == "sqlite" and not connection.is_in_memory_db()
        if sqlite_file and not Path(name).parent.is_dir():  # else "unable to open database file"
            raise CommandError(
                f"No folder {Path(name).parent} for the database {name}: create it, or check "
                "SQLITE_PATH."
            )
        if interactive:
            answer = input(f"Replace database {name!s}? [y/N] ")
            if answer.strip().lower() != "y":
                raise CommandError("Restore cancelled.")
        if connection.vendor == "sqlite":
            if source.suffix != ".sqlite3":
                raise CommandError("A SQLite database restores from a .sqlite3 backup.")
            connection.ensure_connection()
            with sqlite3.connect(source) as backup_db:
                backup_db.backup(connection.connection)
            backup_db.close()
        elif connection.vendor == "postgresql":
            if source.suffix != ".pgdump":
                raise CommandError("PostgreSQL restores from a .pgdump backup.")
            connection.close()
            env, conn_args = pg_env_and_args(connection.settings_dict)
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *conn_args,
                    str(source),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No restore method for {connection.vendor}.")
        # Pages cached before the restore show what it undid (the cache outlives a restart).
        page_cache.bump_version()
        self.stdout.write(self.style.SUCCESS(f"Restored {source}"))
