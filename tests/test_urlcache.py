"""Remembered slug URLs (careerportal/urlcache.py) stay the URLs Django would reverse."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from careerportal.urlcache import reverse_plain, reverse_slug, static_url
from tests.factories import CareerFactory, CertificationFactory


@pytest.fixture(autouse=True)
def _root_prefix():
    yield
    set_script_prefix("/")


def test_remembered_url_is_the_reversed_one():
    assert reverse_slug("careers:detail", "ai-ml") == reverse("careers:detail", args=["ai-ml"])
    assert reverse_slug("careers:detail", "ai-ml") == "/careers/ai-ml/"


def test_a_new_script_prefix_is_not_served_an_old_url():
    assert reverse_slug("careers:detail", "ai-ml") == "/careers/ai-ml/"
    set_script_prefix("/portal/")
    assert reverse_slug("careers:detail", "ai-ml") == "/portal/careers/ai-ml/"


def test_a_new_script_prefix_is_not_served_an_old_plain_url():
    assert reverse_plain("careers:list") == reverse("careers:list") == "/careers/"
    set_script_prefix("/portal/")
    assert reverse_plain("careers:list") == "/portal/careers/"


def test_another_urlconf_is_not_served_an_old_url(settings):
    assert reverse_slug("careers:detail", "ai-ml") == "/careers/ai-ml/"
    settings.ROOT_URLCONF = "tests.urls_mounted"
    assert reverse_slug("careers:detail", "ai-ml") == "/mounted/careers/ai-ml/"


@pytest.mark.django_db
def test_a_site_mounted_under_a_prefix_links_under_it(client):
    """Behind a proxy that mounts the site at /portal, the roadmap links stay inside it."""
    certification = CertificationFactory(slug="aws-ml")
    career = CareerFactory(slug="ai-ml")
    career.roadmap_steps.create(certification=certification, position=0)
    assert client.get("/careers/ai-ml/").status_code == 200  # remembers the unprefixed URLs

    # Through the WSGI handler, as gunicorn calls it (the test client ignores SCRIPT_NAME).
    # Like the test client, keep the request from closing the test's database connection.
    environ = RequestFactory().get("/careers/ai-ml/", SCRIPT_NAME="/portal").environ
    statuses = []
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda status, headers: statuses.append(status)))
    finally:
        request_started.connect(close_old_connections)

    assert statuses == ["200 OK"]
    assert b'href="/portal/certifications/aws-ml/"' in body
    assert b'href="/certifications/aws-ml/"' not in body
    # The navigation bar, footer and breadcrumbs ({% site_url %}) too.
    assert body.count(b'href="/portal/careers/"') == 3
    assert b'href="/careers/"' not in body


def test_a_new_script_prefix_is_not_served_an_old_static_url():
    assert static_url("css/site.css") == static("css/site.css")
    set_script_prefix("/portal/")
    assert static_url("css/site.css") == static("css/site.css")


def test_a_changed_static_url_setting_is_not_served_an_old_static_url(settings):
    assert static_url("css/site.css") == static("css/site.css")
    settings.STATIC_URL = "https://cdn.example.com/assets/"
    assert static_url("css/site.css") == static("css/site.css")
    assert static_url("css/site.css").startswith("https://cdn.example.com/assets/")
