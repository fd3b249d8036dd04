"""Where a confirmation link leads once it has confirmed its address in a browser that did not
sign up: the page the visitor signed up from (a career's "Sign in to follow", a certification
they meant to track), by way of the sign-in page there.

allauth keeps that page (`next`) with the pending sign-up, in the session of the browser that
signed up, and signs in only that browser on confirming (the link alone, forwarded or logged,
signs no one in). A visitor who opens the e-mail on their phone has no such session, so the
link carries the page itself: `?then=<path>:<signature>`, signed for the one address the link
confirms, so a `then` taken from another account's link, or edited, is ignored rather than
followed. The path is checked as a page of this site both when the link is made and when it
is followed.
"""

from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PARAM = "then"
# Longer than any page address of ours, with a query; a longer `next` is left out of the link.
MAX_LENGTH = 500


def same_site_path(url: str) -> bool:
    """Whether `url` is a path on this site, as a browser reads an href: `//evil.example/` and
    `/\\evil.example` lead to another site, and a URL with a scheme or host is not a path."""
    return (
        0 < len(url) <= MAX_LENGTH
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url.isprintable()  # a newline would fail the redirect's header
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _signer(email_address) -> signing.Signer:
    # The address as well as its row: a row id SQLite hands out again after a delete.
    key = f"{email_address.pk}:{email_address.email.lower()}"
    return signing.Signer(salt=f"careerportal.confirmation-next:{key}")


def link_query(email_address, path: str | None) -> str:
    """The query to add to the confirmation link of `email_address` ("?then=..."), or "" when
    `path` is none or not a page of this site."""
    if not (path and email_address.pk and same_site_path(path)):
        return ""
    return "?" + urlencode({PARAM: _signer(email_address).sign(path)})


def destination(email_address, value: str) -> str | None:
    """The page a link's `then` leads to, if it was signed for `email_address`."""
    try:
        path = _signer(email_address).unsign(value)
    except signing.BadSignature:
        return None
    return path if same_site_path(path) else None


def sign_in_then(path: str) -> str:
    """The sign-in page, which leads on to `path`."""
    return f"{reverse('account_login')}?{urlencode({'next': path})}"
