"""`make serve`'s gunicorn settings: workers fork from a master that set Django up once; HEAD
answers carry no body."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.http import StreamingHttpResponse
from django.test import RequestFactory

from careerportal import gunicorn as gunicorn_settings
from careerportal.middleware import head_without_body

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _waited_for(server: subprocess.Popen, log: Path, what: str, found):
    """What `found()` returns once it returns something, while gunicorn runs (60 s at most)."""
    deadline = time.monotonic() + 60
    while not (value := found()):
        assert server.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"gunicorn did not {what} within 60 s"
        time.sleep(0.1)
    return value


def _answer(url: str) -> tuple[int, bytes] | None:
    try:
        return _get(url)
    except OSError:  # not listening yet
        return None


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def _head(port: int, path: str) -> tuple[bytes, dict[bytes, bytes], bytes]:
    """A HEAD over a raw socket: the status line, the headers, and every byte sent after them
    (HTTP allows none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = dict(line.lower().split(b": ", 1) for line in lines)
    return status, headers, rest


def test_the_settings_preload_the_app_with_one_worker_per_core_by_default():
    assert gunicorn_settings.preload_app is True
    assert gunicorn_settings.workers == (os.cpu_count() or 1)


def _environment(**variables) -> dict:
    """This process's variables without PORT, BIND or an enclosing make's, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "BIND", "MAKEFLAGS"}}
    return {**env, **variables}


def _what_make_runs(target: str, **variables) -> str:
    """The command `make <target>` would start the server with (a dry run: nothing runs)."""
    planned = subprocess.run(
        ["make", "--dry-run", target],
        cwd=ROOT,
        env=_environment(**variables),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return next(line for line in planned.splitlines() if "runserver" in line or "gunicorn " in line)


def _gunicorn_bind(**variables) -> subprocess.CompletedProcess:
    code = "from careerportal import gunicorn; print(gunicorn.bind)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(**variables),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_port_chooses_where_make_run_and_make_serve_listen():
    """Port 8000 taken by another project: `make run` had no way to use another one."""
    assert _what_make_runs("run").endswith(" runserver 127.0.0.1:8000")  # as it always was
    assert _what_make_runs("run", PORT="8001").endswith(" runserver 127.0.0.1:8001")
    assert _what_make_runs("serve", PORT="8001").startswith("PORT=8001 ")
    assert _gunicorn_bind(PORT="8001").stdout == "127.0.0.1:8001\n"
    assert _gunicorn_bind().stdout == "127.0.0.1:8000\n"
    assert _gunicorn_bind(PORT="8001", BIND="10.0.0.5:9000").stdout == "10.0.0.5:9000\n"
    refused = _gunicorn_bind(PORT="80o1")
    assert refused.returncode == 1
    assert refused.stderr == "PORT must be a port number from 1 to 65535, not '80o1'.\n"


def test_links_in_emails_lead_to_the_port_the_developers_server_listens_on():
    """`PORT=8001 make run` sent confirmation and reset links to port 8000."""
    code = "from django.conf import settings; print(settings.SITE_URL)"
    without_site_url = {k: v for k, v in _environment().items() if k != "SITE_URL"}
    without_site_url["DJANGO_SETTINGS_MODULE"] = "careerportal.settings"

    def site_url(**variables):
        return subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            cwd=ROOT,
            env={**without_site_url, **variables},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    assert site_url(DJANGO_DEBUG="1") == "http://127.0.0.1:8000\n"
    assert site_url(DJANGO_DEBUG="1", PORT="8001") == "http://127.0.0.1:8001\n"
    assert (
        site_url(DJANGO_DEBUG="1", PORT="8001", SITE_URL="https://a.example")
        == "https://a.example\n"
    )


def test_preloaded_workers_serve_pages_and_the_health_check(tmp_path):
    # The master sets Django up before forking: nothing it opened (a database connection, a
    # cache client) may be shared by the workers, or their requests would fail or mix.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerportal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SQLITE_PATH": str(tmp_path / "serve.sqlite3"),
        "PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER", "LOG_FORMAT"):
        env.pop(name, None)
    for command in ("migrate", "collectstatic"):
        subprocess.run(
            [sys.executable, "manage.py", command, "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [
                *(GUNICORN, "-c", "python:careerportal.gunicorn", "careerportal.wsgi"),
                *("--bind", "127.0.0.1:0", "--workers", "2"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            start_new_session=True,
        )
    try:
        # Bound to port 0, gunicorn takes a free port as it binds and names it: no other
        # process can take it in between (a port found free beforehand could be, and gunicorn
        # then failed to bind, or the test asked another server).
        listening = _waited_for(
            server,
            log,
            "listen",
            lambda: re.search(r"Listening at: http://[\d.]+:(\d+) ", log.read_text()),
        )
        port = int(listening[1])
        # The master forks the second worker up to 0.1 s after the first, which may have
        # served every request below by then (1 run in 6 saw one worker on a busy machine).
        _waited_for(
            server, log, "boot 2 workers", lambda: log.read_text().count("Booting worker") == 2
        )
        status, body = _waited_for(
            server, log, "answer", lambda: _answer(f"http://127.0.0.1:{port}/healthz")
        )
        assert status == 200 and b'"database": "ok"' in body
        # Enough requests that both workers answer some of them.
        for _ in range(20):
            status, body = _get(f"http://127.0.0.1:{port}/careers/")
            assert status == 200 and b"</html>" in body, log.read_text()
        # A long shared search link reaches the page, which shortens the search and says so.
        long_status, long_body = _get(f"http://127.0.0.1:{port}/careers/?q=" + "x" * 6000)
        assert long_status == 200 and b"shortened" in long_body, long_status
        # A HEAD (a load balancer's check, a link checker) gets GET's headers and no body.
        status, headers, rest = _head(port, "/careers/")
        assert status == b"HTTP/1.1 200 OK" and rest == b"", (status, len(rest))
        assert int(headers[b"content-length"]) == len(body)  # the GET's length, not 0
        status, headers, rest = _head(port, "/healthz")
        assert status == b"HTTP/1.1 200 OK" and rest == b"", (status, len(rest))
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(workers) == 2
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # gunicorn's own lines are JSON too, as the app's are: a log shipper parses every line.
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    booted = [e for e in entries if e["message"].startswith("Booting worker with pid: ")]
    assert [(e["logger"], e["level"]) for e in booted] == [("gunicorn.error", "INFO")] * 2


def test_a_streamed_answer_to_head_leaves_without_its_body():
    def view(request):
        return StreamingHttpResponse(iter([b"line 1\n", b"line 2\n"]))

    head = head_without_body(view)(RequestFactory().head("/export"))
    assert b"".join(head.streaming_content) == b""
    get = head_without_body(view)(RequestFactory().get("/export"))
    assert b"".join(get.streaming_content) == b"line 1\nline 2\n"
