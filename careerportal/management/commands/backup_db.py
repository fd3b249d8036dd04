import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    """Connection environment and arguments for pg_dump / pg_restore."""
    import os

    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    return env, args


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to a timestamped file while the site runs "
        "(SQLite's online backup API, or pg_dump for PostgreSQL) and print its path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument("--database", default="default")

    def handle(self, *args, dir, database, **options):
        connection = connections[database]
        folder = Path(dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        if connection.vendor == "sqlite":
            target = folder / f"careerportal-{stamp}.sqlite3"
            import sqlite3

            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                # Page by page, without blocking writers for the whole copy.
                connection.connection.backup(copy, pages=1024)
            copy.close()
        elif connection.vendor == "postgresql":
            target = folder / f"careerportal-{stamp}.pgdump"
            env, conn_args = pg_env_and_args(connection.settings_dict)
            result = subprocess.run(
                ["pg_dump", "--format=custom", f"--file={target}", *conn_args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target}"))
