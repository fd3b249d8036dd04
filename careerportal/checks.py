"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.mail.message import sanitize_address
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


# Backends that never hand an e-mail to a mail server: Django's development ones.
UNSENT_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "printed to the server's output",
    "django.core.mail.backends.filebased.EmailBackend": "written to files",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
}


@register(Tags.security, deploy=True)
def email_reaches_people(app_configs, **kwargs):
    """Confirmations, password resets and reminders leave through EMAIL_BACKEND from
    DEFAULT_FROM_EMAIL. Left at their development defaults, every e-mail was printed to the
    console, or sent from noreply@localhost, which receiving servers refuse or file as spam."""
    problems = []
    if fate := UNSENT_BACKENDS.get(settings.EMAIL_BACKEND):
        problems.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: every e-mail would be {fate}, "
                "never sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_*.",
                id="careerportal.W003",
            )
        )
    try:
        domain = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8").rpartition("@")[2]
    except ValueError:
        domain = ""
    domain = domain.strip(">").lower()
    if "." not in domain or domain in LOOPBACK:
        problems.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail servers refuse or "
                "file as spam e-mail from an address on no public domain.",
                hint="Set DEFAULT_FROM_EMAIL to an address on the site's domain, e.g. "
                "noreply@careers.example.org.",
                id="careerportal.W004",
            )
        )
    return problems
