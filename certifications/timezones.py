"""Each learner's own time zone, so that "today" is their today.

The site keeps UTC (TIME_ZONE). Without this, a learner in Sydney who passed an exam this
morning was told the pass date was in the future (it was still yesterday in UTC), and every
countdown on their dashboard (exam in N days, renewals, expired) turned a day late or early.

A signed-in learner's requests run in the zone saved on their profile
(`careerportal.middleware.learner_time_zone` activates it). The zone name is copied into the
session when they sign in and when they change it, so reading it costs no query per page. The
browser offers its zone on the sign-up and sign-in forms (static/js/timezone.js); a learner
who has not saved one gets it from the first sign-in that sends one, and can change it in
their account settings at any time. (A session on another device keeps the zone it read
until it signs in again.)
"""

import zoneinfo
from functools import cache

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone

SESSION_KEY = "learner_time_zone"
FIELD_NAME = "time_zone"  # the hidden field the sign-in and sign-up forms carry


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name) -> bool:
    return isinstance(name, str) and name in time_zone_names()


def validate_time_zone(name: str) -> None:
    if name and not is_time_zone(name):
        raise ValidationError("Choose a time zone from the list.")


@cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """The zones a person would pick ("Europe/Paris"), by name; not the legacy aliases
    ("US/Eastern", "Etc/GMT+5"), which stay valid if a browser reports one."""
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right/")
    names = sorted(
        n for n in time_zone_names() if "/" in n and not n.startswith(legacy) and n[0].isupper()
    )
    # "" is "not chosen yet" (the browser's zone is offered in its place); "UTC" is a choice.
    return (("", "Not set (UTC)"), ("UTC", "UTC"), *((n, n.replace("_", " ")) for n in names))


def today_in(name: str):
    """The date it is now in the zone `name` (UTC's when it is blank or unknown)."""
    if is_time_zone(name):
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(name))
    return timezone.localdate()


def activate_for(request) -> str:
    """Activate the signed-in learner's zone for this request; return its name ("" = UTC)."""
    name = request.session.get(SESSION_KEY)
    if name is None:  # a session from before zones were kept: read the profile once
        name = _saved_zone(request.user)
        request.session[SESSION_KEY] = name
    if is_time_zone(name):
        timezone.activate(zoneinfo.ZoneInfo(name))
        return name
    timezone.deactivate()
    return ""


def remember(request, name: str) -> None:
    """Use `name` for this learner's requests from the next one on (after a settings change)."""
    request.session[SESSION_KEY] = name


def _saved_zone(user) -> str:
    from certifications.models import LearnerProfile

    saved = LearnerProfile.objects.filter(user=user).values_list("time_zone", flat=True)
    return saved.first() or ""


@receiver(user_logged_in, dispatch_uid="certifications.remember_time_zone")
def remember_time_zone_on_sign_in(sender, request, user, **kwargs):
    """Copy the learner's zone into the new session; if they have none saved yet, save the one
    their browser sent with the sign-in or sign-up form (an unknown name is ignored)."""
    if request is None or not hasattr(request, "session"):
        return
    from certifications.services.account import time_zone_offer

    name = _saved_zone(user)
    offered = request.POST.get(FIELD_NAME, "") if request.method == "POST" else ""
    if not name and is_time_zone(offered):
        name = time_zone_offer(user=user, name=offered)
    request.session[SESSION_KEY] = name
