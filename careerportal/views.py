import difflib
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.middleware.security import SecurityMiddleware
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import server_error as django_server_error
from django.views.static import serve

from careerportal import search as site_search
from careerportal.account_adapter import longest_wait
from careerportal.csp_policy import CSPMiddleware
from careerportal.query import MAX_QUERY_LENGTH, clean_query
from careerportal.some_words import WEIGHED_WORDS
from careers.models import Career, Employer
from certifications.models import Certification


def _suggestions(user=None):
    """Featured careers and the most-used certifications (two queries), evaluated now;
    signed in, each career also carries the learner's held/required counts (two more: the
    learner's exams, then the counts of these six careers)."""
    careers = list(
        Career.objects.published()
        .with_cert_count()
        .with_median_salary(country="US", level="mid")
        .order_by("-featured", "title", "pk")[:6]
    )
    Career.objects.attach_learner_progress(careers, user)
    certifications = list(Certification.objects.popular(limit=6))
    return careers, certifications


@login_not_required
@require_safe
def home(request):
    """Search box, featured careers and the certifications most roadmaps use."""
    careers, certifications = _suggestions(request.user)
    return render(request, "home.html", {"careers": careers, "certifications": certifications})


@login_not_required
@require_safe
def search(request):
    """One search box over careers, certifications, providers and employers."""
    query, shortened = clean_query(request.GET.get("q", ""))
    notice = ""
    if shortened:
        notice = f"Searches are limited to {MAX_QUERY_LENGTH} characters; we used the first part."
    hits = site_search.search(query) if query else []
    parts = site_search.weighed_up(query) if query and not hits else []
    compared = []
    if parts:  # "cka vs ckad": each on its own, and the compare page for them
        hits, best = site_search.search_each(parts)
        compared = site_search.comparable(best, parts)
    respelled = ""
    if query and not hits:  # a typo ("kuberntes"): search for the words the site has
        respelled = site_search.respelled(query)
        hits = site_search.search(respelled) if respelled else []
    some = None
    if query and not hits:  # "cloud engineer london": the words rows hold, most held first
        some = site_search.search_some(respelled or query)
        hits = some.hits if some else []
    groups = site_search.grouped(hits)
    careers = certifications = ()
    if not hits:  # empty query or nothing found: point somewhere useful instead
        careers, certifications = _suggestions(request.user)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "respelled": respelled,
            "parts": parts if hits and not respelled and not some else [],
            "compared": compared,
            "some": some if hits else None,
            "shown": some.searched if some and hits else respelled or query,
            "notice": notice,
            "unweighed": some.unweighed if some else [],
            "weighed_words": WEIGHED_WORDS,
            "groups": groups,
            "total": len(hits),
            "limit_reached": len(hits) >= site_search.RESULT_LIMIT,
            "suggested_careers": careers,
            "suggested_certifications": certifications,
            "max_length": MAX_QUERY_LENGTH,
        },
    )


@login_not_required
@require_safe
def favicon(request):
    """The site icon, for clients that ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@login_not_required
@require_safe
def robots_txt(request):
    """Crawl rules: everything public, nothing personal, and where the sitemap is."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": settings.SITE_URL + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )


@login_not_required
@require_safe
def media(request, path):
    """Uploaded files (employer logos) when nothing else serves MEDIA_URL (SERVE_MEDIA). Each
    upload is re-encoded under a new random name, so a browser may keep it for a year."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _reason(error: Exception) -> str:
    """An exception as one short line for the log (psycopg's messages span lines)."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:300]


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise. A 503 is logged once, on the
    request's own line, with what failed and why (the client is told only which check)."""
    checks, reasons = {}, {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy
        checks["database"] = "error"
        reasons["database_error"] = _reason(error)
    try:
        cache.set("healthz", "1", 5)
        read_back = cache.get("healthz") == "1"
        # The resilient backends swallow the store's error (careerportal/cache_backends.py),
        # and the default one answers from this process's memory meanwhile.
        outage = getattr(cache, "outage", None)
        failed = outage and outage.current_error()
        checks["cache"] = "ok" if read_back and not failed else "error"
        if checks["cache"] == "error":
            reasons["cache_error"] = failed or "a value just written could not be read back"
    except Exception as error:
        checks["cache"] = "error"
        reasons["cache_error"] = _reason(error)
    healthy = all(v == "ok" for v in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
    if not healthy:
        # RequestLogMiddleware writes the reasons on the request's line; Django's own
        # "Service Unavailable: /healthz" line, which says nothing more, would double every
        # probe's line for as long as the outage lasts.
        response.log_fields = {**checks, **reasons}
        response._has_been_logged = True
    return response


def _is_same_site_path(path: str, request) -> bool:
    """Whether `path` (a Referer's path and query) links to a page of this site, read on its own
    as a browser reads an href: `//evil.com/x` and `/\\evil.com` lead to another site."""
    return (
        path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()})
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page opened before the learner signed in or out
    (or with cookies refused). Says that nothing was saved and links back to the form's page."""
    referer = request.META.get("HTTP_REFERER", "")
    back = ""
    if _is_our_address(referer, request):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    if not _is_same_site_path(back, request):
        back = ""
    typed = _typed_text(request)
    context = {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE, "typed": typed}
    response = render(request, "403_csrf.html", context, status=403)
    if typed:  # a learner's private notes: never kept by a browser or proxy cache
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


# Posted fields never shown back, by a word in their names.
_SECRET_FIELD_WORDS = ("csrf", "password", "token", "secret", "key")
# At most this many fields, each cut to this many characters (a learner's notes take 5,000).
_TYPED_FIELDS, _TYPED_LENGTH = 10, 10_000


def _typed_text(request) -> list[tuple[str, str]]:
    """(label, text) of what the refused form held that someone wrote: a value with a space
    or a line break in it (notes), not a single word, date, code or link, quick to give again,
    nor a password. Only for a form sent from a page of this site (its Origin, else its
    Referer): another site's form could otherwise put its own words on our page."""
    if request.method != "POST" or not _sent_from_this_site(request):
        return []
    try:
        posted = request.POST
    except Exception:  # a body too large or unreadable: nothing to give back
        return []
    typed = []
    for name, values in posted.lists():
        if any(word in name.lower() for word in _SECRET_FIELD_WORDS):
            continue
        for value in values:
            text = value.strip()
            if text and any(character.isspace() for character in text):
                label = name.rsplit("-", 1)[-1].replace("_", " ").capitalize()
                typed.append((label, text[:_TYPED_LENGTH]))
    return typed[:_TYPED_FIELDS]


def _sent_from_this_site(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = request.META.get("HTTP_REFERER", "")
        return bool(referer) and _is_our_address(referer, request)
    return origin == f"{request.scheme}://{request.get_host()}"


def _is_our_address(url: str, request) -> bool:
    """Whether `url` (a Referer) is an address on this site, over HTTPS when the request is."""
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


# The middleware whose headers every page carries, innermost first; each adds a header only
# where it is missing, so a 400 that also passes through them on its way out keeps one of each.
_HEADER_MIDDLEWARE = (CSPMiddleware, XFrameOptionsMiddleware, SecurityMiddleware)


def _forget_unreadable_body(request) -> None:
    """Give an error page an empty form where the request's could not be read. Django refuses
    a form in a character set other than UTF-8 without marking it unread (as it marks a body
    too large), so its 400 and 500 pages, whose CSRF token check reads the form, failed the
    same way: gunicorn's bare 500, without the site's headers, and ~112 KB of chained
    tracebacks logged for each such request."""
    try:
        request.POST  # noqa: B018 (reading it is the test)
    except BadRequest:
        request._mark_post_parse_error()


def bad_request(request, exception):
    """handler400: Django's 400 page (templates/400.html, no detail of the error) with the
    headers of every other page. With SECURE_SSL_REDIRECT on, a plain-HTTP request for a Host
    that is not ours is refused by SecurityMiddleware, which reads the host to build the
    https:// address, before any of these middleware could add their headers."""
    _forget_unreadable_body(request)
    response = django_bad_request(request, exception)
    for middleware in _HEADER_MIDDLEWARE:
        # Only their way out: SecurityMiddleware's way in is what refused the host.
        middleware(get_response=django_bad_request).process_response(request, response)
    return response


# Seconds a client is asked to wait before trying again while the database is unreachable.
DATABASE_RETRY_AFTER = 30


def _database_unreachable(error) -> bool:
    """Whether `error` is the database being out of reach (down, restarting, failing over),
    not a query's own fault: the connection could not be opened, or no longer works."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    try:
        return connection.connection is None or not connection.is_usable()
    except Exception:
        return True


def server_error(request):
    """handler500. While the database cannot be reached every page would fail with a traceback
    logged for each request: the visitor gets a 503 asking them to come back (Retry-After) and
    the request's log line says why, once. Any other error gets Django's 500 (500.html)."""
    error = sys.exc_info()[1]
    if not _database_unreachable(error):
        _forget_unreadable_body(request)
        return django_server_error(request)
    response = render(None, "503.html", status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response.log_fields = {"database_error": _reason(error)}
    response._has_been_logged = True  # see healthz
    return response


# How alike a mistyped address must be to a page's to be offered ("ai-ml-enginer" and
# "ai-ml-engineer" are 0.96; "data-engineer" and "ai-ml-engineer" 0.67).
NEAREST_PAGE_CUTOFF = 0.75
_PAGES_BY_SLUG = {
    "careers:detail": lambda: Career.objects.published().values_list("slug", "title"),
    "certifications:detail": lambda: Certification.objects.public().values_list("slug", "name"),
    "employers:detail": lambda: Employer.objects.values_list("slug", "name"),
}


def _nearest_page(view_name: str, slug: str) -> dict | None:
    """For the slug of a career, certification or employer that does not exist, the public
    page whose slug is most like it (one query), as {"title", "url"}; else None."""
    pages = {found.lower(): (found, title) for found, title in _PAGES_BY_SLUG[view_name]()}
    nearest = difflib.get_close_matches(slug.lower(), pages, n=1, cutoff=NEAREST_PAGE_CUTOFF)
    if not nearest:
        return None
    found, title = pages[nearest[0]]
    return {"title": title, "url": reverse(view_name, args=[found])}


# The allauth rate limit (ACCOUNT_RATE_LIMITS) each page's refusals count against.
_LIMITED_BY = {
    "account_signup": "signup",
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account-delete": "reauthenticate",
    "account_reauthenticate": "reauthenticate",
}


def too_many_attempts(request, exception=None):
    """handler429, for allauth's refusals: says how long they last at most. "Wait a few
    minutes" sent a learner sharing an address (a school, an office) back to a sign-up
    refused for up to an hour, to be refused again."""
    try:
        name = resolve(request.path_info).url_name
    except Resolver404:
        name = None
    rates = (settings.ACCOUNT_RATE_LIMITS or {}).get(_LIMITED_BY.get(name, ""), "")
    context = {"wait": longest_wait(rates) if rates else ""}
    return render(request, "429.html", context, status=429)


def page_not_found(request, exception):
    """handler404: the site's 404 page. Under a career, certification or employer address it
    also offers the page the address was most likely meant for, or else fills the search box
    with the address's words (a search respells them)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
        lowered = request.path_info.lower()
        if lowered != request.path_info and request.method in ("GET", "HEAD"):
            try:
                resolve(lowered)  # /Careers/data-engineer/ means /careers/data-engineer/
            except Resolver404:
                pass
            else:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path.lower() + (f"?{query}" if query else "")
                )
    slug = match.kwargs.get("slug", "") if match else ""
    nearest = None
    if slug and match.view_name in _PAGES_BY_SLUG:
        nearest = _nearest_page(match.view_name, slug)
    words = "" if nearest else slug.replace("-", " ")
    return render(request, "404.html", {"nearest": nearest, "words": words}, status=404)
