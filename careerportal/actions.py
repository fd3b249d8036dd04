"""POST-only actions whose address a browser still asks for with GET, and the per-learner
limit on how fast they may be sent.

Signing in again after a session ended mid-form brings the learner back to the address the
form was sent to, and a form's error page keeps that address in the address bar, where Enter
or a reopened tab asks for it with GET. Django's `require_POST` answers that with a blank 405.
Here a GET or HEAD goes on to the page the form lives on, saying that nothing was saved; any
other method still gets a 405 (the site's page, careerportal/middleware.py).

Every learner write (progress, plan, follows, calendar URL, settings) counts towards
LEARNER_WRITES_PER_MINUTE per account (careerportal/settings.py): 150 progress updates sent in
2.3 s all went through, and on SQLite one account could keep the write lock busy for everyone.
A person clicking through their roadmap sends a few a minute. Past the limit the answer is the
site's 429 page, which holds what was sent in a "Send again" button for after the wait.
"""

import re
import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

NOTHING_SAVED = "Nothing was saved from that link: fill in the form here and send it again."
WINDOW = 60  # seconds


def clock_minute() -> int:
    """The number of the clock minute now: the write limit's counters start again each one."""
    return int(time.time() // WINDOW)


def write_allowed(request) -> bool:
    """Count one write by the signed-in learner; False once this minute's are used up.

    A counter per account and clock minute in the default cache (Redis, or the file cache the
    machine's workers share): one incr, and an add for the minute's first, no lock to wait
    for. While the cache is unreachable each process counts its own
    (careerportal/cache_backends.py)."""
    limit = settings.LEARNER_WRITES_PER_MINUTE
    if not limit or not request.user.is_authenticated:
        return True
    key = f"learner-writes:{request.user.pk}:{clock_minute()}"
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the minute's first write (or the cache is unreachable)
        cache.add(key, 1, WINDOW * 2)
        return True


def too_many_writes(request, back: str):
    """The site's 429 page: nothing was saved; what was sent waits in a "Send again" button."""
    sent = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    context = {
        "resend_action": request.get_full_path(),
        "resend_fields": sent,
        "back": back,
        "limit": settings.LEARNER_WRITES_PER_MINUTE,
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(WINDOW)
    return response


PLACE = re.compile(r"[A-Za-z][\w-]*\Z")


def placed_message(request, level: int, text: str, *, url: str) -> None:
    """Add a message to show at the spot `url`'s #fragment names (a roadmap step, the follow
    button), where the learner lands, rather than at the top of a long page; untagged when
    the address has no fragment (templatetags/placed_messages.py draws them)."""
    fragment = urlsplit(url).fragment
    tag = fragment if PLACE.match(fragment) else ""
    messages.add_message(request, level, text, extra_tags=tag)


def form_address_not_allowed(allowed) -> HttpResponseNotAllowed:
    """A 405 for the address a form sends its answers to: its page says it is not a page."""
    response = HttpResponseNotAllowed(allowed)
    response.form_address = True
    return response


def post_only(form_page: Callable[..., str]):
    """Run the view on POST only, within the learner's write limit; redirect GET and HEAD to
    `form_page(request, **kwargs)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                if not write_allowed(request):
                    return too_many_writes(request, form_page(request, *args, **kwargs))
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return form_address_not_allowed(wrapped.http_methods)
            target = form_page(request, *args, **kwargs)
            if request.method == "GET":  # a link checker's HEAD leaves no note for later
                placed_message(request, messages.INFO, NOTHING_SAVED, url=target)
            return redirect(target)

        # For careerportal.middleware's 405, answered before the CSRF check.
        wrapped.http_methods = ("GET", "HEAD", "POST")
        wrapped.form_address = True
        return wrapped

    return decorator
