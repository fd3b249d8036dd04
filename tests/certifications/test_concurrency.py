"""One progress row written by 8 processes at once, each with its own database connection.

On SQLite the processes share a temporary database file (an in-memory test database cannot be
shared between processes); on PostgreSQL (DATABASE_URL) they use pytest-django's test database.
Each process sets the status and appends its own marker to the notes through the services;
all 8 markers must survive (0 lost updates), no process may fail, and there must be one row.
"""

import multiprocessing
import os
import sys

import pytest

WORKERS = 8
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _setup_django(env):
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.environ["DJANGO_SETTINGS_MODULE"] = "careerportal.settings"
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import django

    django.setup()


def _prepare_sqlite(env, out):
    """Migrate a fresh file database and create the learner and the certification."""
    _setup_django(env)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from certifications.models import Certification, Provider

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user("racer", "racer@example.com", "x" * 16)
    provider = Provider.objects.create(name="P", slug="p")
    cert = Certification.objects.create(
        name="C", slug="c", provider=provider, level="associate", summary="s", status="published"
    )
    out.put((user.pk, cert.pk))


def _race(env, user_id, cert_id, marker, barrier, results):
    _setup_django(env)
    from django.contrib.auth import get_user_model
    from django.db import connections

    from certifications.models import Certification
    from certifications.services.progress import progress_note_append, progress_update

    try:
        user = get_user_model().objects.get(pk=user_id)
        cert = Certification.objects.get(pk=cert_id)
        connections.close_all()  # start the race with fresh connections
        barrier.wait(timeout=60)
        progress_update(user=user, certification=cert, status="studying")
        progress_note_append(user=user, certification=cert, text=marker)
        results.put(("ok", marker))
    except Exception as error:  # reported to the parent, which fails the test
        results.put(("error", f"{marker}: {error!r}"))
    finally:
        connections.close_all()


def _run_race(env, user_id, cert_id):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    markers = [f"marker-{n}" for n in range(WORKERS)]
    processes = [
        ctx.Process(target=_race, args=(env, user_id, cert_id, m, barrier, results))
        for m in markers
    ]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=90) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    return markers, outcomes


@pytest.mark.django_db(transaction=True)
def test_eight_processes_updating_one_progress_row_lose_nothing(tmp_path, settings):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from certifications.models import CertificationProgress
    from tests.factories import CertificationFactory

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env = {"SQLITE_PATH": str(tmp_path / "race.sqlite3"), "DATABASE_URL": None}
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        prep = ctx.Process(target=_prepare_sqlite, args=(env, out))
        prep.start()
        user_id, cert_id = out.get(timeout=90)
        prep.join(timeout=60)
    elif connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}"
        env = {"DATABASE_URL": f"{url}:{db['PORT'] or 5432}/{db['NAME']}"}
        user = get_user_model().objects.create_user("racer", "racer@example.com", "x" * 16)
        user_id, cert_id = user.pk, CertificationFactory().pk
    else:
        pytest.skip(f"no concurrency set-up for {connection.vendor}")

    markers, outcomes = _run_race(env, user_id, cert_id)

    errors = [detail for kind, detail in outcomes if kind != "ok"]
    assert errors == []
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(env["SQLITE_PATH"]) as raw:
            rows = raw.execute(
                "SELECT status, notes FROM certifications_certificationprogress"
            ).fetchall()
    else:
        rows = list(CertificationProgress.objects.values_list("status", "notes"))
    assert len(rows) == 1
    status, notes = rows[0]
    assert status == "studying"
    assert sorted(notes.splitlines()) == sorted(markers)
