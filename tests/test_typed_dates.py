"""A date typed as text (a browser without a date picker, or a pasted value) in every form
that asks for one: "01/02/2027" is refused with its two readings, never read as January 2,
and what was typed stays in the field; a date only one order makes sense of is read."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from careers.models import Career
from certifications.models import CertificationProgress, LearnerProfile
from tests.careers.test_admin import add_rows, admin_url, assert_saved, form_data
from tests.factories import CareerFactory, CertificationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]

AMBIGUOUS = "“03/04/{year}” could be 3 April {year} or 4 March {year}"
EXPECTED = "enter it as YYYY-MM-DD (year, month, day), that is {year}-04-03 or {year}-03-04."


def refusal(year):
    return AMBIGUOUS.format(year=year) + ": " + EXPECTED.format(year=year)


def progress_url(certification):
    return reverse("progress-update", args=[certification.slug])


@pytest.mark.parametrize(
    ("status", "field"), [("booked", "exam_date"), ("passed", "passed_on")], ids=str
)
def test_an_ambiguous_exam_or_pass_date_is_refused_with_both_readings(
    client_as_learner, status, field
):
    certification = CertificationFactory()

    response = client_as_learner.post(
        progress_url(certification), {"status": status, field: "03/04/2020", "notes": "kept"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert refusal(2020) in page
    assert 'value="03/04/2020"' in page  # what was typed stays, with the notes
    assert ">\nkept</textarea>" in page
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize(
    "typed", ["13/04/2020", "04/13/2020", "13.04.2020", "2020-04-13", "2020/4/13", "13 April 2020"]
)
def test_a_date_only_one_order_makes_sense_of_is_read(client_as_learner, learner, typed):
    certification = CertificationFactory()

    response = client_as_learner.post(
        progress_url(certification), {"status": "passed", "passed_on": typed}
    )

    assert response.status_code == 302, response.content.decode()
    progress = CertificationProgress.objects.get(user=learner)
    assert progress.passed_on == datetime.date(2020, 4, 13)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("13/13/2020", "There is no such day: enter the date as YYYY-MM-DD (year, month, day)."),
        ("2020-02-30", "There is no such day: enter the date as YYYY-MM-DD (year, month, day)."),
        ("3/4/20", "Write the year in full: enter the date as YYYY-MM-DD (year, month, day)."),
        ("next Tuesday", "Enter the date as YYYY-MM-DD (year, month, day)."),
    ],
)
def test_a_date_that_cannot_be_read_says_how_to_write_it(client_as_learner, typed, message):
    response = client_as_learner.post(
        progress_url(CertificationFactory()), {"status": "booked", "exam_date": typed}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CertificationProgress.objects.exists()


def test_an_ambiguous_target_date_is_refused_on_the_dashboard_and_in_settings(
    client_as_learner, learner
):
    year = timezone.localdate().year + 1
    data = {"weekly_hours": "8", "target_date": f"03/04/{year}", "time_zone": "UTC"}

    dashboard = client_as_learner.post(reverse("plan-update"), data)
    settings_page = client_as_learner.post(reverse("account-settings"), data)

    for response in (dashboard, settings_page):
        page = response.content.decode()
        assert refusal(year) in page
        assert f'value="03/04/{year}"' in page and 'value="8"' in page
    assert not LearnerProfile.objects.filter(user=learner, target_date__isnull=False).exists()


def test_an_unambiguous_target_date_is_saved_from_the_dashboard(client_as_learner, learner):
    year = timezone.localdate().year + 1

    response = client_as_learner.post(
        reverse("plan-update"), {"weekly_hours": "8", "target_date": f"13/04/{year}"}
    )

    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).target_date == datetime.date(year, 4, 13)


@pytest.mark.parametrize("factory", [CareerFactory, CertificationFactory])
def test_an_editor_typing_an_ambiguous_review_date_is_told_both_readings(client_as_staff, factory):
    page = factory(reviewed_on=None)
    url = admin_url(factory._meta.model, "change", page.pk)
    data = form_data(client_as_staff.get(url))

    data["reviewed_on"] = "03/04/2020"
    response = client_as_staff.post(url, data)

    assert response.status_code == 200
    assert refusal(2020) in response.content.decode()
    page.refresh_from_db()
    assert page.reviewed_on is None
    data["reviewed_on"] = "13/04/2020"
    assert_saved(client_as_staff.post(url, data))
    page.refresh_from_db()
    assert page.reviewed_on == datetime.date(2020, 4, 13)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("9am", "09:00"),
        ("9 am", "09:00"),
        ("9:30 p.m.", "21:30"),
        ("12 pm", "12:00"),
        ("12am", "00:00"),
        ("21:30h", "21:30"),
        ("21h30", "21:30"),
        ("9.30", "09:30"),
        ("17:45", "17:45"),
    ],
)
def test_an_editor_types_a_time_of_day_as_people_write_it(client_as_staff, typed, saved):
    # "9am", "21:30h" or "9.30" in a day-in-the-life entry was "Enter a valid time.".
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    row = {"time_of_day": typed, "text": "Stand-up with the team.", "position": "1"}
    data = add_rows(form_data(client_as_staff.get(url)), "day_entries", [row])
    assert_saved(client_as_staff.post(url, data))
    assert career.day_entries.get().machine_time == saved


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("quarter past nine", "Enter the time as HH:MM on the 24-hour clock, e.g. 08:30 or 17:45."),
        ("25:00", "There is no such time: enter it as HH:MM on the 24-hour clock, e.g. 08:30"),
        ("13pm", "There is no such time: enter it as HH:MM on the 24-hour clock, e.g. 08:30"),
    ],
)
def test_a_time_of_day_that_cannot_be_read_says_how_to_write_it(
    client_as_staff, django_assert_num_queries, typed, message
):
    career = CareerFactory(status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    row = {"time_of_day": typed, "text": "Stand-up with the team.", "position": "1"}
    data = add_rows(form_data(client_as_staff.get(url)), "day_entries", [row])
    # session, user, a savepoint, the career (locked on PostgreSQL), its figures' count and
    # year, the slug's two checks, two choices' checks (three each), the five inlines' rows,
    # the savepoint released: as "Enter a valid time." cost.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(21 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(message) == 1
    assert f'value="{typed}"' in page  # what was typed, kept to correct
    assert career.day_entries.count() == 0
