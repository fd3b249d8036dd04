"""A learner's certifications over the years, as they live them: the clock moves, and the
dashboard, the career page's roadmap, the certification page, the public page, the calendar
feed and the reminder e-mails must agree on the same date and the same state."""

import datetime
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import CareerFollow, LearnerProfile
from certifications.services.account import calendar_token_rotate
from certifications.services.progress import progress_update
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = pytest.mark.django_db


class Clock:
    """timezone.now() at a chosen moment (UTC), as tests/certifications/test_time_zones.py
    freezes it; every "today" of the site (the learner's, UTC's) follows from it."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: datetime.date, hour: int = 12):
        self.now = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def page_text(client, url) -> str:
    html = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def cloud(learner):
    """The learner in Auckland follows a career whose one step is valid 24 months."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    LearnerProfile.objects.create(user=learner, time_zone="Pacific/Auckland")
    cert = CertificationFactory(name="Cloud Architect", validity_months=24)
    career = CareerFactory(title="Cloud Engineer", slug="cloud-engineer")
    RoadmapStepFactory(career=career, certification=cert)
    CareerFollow.objects.create(user=learner, career=career)
    return career, cert


def signed_in(user):
    client = Client()
    client.force_login(user)  # after the clock moved: the session starts "now"
    return client


def test_every_page_the_feed_and_the_email_name_the_same_expiry_day_of_a_leap_day_pass(
    clock, learner, cloud
):
    career, cert = cloud
    clock.set(datetime.date(2024, 2, 29))
    progress_update(
        user=learner, certification=cert, status="passed", passed_on=datetime.date(2024, 2, 29)
    )
    feed = reverse("calendar-feed", args=[calendar_token_rotate(user=learner)])
    # 24 months after 29 February 2024: 28 February 2026, the first day it no longer counts.
    # The day before (in Auckland), every page says when it expires, none that it is "valid
    # until" that day, on which they all show it expired.
    clock.set(datetime.date(2026, 2, 26), hour=12)  # 27 February, 01:00 in Auckland
    client = signed_in(learner)
    pages = {
        "dashboard": page_text(client, reverse("dashboard")),
        "career": page_text(client, career.get_absolute_url()),
        "certification": page_text(client, cert.get_absolute_url()),
    }
    for name, text in pages.items():
        assert "expires on 28 February 2026" in text, name
        assert "valid until" not in text, name
    # The roadmap step says when it was passed, not that it has been "expiring since" then.
    assert (
        "You: Expiring soon · passed 29 February 2024, expires on 28 February 2026"
        in (pages["career"])
    )
    assert "DTSTART;VALUE=DATE:20260228" in Client().get(feed).content.decode()
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    # The 30-day reminder was due a month ago; a pass recorded this late gets the last one.
    assert "expires on 28 February 2026, 1 day from now." in mail.outbox[0].body

    clock.set(datetime.date(2026, 2, 27), hour=12)  # 28 February in Auckland
    client = signed_in(learner)
    assert "Expired: renew Cloud Architect (EX" in page_text(client, reverse("dashboard"))
    assert "expired on 28 February 2026" in page_text(client, reverse("dashboard"))
    # The step says what happened when, not "renew on" a day that has gone by.
    career_page = page_text(client, career.get_absolute_url())
    assert (
        "You: Expired: renew · passed 29 February 2024, expired on 28 February 2026" in career_page
    )
    assert "renew on" not in career_page
    assert "expired on 28 February 2026" in page_text(client, cert.get_absolute_url())


def test_an_exam_day_gone_by_without_a_result_is_asked_about_on_every_page(clock, learner, cloud):
    career, cert = cloud
    LearnerProfile.objects.filter(user=learner).update(time_zone="America/Los_Angeles")
    clock.set(datetime.date(2026, 11, 20))
    progress_update(
        user=learner, certification=cert, status="booked", exam_date=datetime.date(2026, 11, 30)
    )
    urls = [reverse("dashboard"), career.get_absolute_url(), cert.get_absolute_url()]

    # 1 December, 06:00 UTC, is still the exam day, 30 November, in Los Angeles.
    clock.set(datetime.date(2026, 12, 1), hour=6)
    client = signed_in(learner)
    for url in urls:
        assert "ow did it go?" not in page_text(client, url), url

    clock.set(datetime.date(2026, 12, 2), hour=6)  # 1 December in Los Angeles
    client = signed_in(learner)
    dashboard = page_text(client, reverse("dashboard"))
    # The goal's next step, as well as the exams list, asks for the result.
    assert "Exam booked for 30 November 2026 · how did it go? Record your result." in dashboard
    assert "your exam was on 30 November 2026 . How did it go?" in dashboard
    assert "Exam booked on 30 November 2026 · How did it go? Record your result under" in page_text(
        client, career.get_absolute_url()
    )
    assert (
        "Exam booked on 30 November 2026 · How did it go? Record your result below."
        in page_text(client, cert.get_absolute_url())
    )
