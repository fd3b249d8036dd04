"""Site-wide middleware: request logging with a request id; addresses no query may hold; HEAD
answers without a body; bodies too large to take refused before they are read; a 405 in the
site's style; signed-in pages kept out of every cache, in the learner's time zone; health checks
from any host; a save by an account deleted meanwhile; proxy headers believed from the proxies
alone."""

import codecs
import ipaddress
import logging
import re
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.core.exceptions import BadRequest, DisallowedHost, ImproperlyConfigured
from django.db import IntegrityError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request

from careerportal.actions import form_address_not_allowed
from careerportal.logs import current_request_id, holds_secret
from careerportal.sessions import ACCOUNT_DELETED, session_ended_by_deletion
from certifications.timezones import activate_for

logger = logging.getLogger("careerportal.request")

# A request id from the reverse proxy is reused only when it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Logs one structured line per request and echoes the request id in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(16)
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.id
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        if logger.isEnabledFor(level):
            # logger.log() would first walk the stack to find its caller: 8 of the 45 us the
            # line cost a cached page (a third of its time). The caller is this method.
            record = logger.makeRecord(
                logger.name,
                level,
                __file__,
                0,
                "%s %s %s",
                (request.method, request.path, status),
                None,
                func="RequestLogMiddleware",
                extra={
                    "request_id": request.id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    # What a view adds to its line, e.g. why /healthz failed.
                    **getattr(response, "log_fields", {}),
                },
            )
            logger.handle(record)
        return response


def refuse_nul_bytes(get_response):
    """Answer 400 to an address with a NUL byte in it: nobody types one, and PostgreSQL refuses
    it in any query, so a crafted `?status__exact=%00` reached the admin's filters as a 500."""

    def middleware(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # Answered, not raised: Django logs a raised BadRequest with its traceback, eight
            # lines for each probe the site refuses as it should. The page is handler400's.
            return bad_request(request, BadRequest("The address holds a NUL byte."))
        return get_response(request)

    return middleware


def utf8_forms_however_spelt(get_response):
    """Read a form whose Content-Type names UTF-8 in another spelling (charset=UTF8, utf_8) as
    UTF-8, which it is: Django refuses any name but "utf-8" with a 400."""

    def middleware(request):
        encoding = request.encoding  # only a codec Python knows (Django drops the others)
        if encoding and encoding.lower() != "utf-8" and codecs.lookup(encoding).name == "utf-8":
            request.encoding = "utf-8"
        return get_response(request)

    return middleware


def refuse_oversized_bodies(get_response):
    """Answer 413 with the site's page (templates/413.html) to a request whose body is declared
    larger than MAX_REQUEST_BYTES, before anything reads it. Django writes an uploaded file to
    a temporary file as it arrives, whatever its size, and only the form's check (a logo is at
    most 2 MiB) refuses it afterwards: without a proxy capping bodies (`make serve`, a load
    balancer that does not), anyone could fill the server's disk with one form post. A body
    sent without a length (chunked) is never read by Django at all."""
    limit = settings.MAX_REQUEST_BYTES

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body whose length is not a number
        if length > limit:
            # What the browser may still be sending is left unread; gunicorn's sync workers
            # close the connection after each answer.
            return render(request, "413.html", {"sent": length, "limit": limit}, status=413)
        return get_response(request)

    return middleware


def head_without_body(get_response):
    """Answer HEAD with GET's status and headers (Content-Length included) and no body.

    Django renders a HEAD like a GET and leaves dropping the body to the server; gunicorn
    sends it, which HTTP forbids and which a client keeping the connection open would read as
    the start of the next response."""

    def middleware(request):
        response = get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                if not response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response

    return middleware


def method_not_allowed_page(get_response):
    """Give a 405 the site's page (templates/405.html) with its Allow header: Django's is blank,
    which a browser shows as "This page isn't working", with no way back."""

    def middleware(request):
        response = get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            is_page = "GET" in response["Allow"] and not getattr(response, "form_address", False)
            page = render(request, "405.html", {"is_page": is_page}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response

    return middleware


# Left to the view and the CSRF check: the reading methods, and POST, which forms send.
_ALWAYS_CHECKED = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "POST"})


def view_methods(view) -> list[str] | None:
    """The methods `view` answers, when it says: a class-based view's handlers, the list of
    Django's require_http_methods (require_safe, require_POST) or a view's `http_methods`,
    through the decorators around it; None for a view that does not say (the admin's)."""
    cls = getattr(view, "view_class", None)
    if cls is not None:
        return [m.upper() for m in cls.http_method_names if hasattr(cls, m)]
    while view is not None:
        if hasattr(view, "http_methods"):
            return list(view.http_methods)
        code = getattr(view, "__code__", None)
        cells = dict(zip(code.co_freevars, view.__closure__ or (), strict=True)) if code else {}
        if "request_method_list" in cells:
            return list(cells["request_method_list"].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


class MethodNotAllowedMiddleware:
    """Answer PUT, PATCH, DELETE (any method beyond GET, HEAD, POST) with a 405 and its Allow
    header when the view does not take it, before the CSRF check: that answered 403 "This form
    has expired" to a DELETE on the home page, which no form sends. A view that takes the
    method (allauth's forms take PUT as POST) still has it checked for CSRF, as POST is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in _ALWAYS_CHECKED:
            return None
        allowed = view_methods(view_func)
        if allowed is None or request.method in allowed:
            return None
        if getattr(view_func, "form_address", False):
            return form_address_not_allowed(allowed)
        return HttpResponseNotAllowed(allowed)


def private_when_signed_in(get_response):
    """Mark what a signed-in learner is sent `private, no-store`, unless the view chose its own
    caching: the pages hold their progress, dates and notes, which no shared cache may keep and
    which the browser's Back button must not show again after they sign out."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def no_referrer_from_secret_links(get_response):
    """`Referrer-Policy: strict-origin` on a page whose address holds a secret (the link that
    stops reminders, an e-mail confirmation key: `logs.holds_secret`). The site's policy sends
    the whole address as the Referer of a request to the site itself, so the page's own
    stylesheet and script requests carried the secret into every proxy's access log, which
    writes the Referer in full by default. Not `no-referrer`: with it browsers send the
    page's forms (Confirm, Change password) with `Origin: null`, which the CSRF check refuses
    as a form from another site; `strict-origin` sends the site's origin alone, never the
    path."""

    def middleware(request):
        response = get_response(request)
        if holds_secret(request.path):
            response.headers["Referrer-Policy"] = "strict-origin"
        return response

    return middleware


def learner_time_zone(get_response):
    """Run a signed-in learner's request in their own time zone (certifications/timezones.py),
    so that "today" on their pages and in their forms is the learner's today; everyone else,
    and every cached page, stays in UTC."""

    def middleware(request):
        if request.user.is_authenticated:
            activate_for(request)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def health_check_from_any_host(get_response):
    """Let a load balancer or a Kubernetes probe reach /healthz. They ask each server by its own
    address, which is not in ALLOWED_HOSTS (a 400), over plain HTTP (SECURE_REDIRECT_EXEMPT
    spares it the redirect). The health answer does not depend on the host, so such a request
    is given an allowed one; every other path is left to the host check."""
    health_path = None

    def middleware(request):
        nonlocal health_path
        health_path = health_path or reverse("healthz")
        if request.path_info == health_path:
            try:
                request.get_host()
            except DisallowedHost:
                request.META["HTTP_HOST"] = _an_allowed_host()
        return get_response(request)

    return middleware


def _an_allowed_host() -> str:
    named = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")]
    return named[0] if named else "localhost"


class AccountDeletedMeanwhileMiddleware:
    """Sign out a learner whose account was deleted while their request was saving something.

    The account can go in another tab or window, or by staff in the admin, after this request
    found its user: whatever it then wrote pointing at that user (a progress row, a follow, a
    profile) failed its foreign key as the transaction committed, and the learner got a server
    error. Now they are signed out and told why nothing was saved. Any other refused write is
    left to fail as before: it is a bug to see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError) or not request.user.is_authenticated:
            return None
        if get_user_model()._base_manager.filter(pk=request.user.pk).exists():
            return None
        logout(request)
        messages.warning(
            request,
            "Your account was deleted (in another tab or window, or by the site's staff), so "
            "that change was not saved and you are signed out.",
        )
        return redirect("home")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Deny by default (Django's): every view needs a signed-in user unless marked
    `login_not_required`. A request whose session an account deletion just ended (a second
    press of "Delete my account for good", sent before the first answer came back) is answered
    as the first press was, on the home page saying the account is deleted, rather than with
    the sign-in page: the browser shows that second answer alone."""

    def handle_no_permission(self, request, view_func):
        if session_ended_by_deletion(request):
            messages.success(request, ACCOUNT_DELETED)
            return redirect("home")
        return super().handle_no_permission(request, view_func)


# What a reverse proxy sets about the client, believed only from the proxy.
PROXY_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_REQUEST_ID")


def _from_proxy(allowed) -> Callable[[str], bool]:
    """A test of a peer address against FORWARDED_ALLOW_IPS: addresses, networks or "*"."""
    if "*" in allowed:
        return lambda address: True
    try:
        networks = [ipaddress.ip_network(a, strict=False) for a in allowed]
    except ValueError as error:
        raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {error}") from None
    exact = set(allowed)  # the usual case, a proxy's own address, without parsing

    def test(address: str) -> bool:
        if address in exact:
            return True
        try:
            peer = ipaddress.ip_address(address)
        except ValueError:  # a Unix socket's peer, which only this machine can be
            return not address
        return any(peer in network for network in networks)

    return test


def forwarded_headers_from_proxies(get_response):
    """Drop X-Forwarded-Proto, X-Forwarded-For and X-Request-ID from a request that did not
    come from one of the proxies (FORWARDED_ALLOW_IPS). Django believes the first that the
    request was HTTPS (SECURE_PROXY_SSL_HEADER) and allauth takes the client's address for the
    sign-in limits from the second, whoever sent them: a client reaching an app server's port
    around the proxy could claim any address, a new one each try. Without them such a request
    counts as plain HTTP (redirected) from its own address.

    A proxy left out of FORWARDED_ALLOW_IPS would see every page redirect to itself, so the
    first of its requests that says X-Forwarded-Proto is logged as a warning naming it (each
    address once a worker, up to 100)."""
    from_proxy = _from_proxy(settings.FORWARDED_ALLOW_IPS)
    reported = set()

    def middleware(request):
        peer = request.META.get("REMOTE_ADDR", "")
        if not from_proxy(peer):
            claims = "HTTP_X_FORWARDED_PROTO" in request.META
            if claims and peer not in reported and len(reported) < 100:
                reported.add(peer)
                logger.warning(
                    "X-Forwarded-Proto from %s ignored: not in FORWARDED_ALLOW_IPS. If it is "
                    "the reverse proxy, add it there, or every page redirects to itself.",
                    peer,
                )
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        return get_response(request)

    return middleware
