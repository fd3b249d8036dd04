from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from careerportal import search as site_search
from careerportal.query import MAX_QUERY_LENGTH, clean_query
from careers.models import Career
from certifications.models import Certification


def _suggestions(user=None):
    """Featured careers and the most-used certifications (two queries), evaluated now;
    signed in, each career also carries the learner's held/required counts."""
    careers = list(
        Career.objects.published()
        .with_cert_count()
        .with_median_salary(country="US", level="mid")
        .with_learner_progress(user)
        .order_by("-featured", "title")[:6]
    )
    certifications = list(Certification.objects.popular()[:6])
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
    respelled = ""
    if query and not hits:  # a typo ("kubernets"): search for the words the site has
        respelled = site_search.respelled(query)
        hits = site_search.search(respelled) if respelled else []
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
            "shown": respelled or query,
            "notice": notice,
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


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure means unhealthy
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page opened before the learner signed in or out
    (or with cookies refused). Says that nothing was saved and links back to the form's page."""
    referer = request.META.get("HTTP_REFERER", "")
    back = ""
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path.startswith("/"):
            back = parts.path + (f"?{parts.query}" if parts.query else "")
    context = {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
