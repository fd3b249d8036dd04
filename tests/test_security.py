"""Hardening a visitor or attacker would notice: headers, cookies, hosts, errors, redirects."""

import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from careerportal.logs import holds_secret

pytestmark = pytest.mark.django_db

CSP_DIRECTIVES = (
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def assert_security_headers(response):
    """The headers every response carries (shared with tests/test_url_access.py)."""
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in csp, (directive, csp)
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # A page whose address holds a secret sends its origin alone as Referer, never its path
    # (even to the site itself), and its forms still carry an Origin the CSRF check accepts.
    secret = holds_secret(response.wsgi_request.path)
    policy = "strict-origin" if secret else "strict-origin-when-cross-origin"
    assert response.headers["Referrer-Policy"] == policy
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def production_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.MESSAGES_COOKIE_NAME = "__Host-messages"
    return settings


def test_home_page_carries_csp_and_security_headers(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_plain_http_is_redirected_to_https_behind_the_proxy(client, production_https):
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_through_the_proxy_gets_hsts(client, production_https):
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_signing_in_sets_a_host_only_secure_session_cookie(client, staff, production_https):
    response = client.post(
        reverse("account_login"),
        {"login": "editor@example.com", "password": "editor-password-123"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_the_message_after_signing_out_travels_in_a_host_only_secure_cookie(
    client, learner, production_https
):
    client.force_login(learner)
    response = client.post(reverse("account_logout"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 302
    cookie = response.cookies["__Host-messages"]
    assert cookie.value
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert "messages" not in response.cookies


def test_unknown_host_is_a_400(client):
    response = client.get(reverse("home"), HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "a host name that is not ours" in response.content.decode()
    assert_security_headers(response)


def test_unknown_host_over_plain_http_is_a_400_with_the_security_headers(
    client, production_https, settings
):
    # SecurityMiddleware reads the host to build the https:// address it would redirect to,
    # so this 400 leaves from outside the middleware that add CSP and X-Frame-Options.
    response = client.get(reverse("home"), HTTP_HOST="attacker.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "a host name that is not ours" in body
    for leak in ("Traceback", "DisallowedHost", "ALLOWED_HOSTS", settings.SECRET_KEY):
        assert leak not in body
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response  # it came over plain HTTP


def test_an_address_with_thousands_of_fields_is_a_400_in_the_site_style(client):
    fields = "&".join(f"f{n}=1" for n in range(1100))  # Django reads at most 1,000
    response = client.get(f"{reverse('careers:list')}?{fields}")
    assert response.status_code == 400
    assert "far more fields than any form sends" in response.content.decode()
    assert_security_headers(response)


def test_server_error_shows_the_styled_page_without_any_detail(settings):
    client = Client(raise_request_exception=False)
    secret = f"SELECT password FROM auth_user -- {settings.SECRET_KEY}"
    with mock.patch("careerportal.views.render", side_effect=RuntimeError(secret)):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    for leak in ("Traceback", "SELECT", "auth_user", settings.SECRET_KEY, "RuntimeError"):
        assert leak not in body
    assert "CareerPortal" in body
    assert '<link rel="stylesheet"' in body
    assert_security_headers(response)


def test_a_refused_page_shows_the_styled_403(client):
    with mock.patch("careerportal.views.render", side_effect=PermissionDenied("staff only")):
        response = client.get(reverse("home"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot open this page" in body and "staff only" not in body
    assert '<link rel="stylesheet"' in body
    assert_security_headers(response)


def test_anonymous_visitor_is_sent_to_sign_in_for_a_learner_page(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_sign_in_refuses_an_off_site_next(client, learner):
    response = client.post(
        reverse("account_login") + "?next=https://attacker.example/",
        {"login": "learner@example.com", "password": "learner-password-123"},
    )
    assert response.status_code == 302
    assert "attacker.example" not in response["Location"]


def test_sign_out_refuses_an_off_site_next(client_as_learner):
    response = client_as_learner.post(
        reverse("account_logout"), {"next": "https://attacker.example/"}
    )
    assert response.status_code == 302
    assert "attacker.example" not in response["Location"]
    assert "_auth_user_id" not in client_as_learner.session


def _sign_in_sent_in(charset: str):
    """A visitor who opened the sign-in page sends it with `charset` in its Content-Type, as a
    crafted request may (browsers name none); returns their client and the answer."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    response = client.post(
        reverse("account_login"),
        "login=learner%40example.com&password=learner-password-123",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    return client, response


def test_a_form_in_another_character_set_is_a_400_in_the_site_style(learner):
    # Django refuses to read it, then read it again for its own 400 and 500 pages: gunicorn's
    # bare 500, without these headers, and ~112 KB of tracebacks logged per request.
    client, response = _sign_in_sent_in("latin-1")
    assert response.status_code == 400
    assert "a form in a character set other than UTF-8" in response.content.decode()
    assert_security_headers(response)
    assert "_auth_user_id" not in client.session


def test_a_form_naming_utf8_in_another_spelling_is_read(learner):
    client, response = _sign_in_sent_in("UTF8")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_the_content_security_policy_is_built_once_and_follows_a_settings_change(
    client, settings, monkeypatch
):
    """careerportal/csp_policy.py: django-csp's headers, each policy built once per process;
    each response still carries its own nonce."""
    from careerportal import cache as page_cache
    from careerportal import csp_policy
    from tests.factories import CareerFactory

    monkeypatch.setattr(page_cache, "ENABLED", False)  # each page rendered, not replayed
    page = CareerFactory().get_absolute_url()  # its JSON-LD scripts carry the nonce
    client.get(page)
    client.get("/robots.txt")
    with mock.patch.object(csp_policy, "build_policy", wraps=csp_policy.build_policy) as built:
        first = client.get(page).headers["Content-Security-Policy"]
        second = client.get(page).headers["Content-Security-Policy"]
        plain = client.get("/robots.txt").headers["Content-Security-Policy"]
    assert built.call_count == 0
    nonces = [re.search(r"'nonce-([^']+)'", policy).group(1) for policy in (first, second)]
    assert nonces[0] != nonces[1]
    assert first.replace(nonces[0], nonces[1]) == second
    assert "script-src 'self'" in plain.split("; ")  # no nonce: none was asked for

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/robots.txt").headers["Content-Security-Policy"] == "default-src 'none'"
