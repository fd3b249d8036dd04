"""backup_db and the daily jobs as an operator runs them: from cron, with the backups kept
private and pruned."""

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _from_a_bare_environment(tmp_path, database: Path, *command, **variables):
    """`manage.py <command>` as cron starts it: none of the app's variables, so no
    DATABASE_URL; SQLITE_PATH stands in for the project folder's default db.sqlite3."""
    env = {
        **variables,
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "SQLITE_PATH": str(database),
        "CACHE_DIR": str(tmp_path / "cache"),
        "PAGE_CACHE_DIR": str(tmp_path / "pagecache"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _backup_from_a_bare_environment(tmp_path, database: Path):
    return _from_a_bare_environment(
        tmp_path, database, "backup_db", "--dir", str(tmp_path / "backups")
    )


def test_a_backup_started_without_the_database_url_fails_instead_of_copying_nothing(tmp_path):
    missing = tmp_path / "db.sqlite3"
    result = _backup_from_a_bare_environment(tmp_path, missing)
    assert result.returncode != 0  # cron mails the operator
    assert "nothing backed up" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert not missing.exists()  # no empty database left behind either
    assert list((tmp_path / "backups").glob("*")) == []


def test_a_backup_of_a_database_never_migrated_fails(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = _backup_from_a_bare_environment(tmp_path, empty)
    assert result.returncode != 0
    assert "never migrated" in result.stderr
    assert list((tmp_path / "backups").glob("*")) == []


@pytest.mark.parametrize(
    ("job", "nothing"),
    [("send_reminders", "no reminders sent"), ("clearsessions", "no sessions cleared")],
)
def test_a_daily_job_started_without_the_database_url_says_so(tmp_path, job, nothing):
    missing = tmp_path / "db.sqlite3"
    result = _from_a_bare_environment(tmp_path, missing, job)
    assert result.returncode == 1  # cron mails the operator
    assert result.stderr.startswith(f"CommandError: No database at {missing}: {nothing}. ")
    assert "Is DATABASE_URL set for this command?" in result.stderr
    assert not missing.exists()  # no empty database left behind for the next job to find


@pytest.mark.parametrize(
    ("job", "nothing"),
    [
        ("backup_db", "nothing backed up"),
        ("send_reminders", "no reminders sent"),
        ("clearsessions", "no sessions cleared"),
    ],
)
def test_a_daily_job_that_cannot_reach_the_database_says_so_in_one_line(tmp_path, job, nothing):
    """PostgreSQL down, or a mistyped DATABASE_URL: cron mailed a 60-line traceback."""
    result = _from_a_bare_environment(
        tmp_path,
        tmp_path / "unused.sqlite3",
        job,
        *(["--dir", str(tmp_path / "backups")] if job == "backup_db" else []),
        DATABASE_URL="postgres://careerportal@127.0.0.1:1/careerportal",
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"CommandError: Cannot reach the database careerportal: {nothing}. connection failed"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("command", "nothing"),
    [("migrate", "nothing migrated"), ("load_demo", "no demo content loaded")],
)
def test_setting_up_a_database_that_cannot_be_reached_says_so_in_one_line(
    tmp_path, command, nothing
):
    """`make demo` with PostgreSQL down or a mistyped DATABASE_URL printed 70 to 90 lines of
    traceback ending in the one that mattered."""
    result = _from_a_bare_environment(
        tmp_path,
        tmp_path / "unused.sqlite3",
        command,
        "--noinput" if command == "migrate" else "--refresh",
        DATABASE_URL="postgres://careerportal@127.0.0.1:1/careerportal",
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"CommandError: Cannot reach the database careerportal: {nothing}. connection failed"
    )
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2  # psycopg's own hint may take a second line


def _backup(folder: Path, **options) -> Path:
    out = io.StringIO()
    call_command("backup_db", dir=str(folder), stdout=out, **options)
    return Path(out.getvalue().split("Backed up to ", 1)[1].splitlines()[0].strip())


@pytest.mark.django_db(transaction=True)
def test_backups_are_readable_by_their_owner_only(tmp_path):
    """They hold every learner's e-mail address and password hash."""
    backup = _backup(tmp_path / "backups")
    assert backup.stat().st_size > 0
    assert stat.S_IMODE(backup.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(backup.parent.stat().st_mode) & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_keep_deletes_all_but_the_newest_backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    made = [_backup(folder, keep=2) for _ in range(4)]
    assert sorted(folder.iterdir()) == sorted([*made[-2:], folder / "notes.txt"])


def test_a_restore_into_a_folder_that_does_not_exist_says_so(tmp_path):
    """A new machine's SQLITE_PATH in a folder not made yet: a message, not a traceback."""
    backup = tmp_path / "careerportal-20260101T000000000000Z.sqlite3"
    sqlite3.connect(backup).close()
    database = tmp_path / "missing" / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_db", "--noinput", str(backup)],
        cwd=ROOT,
        env={**os.environ, "SQLITE_PATH": str(database), "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: No folder {database.parent} for the database {database}: create it, "
        "or check SQLITE_PATH.\n"
    )
