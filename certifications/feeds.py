"""The learner's private iCalendar feed: booked exams and certification expiry dates."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from certifications.models import (
    Certification,
    CertificationProgress,
    LearnerProfile,
    Replacement,
)
from certifications.querysets import PUBLIC
from certifications.roadmap import expiry_date
from certifications.services.account import hash_calendar_token

PRODID = "-//CareerPortal//Certification calendar//EN"


def feed_events(user) -> list[dict]:
    """The learner's dated events: booked exams and expiry dates of passes (one query). A
    pass keeps its expiry date while the learner studies for or books the renewal; a retired
    exam's pass loses it once the learner passes an exam that replaced it, directly or in
    turn (renewed through it, as the reminders count it). Names carry the exam code: a
    retired exam and the one that replaced it can share a name."""
    # A pass of an exam of its chain (one that replaced it, directly or in turn) renews it.
    # A draft is named nowhere: a pass of an exam moved back to draft renews nothing.
    passed_later = Replacement.objects.filter(
        replaced=OuterRef("certification_id"),
        exam__status__in=PUBLIC,
        exam__progress_rows__user=user,
        exam__progress_rows__passed_on__isnull=False,
    )
    rows = list(
        CertificationProgress.objects.filter(user=user)
        .filter(Q(status="booked") | Q(passed_on__isnull=False))
        .annotate(passed_later=Exists(passed_later))
        .select_related("certification")
        .order_by("pk")
    )
    # The exams passed that renew the one they replaced: never a draft, named nowhere.
    passed = {
        row.certification_id for row in rows if row.passed_on and row.certification.status in PUBLIC
    }
    events = []
    for row in rows:
        cert = row.certification
        name = cert.name_with_code
        if row.status == "booked" and row.exam_date:
            events.append(
                {
                    "uid": f"exam-{row.pk}-{row.exam_date:%Y%m%d}",
                    "day": row.exam_date,
                    "summary": f"Exam: {name}",
                    "certification": cert,
                }
            )
        expires_on = expiry_date(row.passed_on, cert.validity_months)
        renewed = cert.status == Certification.Status.RETIRED and (
            cert.successor_id in passed or row.passed_later
        )
        if expires_on and not renewed:
            events.append(
                {
                    "uid": f"expiry-{row.pk}-{expires_on:%Y%m%d}",
                    "day": expires_on,
                    "summary": f"{name} expires",
                    "certification": cert,
                }
            )
    return events


def build_calendar(events: list[dict]) -> bytes:
    """An iCalendar document of all-day events."""
    # Imported here: only this feed needs icalendar (~4 MiB per worker otherwise).
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "CareerPortal certifications")
    stamp = timezone.now()
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "careerportal"
    for item in events:
        event = Event()
        event.add("uid", f"{item['uid']}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["day"])
        event.add("dtend", item["day"] + datetime.timedelta(days=1))
        event.add("summary", item["summary"])
        if item["certification"].status != Certification.Status.DRAFT:  # a draft's page is a 404
            event.add("url", settings.SITE_URL + item["certification"].get_absolute_url())
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@login_not_required  # calendar apps cannot sign in; the secret URL is the credential
@require_safe
def calendar_feed(request, token: str):
    if not token or len(token) > 128:
        raise Http404
    profile = (
        LearnerProfile.objects.filter(calendar_token_hash=hash_calendar_token(token))
        .select_related("user")
        .first()
    )
    if profile is None or not profile.user.is_active:
        raise Http404
    response = HttpResponse(
        build_calendar(feed_events(profile.user)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="careerportal.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
