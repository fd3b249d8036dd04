"""The private calendar feed: secret URL, rotation, revocation, only the owner's events."""

import datetime
import re
import secrets

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from icalendar import Calendar

from certifications.feeds import calendar_feed
from certifications.models import Certification, CertificationProgress, LearnerProfile
from certifications.services.account import (
    calendar_token_revoke,
    calendar_token_rotate,
    hash_calendar_token,
)
from tests.factories import CertificationFactory, career_on_a_renamed_exam


def feed_url(token):
    return reverse("calendar-feed", kwargs={"token": token})


def events_in(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


@pytest.fixture
def booked_and_passed(learner, other_learner):
    exam = CertificationFactory(name="Azure AI Engineer", exam_code="")
    held = CertificationFactory(name="Cloud Practitioner", validity_months=36, exam_code="")
    CertificationProgress.objects.create(
        user=learner, certification=exam, status="booked", exam_date=datetime.date(2027, 2, 3)
    )
    CertificationProgress.objects.create(
        user=learner, certification=held, status="passed", passed_on=datetime.date(2025, 1, 31)
    )
    CertificationProgress.objects.create(
        user=other_learner,
        certification=CertificationFactory(name="Other learner's exam"),
        status="booked",
        exam_date=datetime.date(2027, 1, 1),
    )
    return learner


def test_token_is_random_long_and_stored_only_as_a_hash(learner):
    token = calendar_token_rotate(user=learner)

    profile = LearnerProfile.objects.get(user=learner)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert profile.calendar_token_hash == hash_calendar_token(token)
    assert token not in profile.calendar_token_hash
    assert profile.calendar_token_created_at is not None


def test_feed_holds_the_owners_exams_and_expiry_dates_only(client, booked_and_passed):
    token = calendar_token_rotate(user=booked_and_passed)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert events_in(response) == {
        "Exam: Azure AI Engineer": datetime.date(2027, 2, 3),
        # 31 Jan + 36 months, clamped to the month's end.
        "Cloud Practitioner expires": datetime.date(2028, 1, 31),
    }


def test_feed_of_a_learner_with_nothing_dated_is_an_empty_valid_calendar(client, learner):
    token = calendar_token_rotate(user=learner)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert events_in(response) == {}


def test_feed_is_open_without_signing_in_and_marked_private(client, learner):
    token = calendar_token_rotate(user=learner)

    response = Client().get(feed_url(token))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_ten_thousand_random_tokens_are_all_404(learner):
    calendar_token_rotate(user=learner)
    request = RequestFactory().get("/calendar/x.ics")
    misses = 0
    for _ in range(10_000):
        try:
            calendar_feed(request, token=secrets.token_urlsafe(32))
        except Http404:
            misses += 1
    assert misses == 10_000


@pytest.mark.parametrize("token", ["", "a" * 500, "../etc/passwd", "%01", "é"])  # NUL: test_fuzz
def test_odd_tokens_are_404(client, learner, token):
    calendar_token_rotate(user=learner)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_empty_stored_hash_never_matches(client, learner):
    LearnerProfile.objects.create(user=learner)  # feed off: hash is ""
    request = RequestFactory().get("/calendar/.ics")
    with pytest.raises(Http404):
        calendar_feed(request, token="")


def test_rotating_kills_the_old_url_at_once(client_as_learner, learner):
    old = calendar_token_rotate(user=learner)
    assert client_as_learner.get(feed_url(old)).status_code == 200

    response = client_as_learner.post(reverse("calendar-rotate"), follow=True)

    assert client_as_learner.get(feed_url(old)).status_code == 404
    new_url = response.context["new_feed_url"]
    assert new_url.endswith(".ics")
    assert client_as_learner.get(new_url).status_code == 200


def test_new_url_is_shown_once(client_as_learner):
    first = client_as_learner.post(reverse("calendar-rotate"), follow=True)
    assert first.context["new_feed_url"] in first.content.decode()

    again = client_as_learner.get(reverse("account-settings"))
    assert again.context["new_feed_url"] is None
    assert ".ics" not in again.content.decode()


def test_the_new_url_is_on_site_url_whatever_host_the_page_was_asked_on(
    client_as_learner, settings, django_assert_num_queries
):
    # As in every e-mail: a calendar app subscribed to an internal host name (the app server
    # behind the proxy, or a second domain) would lose the feed when that name changes.
    settings.SITE_URL = "https://careers.example.org"
    settings.ALLOWED_HOSTS = ["careers.example.org", "app-1.internal"]
    client_as_learner.post(reverse("calendar-rotate"), HTTP_HOST="app-1.internal")
    # 1 session, 2 user, 3 the learner's profile, 4-6 the session saved (in a savepoint)
    # without the new URL: the same with the URL on SITE_URL as on the Host asked for.
    with django_assert_num_queries(6):
        response = client_as_learner.get(reverse("account-settings"), HTTP_HOST="app-1.internal")
    url = response.context["new_feed_url"]
    assert re.fullmatch(r"https://careers\.example\.org/calendar/[^/]+\.ics", url)
    assert f'value="{url}"' in response.content.decode()
    assert "app-1.internal" not in response.content.decode()


def test_revoking_kills_the_url_at_once(client_as_learner, learner):
    token = calendar_token_rotate(user=learner)

    client_as_learner.post(reverse("calendar-revoke"))

    assert client_as_learner.get(feed_url(token)).status_code == 404
    assert LearnerProfile.objects.get(user=learner).calendar_token_hash == ""


def test_revoke_service_is_harmless_without_a_profile(learner):
    calendar_token_revoke(user=learner)
    assert not LearnerProfile.objects.exists()


def test_a_deactivated_learners_feed_is_404(client, learner):
    token = calendar_token_rotate(user=learner)
    learner.is_active = False
    learner.save()

    assert client.get(feed_url(token)).status_code == 404


def test_feed_costs_two_queries(client, booked_and_passed, django_assert_num_queries):
    token = calendar_token_rotate(user=booked_and_passed)
    # 1: profile by token hash joined with its user; 2: the learner's booked/passed rows.
    with django_assert_num_queries(2):
        client.get(feed_url(token))


def test_feed_query_count_does_not_grow_with_more_rows(
    client, booked_and_passed, django_assert_num_queries
):
    for _ in range(10):
        CertificationProgress.objects.create(
            user=booked_and_passed,
            certification=CertificationFactory(validity_months=24),
            status="passed",
            passed_on=datetime.date(2026, 1, 1),
        )
    token = calendar_token_rotate(user=booked_and_passed)
    with django_assert_num_queries(2):
        response = client.get(feed_url(token))
    assert len(events_in(response)) == 12


def test_feed_answers_head_requests_and_refuses_post(client, learner):
    token = calendar_token_rotate(user=learner)

    assert client.head(feed_url(token)).status_code == 200
    assert client.post(feed_url(token)).status_code == 405


def test_booking_the_renewal_keeps_the_passes_expiry_in_the_feed(client, booked_and_passed):
    row = CertificationProgress.objects.get(user=booked_and_passed, status="passed")
    row.status, row.exam_date = "booked", datetime.date(2027, 12, 1)
    row.save()
    token = calendar_token_rotate(user=booked_and_passed)

    events = events_in(client.get(feed_url(token)))

    assert events["Cloud Practitioner expires"] == datetime.date(2028, 1, 31)
    assert events["Exam: Cloud Practitioner"] == datetime.date(2027, 12, 1)


def test_an_exam_back_in_draft_stays_in_the_feed_without_a_broken_link(client, booked_and_passed):
    token = calendar_token_rotate(user=booked_and_passed)
    Certification.objects.filter(name="Azure AI Engineer").update(status="draft")

    calendar = Calendar.from_ical(client.get(feed_url(token)).content)

    urls = {str(e["summary"]): e.get("url") for e in calendar.walk("VEVENT")}
    assert urls["Exam: Azure AI Engineer"] is None
    assert "/certifications/" in str(urls["Cloud Practitioner expires"])


def test_a_retired_exam_renewed_through_its_replacement_leaves_the_feed_by_its_code(
    client, learner
):
    _career, retired, successor = career_on_a_renamed_exam()  # AI-900, replaced by AI-901
    CertificationProgress.objects.create(
        user=learner, certification=retired, status="passed", passed_on=datetime.date(2025, 3, 1)
    )
    successor_row = CertificationProgress.objects.create(
        user=learner, certification=successor, status="booked", exam_date=datetime.date(2027, 1, 5)
    )
    token = calendar_token_rotate(user=learner)

    assert events_in(client.get(feed_url(token))) == {
        "Microsoft Azure AI Fundamentals (AI-900) expires": datetime.date(2027, 3, 1),
        "Exam: Microsoft Azure AI Fundamentals (AI-901)": datetime.date(2027, 1, 5),
    }

    successor_row.status, successor_row.passed_on = "passed", datetime.date(2027, 1, 5)
    successor_row.save()
    # Renewed through the replacement: the old pass's expiry is no longer a date to keep.
    assert events_in(client.get(feed_url(token))) == {
        "Microsoft Azure AI Fundamentals (AI-901) expires": datetime.date(2029, 1, 5),
    }


@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_new_url_never_shows_one_that_stopped(monkeypatch, learner):
    """The first click's URL is replaced by the second's, but the first request saves the
    session last (two workers): the page showed the dead first URL for the learner to copy."""
    from careerportal import account_views

    first_tab = Client()
    first_tab.force_login(learner)
    second_click = Client()
    second_click.cookies = first_tab.cookies  # the same browser
    rotate, clicked = account_views.calendar_token_rotate, []

    def rotate_then_second_click(*, user):
        token = rotate(user=user)
        if not clicked:
            clicked.append(True)  # the second click comes through here too
            second_click.post(reverse("calendar-rotate"))
        return token

    monkeypatch.setattr(account_views, "calendar_token_rotate", rotate_then_second_click)

    page = first_tab.post(reverse("calendar-rotate"), follow=True).content.decode()

    shown = re.findall(r'value="([^"]+\.ics)"', page)
    for url in shown:
        assert Client().get(url).status_code == 200, "the page shows a URL that stopped"
    if not shown:
        assert "was replaced by the one made a moment later" in page
