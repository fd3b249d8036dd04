"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """SITE_URL is the address in every link the site sends away from a page: e-mails
    (reminders, confirmations, password resets), the calendar feed, sitemaps and structured
    data. Left at its development default, every one of them led to 127.0.0.1:8000."""
    site = urlsplit(settings.SITE_URL)
    if not site.hostname or site.hostname in LOOPBACK or site.scheme not in ("http", "https"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mails, calendar feeds and "
                "sitemaps would lead there, not to the site.",
                hint="Set SITE_URL to the site's public address, e.g. https://careers.example.org.",
                id="careerportal.W001",
            )
        ]
    if not validate_host(site.hostname, settings.ALLOWED_HOSTS):
        return [
            Warning(
                f"SITE_URL's host {site.hostname!r} is not in DJANGO_ALLOWED_HOSTS: every link "
                "the site sends would be answered 400 Bad Request.",
                hint="Add the host to DJANGO_ALLOWED_HOSTS, or correct SITE_URL.",
                id="careerportal.W002",
            )
        ]
    return []
