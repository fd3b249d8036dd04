"""The admin writes dates as the site does ("30 November 2026"), not Django's American
"Nov. 30, 2026, 9:49 p.m.", and still reads typed dates only one way (careerportal/dates.py)."""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from tests.factories import CareerFactory

EVENING = datetime.datetime(2026, 11, 30, 21, 49, tzinfo=datetime.UTC)


def test_the_career_list_shows_the_day_facts_were_checked_as_the_site_writes_it(
    client_as_staff, django_assert_num_queries
):
    CareerFactory(title="ML Engineer", reviewed_on=datetime.date(2026, 11, 30))

    with django_assert_num_queries(5):  # as before: the formats cost no query
        page = client_as_staff.get(reverse("admin:careers_career_changelist")).content.decode()

    assert "30 November 2026" in page
    assert "Nov. 30, 2026" not in page


def test_a_careers_history_shows_when_each_change_was_made_as_the_site_writes_it(
    client_as_staff, staff, django_assert_num_queries
):
    career = CareerFactory(title="ML Engineer")
    [entry] = LogEntry.objects.log_actions(staff.pk, [career], CHANGE, change_message="Changed.")
    LogEntry.objects.filter(pk=entry.pk).update(action_time=EVENING)

    url = reverse("admin:careers_career_history", args=[career.pk])
    with django_assert_num_queries(5):
        page = client_as_staff.get(url).content.decode()

    assert "30 November 2026, 21:49" in page
    assert "9:49 p.m." not in page


def test_a_date_box_still_shows_the_day_as_it_is_typed_back(client_as_staff):
    # Only what the admin prints changes: a date box keeps YYYY-MM-DD, which it reads back
    # (typed dates: tests/test_typed_dates.py).
    career = CareerFactory(reviewed_on=datetime.date(2026, 11, 30))

    url = reverse("admin:careers_career_change", args=[career.pk])
    page = client_as_staff.get(url).content.decode()

    assert 'name="reviewed_on" value="2026-11-30"' in page
