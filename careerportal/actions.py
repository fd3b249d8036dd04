"""POST-only actions whose address a browser still asks for with GET.

Signing in again after a session ended mid-form brings the learner back to the address the
form was sent to, and a form's error page keeps that address in the address bar, where Enter
or a reopened tab asks for it with GET. Django's `require_POST` answers that with a blank 405.
Here a GET or HEAD goes on to the page the form lives on, saying that nothing was saved; any
other method still gets a 405 (the site's page, careerportal/middleware.py).
"""

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect

NOTHING_SAVED = "Nothing was saved from that link: fill in the form here and send it again."
PLACE = re.compile(r"[A-Za-z][\w-]*\Z")


def placed_message(request, level: int, text: str, *, url: str) -> None:
    """Add a message to show at the spot `url`'s #fragment names (a roadmap step, the follow
    button), where the learner lands, rather than at the top of a long page; untagged when
    the address has no fragment (templatetags/placed_messages.py draws them)."""
    fragment = urlsplit(url).fragment
    tag = fragment if PLACE.match(fragment) else ""
    messages.add_message(request, level, text, extra_tags=tag)


def post_only(form_page: Callable[..., str]):
    """Run the view on POST only; redirect GET and HEAD to `form_page(request, **kwargs)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            target = form_page(request, *args, **kwargs)
            if request.method == "GET":  # a link checker's HEAD leaves no note for later
                placed_message(request, messages.INFO, NOTHING_SAVED, url=target)
            return redirect(target)

        return wrapped

    return decorator
