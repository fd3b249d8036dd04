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

The list offers each zone once, by its current name: the tz database keeps its old names as
links ("Asia/Calcutta" to "Asia/Kolkata"), and browsers built on ICU (Chrome) still report some
of them. `canonical_name` reads an old name as the one listed, wherever a name comes in (the
settings form, the zone a browser offers at sign-in, a zone saved before a rename), and
`alias_map` gives the page's script the same reading.
"""

import zoneinfo
from functools import cache
from importlib import resources
from pathlib import Path

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


def _tz_file(name: str) -> str:
    """A file of the tz database: the tzdata package's (a dependency, so the same on every
    server), else the system's."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in zoneinfo.TZPATH:
            if (path := Path(folder) / name).is_file():
                return path.read_text(encoding="utf-8")
    return ""


@cache
def _links() -> dict[str, str]:
    """Each old name of the tz database and the zone it now stands for ("Asia/Calcutta":
    "Asia/Kolkata"), from tzdata.zi's link lines ("L Asia/Kolkata Asia/Calcutta")."""
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    return links


@cache
def _country_names() -> frozenset[str]:
    """The names zone.tab and zone1970.tab give places: a few are links ("Europe/Oslo" to
    "Europe/Berlin") that people still look for by their own city."""
    names = set()
    for table in ("zone.tab", "zone1970.tab"):
        for line in _tz_file(table).splitlines():
            if line and not line.startswith("#"):
                names.add(line.split("\t")[2])
    return frozenset(names)


@cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """The zones a person would pick ("Europe/Paris"), by name; not the legacy aliases
    ("US/Eastern", "Etc/GMT+5", "Asia/Calcutta"), which stay valid if a browser reports one."""
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right/")
    links, places = _links(), _country_names()
    names = sorted(
        n
        for n in time_zone_names()
        if "/" in n
        and not n.startswith(legacy)
        and n[0].isupper()
        and (n not in links or n in places)
    )
    # "" is "not chosen yet" (the browser's zone is offered in its place); "UTC" is a choice.
    return (("", "Not set (UTC)"), ("UTC", "UTC"), *((n, n.replace("_", " ")) for n in names))


@cache
def alias_map() -> dict[str, str]:
    """Each zone name not in the list that a listed one stands for, and that one:
    {"Asia/Calcutta": "Asia/Kolkata", "Etc/UTC": "UTC", ...}."""
    links = _links()
    listed = {}
    # A zone of its own before a link to it: "Europe/Berlin" stands for "Atlantic/Jan_Mayen",
    # not "Europe/Oslo" (itself a link to Berlin).
    for name, _ in sorted(time_zone_choices()[1:], key=lambda choice: choice[0] in links):
        listed.setdefault(links.get(name, name), name)
    return {
        name: listed[links.get(name, name)]
        for name in sorted(time_zone_names() - {name for name, _ in time_zone_choices()})
        if links.get(name, name) in listed
    }


def canonical_name(name: str) -> str:
    """The listed name of the zone `name` ("Asia/Calcutta" -> "Asia/Kolkata"); any other
    name as it is."""
    return alias_map().get(name, name)


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
