"""A learner's "today" is their own: the site keeps UTC, their requests run in their zone.

The moment used throughout: 29 November 2026, 22:30 UTC, which is already 30 November,
09:30 in Sydney and still 29 November, 14:30 in Los Angeles."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import CareerFollow, CertificationProgress, LearnerProfile
from certifications.services.progress import progress_update
from certifications.timezones import SESSION_KEY

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 29, 22, 30, tzinfo=datetime.UTC)
UTC_TODAY = datetime.date(2026, 11, 29)
SYDNEY_TODAY = datetime.date(2026, 11, 30)
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def cert(career_with_roadmap):
    return career_with_roadmap.roadmap_steps.order_by("position").first().certification


def signed_in(user, zone=""):
    if zone:
        LearnerProfile.objects.update_or_create(user=user, defaults={"time_zone": zone})
    client = Client()
    client.force_login(user)
    return client


def record_pass(client, cert, day):
    return client.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "passed_on": day.isoformat()},
    )


def test_a_learner_in_sydney_can_record_the_pass_they_got_this_morning(learner, cert):
    response = record_pass(signed_in(learner, "Australia/Sydney"), cert, SYDNEY_TODAY)

    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).passed_on == SYDNEY_TODAY


def test_a_learner_without_a_zone_counts_days_in_utc(learner, cert):
    response = record_pass(signed_in(learner), cert, SYDNEY_TODAY)

    assert response.status_code == 400
    assert "The pass date cannot be in the future." in response.content.decode()
    assert not CertificationProgress.objects.exists()


def test_a_learner_in_los_angeles_cannot_record_tomorrow_yet(learner, cert):
    response = record_pass(signed_in(learner, "America/Los_Angeles"), cert, SYDNEY_TODAY)

    assert response.status_code == 400
    assert not CertificationProgress.objects.exists()


def test_the_dashboard_counts_down_to_an_exam_in_the_learners_own_days(
    learner, other_learner, cert
):
    for user in (learner, other_learner):
        progress_update(user=user, certification=cert, status="booked", exam_date=SYDNEY_TODAY)

    in_sydney = signed_in(learner, "Australia/Sydney").get(reverse("dashboard"))
    in_utc = signed_in(other_learner).get(reverse("dashboard"))

    assert f"{cert.name_with_code}</a> (today)" in in_sydney.content.decode()
    assert f"{cert.name_with_code}</a> (tomorrow)" in in_utc.content.decode()


def test_the_zone_ends_with_the_request(learner):
    signed_in(learner, "Australia/Sydney").get(reverse("dashboard"))

    assert timezone.get_current_timezone_name() == "UTC"
    assert timezone.localdate() == UTC_TODAY


def test_signing_up_keeps_the_zone_the_browser_offered(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "sydney@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Australia/Sydney",
        },
    )

    profile = LearnerProfile.objects.get(user__email="sydney@example.com")
    assert profile.time_zone == "Australia/Sydney"
    assert client.session[SESSION_KEY] == "Australia/Sydney"


@pytest.mark.parametrize("offered", ["Mars/Olympus_Mons", "", "../../etc/passwd", "x" * 5000])
def test_a_zone_nobody_has_is_ignored_and_the_account_still_made(client, offered):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": offered,
        },
    )

    assert response.status_code == 302
    assert not LearnerProfile.objects.filter(user__email="new@example.com").exclude(time_zone="")
    assert client.session[SESSION_KEY] == ""


def test_signing_in_fills_a_missing_zone_but_never_replaces_a_chosen_one(learner, other_learner):
    LearnerProfile.objects.create(user=other_learner, time_zone="Europe/Paris")
    for user, password in (
        (learner, "learner-password-123"),
        (other_learner, "other-password-123"),
    ):
        client = Client()
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": password, "time_zone": "Asia/Kolkata"},
        )
        assert client.session["_auth_user_id"] == str(user.pk)

    assert LearnerProfile.objects.get(user=learner).time_zone == "Asia/Kolkata"
    assert LearnerProfile.objects.get(user=other_learner).time_zone == "Europe/Paris"


def test_changing_the_zone_in_settings_applies_at_once(learner, cert):
    client = signed_in(learner)
    response = client.post(reverse("account-settings"), {"time_zone": "Australia/Sydney"})

    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).time_zone == "Australia/Sydney"
    assert record_pass(client, cert, SYDNEY_TODAY).status_code == 302


def test_the_settings_refuse_an_unknown_zone_and_keep_the_saved_one(learner):
    client = signed_in(learner, "Europe/Paris")
    response = client.post(reverse("account-settings"), {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    assert LearnerProfile.objects.get(user=learner).time_zone == "Europe/Paris"
    assert client.session[SESSION_KEY] == "Europe/Paris"


def test_the_settings_show_the_saved_zone(learner):
    response = signed_in(learner, "Asia/Kolkata").get(reverse("account-settings"))

    assert (
        '<option value="Asia/Kolkata" selected>Asia/Kolkata</option>' in response.content.decode()
    )


def test_a_session_from_before_zones_were_kept_reads_the_profile_once(learner, cert):
    client = signed_in(learner, "Australia/Sydney")
    session = client.session
    del session[SESSION_KEY]
    session.save()

    assert record_pass(client, cert, SYDNEY_TODAY).status_code == 302
    assert client.session[SESSION_KEY] == "Australia/Sydney"


def test_the_data_export_names_the_zone(learner):
    response = signed_in(learner, "Asia/Kolkata").get(reverse("account-export"))

    assert json.loads(response.content)["profile"]["time_zone"] == "Asia/Kolkata"


def test_reminders_count_the_learners_own_days(learner, other_learner, cert):
    from allauth.account.models import EmailAddress
    from django.core import mail

    from certifications.reminders import reminders_send

    for user in (learner, other_learner):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    LearnerProfile.objects.create(user=learner, time_zone="Australia/Sydney")
    week_ahead_in_sydney = SYDNEY_TODAY + datetime.timedelta(days=7)
    for user in (learner, other_learner):
        progress_update(
            user=user, certification=cert, status="booked", exam_date=week_ahead_in_sydney
        )

    assert reminders_send(today=UTC_TODAY) == (1, 0)  # 8 days ahead in UTC: not yet
    assert mail.outbox[0].to == [learner.email]
    assert "in 7 days" in mail.outbox[0].subject


@pytest.mark.parametrize(("zone", "shown"), [("", True), ("Australia/Sydney", False)])
def test_a_public_page_counts_its_owners_days_whoever_looks(client, learner, zone, shown):
    from tests.factories import CertificationFactory

    LearnerProfile.objects.create(user=learner, handle="owner", is_public=True, time_zone=zone)
    expiring = CertificationFactory(name="Expires At Sydney Dawn", validity_months=12)
    CertificationProgress.objects.create(
        user=learner, certification=expiring, status="passed", passed_on=datetime.date(2025, 11, 30)
    )

    response = client.get(reverse("profile", args=["owner"]))

    assert ("Expires At Sydney Dawn" in response.content.decode()) is shown


def test_saving_the_plan_elsewhere_keeps_the_zone(learner):
    from certifications.services.account import profile_update

    LearnerProfile.objects.create(user=learner, time_zone="Asia/Kolkata")
    profile_update(user=learner, handle=None, is_public=False, weekly_hours=5, target_date=None)

    assert LearnerProfile.objects.get(user=learner).time_zone == "Asia/Kolkata"


def test_utc_can_be_chosen_and_stays_chosen(learner):
    client = signed_in(learner)
    assert client.post(reverse("account-settings"), {"time_zone": "UTC"}).status_code == 302

    page = client.get(reverse("account-settings")).content.decode()

    assert LearnerProfile.objects.get(user=learner).time_zone == "UTC"
    # Chosen, not blank: the page's script offers the browser's zone only in a blank list.
    assert '<option value="UTC" selected>UTC</option>' in page


def test_a_pass_recorded_today_still_saves_after_moving_to_a_zone_a_day_behind(learner, cert):
    assert (
        record_pass(signed_in(learner, "Australia/Sydney"), cert, SYDNEY_TODAY).status_code == 302
    )
    los_angeles = signed_in(learner, "America/Los_Angeles")  # still 29 November there
    url = reverse("progress-update", args=[cert.slug])

    unchanged = los_angeles.post(
        url, {"status": "passed", "passed_on": SYDNEY_TODAY.isoformat(), "notes": "new note"}
    )
    assert unchanged.status_code == 302
    assert CertificationProgress.objects.get(user=learner).notes == "new note"
    # A pass date typed anew is still checked against the learner's today.
    other = CertificationProgress.objects.get(user=learner)
    other.passed_on = UTC_TODAY
    other.save()
    changed = los_angeles.post(url, {"status": "passed", "passed_on": SYDNEY_TODAY.isoformat()})
    assert changed.status_code == 400
    assert "The pass date cannot be in the future." in changed.content.decode()


def book(client, cert, day):
    return client.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "booked", "exam_date": day.isoformat()},
    )


def test_an_exam_day_has_passed_by_the_learners_own_calendar(learner, other_learner, cert):
    # 29 November is yesterday in Sydney, still today in UTC.
    in_sydney = book(signed_in(learner, "Australia/Sydney"), cert, UTC_TODAY)
    in_utc = book(signed_in(other_learner), cert, UTC_TODAY)

    assert in_sydney.status_code == 400
    assert "That date has passed" in in_sydney.content.decode()
    assert not CertificationProgress.objects.filter(user=learner).exists()
    assert in_utc.status_code == 302
    assert CertificationProgress.objects.get(user=other_learner).exam_date == UTC_TODAY


def test_a_learner_in_sydney_can_book_an_exam_for_their_today(learner, cert):
    response = book(signed_in(learner, "Australia/Sydney"), cert, SYDNEY_TODAY)

    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).exam_date == SYDNEY_TODAY


def test_a_booked_exams_today_and_tomorrow_are_told_on_every_page_that_shows_its_date(
    learner, other_learner, cert, career_with_roadmap, django_assert_num_queries
):
    # 30 November: today in Sydney, tomorrow in UTC.
    other = career_with_roadmap.roadmap_steps.order_by("position")[1].certification
    for user in (learner, other_learner):
        progress_update(user=user, certification=cert, status="booked", exam_date=SYDNEY_TODAY)
        CareerFollow.objects.create(user=user, career=career_with_roadmap)
    shown = '<time datetime="2026-11-30">30 November 2026</time>'
    compare = (
        reverse("certifications:compare")
        + f"?certifications={cert.slug}&certifications={other.slug}"
    )
    for user, zone, word in (
        (learner, "Australia/Sydney", "today"),
        (other_learner, "", "tomorrow"),
    ):
        client = signed_in(user, zone)
        client.get(reverse("dashboard"))  # the session reads the zone once
        # Each page's queries as pinned in its own tests: the words cost none.
        with django_assert_num_queries(6):  # session, user, profile, rows, careers, steps
            dashboard = client.get(reverse("dashboard")).content.decode()
        with django_assert_num_queries(8):
            career_page = client.get(career_with_roadmap.get_absolute_url()).content.decode()
        # session, user, the certification with my progress, prerequisites, its careers
        with django_assert_num_queries(5):
            certification_page = client.get(cert.get_absolute_url()).content.decode()
        with django_assert_num_queries(6):
            compare_page = client.get(compare).content.decode()

        assert f"{cert.name_with_code}</a> ({word})" in dashboard  # upcoming exams
        assert f"for {shown} ({word})" in dashboard  # the career's next step
        assert f"on {shown} ({word})" in career_page  # the roadmap step
        assert f"on {shown} ({word})" in certification_page
        assert f'<time datetime="2026-11-30">30 Nov 2026</time> ({word})' in compare_page


# --- old names of zones ("Asia/Calcutta" for "Asia/Kolkata") -------------------------------


def zone_options(page: str) -> list[str]:
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_list_offers_each_zone_once_by_its_current_name(learner):
    """The list showed 88 old names beside the zones they stand for: Asia/Calcutta beside
    Asia/Kolkata, Europe/Kiev beside Europe/Kyiv, America/Buenos_Aires beside
    America/Argentina/Buenos_Aires."""
    options = zone_options(signed_in(learner).get(reverse("account-settings")).content.decode())

    assert "Asia/Kolkata" in options
    for old in ("Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires", "Asia/Saigon"):
        assert old not in options
    # A country's own zone stays listed, even where the tz database makes it a link.
    assert {"Europe/Oslo", "Europe/Amsterdam", "Europe/Kyiv", "UTC"} <= set(options)
    assert len(options) == len(set(options))


def test_an_old_name_posted_by_a_page_from_before_is_saved_as_the_current_one(learner):
    client = signed_in(learner)
    response = client.post(reverse("account-settings"), {"time_zone": "Asia/Calcutta"})

    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).time_zone == "Asia/Kolkata"
    assert client.session[SESSION_KEY] == "Asia/Kolkata"


def test_a_zone_saved_by_its_old_name_shows_chosen_by_its_current_one_and_saves(learner):
    client = signed_in(learner, "Asia/Calcutta")
    page = client.get(reverse("account-settings")).content.decode()

    assert '<option value="Asia/Kolkata" selected>Asia/Kolkata</option>' in page
    assert "Asia/Calcutta" not in zone_options(page)
    # The form sent back as shown saves, under the current name.
    response = client.post(reverse("account-settings"), {"time_zone": "Asia/Kolkata"})
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).time_zone == "Asia/Kolkata"


def test_the_settings_page_carries_the_old_names_for_its_script(learner):
    page = signed_in(learner).get(reverse("account-settings")).content.decode()

    data = re.search(
        r'<script id="time-zone-aliases" type="application/json">(.*?)</script>', page
    )[1]
    aliases = json.loads(data)
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Europe/Kiev"] == "Europe/Kyiv"
    assert aliases["Etc/UTC"] == "UTC"
    assert set(aliases.values()) <= set(zone_options(page))


def test_signing_in_from_a_browser_naming_the_zone_the_old_way_saves_the_current_name(
    client, learner
):
    client.post(
        reverse("account_login"),
        {"login": learner.email, "password": "learner-password-123", "time_zone": "Asia/Calcutta"},
    )

    assert LearnerProfile.objects.get(user=learner).time_zone == "Asia/Kolkata"
    assert client.session[SESSION_KEY] == "Asia/Kolkata"
