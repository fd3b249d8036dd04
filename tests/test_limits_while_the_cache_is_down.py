"""The sign-in, sign-up and password reset limits while their store is down (Redis
unreachable, or without Redis a rate-limit folder that cannot be written).

They used to lapse: the cache read as empty and kept nothing, so anyone could try passwords
without limit for as long as Redis was away. Each process now counts them in its own memory
meanwhile (careerportal/cache_backends.py) and says so once in the log; signing in still works.
"""

import logging

import pytest
from django.core import mail
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse

from careerportal import cache_backends
from careerportal.redis_cache import REDIS_OUTAGE
from tests.test_accounts import signup
from tests.test_logs_for_operators import _log_lines

WRONG = {"login": "learner@example.com", "password": "wrong-password-123"}
RIGHT = {"login": "learner@example.com", "password": "learner-password-123"}
TOO_MANY = "Too many failed login attempts"


def _fresh_outage(monkeypatch, outage):
    # Put back after the test: the outage is the process's, as in tests/test_operations.py.
    for name, value in (("retry_at", 0.0), ("last_error", ""), ("failing", False)):
        monkeypatch.setattr(outage, name, value, raising=False)
    monkeypatch.setattr(outage, "outages", getattr(outage, "outages", 0), raising=False)
    stand_in = LocMemCache(f"careerportal-stand-in-{outage.store}", {})
    stand_in.clear()
    return stand_in


@pytest.fixture(params=["redis", "folder"])
def store_down(request, settings, monkeypatch, tmp_path):
    """The default cache's store fails: Redis on a port nothing listens on, or (no Redis) a
    rate-limit folder under a file, which can never be made. Returns the store's name."""
    # The outage's 5 s window must outlast the test on a busy machine.
    monkeypatch.setattr(cache_backends, "RETRY_AFTER", 600.0)
    if request.param == "redis":
        outage = REDIS_OUTAGE
        redis = {
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        settings.CACHES = {
            "default": {**redis, "BACKEND": "careerportal.redis_cache.CountingRedisCache"},
            "pages": {**redis, "BACKEND": "careerportal.redis_cache.ResilientRedisCache"},
        }
    else:
        outage = cache_backends.SharedFileBasedCache.outage
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "careerportal.cache_backends.SharedFileBasedCache",
                "LOCATION": str(blocker / "cache"),
            },
        }
    stand_in = _fresh_outage(monkeypatch, outage)
    yield outage.store
    stand_in.clear()


def test_failed_sign_ins_are_still_limited_while_the_store_is_down(client, learner, store_down):
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, WRONG)
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()

    response = client.post(url, RIGHT)  # the sixth, even with the right password

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_still_works_while_the_store_is_down(client, learner, store_down):
    client.post(reverse("account_login"), WRONG)

    response = client.post(reverse("account_login"), RIGHT)

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_operator_is_told_once_that_limits_count_in_each_process(client, learner, store_down):
    with _log_lines() as lines:
        for _ in range(3):
            client.post(reverse("account_login"), WRONG)
    warnings = [line for line in lines if line.get("event") == "rate_limits_in_process"]
    assert len(warnings) == 1, lines
    (warning,) = warnings
    assert warning["level"] == "WARNING"
    assert warning["logger"] == "careerportal.cache"
    assert warning["store"] == store_down
    assert warning["cache_error"].startswith(f"{store_down} failed: ")
    assert "rate limits are counted in this process" in warning["message"]


def test_sign_ups_and_reset_requests_are_still_limited_while_the_store_is_down(
    client, learner, store_down
):
    url = reverse("account_reset_password")
    for _ in range(3):
        assert client.post(url, {"email": "learner@example.com"}).status_code == 302
    assert client.post(url, {"email": "learner@example.com"}).status_code == 429
    assert len(mail.outbox) == 3

    for n in range(10):
        assert signup(Client(), email=f"person{n}@example.com").status_code == 302
    response = signup(Client(), email="one-too-many@example.com")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_the_health_check_still_reports_the_store_down(client, db, store_down, caplog):
    with caplog.at_level(logging.CRITICAL, logger="careerportal.cache"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error"
