"""Each app's migrations stand on their own: an operator can squash one app's history and
delete its old files without breaking another app's migrations, and careers' history never
waits on certifications' (DESIGN.md: certifications depends on careers, never the reverse)."""

import importlib.util
import sys

import pytest
from django.db.migrations.loader import MigrationLoader

APPS = ("careers", "certifications")


@pytest.fixture(scope="module")
def on_disk():
    return sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


@pytest.mark.parametrize("app", APPS)
def test_an_apps_migrations_load_without_the_other_apps_migration_files(app, on_disk, monkeypatch):
    # As if the other app's history were squashed and its old files deleted: importing
    # one of them fails, as a deleted file would.
    for label, name in on_disk:
        if label in APPS and label != app:
            monkeypatch.setitem(sys.modules, f"{label}.migrations.{name}", None)

    for label, name in on_disk:
        if label == app:
            spec = importlib.util.find_spec(f"{app}.migrations.{name}")
            spec.loader.exec_module(importlib.util.module_from_spec(spec))  # raises if not


def test_careers_history_never_depends_on_certifications(on_disk):
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for label, name in on_disk:
        if label == "careers":
            ancestors = graph.forwards_plan((label, name))
            assert not [key for key in ancestors if key[0] == "certifications"], name
