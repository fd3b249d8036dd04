import os

import hypothesis
import hypothesis.database
import pytest
from django.contrib.auth import get_user_model
from django.utils.timezone import now as django_now  # the one model fields hold as default

from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

# Every property test, unless it says otherwise: CI runs two workers on two noisy cores, so
# how long an example takes to draw or run says nothing about the code under test. The cases
# are drawn from a seed fixed per test and none are kept between runs, so CI meets the same
# cases every time: a rare draw cannot turn one run red. To search new cases, run with
# HYPOTHESIS_PROFILE=explore (random draws, failures kept in .hypothesis/ and replayed).
hypothesis.settings.register_profile(
    "careerportal",
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
hypothesis.settings.register_profile(
    "explore",
    hypothesis.settings.get_profile("careerportal"),
    derandomize=False,
    database=hypothesis.database.DirectoryBasedExampleDatabase(".hypothesis/examples"),
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "careerportal"))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # A fast hasher, a throwaway MEDIA_ROOT and plain static storage (no manifest needed).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_missed_refresh(monkeypatch):
    """A refresh of the pages that one test's store outage missed is not retried in another
    test run by the same process (careerportal.cache.MissedRefresh)."""
    from careerportal import cache as page_cache

    monkeypatch.setattr(page_cache, "MISSED_REFRESH", page_cache.MissedRefresh())


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.com", "editor-password-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def client_as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def group_editor(db):
    """A content editor as `manage.py create_editor` makes one: staff in the Editors group,
    not a superuser (careerportal/editors.py)."""
    from django.contrib.auth.models import Group

    from careerportal.editors import EDITORS_GROUP

    editor = get_user_model().objects.create_user(
        "writer", "writer@example.com", "writer-password-123", is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return editor


@pytest.fixture
def client_as_editor(client, group_editor):
    client.force_login(group_editor)
    return client


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(
        "learner", "learner@example.com", "learner-password-123"
    )


@pytest.fixture
def other_learner(db):
    return get_user_model().objects.create_user("other", "other@example.com", "other-password-123")


@pytest.fixture
def client_as_learner(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def career_with_roadmap(db):
    """A published career with three required certification steps."""
    career = CareerFactory(title="ML Engineer", slug="ml-engineer")
    for position in range(3):
        RoadmapStepFactory(career=career, certification=CertificationFactory(), position=position)
    return career


REDIS_DATABASES = 16  # Redis's default number of databases


@pytest.fixture(autouse=True)
def _plain_http_and_own_caches(settings):
    # Tests speak plain HTTP (the test client, live_server), so the production HTTPS defaults
    # (redirect, __Host- secure cookies) are off here; tests/test_security.py turns them on.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    settings.MESSAGES_COOKIE_NAME = "messages"
    settings.SECURE_HSTS_SECONDS = 0
    # Each xdist worker gets caches nobody else clears: its own Redis database (counted on
    # from REDIS_URL's, so that runs given different databases never share one), or local
    # memory for the page cache instead of the file cache shared with servers.
    from urllib.parse import urlsplit, urlunsplit

    from django.core.cache import caches

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    caches_setting = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for alias, config in caches_setting.items():
        if config["BACKEND"].endswith("RedisCache"):
            url = urlsplit(config["LOCATION"])
            given = int(url.path.strip("/") or 0)
            database = (given + 1 + int(worker)) % REDIS_DATABASES
            config["LOCATION"] = urlunsplit(url._replace(path=f"/{database}"))
            # Production gives up on Redis after 0.5 s and leaves it alone for RETRY_AFTER
            # (careerportal/cache_backends.py); a CI machine at load 25 may take longer than
            # that to answer, and the tests after it would see an outage nobody staged. The
            # tests of an outage point at a port where nothing listens, with their own timeouts.
            config["OPTIONS"] = {
                **config.get("OPTIONS", {}),
                "socket_connect_timeout": 30,
                "socket_timeout": 30,
            }
        elif config["BACKEND"].endswith("FileBasedCache"):
            caches_setting[alias] = {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"test-{alias}",
            }
    settings.CACHES = caches_setting
    for alias in caches_setting:
        caches[alias].clear()
    _every_store_answers()
    yield
    for alias in caches_setting:
        caches[alias].clear()


def _every_store_answers() -> None:
    """Each test starts with no store outage (careerportal.cache_backends.Outage): one that a
    test staged, or a slow answer, must not make the next test's caches read as empty."""
    from careerportal import cache_backends
    from careerportal.redis_cache import REDIS_OUTAGE

    for outage in (
        REDIS_OUTAGE,
        cache_backends.FOLDER_OUTAGE,
        cache_backends.SharedFileBasedCache.outage,
    ):
        outage.retry_at, outage.last_error, outage.failing = 0.0, "", False


@pytest.fixture
def learner_db_state(db):
    """A callable returning every learner-owned row as plain values, to prove nothing changed."""
    from allauth.account.models import EmailAddress

    from certifications.models import (
        CareerFollow,
        CertificationProgress,
        LearnerProfile,
        ReminderSent,
    )

    def snapshot():
        return {
            "users": list(
                get_user_model().objects.order_by("pk").values_list("pk", "email", "password")
            ),
            "emails": list(EmailAddress.objects.order_by("pk").values()),
            "profiles": list(LearnerProfile.objects.order_by("pk").values()),
            "progress": list(CertificationProgress.objects.order_by("pk").values()),
            "follows": list(CareerFollow.objects.order_by("pk").values()),
            "reminders": list(ReminderSent.objects.order_by("pk").values()),
        }

    return snapshot


class DrawnText:
    """A text an image was drawn with, the box it covers, and the letters its font drew as an
    empty box."""

    def __init__(self, text, font, xy=(0, 0)):
        import unicodedata

        left, top, right, bottom = font.getbbox(text)
        self.box = (xy[0] + left, xy[1] + top, xy[0] + right, xy[1] + bottom)

        def shape(chars):
            mask = font.getmask(chars)
            return mask.size, bytes(mask)

        missing = shape("\uffff")  # a noncharacter: every font's missing-letter box
        self.text = text
        self.boxes = [
            char
            for char in dict.fromkeys(text)
            if not char.isspace()
            and not unicodedata.category(char).startswith("M")
            and shape(char) == missing
        ]


@pytest.fixture
def drawn_texts(monkeypatch, settings):
    """Every text Pillow draws during the test, as DrawnText (needs the fonts the site draws
    other scripts with: Debian's fonts-dejavu-core, which `make test` installs)."""
    from PIL import ImageDraw

    assert settings.IMAGE_FONTS, "no font beyond ASCII: apt-get install fonts-dejavu-core"
    drawn = []
    original = ImageDraw.ImageDraw.text

    def text(self, xy, text, *args, font=None, **kwargs):
        drawn.append(DrawnText(text, font, xy))
        return original(self, xy, text, *args, font=font, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    return drawn


@pytest.fixture
def clock_away_from_midnight(monkeypatch):
    """timezone.now() from 11:30 UTC of the day the test starts, at the real rate. A test that
    reads "today" and then calls code that reads it again would see two days if the run
    crossed midnight in between; 11:30 UTC is half an hour or more from any zone's midnight.
    Fields whose default is timezone.now itself (the admin history's action_time, an account's
    date_joined) read the same clock, so an admin test's history agrees with its rows."""
    import datetime
    import time

    from django.apps import apps
    from django.utils import timezone

    start = datetime.datetime.combine(timezone.now().date(), datetime.time(11, 30), datetime.UTC)
    began = time.monotonic()

    def now():
        return start + datetime.timedelta(seconds=time.monotonic() - began)

    monkeypatch.setattr(timezone, "now", now)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is django_now:
                # The field caches its default's callable (Field._get_default).
                monkeypatch.setattr(field, "_get_default", now)
