import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder

# What backup_db names its files: the ones --keep counts and deletes, and nothing else.
BACKUP_GLOB = "careerportal-*Z.*"
BACKUP_SUFFIXES = {".sqlite3", ".pgdump"}


def pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    """Connection environment and arguments for pg_dump / pg_restore."""
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


def unreachable(connection, nothing: str, error: OperationalError) -> CommandError:
    """The one line a command stops with when the database does not answer (server down, a
    mistyped DATABASE_URL), instead of a 60-line traceback. `nothing`: what was not done."""
    name = connection.settings_dict["NAME"]
    return CommandError(f"Cannot reach the database {name}: {nothing}. {error}")


def refuse_an_empty_database(connection, *, nothing: str) -> None:
    """Stop a job (a backup, a daily job) started without the app's variables: cron passes
    none of them, so it reaches the default SQLite file, which connecting would create empty.
    A backup would then copy nothing every night and say it had succeeded; another job would
    end in a traceback about a missing table and leave that empty file behind. `nothing` says
    what was not done, e.g. "nothing backed up"."""
    name = connection.settings_dict["NAME"]
    hint = (
        "Is DATABASE_URL set for this command? cron and other schedulers do not pass on the "
        "variables the app servers run with."
    )
    sqlite_file = connection.vendor == "sqlite" and not connection.is_in_memory_db()
    if sqlite_file and not Path(name).is_file():
        raise CommandError(f"No database at {name}: {nothing}. {hint}")
    recorder = MigrationRecorder(connection)
    try:
        migrated = recorder.has_table() and recorder.applied_migrations()
    except OperationalError as error:  # cron mailed the operator a 60-line traceback
        raise unreachable(connection, nothing, error) from error
    if not migrated:
        raise CommandError(
            f"Database {name} holds no CareerPortal tables (never migrated): {nothing}. {hint}"
        )


def _prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder` (by the time in their names)."""
    backups = sorted(path for path in folder.glob(BACKUP_GLOB) if path.suffix in BACKUP_SUFFIXES)
    old = backups[:-keep] if keep else []
    for path in old:
        path.unlink()
    return old


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to a timestamped file while the site runs "
        "(SQLite's online backup API, or pg_dump for PostgreSQL) and print its path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BASE_DIR / "backups"))
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="after a successful backup, delete all but the newest KEEP in --dir (0: keep all)",
        )

    def handle(self, *args, dir, database, keep, **options):
        if keep < 0:
            raise CommandError("--keep counts backups: 0 (keep all) or more.")
        connection = connections[database]
        refuse_an_empty_database(connection, nothing="nothing backed up")
        folder = Path(dir)
        # The copies hold every learner's e-mail address and password hash: owner-only.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        previous_umask = os.umask(0o077)
        try:
            target = self._back_up(connection, folder, stamp)
        finally:
            os.umask(previous_umask)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target}"))
        for path in _prune(folder, keep):
            self.stdout.write(f"Deleted {path}")

    def _back_up(self, connection, folder: Path, stamp: str) -> Path:
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
                target.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        return target
