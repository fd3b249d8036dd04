"""POST-only actions whose address a browser still asks for with GET.

Signing in again after a session ended mid-form brings the learner back to the address the
form was sent to, and a form's error page keeps that address in the address bar, where Enter
or a reopened tab asks for it with GET. Django's `require_POST` answers that with a blank 405.
Here a GET or HEAD goes on to the page the form lives on, saying that nothing was saved; any
other method still gets a 405 (the site's page, careerportal/middleware.py).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect

NOTHING_SAVED = "Nothing was saved from that link: fill in the form here and send it again."


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
                messages.info(request, NOTHING_SAVED)
            return redirect(target)

        return wrapped

    return decorator
