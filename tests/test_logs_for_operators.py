"""What an operator reads in the logs when the health check fails or a page breaks."""

import io
import json
import logging
import logging.config
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from careerportal import cache_backends
from careerportal.redis_cache import REDIS_OUTAGE


@contextmanager
def _log_lines():
    """The JSON lines the console handler writes, as an operator's log shipper reads them."""
    console = next(h for h in logging.getLogger().handlers if h.filters)
    stream = io.StringIO()
    previous = console.setStream(stream)
    lines = []
    try:
        yield lines
    finally:
        console.setStream(previous)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


def test_a_failing_health_check_logs_one_line_saying_what_failed_and_why(client, db):
    refused = OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5439 failed: '
        "Connection refused\n\tIs the server running on that host?"
    )
    with (
        mock.patch("careerportal.views.connection.cursor", side_effect=refused),
        _log_lines() as lines,
    ):
        response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="probe-0001")
    assert response.status_code == 503
    assert "Connection refused" not in response.text  # the reason is for the operator only
    assert len(lines) == 1, lines
    (line,) = lines
    assert line["request_id"] == "probe-0001"
    assert (line["path"], line["status"]) == ("/healthz", 503)
    assert (line["database"], line["cache"]) == ("error", "ok")
    assert "port 5439 failed: Connection refused Is the server running" in line["database_error"]


def test_a_health_check_without_redis_logs_why_on_its_line(client, db, settings, monkeypatch):
    monkeypatch.setattr(REDIS_OUTAGE, "retry_at", 0.0)  # put back after the test
    monkeypatch.setattr(REDIS_OUTAGE, "last_error", "", raising=False)
    # The outage's 5 s window must outlast the request on a busy machine, as in
    # tests/test_operations.py; once it lapses the reason is no longer at hand.
    monkeypatch.setattr(cache_backends, "RETRY_AFTER", 600.0)
    unreachable = {
        "BACKEND": "careerportal.redis_cache.CountingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": unreachable, "pages": unreachable}
    with _log_lines() as lines:
        assert client.get(reverse("healthz")).status_code == 503
    request_line = next(line for line in lines if line["logger"] == "careerportal.request")
    assert request_line["cache"] == "error"
    assert request_line["cache_error"].startswith("Redis failed: ")
    assert "127.0.0.1:1" in request_line["cache_error"]
    assert [line["logger"] for line in lines].count("django.request") == 0


def test_a_host_that_is_not_ours_is_one_warning_naming_it_without_a_traceback(db):
    with _log_lines() as lines:
        response = Client().get("/", HTTP_HOST="203.0.113.9", HTTP_X_REQUEST_ID="scan-00000001")
    assert response.status_code == 400
    refused = [line for line in lines if line["logger"] == "django.security.DisallowedHost"]
    assert [(line["level"], "exception" in line) for line in refused] == [("WARNING", False)]
    assert "'203.0.113.9'" in refused[0]["message"]
    assert refused[0]["request_id"] == "scan-00000001"


def test_the_traceback_of_a_server_error_carries_the_request_id(db):
    visitor = Client(raise_request_exception=False)
    with (
        mock.patch("careerportal.views._suggestions", side_effect=RuntimeError("boom")),
        _log_lines() as lines,
    ):
        response = visitor.get("/", HTTP_X_REQUEST_ID="req-from-nginx-42")
    assert response.status_code == 500
    traceback = next(line for line in lines if "exception" in line)
    assert "RuntimeError: boom" in traceback["exception"]
    assert traceback["request_id"] == "req-from-nginx-42" == response["X-Request-ID"]


def _refused():
    return OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5439 failed: '
        "Connection refused"
    )


def _assert_asked_to_come_back(response, lines):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.text
    assert "5439" not in response.text
    assert "Content-Security-Policy" in response  # the headers of every page
    assert len(lines) == 1, lines  # no traceback for each request while the database is away
    (line,) = lines
    assert line["status"] == 503
    assert "port 5439 failed: Connection refused" in line["database_error"]


def test_pages_ask_visitors_to_come_back_while_the_database_is_unreachable(db):
    visitor = Client(raise_request_exception=False)
    # A query's own fault (SQLite reports a missing table as an OperationalError too) is still
    # a 500, with its traceback logged.
    with (
        mock.patch("careerportal.views._suggestions", side_effect=OperationalError("no table")),
        _log_lines() as lines,
    ):
        assert visitor.get("/").status_code == 500
    assert any("OperationalError: no table" in line.get("exception", "") for line in lines)

    with (
        mock.patch("careerportal.views._suggestions", side_effect=_refused()),
        mock.patch.object(connection, "is_usable", return_value=False),
        _log_lines() as lines,
    ):
        response = visitor.get("/")
    _assert_asked_to_come_back(response, lines)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="closes the test's connection")
@pytest.mark.django_db(transaction=True)
def test_pages_ask_visitors_to_come_back_when_postgresql_refuses_connections():
    visitor = Client(raise_request_exception=False)
    connection.close()
    with (
        mock.patch.object(connection, "get_new_connection", side_effect=_refused()),
        _log_lines() as lines,
    ):
        response = visitor.get("/careers/")
    _assert_asked_to_come_back(response, lines)


@contextmanager
def _plain_log_lines():
    """The lines the console handler writes with LOG_FORMAT=plain."""
    from django.conf import settings

    console = next(h for h in logging.getLogger().handlers if h.filters)
    plain = logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        {**settings.LOGGING["formatters"]["plain"]}  # which configuring empties
    )
    stream = io.StringIO()
    previous, json_formatter = console.setStream(stream), console.formatter
    console.setFormatter(plain)
    lines = []
    try:
        yield lines
    finally:
        console.setStream(previous)
        console.setFormatter(json_formatter)
        lines.extend(stream.getvalue().splitlines())


def test_with_plain_logs_a_path_holding_a_newline_is_still_one_line(db):
    # LOG_FORMAT=plain: a request for "/a%0A... ERROR forged" wrote a second line that read as
    # a record of its own.
    with _plain_log_lines() as lines:
        response = Client().get("/careers/x%0A2026-01-01%20ERROR%20forged/")
    assert response.status_code == 404
    assert lines and all(" INFO " in line or " WARNING " in line for line in lines), lines
    assert any("/careers/x\\n2026-01-01 ERROR forged/" in line for line in lines), lines


def test_with_plain_logs_a_failing_health_check_still_says_why_and_which_request(client, db):
    # The plain line was "... ERROR careerportal.request GET /healthz 503" alone: the reason
    # and the request id went to JSON logs only.
    refused = OperationalError("connection failed: Connection refused")
    with (
        mock.patch("careerportal.views.connection.cursor", side_effect=refused),
        _plain_log_lines() as lines,
    ):
        client.get(reverse("healthz"), HTTP_X_REQUEST_ID="probe-0002")
    (line,) = lines
    assert " ERROR careerportal.request GET /healthz 503 request_id=probe-0002 " in line
    assert " database=error cache=ok " in line
    assert line.endswith(
        ' database_error="OperationalError: connection failed: Connection refused"'
    )
