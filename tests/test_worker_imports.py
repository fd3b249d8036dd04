"""What a web worker never loads (libraries only editors' saves, feeds or tooling need), and
what gunicorn's master loads once for all of them.

Each is measured worker memory in `make bench` (resident, per gunicorn worker):
babel with CLDR 6.6 MiB, markdown-it with nh3 2.9 MiB. icalendar serves one feed and is
imported there when asked for.
"""

import os
import subprocess
import sys

NEVER_LOADED = {"babel", "markdown_it", "nh3", "icalendar"}

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
