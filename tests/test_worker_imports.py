"""What a web worker never loads (libraries only editors' saves, feeds or tooling need), and
what gunicorn's master loads once for all of them.

Each is measured worker memory in `make bench` (resident, per gunicorn worker):
babel with CLDR 6.6 MiB, markdown-it with nh3 2.9 MiB. icalendar serves one feed and is
imported there when asked for.
"""

import os
import subprocess
import sys
from pathlib import Path

NEVER_LOADED = {"babel", "markdown_it", "nh3", "icalendar"}
ROOT = Path(__file__).resolve().parent.parent

# What a worker holds after serving every kind of page: settings, the URL conf with every
# view, every template library, the page helpers.
WORKER = """
import sys, django
django.setup()
from django.urls import get_resolver
get_resolver()._populate()
from django.template import engines
engines["django"].engine.template_libraries
import careerportal.wsgi, careers.career_page, careers.money
careers.money.format_money(1, "EUR")
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_worker_never_loads_babel_markdown_or_icalendar():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "careerportal.settings"}
    out = subprocess.run(
        [sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(out.stdout.split())
    assert "careers" in loaded and "django" in loaded  # the probe did load the site
    assert not NEVER_LOADED & loaded


# gunicorn's master, after loading the app and before forking the workers.
MASTER = """
import sys
import careerportal.wsgi
from django.db import connections
from django.urls import get_resolver
from careerportal import gunicorn
gunicorn.when_ready(None)
print("redis" in sys.modules, get_resolver()._populated,
      "careerportal.templatetags.fields" in sys.modules,
      any(c.connection is not None for c in connections.all(initialized_only=True)))
"""


def test_the_master_loads_what_every_worker_shares_without_connecting():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerportal.settings",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing answers there: no connection is tried
    }
    out = subprocess.run(
        [sys.executable, "-c", MASTER], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "False"]


def test_the_master_of_another_application_loads_nothing():
    probe = "import sys; from careerportal import gunicorn; gunicorn.when_ready(None); "
    probe += "print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# The benchmarked pages, served by a process set up as gunicorn's master sets itself up, on
# data an earlier process wrote (an editor's save renders Markdown; a page never does).
SERVED = """
import sys
import careerportal.wsgi
from careerportal import gunicorn
gunicorn.when_ready(None)
from django.contrib.auth import get_user_model
from django.test import Client
from bench.pages import LEARNER_EMAIL, PAGES, first_slugs
client = Client()
client.force_login(get_user_model().objects.get(email=LEARNER_EMAIL))
for page in PAGES:
    assert client.get(page.url(*first_slugs())).status_code == 200, page
print(" ".join(sorted(sys.modules)))
"""
DATA = """
import django
django.setup()
from django.core.management import call_command
from bench.pages import build_dataset
call_command("migrate", interactive=False, verbosity=0)
build_dataset(1)
"""
# Whole modules no benchmarked page needs, each measured in `make bench`'s resident worker
# memory: humanize's template filters (no template loads them; its 24 plural-aware lazy
# strings make a class each), 0.7 MiB; smtplib, which only sending an e-mail needs, 0.1 MiB.
NOT_SERVING = NEVER_LOADED | {"django.contrib.humanize", "smtplib"}


def test_serving_every_benchmarked_page_loads_nothing_only_rare_work_needs(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerportal.settings",
        "DJANGO_HTTPS": "0",
        "DJANGO_MANIFEST_STATIC": "0",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "STATIC_ROOT": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-c", DATA], cwd=ROOT, env=env, check=True, timeout=300)
    out = subprocess.run(
        [sys.executable, "-c", SERVED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    loaded = set(out.stdout.split())
    assert "careers.views" in loaded  # the probe did serve the site
    assert sorted(NOT_SERVING & loaded) == []
