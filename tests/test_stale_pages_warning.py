"""An editor who saves while the page cache's store is down (Redis unreachable, or without
Redis a page-cache folder that cannot be written) is told that visitors may see the previous
version for a while: the save cannot make the cached pages stale, and they are served until
they expire. It used to say only "changed successfully", and the log said nothing of it.
The worker that saved now refreshes those pages on a later request once the store answers.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from careerportal import cache as page_cache
from careerportal import cache_backends
from careerportal.redis_cache import REDIS_OUTAGE
from careers.models import Career
from tests.careers.test_admin import assert_saved, form_data
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    FAQFactory,
    HiringFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)
from tests.test_logs_for_operators import _log_lines

# The save is reported once it commits, as the admin's own transaction does in production.
pytestmark = pytest.mark.django_db(transaction=True)

# An unchanged career form saved with a new title: the session and editor with their
# permissions, the career and its inline rows (read for the form, the checks and the conflict
# check), the update and its history entry (the messages go in a cookie). Telling the editor that
# the pages could not be refreshed costs none. PostgreSQL also locks the steps' certifications
# (FOR KEY SHARE), as in tests/certifications/test_admin.py.
SAVE_QUERIES = 27 + (connection.vendor == "postgresql")
WARNING = "Your change is saved, but the public pages could not be refreshed"
UP_TO = "Visitors may see the previous version for up to 10 minutes."  # PAGE_TTL, 600 s


def _failing_store(kind, monkeypatch, tmp_path):
    """A pages cache whose store fails, and its outage: Redis on a port nothing listens on,
    or a folder under a file, which can never be made."""
    monkeypatch.setattr(cache_backends, "RETRY_AFTER", 600.0)  # outlasts a busy machine's test
    if kind == "redis":
        outage, pages = (
            REDIS_OUTAGE,
            {
                "BACKEND": "careerportal.redis_cache.ResilientRedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        )
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        outage, pages = (
            cache_backends.FOLDER_OUTAGE,
            {
                "BACKEND": "careerportal.cache_backends.ResilientFileBasedCache",
                "LOCATION": str(blocker / "pages"),
            },
        )
    for name, value in (("retry_at", 0.0), ("last_error", ""), ("failing", False)):
        monkeypatch.setattr(outage, name, value)  # put back after the test
    return outage, pages


@pytest.fixture(params=["redis", "folder"])
def pages_store_down(request, settings, monkeypatch, tmp_path):
    """The pages cache's store fails. Returns the store's name as the log gives it."""
    outage, pages = _failing_store(request.param, monkeypatch, tmp_path)
    settings.CACHES = {**settings.CACHES, "pages": pages}
    page_cache._version_for.cache_clear()
    yield outage.store
    page_cache._version_for.cache_clear()


class StoreSwitch:
    """The pages cache's store (the tests' own, which answers) failing from `down()` until
    `up()`: the pages it held before are still there when it comes back."""

    def __init__(self, settings, outage, failing):
        self.settings, self.outage = settings, outage
        self.answering = settings.CACHES
        self.failing = {**settings.CACHES, "pages": failing}

    def down(self):
        self.settings.CACHES = self.failing

    def up(self):
        self.settings.CACHES = self.answering
        self.outage.retry_at = 0.0  # as once RETRY_AFTER has passed: the store is tried again


@pytest.fixture(params=["redis", "folder"])
def pages_store_switch(request, settings, monkeypatch, tmp_path):
    outage, failing = _failing_store(request.param, monkeypatch, tmp_path)
    yield StoreSwitch(settings, outage, failing)
    page_cache._version_for.cache_clear()


class Clock:
    """The clock a missed refresh is retried by (MissedRefresh.clock), moved on by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(page_cache.MISSED_REFRESH, "clock", clock)
    return clock


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _rename_in_the_admin(client, count_queries, title):
    """A career renamed on its admin page (its query count pinned): the messages shown after
    the save, and the log lines the save wrote."""
    career = RoadmapStepFactory().career
    url = reverse("admin:careers_career_change", args=[career.pk])
    data = {**form_data(client.get(url)), "title": title}
    with _log_lines() as lines, count_queries(SAVE_QUERIES):
        response = client.post(url, data)
    assert_saved(response)
    assert Career.objects.get(pk=career.pk).title == title
    return _messages(client.get(response.url)), lines


def test_an_editor_saving_while_the_page_cache_is_down_is_told_visitors_may_see_the_old_page(
    client_as_editor, pages_store_down, django_assert_num_queries
):
    shown, lines = _rename_in_the_admin(
        client_as_editor, django_assert_num_queries, "Renamed while the cache is down"
    )

    assert any("was changed successfully" in message for message in shown)
    (warning,) = [message for message in shown if WARNING in message]
    assert UP_TO in warning
    logged = [line for line in lines if line.get("event") == "pages_not_refreshed"]
    assert len(logged) == 1, lines  # one line for the request, however many rows it saved
    (line,) = logged
    assert line["level"] == "WARNING"
    assert "careers.Career" in line["models"].split(", ")
    assert line["stale_for_seconds"] == 600
    assert line["cache_error"].startswith(f"{pages_store_down} failed: ")
    assert line["request_id"]


def test_an_editors_list_action_while_the_page_cache_is_down_warns_too(
    client_as_staff, pages_store_down
):
    career = CareerFactory()

    response = client_as_staff.post(
        reverse("admin:careers_career_changelist"),
        {"action": "unpublish", "_selected_action": [career.pk]},
        follow=True,
    )

    assert Career.objects.get(pk=career.pk).status == "draft"
    assert any(UP_TO in message for message in _messages(response))


@pytest.fixture
def refreshes(monkeypatch):
    """Each attempt to make the cached pages stale from now on (the call that fails while the
    store is down), as a growing list."""
    calls = []
    bump = page_cache.bump_version

    def counted():
        calls.append("bump")
        return bump()

    monkeypatch.setattr(page_cache, "bump_version", counted)
    return calls


def _publishable_draft(title):
    career = CareerFactory(title=title, status=Career.Status.DRAFT)
    for part in (ResponsibilityFactory, DayInTheLifeEntryFactory, FAQFactory, HiringFactory):
        part(career=career)
    SalaryFigureFactory(career=career)
    RoadmapStepFactory(career=career)
    return career


def _run_action(client, model, action, rows, **data):
    """The list action as the list sends it; the messages the next page shows."""
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(
        changelist, {"action": action, "_selected_action": [row.pk for row in rows], **data}
    )
    assert response.status_code in (200, 302)
    return _messages(client.get(changelist))


# The all-refused publish below: the session and the editor, the list's count (Django's
# changelist, unfiltered: careerportal.admin_counts), the careers with one EXISTS per section
# (missing_sections); its messages go in a cookie. Refusing every row writes nothing, and
# refreshes nothing.
REFUSED_PUBLISH_QUERIES = 4


def test_a_list_action_refusing_every_row_while_the_page_cache_is_down_says_nothing_was_saved(
    client_as_staff, pages_store_down, refreshes, django_assert_num_queries
):
    incomplete = [CareerFactory(title=f"Half Done {n}", status="draft") for n in (1, 2)]
    changelist = reverse("admin:careers_career_changelist")
    refreshes.clear()

    with django_assert_num_queries(REFUSED_PUBLISH_QUERIES):
        response = client_as_staff.post(
            changelist, {"action": "publish", "_selected_action": [c.pk for c in incomplete]}
        )
    shown = _messages(client_as_staff.get(response.url))

    assert any("“Half Done 1” was not published" in message for message in shown)
    assert not [message for message in shown if WARNING in message]
    assert refreshes == []  # no call waited on the store that is down
    assert set(Career.objects.values_list("status", flat=True)) == {"draft"}


@pytest.mark.parametrize(
    ("make_rows", "action", "data", "said"),
    [
        (lambda: [CertificationFactory()], "publish", {}, "0 certifications published."),
        (lambda: [CareerFactory(status="draft")], "unpublish", {}, "0 careers moved back"),
        (
            lambda: [SalaryFigureFactory(currency="USD")],
            "change_currency",
            {"confirm": "yes", "currency": "USD"},
            "already in USD",
        ),
        (lambda: [SalaryFigureFactory()], "export_selected_csv", {}, None),
        (lambda: [CareerFactory()], "delete_selected", {}, None),  # the confirmation page
    ],
    ids=["publish-published", "unpublish-draft", "same-currency", "export", "delete-asked"],
)
def test_a_list_action_changing_no_row_refreshes_nothing_and_warns_of_nothing(
    client_as_staff, pages_store_down, refreshes, make_rows, action, data, said
):
    rows = make_rows()
    refreshes.clear()

    shown = _run_action(client_as_staff, type(rows[0]), action, rows, **data)

    assert said is None or any(said in message for message in shown), shown
    assert not [message for message in shown if WARNING in message]
    assert refreshes == []


def test_a_list_action_refusing_some_rows_while_the_page_cache_is_down_still_warns(
    client_as_staff, pages_store_down, refreshes
):
    ready = _publishable_draft("Ready To Go")
    incomplete = CareerFactory(title="Half Done", status="draft")
    refreshes.clear()

    shown = _run_action(client_as_staff, Career, "publish", [ready, incomplete])

    assert "1 career published." in shown
    assert any("“Half Done” was not published" in message for message in shown)
    assert any(UP_TO in message for message in shown)
    assert refreshes == ["bump"]  # once for the action, not once per row
    assert Career.objects.get(pk=ready.pk).status == "published"


def test_an_editor_saving_while_the_page_cache_answers_is_not_warned(
    client_as_editor, django_assert_num_queries
):
    shown, lines = _rename_in_the_admin(
        client_as_editor, django_assert_num_queries, "Renamed with the cache up"
    )

    assert not [message for message in shown if WARNING in message]
    assert not [line for line in lines if line.get("event") == "pages_not_refreshed"]


def _rename_while_down(client, switch, career, title):
    """The career renamed on its admin page while the pages cache's store is down."""
    url = reverse("admin:careers_career_change", args=[career.pk])
    data = {**form_data(client.get(url)), "title": title}
    switch.down()
    response = client.post(url, data)
    assert_saved(response)
    assert any(WARNING in message for message in _messages(client.get(response.url)))


def _stored_page(title):
    """A career's public page as an anonymous visitor has it from the cache: the visitor and
    the page's address."""
    career = RoadmapStepFactory(career__title=title).career
    visitor = Client()
    visitor.get(career.get_absolute_url())
    assert visitor.get(career.get_absolute_url())["X-Page-Cache"] == "hit"
    return visitor, career


def test_pages_a_save_could_not_refresh_are_refreshed_by_the_next_request_once_the_cache_is_back(
    client_as_editor, pages_store_switch, clock
):
    visitor, career = _stored_page("Data Engineer")
    _rename_while_down(client_as_editor, pages_store_switch, career, "Analytics Engineer")

    pages_store_switch.up()
    clock.now += page_cache.MissedRefresh.RETRY_EVERY
    with _log_lines() as lines:
        response = visitor.get(career.get_absolute_url())

    # It used to replay the page stored before the save, for up to 10 minutes.
    assert response["X-Page-Cache"] == "miss"
    assert "Analytics Engineer" in response.content.decode()
    assert "Data Engineer" not in response.content.decode()
    again = visitor.get(career.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert "Analytics Engineer" in again.content.decode()
    (logged,) = [line for line in lines if line.get("event") == "pages_refreshed_after_outage"]
    assert "careers.Career" in logged["models"].split(", ")
    assert logged["missed_for_seconds"] == page_cache.MissedRefresh.RETRY_EVERY


def test_while_the_cache_stays_down_a_missed_refresh_is_tried_once_every_few_seconds(
    client_as_editor, pages_store_switch, clock, refreshes
):
    visitor, career = _stored_page("Data Engineer")
    _rename_while_down(client_as_editor, pages_store_switch, career, "Analytics Engineer")
    refreshes.clear()

    def visit(times):
        for _ in range(times):
            response = visitor.get(career.get_absolute_url())
            assert "Analytics Engineer" in response.content.decode()  # rendered afresh

    visit(3)
    assert refreshes == []  # not due yet: no request waits on the store
    clock.now += page_cache.MissedRefresh.RETRY_EVERY
    visit(3)
    assert refreshes == ["bump"]  # the first request tried, the store still down
    clock.now += page_cache.MissedRefresh.RETRY_EVERY - 0.1
    visit(2)
    assert refreshes == ["bump"]

    pages_store_switch.up()
    clock.now += 0.1
    visit(1)
    assert refreshes == ["bump", "bump"]  # it answered
    clock.now += 3600
    visit(2)
    assert refreshes == ["bump", "bump"]  # nothing left to try


def test_no_refresh_is_tried_when_none_was_missed(
    client, clock, refreshes, django_assert_num_queries
):
    career = CareerFactory()
    client.get(career.get_absolute_url())
    refreshes.clear()  # the factory's save
    clock.now += 3600

    # The cached page: no query, and no call to the store but the version's read.
    with django_assert_num_queries(0):
        assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"
    assert refreshes == []
