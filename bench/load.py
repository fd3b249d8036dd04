"""Load without errors: `python -m bench.load` (60 s at 32 connections per scenario).

Scenarios, each against gunicorn on 127.0.0.1 with one worker per core:
- career pages: anonymous GETs rotating over every career page and the career list;
- progress updates: signed-in learners POST progress changes (session cookie + CSRF token),
  each answered by a redirect, as a browser would submit the form.
Any response outside 2xx/3xx or any socket error fails the run. The database is SQLite in
BENCH_DIR unless BENCH_DATABASE_URL names a PostgreSQL one (REDIS_URL is passed through).
"""

import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from bench.__main__ import BENCH_DIR, configure_environment, create_postgres_database

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "32"))


def sign_in(base: str, email: str, password: str) -> tuple[str, str, str]:
    """Sign in through the real form; return (session cookie, CSRF cookie, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(base + "/accounts/login/", data=data, timeout=10).read()
    cookies = {c.name: c.value for c in jar}
    # The form token for later POSTs: any page with a form carries one for this session.
    page = opener.open(base + "/dashboard/", timeout=10).read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    token = found.group(1) if found else token
    cookies = {c.name: c.value for c in jar}
    return cookies["sessionid"], cookies["csrftoken"], token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_post_is_accepted(base: str, path: str, cookie: str, body: str) -> None:
    """One POST by hand: a redirect back to the page, not to sign-in or a CSRF refusal."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(
        base + path,
        data=body.encode(),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        opener.open(request, timeout=10)
        raise RuntimeError(f"POST {path} did not redirect")
    except urllib.error.HTTPError as response:
        location = response.headers.get("Location", "")
        if response.code != 302 or "/accounts/login/" in location:
            raise RuntimeError(f"POST {path} answered {response.code} {location}") from None


def lua_get(paths: list[str]) -> str:
    items = ",".join(f'"{p}"' for p in paths)
    return f"""
local paths = {{{items}}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def lua_post(requests: list[tuple[str, str, str]]) -> str:
    rows = ",".join(f'{{"{path}", "{cookie}", "{body}"}}' for path, cookie, body in requests)
    return f"""
local rows = {{{rows}}}
local i = 0
request = function()
  i = i + 1
  local row = rows[(i % #rows) + 1]
  return wrk.format("POST", row[1], {{
    ["Cookie"] = row[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }}, row[3])
end
"""


def main() -> int:
    env = configure_environment()
    # 32 connections post for 5 learners, thousands of changes a minute each: far past what a
    # person sends (LEARNER_WRITES_PER_MINUTE, 60 in production). The limit stays on, so its
    # cost is measured, but this high it never refuses the load.
    env["LEARNER_WRITES_PER_MINUTE"] = os.environ["LEARNER_WRITES_PER_MINUTE"] = "10000000"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.http import Server, wrk
    from bench.pages import LEARNER_PASSWORD, LEARNERS_PER_SCALE, build_dataset
    from careers.models import Career
    from certifications.models import Certification

    if connection.vendor == "postgresql":
        create_postgres_database()
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    build_dataset(1)
    career_paths = [c.get_absolute_url() for c in Career.objects.published()]
    career_paths.append("/careers/")
    cert_slugs = list(Certification.objects.values_list("slug", flat=True)[:8])
    backend = connection.vendor + (" + Redis" if os.environ.get("REDIS_URL") else "")
    connection.close()

    server = Server("careerportal.wsgi:application", 18120, env)
    failures = 0
    try:
        server.wait_ready()
        rows = []
        for n in range(LEARNERS_PER_SCALE):
            session, csrf, token = sign_in(
                server.url, f"bench-learner-0-{n}@example.com", LEARNER_PASSWORD
            )
            cookie = f"sessionid={session}; csrftoken={csrf}"
            for i, slug in enumerate(cert_slugs):
                status = ("planning", "studying")[(n + i) % 2]
                body = urllib.parse.urlencode({"status": status, "csrfmiddlewaretoken": token})
                rows.append((f"/certifications/{slug}/progress/", cookie, body))
        check_post_is_accepted(server.url, *rows[0])
        scripts = {
            "career pages (anonymous GET)": lua_get(career_paths),
            "progress updates (signed-in POST)": lua_post(rows),
        }
        print(
            f"Load: {backend}, gunicorn {os.cpu_count()} workers, wrk {CONNECTIONS} connections "
            f"for {SECONDS}s per scenario"
        )
        for label, lua in scripts.items():
            path = BENCH_DIR / f"load-{abs(hash(label))}.lua"
            path.write_text(lua)
            result = wrk(server.url, connections=CONNECTIONS, seconds=SECONDS, script=str(path))
            ok = result["non_2xx_3xx"] == 0 and result["socket_errors"] == 0
            failures += not ok
            print(
                f"  {'PASS' if ok else 'FAIL'}  {label}: {result['requests']} requests, "
                f"{result['rps']:.0f} rps, p50 {result['p50_ms']:.1f} ms, "
                f"p99 {result['p99_ms']:.1f} ms, non-2xx/3xx {result['non_2xx_3xx']}, "
                f"socket errors {result['socket_errors']}"
            )
            if not ok:
                print(result["raw"])
    finally:
        server.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
