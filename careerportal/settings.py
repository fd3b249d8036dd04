"""CareerPortal settings: one file, driven by environment variables.

Development defaults are safe (SQLite in the project folder, a file cache beside it, console
e-mail, DEBUG off unless asked for). Production values come from the environment; see
.env.example for every variable.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from careerportal import static_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default=""):
    """The variable's value; `default` when it is unset or blank, as .env.example leaves many."""
    value = os.environ.get(name, "")
    return value if value.strip() else default


def env_bool(name: str, default: bool = False) -> bool:
    """1/true/yes/on or 0/false/no/off, in any case; anything else stops the start with the
    variable named, where it read as off: DJANGO_HTTPS=ture served production over plain HTTP
    with session cookies any network could read, and nothing said so."""
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {value!r}."
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole number of 0 or more; anything else stops the start with the variable named (a
    bare ValueError from int() named neither the variable nor what it wants)."""
    value = env(name, str(default)).strip().replace("_", "")
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {value!r}.")
    return int(value)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, in any letter case (LOG_LEVEL=info); anything else stops the start with
    the variable named, where logging's own error named neither it nor the choices."""
    value = env(name, default).strip()
    choice = {c.lower(): c for c in choices}.get(value.lower())
    if choice is None:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return choice


def env_database(name: str, default: str, conn_max_age: int) -> dict:
    """PostgreSQL or SQLite from a URL; anything else stops the start with the variable named
    (a mistyped scheme was a 30-line traceback from dj-database-url, another database's a
    missing driver's). The message never repeats the URL, which may hold a password."""
    value = env(name, default).strip()
    try:
        config = dj_database_url.parse(value, conn_max_age=conn_max_age)
    except ValueError:
        config = {"ENGINE": ""}
    if config["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            f"{name} must be postgres://user:password@host:5432/name, or empty for SQLite; "
            f"not one starting {value.partition(':')[0]!r}."
        )
    return config


def env_redis_url(name: str) -> str:
    """redis://host:port/db, rediss:// or unix://, or blank; anything else stops the start with
    the variable named: Redis failing to parse it only showed as /healthz's 503, and a database
    number it could not read (redis://cache:6379/sessions) became 0, shared with others."""
    value = env(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    database = parts.path.strip("/")
    try:
        # .port raises ValueError on a port that is not a number.
        tcp = bool(parts.hostname) and parts.port != 0 and (database.isdigit() or not database)
    except ValueError:
        tcp = False
    if not (parts.scheme == "unix" or (parts.scheme in {"redis", "rediss"} and tcp)):
        raise ImproperlyConfigured(
            f"{name} must be redis://host:6379/0 (a database number, or none for 0; rediss:// "
            f"with TLS, unix:///path/to/socket), not one starting {value.partition(':')[0]!r}."
        )
    return value


def env_json_object(name: str) -> dict:
    try:
        value = json.loads(env(name, "{}"))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}.") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, like {{"bucket_name": "x"}}.')
    return value


DEBUG = env_bool("DJANGO_DEBUG")

_DEV_SECRET = "django-insecure-development-only-key-change-me-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    # Without DEBUG a missing key is a deployment mistake; tests and local commands set DEBUG
    # or a key explicitly, so falling back silently would hide it.
    if env_bool("DJANGO_ALLOW_DEV_SECRET", True):
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            'Set DJANGO_SECRET_KEY to a long random string (python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"), or DJANGO_ALLOW_DEV_SECRET=1 on a '
            "developer's machine."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A developer's server on another port (`PORT=8001 make run`) sends links to itself: a
# confirmation link to port 8000 reached another project's server, or none.
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000').strip()}").rstrip("/")

INSTALLED_APPS = [
    "careerportal.apps.AdminConfig",  # django.contrib.admin, with posted keys checked
    # Before django.contrib.auth, whose createsuperuser its own replaces (the first app wins).
    "careerportal.apps.CareerPortalConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "adminsortable2",
    "django_include_bootstrap",
    "csp",
    "allauth",
    "allauth.account",
    "careers",
    "certifications",
]

MIDDLEWARE = [
    # First, so that every answer to a HEAD leaves without its body.
    "careerportal.middleware.head_without_body",
    # Before anything reads the host: load balancers ask /healthz by the server's own address.
    "careerportal.middleware.health_check_from_any_host",
    "careerportal.middleware.RequestLogMiddleware",
    # With SECURE_SSL_REDIRECT it reads the host of a plain-HTTP request and refuses one that is
    # not ours with a 400 from out here: the 400 page adds the headers of the middleware inside
    # (careerportal.views.bad_request).
    "django.middleware.security.SecurityMiddleware",
    # Inside SecurityMiddleware, whose site-wide Referrer-Policy gives way to this one's.
    "careerportal.middleware.no_referrer_from_secret_links",
    "careerportal.static_serving.StaticFilesMiddleware",
    # Anonymous hits return here, before sessions and the view: see careerportal/cache.py.
    "careerportal.cache.AnonymousPageCacheMiddleware",
    # Inside the page cache, so that a stored page keeps their headers; outside everything
    # else, so that an error answered by the middleware below (a Host that is not ours, which
    # CommonMiddleware refuses with a 400) carries them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, its policies built once per process (careerportal/csp_policy.py).
    "careerportal.csp_policy.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: a PUT, PATCH or DELETE the view does not take is a 405, not a 403.
    "careerportal.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or CSRF check reads the body, inside everything whose headers and user
    # its 413 page needs.
    "careerportal.middleware.refuse_oversized_bodies",
    "careerportal.middleware.private_when_signed_in",
    # A signed-in learner's "today" is their own (the site keeps UTC).
    "careerportal.middleware.learner_time_zone",
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    "careerportal.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside messages: an editor's save the page cache could not hear of says so on the next page.
    "careerportal.cache.StalePagesWarningMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Inside sessions and messages, which it signs out of and writes to.
    "careerportal.middleware.AccountDeletedMeanwhileMiddleware",
    # Inside the above, so that the page it renders carries their headers.
    "careerportal.middleware.method_not_allowed_page",
    "careerportal.middleware.utf8_forms_however_spelt",
    # Last, so that its 400 carries every header above.
    "careerportal.middleware.refuse_nul_bytes",
]

ROOT_URLCONF = "careerportal.urls"
# A stale form gets a page in the site's style saying nothing was saved (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "careerportal.views.csrf_failure"
WSGI_APPLICATION = "careerportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careerportal.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another one.
SQLITE_PATH = env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{SQLITE_PATH}", conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
}
# Read whatever the database, so that a mistyped value stops the start on SQLite too.
PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, its placeholders rewritten without a regular expression (3.8% of a
    # career page): careerportal/sqlite/base.py.
    DATABASES["default"]["ENGINE"] = "careerportal.sqlite"
    # Tests in memory, as Django does for its own SQLite engine; pytest-django knows that one
    # by name only, and otherwise names each worker's test database after the file.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # Concurrent writers: measured on a 2-core machine, default settings lost 10-92% of
    # writes from 8 processes to "database is locked"; WAL + IMMEDIATE + a timeout lost none.
    # Connections persist like PostgreSQL's (CONN_MAX_AGE): opening one and running the
    # pragmas below cost 0.66 ms, 4% of a career page render, on every request.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, and the
    # search's UNION of OR-ed subqueries does at a few thousand careers. Measured with 100x
    # the demo data: 4.4-6 s of each 4.5-6.1 s search was JIT compilation (the plan ran in
    # 0.2 s); with jit off the same searches took 0.3-0.9 s. Pages here run short queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in options.get("options", ""):
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # A server that takes the connection and never answers (a hung host, a firewall that
    # drops packets) held each request until gunicorn killed the worker 30 s later, and the
    # load balancer got gunicorn's bare 500 from /healthz instead of its 503. Connecting
    # takes milliseconds; after 3 s the page and /healthz answer 503 (?connect_timeout=N in
    # DATABASE_URL chooses otherwise).
    options.setdefault("connect_timeout", 3)
    # Prepared statements: psycopg binds the values on the server and, from a query's 6th run
    # on a connection (after psycopg's threshold of 5), runs it as a named statement, which
    # PostgreSQL plans for its first 5 runs and then runs with one generic plan: no parsing
    # or planning per request. The career page's six queries keep one SQL text per shape
    # (careerportal/prepared.py); at 10x the demo data they took PostgreSQL 3.2 ms of CPU a
    # page instead of 6.8 ms (0.45x), the page's CPU, the worker's and PostgreSQL's, 0.82x.
    # Django's default writes the values into the SQL instead, which prepares nothing. A
    # pooler that cannot keep prepared statements (PgBouncer in transaction mode before
    # 1.21, or without max_prepared_statements) needs DATABASE_PREPARED_STATEMENTS=0; a
    # migration that changes what a prepared statement returns: careerportal/statements.py.
    if PREPARED_STATEMENTS:
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
# A `SELECT 1` before each request's first query on a reused connection: a worker whose
# connection PostgreSQL closed (a restart, a failover, an idle timeout) reconnects before the
# page's queries instead of failing that request with a 503. Kept for that: it is one round
# trip of the career page's seven, 0.13 ms of CPU (88 us in the worker, 44 us in PostgreSQL)
# of the page's 22 ms measured on a busy machine (without it the page took 0.97x the CPU).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, except that losing Redis costs the cache, not the pages,
            # and the rate limits go on counting in each process meanwhile.
            "BACKEND": "careerportal.redis_cache.CountingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "careerportal"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # The rate limits (ACCOUNT_RATE_LIMITS) and the health check: in files that every worker
    # of the machine shares and that survive a restart (local memory would give each worker
    # counts of its own). Sessions live in the database, not here.
    CACHES = {
        "default": {
            "BACKEND": "careerportal.cache_backends.SharedFileBasedCache",
            "LOCATION": env("CACHE_DIR", str(BASE_DIR / ".cache")),
            "KEY_PREFIX": Path(str(DATABASES["default"]["NAME"])).name,
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Anonymous pages (careerportal/cache.py) must be shared by every worker, or one worker
# would keep serving a page another worker's editor just changed: Redis when configured,
# else a file cache that the workers of one machine share.
CACHES["pages"] = (
    {
        **CACHES["default"],
        "BACKEND": "careerportal.redis_cache.ResilientRedisCache",
        "TIMEOUT": 600,
    }
    if REDIS_URL
    else {
        "BACKEND": "careerportal.cache_backends.ResilientFileBasedCache",
        "LOCATION": env("PAGE_CACHE_DIR", str(BASE_DIR / ".pagecache")),
        "KEY_PREFIX": Path(str(DATABASES["default"]["NAME"])).name,
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"  # the `dashboard` page (a path, so it never fails to reverse)

# Accounts (django-allauth, account app only): e-mail + password, no username to choose.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# allauth's adapter, except that a mail server that fails does not fail the page.
ACCOUNT_ADAPTER = "careerportal.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# "Signed in as learner@example.com": learners never chose the username allauth derives.
ACCOUNT_USER_DISPLAY = "careerportal.account_adapter.user_display"
# Adding an address another account has is refused (allauth's own form would take it), and
# sign-in reads an address as sign-up kept it (careerportal.account_adapter.normalize_email).
ACCOUNT_FORMS = {
    "add_email": "careerportal.account_forms.AddEmailForm",
    # Labels in sentence case, as the site's other forms, and "E-mail address" (allauth: "Email").
    "change_password": "careerportal.account_forms.ChangePasswordForm",
    "reset_password": "careerportal.account_forms.ResetPasswordForm",
    "reset_password_from_key": "careerportal.account_forms.ResetPasswordKeyForm",
    "login": "careerportal.account_forms.LoginForm",
    # One account per address even when two sign-ups for it arrive at once.
    "signup": "careerportal.account_forms.SignupForm",
}
# "none", "optional" or "mandatory"; optional sends a link but lets the learner in at once.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
# With confirmation mandatory, confirming signs in the browser that signed up (or signed in
# and was asked to confirm) and takes it on to the page it came from, the `next` allauth kept
# with that pending sign-in (checked as on-site when it was given). allauth signs in only when
# that pending sign-in is in the session confirming: the link alone, opened anywhere else (a
# forwarded e-mail, a log), confirms the address and signs no one in; it then offers the sign-in
# page, leading on to that page (the link carries it, signed for its address:
# careerportal/confirmation_next.py), so a learner confirming on their phone is not lost.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False  # log out by POST only (a GET link could be forged)
# Tell the owner when their password or sign-in address changes (a takeover's first sign),
# dated in their own time zone (careerportal/account_adapter.py, templates/account/email/).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CareerPortal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Counted on the default cache (Redis when REDIS_URL is set, else files every worker of the
# machine shares). Past "login_failed" the sign-in form says there were too many failed
# attempts (and signs no one in, even with the right password); any other refused attempt
# gets a 429 page.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    # Each request e-mails the address it names (saying no account uses it, if none does).
    "reset_password": "10/m/ip,30/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    # Whoever holds a session and guesses its password here (or on the delete page, which
    # counts as "reauthenticate") gets 20 tries an hour: 5 and 10 a minute allowed 7,200 and
    # 14,400 a day, where signing in allows 5 per 5 minutes.
    "change_password": "5/m/user,20/h/user",
    "reauthenticate": "10/m/user,20/h/user",
    # Adding, removing, re-sending or choosing an address: each added or re-sent one e-mails
    # whoever reads it, so 10 a minute let one account mail 600 strangers an hour.
    "manage_email": "10/m/user,20/h/user",
}

# Changes one learner may send a minute (progress, plan, follows, calendar URL, settings):
# careerportal/actions.py. Nobody clicking through their roadmap comes near it; 0 = no limit.
# The load benchmark (bench/load.py), 32 connections posting for 5 learners, sets it far higher.
LEARNER_WRITES_PER_MINUTE = env_int("LEARNER_WRITES_PER_MINUTE", 60)

# Days a public handle a learner gave up (changed, cleared, or deleted with the account) is
# kept from everyone else, so that links to their old page /u/<handle>/ never show a
# stranger's; its former owner may take it back meanwhile.
HANDLE_RESERVATION_DAYS = env_int("HANDLE_RESERVATION_DAYS", 30)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The site is written in English only (no LocaleMiddleware, no catalogues of its own), so the
# translation machinery has nothing to translate; off, Django skips it (its documented use of
# this switch): a number or date a page prints no longer looks up the active language (a
# number costs 2.9 µs instead of 5.9; about 2% of a career page's CPU). The same bytes.
USE_I18N = False
USE_TZ = True
# Dates as the site writes them ("30 November 2026"), the admin's included: careerportal/formats.
FORMAT_MODULE_PATH = ["careerportal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads (logos) go to MEDIA_ROOT unless MEDIA_STORAGE names another Django storage class:
# with several app servers, one store they all reach, such as django-storages'
# "storages.backends.s3.S3Storage" (installed beside the app), its options in
# MEDIA_STORAGE_OPTIONS as a JSON object and MEDIA_URL at its public address.
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_STORAGE = env("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
MEDIA_STORAGE_OPTIONS = env_json_object("MEDIA_STORAGE_OPTIONS")
# Uploaded logos are served by the app unless MEDIA_URL points at object storage or the
# reverse proxy serves MEDIA_ROOT itself (SERVE_MEDIA=0).
SERVE_MEDIA = env_bool("SERVE_MEDIA", MEDIA_URL.startswith("/"))
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Pages link every static file by its hashed name, cached for ten years: collectstatic keeps
# no copy under the plain name, which halves STATIC_ROOT and the file index whitenoise holds
# in each worker (193 files instead of 386; 0.5 MiB of a worker's resident memory).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# collectstatic writes a gzip and a Brotli copy of each file (Brotli: 22,932 bytes of
# bootstrap.min.css where gzip takes 30,886). Source maps are left whole: only an open
# developer console asks for them, and Brotli's best level on bootstrap's 22 maps (6 MB) took
# 16 of the 27 seconds it spent on the whole folder.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# A request whose body is larger is refused (413) before it is read: a logo of 2 MiB with the
# rest of its form fits; the README's nginx lets up to 8m through, for the app's 413 page.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 3 * 1024 * 1024)
# Uploads above this stay on disk instead of in memory; the logo validator caps size itself.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Fonts for the images the site draws (share cards, employer monograms) beyond ASCII, which is
# all Pillow's own font has: comma-separated paths, tried in order for each text. By default
# whichever of these Debian fonts are installed (fonts-dejavu-core: Latin, Greek, Cyrillic,
# Arabic, Hebrew; fonts-noto-core: Devanagari and more; fonts-noto-cjk: Chinese, Japanese,
# Korean).
IMAGE_FONTS = env_list(
    "IMAGE_FONTS",
    ",".join(
        path
        for path in (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        )
        if Path(path).is_file()
    ),
)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
# Seconds a mail server may take to answer before the e-mail counts as not sent (not forever).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CareerPortal <noreply@localhost>")

# Django's renderer, with inputs, text areas and selects drawn in Python: careerportal/renderer.py.
FORM_RENDERER = "careerportal.renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Messages in a signed cookie, in the session only past its size: careerportal/messages.py.
MESSAGE_STORAGE = "careerportal.messages.FallbackStorage"
# Database sessions that ignore a cookie no session key could be (careerportal/sessions.py).
SESSION_ENGINE = "careerportal.sessions"

# Security. HTTPS is on by default whenever DEBUG is off; `make serve` and the benchmark,
# which speak plain HTTP on 127.0.0.1, turn it off with DJANGO_HTTPS=0.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check each server over plain HTTP
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", HTTPS)
if BEHIND_PROXY:
    # The reverse proxy terminates TLS and must set (and strip incoming) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy every request comes from the proxy's address, so the per-address sign-in and
# sign-up limits would be one bucket for everybody: allauth takes the client's address from
# X-Forwarded-For, the entry the nearest of this many proxies appended (0: the peer address).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
# Who those headers are believed from: the proxies' addresses or networks, as gunicorn is told
# (careerportal/gunicorn.py reads the same variable; "*" believes anyone). From any other
# address careerportal.middleware.forwarded_headers_from_proxies drops them, so a client that
# reaches an app server around the proxy can neither pass for HTTPS nor for another address.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Also over plain HTTP whenever X-Forwarded-For is read (TRUSTED_PROXY_COUNT set by hand):
# otherwise a client reaching the app server directly names a new address each try.
if BEHIND_PROXY or ALLAUTH_TRUSTED_PROXY_COUNT:
    MIDDLEWARE.insert(0, "careerportal.middleware.forwarded_headers_from_proxies")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# __Host- cookies are HTTPS-only, host-only and path=/: browsers refuse them over plain HTTP.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
MESSAGES_COOKIE_NAME = "__Host-messages" if HTTPS else "messages"
CSRF_COOKIE_HTTPONLY = True

_IMG_SRC = [SELF, "data:"]
if MEDIA_URL.startswith(("https://", "http://")):
    # Media on object storage or a CDN: its origin may serve images.
    _IMG_SRC.append("/".join(MEDIA_URL.split("/", 3)[:3]))
# Static files (whitenoise) get a policy of their own: careerportal/static_headers.py.
WHITENOISE_ADD_HEADERS_FUNCTION = static_headers.add_security_headers

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": _IMG_SRC,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "careerportal.logs.JsonFormatter"},
        "plain": {
            "()": "careerportal.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_choice("LOG_FORMAT", "json", ("json", "plain")),
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "filters": {
        "request_id": {"()": "careerportal.logs.RequestIdFilter"},
        "redact_secrets": {"()": "careerportal.logs.RedactSecretsFilter"},
        "refused_host": {"()": "careerportal.logs.RefusedHostOnOneLine"},
    },
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", _LOG_LEVELS)},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # RequestLogMiddleware logs every request once, with its duration and request id.
        "django.server": {"level": "WARNING"},
        "django.security.DisallowedHost": {"filters": ["refused_host"]},
    },
}
