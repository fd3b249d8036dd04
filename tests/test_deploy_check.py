"""Production settings pass Django's deployment checklist; development ones do not."""

import itertools
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'DEBUG', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'MESSAGES_COOKIE_NAME', "
    "'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', "
    "'SECURE_HSTS_SECONDS', 'ALLAUTH_TRUSTED_PROXY_COUNT', 'FORWARDED_ALLOW_IPS', "
    "'MIDDLEWARE']}))"
)
PRINT_PATHS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({'engine': db['ENGINE'], "
    "'database': str(db['NAME']), 'static': str(s.STATIC_ROOT), 'media': str(s.MEDIA_ROOT), "
    "'cache': s.CACHES['default']['BACKEND']}))"
)


def _env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_")) and key != "PYTEST_XDIST_WORKER"
    }
    env["DJANGO_SETTINGS_MODULE"] = "careerportal.settings"
    env.update(overrides)
    return env


def _production_env(**overrides):
    return _env(
        **{
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "careers.example.com",
            "SITE_URL": "https://careers.example.com",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DEFAULT_FROM_EMAIL": "CareerPortal <noreply@careers.example.com>",
            **overrides,
        }
    )


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_with_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        ("", "careerportal.W001"),  # the development default, http://127.0.0.1:8000
        ("http://localhost:8000", "careerportal.W001"),
        ("https://careers.example.org", "careerportal.W002"),  # not an allowed host
    ],
)
def test_deploy_check_refuses_links_that_would_not_reach_the_site(site_url, problem):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(SITE_URL=site_url),
    )
    assert result.returncode != 0
    assert problem in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ({"EMAIL_BACKEND": ""}, "careerportal.W003"),  # the default prints them to the console
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "careerportal.W003"),
        ({"DEFAULT_FROM_EMAIL": ""}, "careerportal.W004"),  # CareerPortal <noreply@localhost>
        ({"DEFAULT_FROM_EMAIL": "noreply"}, "careerportal.W004"),
    ],
)
def test_deploy_check_refuses_email_that_would_never_reach_anyone(variables, problem):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(**variables),
    )
    assert result.returncode != 0
    assert problem in result.stdout + result.stderr


def test_deploy_check_fails_with_development_variables():
    # The check above can fail: the same command with DEBUG and plain HTTP is refused.
    env = _env(DJANGO_DEBUG="1")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


def test_production_cookies_are_secure_host_only_and_https_is_forced():
    result = _run(["-c", PRINT_SETTINGS], _production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["MESSAGES_COOKIE_NAME"] == "__Host-messages"
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    # Rate limits count per client, read from the proxy's X-Forwarded-For.
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    # ...which, like X-Forwarded-Proto, is believed from the proxy (this machine) alone.
    assert values["MIDDLEWARE"][0] == "careerportal.middleware.forwarded_headers_from_proxies"
    assert values["FORWARDED_ALLOW_IPS"] == ["127.0.0.1", "::1"]


def test_a_mistyped_proxy_address_stops_the_app_from_starting_and_says_which():
    env = _production_env(FORWARDED_ALLOW_IPS="10.0.0.2, 10.0.0.300")
    result = _run(["-c", "import careerportal.wsgi"], env)
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS: '10.0.0.300' does not appear to be an IPv4 or IPv6" in (
        result.stderr
    )


def test_the_app_server_stops_on_a_variable_it_cannot_use_with_one_line_saying_which():
    # What gunicorn's master imports: a 64-line traceback ended with the same sentence.
    result = _run(["-c", "import careerportal.wsgi"], _production_env(DJANGO_HTTPS="ture"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CareerPortal cannot start: DJANGO_HTTPS must be 1 or 0 (or true/false, yes/no, "
        "on/off), not 'ture'."
    ]


def test_two_proxies_in_front_are_configured_by_one_variable():
    result = _run(["-c", PRINT_SETTINGS], _production_env(TRUSTED_PROXY_COUNT="2"))
    assert json.loads(result.stdout.strip().splitlines()[-1])["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2


def test_a_proxy_count_over_plain_http_believes_forwarded_for_from_the_proxies_alone():
    """A proxy that speaks plain HTTP to the app (DJANGO_HTTPS=0) with TRUSTED_PROXY_COUNT set:
    the sign-in and sign-up limits read X-Forwarded-For, which was then believed from anyone
    reaching the app server, each try naming a new address."""
    env = _production_env(DJANGO_HTTPS="0", TRUSTED_PROXY_COUNT="1")
    result = _run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert values["MIDDLEWARE"][0] == "careerportal.middleware.forwarded_headers_from_proxies"
    # Without a proxy count nothing of the client's is believed, and nothing needs dropping.
    result = _run(["-c", PRINT_SETTINGS], _production_env(DJANGO_HTTPS="0"))
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert "careerportal.middleware.forwarded_headers_from_proxies" not in values["MIDDLEWARE"]


def test_development_over_plain_http_uses_plain_cookie_names():
    result = _run(["-c", PRINT_SETTINGS], _env(DJANGO_DEBUG="1"))
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0  # no proxy: X-Forwarded-For is a lie


def _example_env(**overrides):
    """The variables of .env.example, blanks left blank, as an operator's first env file read
    by systemd (EnvironmentFile=) or docker (--env-file): everything after the first `=` is the
    value, a `#` later in the line included."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return _env(**{**values, **overrides})


def test_the_example_env_file_with_its_blanks_passes_the_deploy_check():
    """A blank variable is an unset one: DATABASE_URL= used to stop the site with a KeyError."""
    env = _example_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert env["DATABASE_URL"] == "" and env["STATIC_ROOT"] == ""

    check = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    shown = _run(["-c", PRINT_PATHS], env)

    assert check.returncode == 0, check.stdout + check.stderr
    values = json.loads(shown.stdout.strip().splitlines()[-1])
    assert values == {
        "engine": "careerportal.sqlite",
        "database": str(ROOT / "db.sqlite3"),
        "static": str(ROOT / "staticfiles"),
        "media": str(ROOT / "media"),
        "cache": "careerportal.cache_backends.SharedFileBasedCache",
    }


PRINT_MAIL_AND_HOSTS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'hosts': s.ALLOWED_HOSTS, 'origins': s.CSRF_TRUSTED_ORIGINS, "
    "'from': s.DEFAULT_FROM_EMAIL, 'site': s.SITE_URL}))"
)
EXAMPLE_VALUES = {
    "hosts": ["careers.example.org"],
    "origins": ["https://careers.example.org"],
    "from": "noreply@example.org",
    "site": "https://careers.example.org",
}


def test_the_example_env_file_loads_as_a_systemd_or_docker_env_file():
    shown = _run(["-c", PRINT_MAIL_AND_HOSTS], _example_env(DJANGO_SECRET_KEY="x" * 50))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == EXAMPLE_VALUES


def test_the_example_env_file_loads_in_a_shell_as_a_cron_job_reads_it(tmp_path):
    """The README's cron line: `set -a && . /etc/careerportal.env && ... manage.py ...`."""
    env_file = tmp_path / "careerportal.env"
    env_file.write_text(
        (ROOT / ".env.example")
        .read_text()
        .replace("DJANGO_SECRET_KEY=\n", f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n")
    )
    script = (
        f"set -a && . {env_file} && {sys.executable} manage.py check --deploy --fail-level "
        f'WARNING && {sys.executable} -c "{PRINT_MAIL_AND_HOSTS}"'
    )
    result = subprocess.run(
        ["/bin/sh", "-c", script], cwd=ROOT, env=_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == EXAMPLE_VALUES


PRINT_MEDIA = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'url': s.MEDIA_URL, "
    "'serve': s.SERVE_MEDIA, 'img_src': list(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])}))"
)


def test_uploads_go_to_object_storage_set_by_variables():
    result = _run(
        ["-c", PRINT_MEDIA],
        _production_env(
            MEDIA_STORAGE="storages.backends.s3.S3Storage",
            MEDIA_STORAGE_OPTIONS='{"bucket_name": "careerportal-media"}',
            MEDIA_URL="https://media.example.org/",
        ),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "careerportal-media"},
    }
    assert values["url"] == "https://media.example.org/"
    assert values["serve"] is False  # the app no longer answers /media/
    assert "https://media.example.org" in values["img_src"]


def test_storage_options_that_are_not_a_json_object_are_refused_by_name():
    for bad in ('{"bucket_name": ', '["careerportal-media"]'):
        result = _run(["-c", PRINT_MEDIA], _production_env(MEDIA_STORAGE_OPTIONS=bad))
        assert result.returncode != 0
        assert "MEDIA_STORAGE_OPTIONS" in result.stderr


def _in_a_shell_with_the_example_env_file(tmp_path, command: str, secret_key: str):
    env_file = tmp_path / "careerportal.env"
    env_file.write_text(
        (ROOT / ".env.example")
        .read_text()
        .replace("DJANGO_SECRET_KEY=\n", f"DJANGO_SECRET_KEY={secret_key}\n")
    )
    return subprocess.run(
        ["/bin/sh", "-c", f"set -a && . {env_file} && {command}"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_starts_with_the_example_env_file_as_it_is(tmp_path):
    """The README's step 3 after loading the file: its blank WEB_CONCURRENCY= stopped gunicorn
    with a ValueError traceback before it read any setting of ours."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = _in_a_shell_with_the_example_env_file(
        tmp_path,
        f"{gunicorn} --check-config -c python:careerportal.gunicorn careerportal.wsgi",
        secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_env_file_refuses_to_start_without_a_secret_key(tmp_path):
    result = _in_a_shell_with_the_example_env_file(
        tmp_path, f"{sys.executable} manage.py check", secret_key=""
    )
    assert result.returncode == 1
    assert "Set DJANGO_SECRET_KEY to a long random string" in result.stderr


ENV_READS = re.compile(
    r'\b(?:env|env_bool|env_int|env_choice|env_list|env_json_object|env_database|env_redis_url|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"'
)
EXAMPLE_LINE = re.compile(r"^#?([A-Z][A-Z0-9_]*)=")


def test_the_example_env_file_lists_every_variable_the_app_reads_and_no_other():
    read = set()
    for module in ("careerportal/settings.py", "careerportal/gunicorn.py"):
        read |= set(ENV_READS.findall((ROOT / module).read_text()))
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = [match[1] for line in lines if (match := EXAMPLE_LINE.match(line))]

    assert sorted(read - set(listed)) == []  # read, but an operator is never told of it
    assert sorted(set(listed) - read) == []  # listed, but setting it changes nothing
    assert len(listed) == len(set(listed))
    assert "SITE_URL" in read and "WEB_CONCURRENCY" in read  # the pattern finds both modules


def test_each_variable_of_the_example_env_file_says_what_it_means():
    lines = (ROOT / ".env.example").read_text().splitlines()
    undescribed = [
        line.partition("=")[0]
        for above, line in itertools.pairwise(lines)
        if EXAMPLE_LINE.match(line) and not (above.startswith("# ") and len(above) > 10)
    ]
    assert undescribed == []


def test_the_example_env_file_with_object_storage_leaves_media_to_it():
    """The README: with MEDIA_URL at object storage "the app stops serving /media/"; the file's
    SERVE_MEDIA=1 kept it serving a pattern of that https:// address."""
    result = _run(
        ["-c", PRINT_MEDIA],
        _example_env(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50), MEDIA_URL="https://media.example.org/"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["serve"] is False


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("LOG_FORMAT", "text", "LOG_FORMAT must be one of json, plain, not 'text'."),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("MAX_REQUEST_BYTES", "3m", "MAX_REQUEST_BYTES must be a whole number of 0 or more"),
        ("CONN_MAX_AGE", "-1", "CONN_MAX_AGE must be a whole number of 0 or more, not '-1'."),
        # Read as off before, silently: a typo turned HTTPS, HSTS and secure cookies off.
        ("DJANGO_HTTPS", "ture", "DJANGO_HTTPS must be 1 or 0 (or true/false, yes/no, on/off)"),
        ("EMAIL_USE_TLS", "starttls", "EMAIL_USE_TLS must be 1 or 0"),
        # Read on SQLite too, where it changes nothing, so the typo shows before PostgreSQL.
        ("DATABASE_PREPARED_STATEMENTS", "ture", "DATABASE_PREPARED_STATEMENTS must be 1 or 0"),
        # A dj-database-url traceback before, or a missing MySQL driver's; never the password.
        ("DATABASE_URL", "postgres//app:s3cret@db/careers", "DATABASE_URL must be postgres://"),
        ("DATABASE_URL", "mysql://app:s3cret@db/careers", "not one starting 'mysql'."),
        # Started before, and only /healthz said anything; the name of a database became 0.
        ("REDIS_URL", "http://cache:6379/0", "REDIS_URL must be redis://host:6379/0"),
        ("REDIS_URL", "redis://:s3cret@cache:6379/pages", "REDIS_URL must be redis://"),
        ("REDIS_URL", "redis://cache:63a9/0", "not one starting 'redis'."),
    ],
)
def test_a_variable_with_a_value_the_site_cannot_use_is_named_with_what_it_wants(
    variable, value, says
):
    result = _run(["manage.py", "check"], _production_env(**{variable: value}))
    assert result.returncode == 1
    # One line, no traceback burying it.
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CareerPortal cannot start: ")
    assert says in line
    assert "s3cret" not in result.stderr


def test_log_settings_and_numbers_are_read_as_operators_write_them():
    env = _production_env(LOG_LEVEL="warning", LOG_FORMAT="Plain", MAX_REQUEST_BYTES="3_145_728")
    result = _run(["manage.py", "check"], env)
    assert result.returncode == 0, result.stderr
