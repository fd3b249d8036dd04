"""Every URL pattern is classed public, learner, staff or token, and behaves as its class.

A new pattern fails this test until it is added to ACCESS below: deny by default means a
page is public only when someone decided it should be.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from certifications.models import LearnerProfile
from tests.factories import CareerFactory, CertificationFactory, EmployerFactory
from tests.test_security import assert_security_headers

PUBLIC, LEARNER, STAFF, TOKEN = "public", "learner", "staff", "token"

ACCESS = {
    # site-wide
    "home": PUBLIC,
    "healthz": PUBLIC,
    "search": PUBLIC,
    "sitemap": PUBLIC,
    "sitemap-section": PUBLIC,
    "robots": PUBLIC,
    "favicon.ico": PUBLIC,  # unnamed: a redirect to the hashed static icon
    "media": PUBLIC,  # uploaded logos (SERVE_MEDIA)
    # content
    "careers:list": PUBLIC,
    "careers:compare": PUBLIC,
    "careers:detail": PUBLIC,
    "certifications:list": PUBLIC,
    "certifications:compare": PUBLIC,
    "certifications:detail": PUBLIC,
    "certifications:careers": PUBLIC,
    "employers:list": PUBLIC,
    "employers:detail": PUBLIC,
    "employers:careers": PUBLIC,
    "employers:monogram": PUBLIC,
    # opt-in public progress pages (404 unless the learner shares)
    "profile": PUBLIC,
    "profile-card": PUBLIC,
    # learner pages and actions
    "dashboard": LEARNER,
    "plan-update": LEARNER,
    "progress-update": LEARNER,
    "career-follow": LEARNER,
    "career-unfollow": LEARNER,
    "account-settings": LEARNER,
    "account-export": LEARNER,
    "account-delete": LEARNER,
    "calendar-rotate": LEARNER,
    "calendar-revoke": LEARNER,
    # the secret in the URL is the credential
    "calendar-feed": TOKEN,
    "account_confirm_email": TOKEN,
    "account_reset_password_from_key": TOKEN,
    "reminders-stop": TOKEN,  # the link at the foot of every reminder e-mail
    "address-release": TOKEN,  # sent only to an address another's account holds unconfirmed
    # allauth: reachable signed out so that people can sign in, up, out and reset
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    # allauth: the signed-in learner's own account
    "account_reauthenticate": LEARNER,
    "account_request_reauthentication_code": LEARNER,
    "account_confirm_reauthentication_code": LEARNER,
    "account_email": LEARNER,
    "account_change_password": LEARNER,
    "account_set_password": LEARNER,
}
STAFF_NAMESPACES = ("admin",)


def all_patterns(patterns=None, prefix="", namespace=""):
    """(route, name or route, callback) for every pattern in the whole URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from all_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = route
            yield route, key, namespace, entry.callback


def access_of(key: str, namespace: str) -> str | None:
    if namespace.split(":")[0] in STAFF_NAMESPACES:
        return STAFF
    return ACCESS.get(key)


def test_every_url_pattern_is_classed_public_learner_staff_or_token():
    unclassed = [
        f"{route} ({key})"
        for route, key, namespace, _ in all_patterns()
        if access_of(key, namespace) is None
    ]
    assert not unclassed, "add these to ACCESS in tests/test_url_access.py: " + ", ".join(unclassed)


def test_the_table_lists_no_pattern_that_is_gone():
    keys = {key for _, key, _, _ in all_patterns()}
    assert set(ACCESS) - keys == set()


def test_only_public_and_token_views_skip_the_sign_in_requirement():
    for route, key, namespace, callback in all_patterns():
        access = access_of(key, namespace)
        marked_public = getattr(callback, "login_required", True) is False
        if access in (PUBLIC, TOKEN):
            assert marked_public, f"{route} ({key}) needs @login_not_required"
        elif access == LEARNER:
            assert not marked_public, f"{route} ({key}) is a learner page marked public"


@pytest.fixture
def demo_kwargs(db, learner, settings):
    career = CareerFactory()
    certification = CertificationFactory()
    employer = EmployerFactory()
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    by_name = {
        "careers:detail": {"slug": career.slug},
        "certifications:detail": {"slug": certification.slug},
        "employers:detail": {"slug": employer.slug},
        "employers:careers": {"slug": employer.slug},
        "sitemap-section": {"section": "careers"},
        "certifications:careers": {"slug": certification.slug},
        "employers:monogram": {"slug": employer.slug},
        "profile": {"handle": "ada"},
        "profile-card": {"handle": "ada"},
        "media": {"path": "logos/logo.png"},
        "progress-update": {"slug": certification.slug},
        "career-follow": {"slug": career.slug},
        "career-unfollow": {"slug": career.slug},
    }
    return by_name


def _reversible(demo_kwargs, access):
    for route, key, namespace, _ in all_patterns():
        if access_of(key, namespace) != access:
            continue
        if "<" in route or "(?P" in route or "^" in route:
            if key not in demo_kwargs:
                continue
            yield key, reverse(key, kwargs=demo_kwargs[key])
        elif key == route:  # unnamed
            yield key, "/" + route
        else:
            yield key, reverse(key)


def body(response) -> bytes:
    """The body, read to the end: a streamed file (an uploaded logo) is closed by the test
    client once read, without closing the test's database connection as close() would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_public_page_answers_a_visitor_with_the_security_headers(client, demo_kwargs):
    checked = []
    for key, url in _reversible(demo_kwargs, PUBLIC):
        response = client.get(url)
        body(response)
        assert response.status_code in (200, 301, 302), (key, url, response.status_code)
        if response.status_code in (301, 302):
            # Sent away by the sign-in requirement? (allauth's own flows may redirect.)
            assert "?next=" not in response["Location"], (key, url)
        assert_security_headers(response)
        checked.append(key)
    assert len(checked) >= 20, checked


def _assert_head_answers_like_get(client, key, url):
    """HEAD (uptime monitors, load balancers, link checkers) gets GET's status and headers
    and no body."""
    got, head = client.get(url), client.head(url)
    body(got)
    assert head.status_code == got.status_code, (key, url, got.status_code, head.status_code)
    assert body(head) == b"", (key, url)
    for header in ("Content-Type", "Location", "Cache-Control", "Vary"):
        assert head.headers.get(header) == got.headers.get(header), (key, url, header)
    assert_security_headers(head)


def test_every_public_page_answers_head_as_it_answers_get(client, demo_kwargs):
    checked = []
    for key, url in _reversible(demo_kwargs, PUBLIC):
        _assert_head_answers_like_get(client, key, url)
        checked.append(key)
    assert {"home", "healthz", "careers:list", "careers:detail", "search"} <= set(checked)


def test_every_learner_page_answers_head_as_it_answers_get(client, learner, demo_kwargs):
    client.force_login(learner)
    checked = []
    for key, url in _reversible(demo_kwargs, LEARNER):
        _assert_head_answers_like_get(client, key, url)
        checked.append(key)
    # POST-only actions included: a GET or HEAD is sent on to the form's page.
    assert {"dashboard", "account-settings", "account-export", "account-delete"} <= set(checked)
    assert {"progress-update", "plan-update", "calendar-rotate"} <= set(checked)


# allauth's view that picks a class-based view per request: what it takes is not known before
# the CSRF check, which answers for it as before.
UNSAID_METHODS = {"account_email_verification_sent"}


# The addresses forms send their answers to, which a GET only leads to the form's page.
FORM_ADDRESSES = {
    "plan-update",
    "progress-update",
    "career-follow",
    "career-unfollow",
    "calendar-rotate",
    "calendar-revoke",
}


def _takes(key, url, method) -> bool:
    view = getattr(resolve(url).func, "view_class", None)
    return key in UNSAID_METHODS or (view is not None and hasattr(view, method))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_page_answers_a_method_it_does_not_take_with_the_405_page(
    learner, demo_kwargs, method
):
    """Not with the 403 "This form has expired" of a CSRF check: no form sends a DELETE.
    A view that takes the method (allauth's forms take PUT as POST) still checks it."""
    visitor, signed_in = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    signed_in.force_login(learner)
    checked = []
    for client, access in ((visitor, PUBLIC), (visitor, TOKEN), (signed_in, LEARNER)):
        for key, url in _reversible(demo_kwargs, access):
            response = getattr(client, method)(url)
            body(response)
            if _takes(key, url, method):
                assert response.status_code == 403, (key, url, response.status_code)
                continue
            assert response.status_code == 405, (key, url, response.status_code)
            allowed = response["Allow"].split(", ")
            assert "GET" in allowed and method.upper() not in allowed, (key, url, allowed)
            said = "This address is not a page" if key in FORM_ADDRESSES else "not take that"
            assert said in body(response).decode(), (key, url)
            assert_security_headers(response)
            checked.append(key)
    assert {"home", "careers:detail", "search", "dashboard", "progress-update"} <= set(checked)


def test_a_delete_is_refused_before_any_view_runs(learner, demo_kwargs, django_assert_num_queries):
    client = Client(enforce_csrf_checks=True)
    url = reverse("careers:detail", kwargs=demo_kwargs["careers:detail"])
    with django_assert_num_queries(0):  # no session, no career read
        assert client.delete(url).status_code == 405
    client.force_login(learner)
    with django_assert_num_queries(2):  # 1 session, 2 user: the page's navigation
        assert client.delete(reverse("dashboard")).status_code == 405


def test_a_form_sent_without_its_token_is_still_refused(client, learner, demo_kwargs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    for url in (
        reverse("dashboard"),
        reverse("progress-update", kwargs=demo_kwargs["progress-update"]),
    ):
        response = client.post(url, {"status": "passed"})
        assert response.status_code == 403
        assert "form has expired" in response.content.decode()


def test_every_learner_page_sends_a_visitor_to_sign_in(client, demo_kwargs):
    checked = []
    for key, url in _reversible(demo_kwargs, LEARNER):
        response = client.get(url)
        assert response.status_code == 302, (key, url, response.status_code)
        assert response["Location"].startswith(reverse("account_login")), (key, url)
        assert_security_headers(response)
        checked.append(key)
    assert {"dashboard", "account-settings", "progress-update"} <= set(checked)


def test_the_admin_sends_a_visitor_and_a_learner_away(client, learner, db):
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(learner)
    response = client.get(reverse("admin:careers_career_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_made_up_token_is_refused_without_an_error(client, db):
    for url in (
        reverse("calendar-feed", kwargs={"token": "not-a-real-token"}),
        reverse("account_confirm_email", kwargs={"key": "not-a-real-key"}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nokey"}),
        reverse("address-release", kwargs={"token": "not-a-real-token"}),
    ):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert b"BEGIN:VCALENDAR" not in response.content
        assert_security_headers(response)


@pytest.mark.parametrize("name", ["home", "careers:list", "certifications:list", "search"])
def test_a_host_that_is_not_ours_gets_the_400_page_with_the_security_headers(client, db, name):
    # The pages the anonymous page cache keeps (careerportal/cache.py), whose key names the host.
    for _ in range(2):
        response = client.get(reverse(name), HTTP_HOST="evil.example.com")
        assert response.status_code == 400, name
        assert "a host name that is not ours" in response.content.decode()
        assert_security_headers(response)
        assert "X-Page-Cache" not in response


def test_every_static_file_forbids_framing_and_runs_nothing(client, db, settings, tmp_path):
    """What whitenoise serves (/static/img/favicon.svg, the admin's icons, our CSS and JS),
    opened on its own: no script, no plugin, no framing."""
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    files = sorted(
        path.relative_to(settings.STATIC_ROOT).as_posix()
        for path in settings.STATIC_ROOT.rglob("*")
        if path.is_file()
    )
    assert {"img/favicon.svg", "css/site.css", "js/theme.js"} <= set(files)
    client = Client()  # a new handler: whitenoise reads STATIC_ROOT when it starts
    for name in files:
        response = client.get(settings.STATIC_URL + name)
        response.close()
        assert response.status_code == 200, name
        csp = response.headers.get("Content-Security-Policy", "")
        for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"):
            assert directive in csp, (name, csp)
        assert "script-src" not in csp, (name, csp)
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
    assert len(files) > 20, files


def test_collectstatic_keeps_only_the_hashed_files_pages_link_to(db, settings, tmp_path):
    """Pages link to each static file by its hashed name (cached for ten years); the copy under
    the plain name, which no page links to, is not kept, so each worker's whitenoise indexes
    half the files (0.5 MiB less resident memory per worker in `make bench`)."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    files = {path.name for path in settings.STATIC_ROOT.rglob("*") if path.is_file()}
    linked = staticfiles_storage.url("css/site.css")
    assert linked != settings.STATIC_URL + "css/site.css"
    assert linked.rsplit("/", 1)[1] in files and "site.css" not in files
    client = Client()  # a new handler: whitenoise reads STATIC_ROOT when it starts
    response = client.get(linked)
    response.close()
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get(settings.STATIC_URL + "css/site.css").status_code == 404
