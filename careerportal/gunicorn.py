"""gunicorn settings shared by `make serve`, the README's deployment and the benchmark.

    gunicorn -c python:careerportal.gunicorn careerportal.wsgi

Command-line flags override these; WEB_CONCURRENCY, BIND (or PORT alone) and
FORWARDED_ALLOW_IPS tune them.
"""

import gc
import os
import sys

# PORT picks the port on 127.0.0.1 (`PORT=8001 make serve`, as `make run`); BIND, an address
# and port or a unix: socket, overrides it.
port = (os.environ.get("PORT") or "8000").strip()
if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
    sys.exit(f"PORT must be a port number from 1 to 65535, not {port!r}.")
bind = os.environ.get("BIND") or f"127.0.0.1:{int(port)}"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
# The master sets Django up once and the workers fork from it, sharing that memory until
# they write to it. Measured with 2 workers after a minute of cached pages: each worker's own
# memory fell from 34.1 to 6.6 MiB (its proportional share from 37.6 to 18.4 MiB); rendering
# pages for minutes grows it again (35.6 MiB own after `make bench`). Deploying new code needs
# a restart, not a HUP. Nothing in setup opens a database or cache connection to inherit.
preload_app = True
# A shared search link can be long; the pages shorten what they are sent (a search keeps its
# first 100 characters) and say so, but a request line past gunicorn's default 4,094 bytes got
# its bare "Bad Request" page instead. 8,190 is gunicorn's maximum and nginx's default buffer.
limit_request_line = 8190
# The proxies' addresses or networks. gunicorn takes the WSGI scheme from their
# X-Forwarded-Proto alone but passes the headers on from anyone (checked with gunicorn 24);
# behind a proxy, Django drops them from anyone else itself (settings.FORWARDED_ALLOW_IPS,
# the same variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
# gunicorn's own lines (listening, a worker booted, exited or killed by WORKER TIMEOUT) as one
# JSON object each, like the app's (settings.LOGGING): a log shipper reading JSON lines had
# these as unparseable "[2026-01-01 ...] [INFO] ..." text. No level here, so --log-level holds.
if (os.environ.get("LOG_FORMAT") or "json").strip().lower() == "json":
    logconfig_dict = {
        "root": {"handlers": []},  # Django's LOGGING gives the root logger its handler
        "loggers": {"gunicorn.error": {"handlers": ["gunicorn"], "propagate": False}},
        "handlers": {
            "gunicorn": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": {"()": "careerportal.logs.JsonFormatter"}},
    }


def when_ready(server):
    """Before the workers fork, load what each would otherwise load on its own at its first
    requests, so that they share it: the URL resolver's tables (which the first reverse()
    builds), the template engine and its tag libraries (the first page), and, with REDIS_URL,
    redis-py (which Django's Redis cache imports on first use). Nothing here connects to the
    database or the cache.

    Measured with 2 workers after serving six kinds of page, uncached: each worker's own
    memory fell from 27.3 to 23.0 MiB on SQLite (27.7 to 23.4 MiB on PostgreSQL and Redis) and
    its proportional share from 35.4 to 32.6 MiB (37.4 to 36.0). Resident memory, which counts
    shared pages in full, is unchanged on SQLite (53.2 MiB); on PostgreSQL it now holds
    redis-py from the start (58.3 to 62.5 MiB), where it used to grow by as much at the first
    cached page or rate limit."""
    if "django" not in sys.modules:  # another application (the benchmark's minimal one)
        return
    from django.conf import settings
    from django.template import engines
    from django.urls import reverse
    from django.utils.module_loading import import_string

    import_string(settings.CACHES["default"]["BACKEND"])
    reverse("home")  # the first reverse() fills the resolver's tables
    engines["django"]  # the template engine, with every template tag library imported


def pre_fork(server, worker):
    # Objects made before the fork never change; frozen, the collector never writes to
    # them, so the pages holding them stay shared instead of being copied into each worker.
    gc.freeze()
