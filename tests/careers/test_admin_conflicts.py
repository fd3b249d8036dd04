"""Two editors on one page: the second save stops and says so instead of undoing the first."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from careers.models import FAQ, Career, SalaryFigure
from certifications.models import Certification, RoadmapStep
from tests.careers.test_admin import assert_saved, form_data
from tests.careers.test_salary_csv import HEADER, upload
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    EmployerFactory,
    FAQFactory,
    HiringFactory,
    ProviderFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    user = get_user_model().objects.create_user(
        "colleague", "colleague@example.com", "colleague-password-123", is_staff=True
    )
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (CareerFactory, "tagline"),
        (CertificationFactory, "summary"),
        (EmployerFactory, "description"),
        (ProviderFactory, "also_known_as"),
    ],
)
def test_a_stale_save_stops_keeps_the_input_and_a_second_save_replaces(
    client_as_staff, colleague, factory, field
):
    page = factory()
    url = change_url(page)
    mine = form_data(client_as_staff.get(url))  # I open the page...
    theirs = form_data(colleague.get(url))  # ...so does a colleague, who saves first
    theirs[field] = "Their words."
    assert_saved(colleague.post(url, theirs))

    mine[field] = "My words."
    response = client_as_staff.post(url, mine)

    assert response.status_code == 200
    assert "colleague (colleague@example.com) saved this" in response.content.decode()
    assert "My words." in response.content.decode()  # my input is still on the page
    page.refresh_from_db()
    assert getattr(page, field) == "Their words."

    again = form_data(response)  # Save again, on purpose
    assert_saved(client_as_staff.post(url, again))
    page.refresh_from_db()
    assert getattr(page, field) == "My words."


def test_one_editor_saving_twice_meets_no_conflict(client_as_staff):
    career = CareerFactory()
    url = change_url(career)
    data = form_data(client_as_staff.get(url))
    data["tagline"] = "First."
    assert_saved(client_as_staff.post(url, {**data, "_continue": "1"}))
    data = form_data(client_as_staff.get(url))
    data["tagline"] = "Second."
    assert_saved(client_as_staff.post(url, data))
    assert Career.objects.get(pk=career.pk).tagline == "Second."


def test_a_publish_action_since_opening_counts_as_a_save_by_its_editor(client_as_staff, colleague):
    certification = CertificationFactory(status=Certification.Status.DRAFT)
    url = change_url(certification)
    mine = form_data(client_as_staff.get(url))
    colleague.post(
        reverse("admin:certifications_certification_changelist"),
        {"action": "publish", "_selected_action": [certification.pk]},
    )
    assert Certification.objects.get(pk=certification.pk).status == "published"

    response = client_as_staff.post(url, mine)  # would put it back to draft

    assert "colleague (colleague@example.com) saved this" in response.content.decode()
    assert Certification.objects.get(pk=certification.pk).status == "published"


def _career_with_parts():
    career = CareerFactory()
    figure = SalaryFigureFactory(career=career, median=58000, country="DE", currency="EUR")
    step = RoadmapStepFactory(career=career, reason="The reason as it was.")
    return career, figure, step


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [("figure", "median", "60000"), ("step", "reason", "A colleague's better reason.")],
)
def test_a_part_saved_on_its_own_page_stops_a_career_form_opened_before(
    client_as_staff, colleague, part, field, value
):
    career, figure, step = _career_with_parts()
    row = {"figure": figure, "step": step}[part]
    mine = form_data(client_as_staff.get(change_url(career)))  # I open the career...
    theirs = form_data(colleague.get(change_url(row)))  # ...a colleague edits one part
    theirs[field] = value
    assert_saved(colleague.post(change_url(row), theirs))

    mine["tagline"] = "Only the tagline changed."
    response = client_as_staff.post(change_url(career), mine)

    assert response.status_code == 200
    # Named from the career's history, which the part's page writes to (it said "Someone else").
    assert "colleague (colleague@example.com) saved this career at " in response.content.decode()
    row.refresh_from_db()
    assert str(getattr(row, field)) == value  # their edit is not written over


@pytest.mark.parametrize(
    ("part", "field", "mine_value", "their_value"),
    [
        ("figure", "p75", "90000", "61000"),
        ("step", "reason", "My reason.", "Their reason."),
    ],
)
def test_two_editors_on_the_same_part_page_do_not_undo_each_other(
    client_as_staff, colleague, part, field, mine_value, their_value
):
    """A figure or step has no timestamp of its own: its career's stands in."""
    _, figure, step = _career_with_parts()
    row = {"figure": figure, "step": step}[part]
    url = change_url(row)
    mine = form_data(client_as_staff.get(url))
    theirs = form_data(colleague.get(url))
    their_field = "median" if part == "figure" else field
    theirs[their_field] = their_value
    assert_saved(colleague.post(url, theirs))

    mine[field] = mine_value
    response = client_as_staff.post(url, mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"colleague (colleague@example.com) saved this {row._meta.verbose_name}, or its career"
        in html
    )
    row.refresh_from_db()
    assert str(getattr(row, their_field)) == their_value  # their edit stands
    assert_saved(client_as_staff.post(url, form_data(response)))  # Save again, on purpose
    row.refresh_from_db()
    assert str(getattr(row, field)) == mine_value


@pytest.mark.parametrize("part", ["figure", "step"])
def test_a_part_page_names_the_colleague_who_saved_its_career_since(
    client_as_staff, colleague, part
):
    career, figure, step = _career_with_parts()
    row = {"figure": figure, "step": step}[part]
    mine = form_data(client_as_staff.get(change_url(row)))  # I open one part...
    theirs = form_data(colleague.get(change_url(career)))  # ...a colleague saves the career
    theirs["tagline"] = "Their tagline."
    assert_saved(colleague.post(change_url(career), theirs))

    html = client_as_staff.post(change_url(row), mine).content.decode()

    assert (
        f"colleague (colleague@example.com) saved this {row._meta.verbose_name}, or its career"
        in html
    )
    assert "Someone else" not in html


def test_a_careers_history_lists_who_changed_its_parts_on_their_pages(client_as_staff, colleague):
    career, figure, step = _career_with_parts()
    data = form_data(colleague.get(change_url(figure)))
    assert_saved(colleague.post(change_url(figure), {**data, "median": "61000"}))
    meta = RoadmapStep._meta
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[step.pk])
    assert colleague.post(delete, {"post": "yes"}).status_code == 302

    history = reverse("admin:careers_career_history", args=[career.pk])
    html = client_as_staff.get(history).content.decode()

    figure.refresh_from_db()
    assert f"Changed salary figure “{figure}” on its own page." in html
    assert f"Deleted roadmap step “{step}” on its own page." in html
    assert html.count("colleague") >= 2


LIST_ACTIONS = [
    (CareerFactory, {"status": "published"}, "unpublish", "Moved back to draft from the list."),
    (CareerFactory, {}, "mark_reviewed_today", "Marked facts as checked today."),
    (CertificationFactory, {"status": "draft"}, "publish", "Published from the list."),
    (CertificationFactory, {}, "retire", "Retired from the list."),
    (CertificationFactory, {}, "back_to_draft", "Moved back to draft from the list."),
    (CertificationFactory, {}, "mark_reviewed_today", "Marked facts as checked today."),
]


@pytest.mark.parametrize(("factory", "fields", "action", "told"), LIST_ACTIONS)
def test_a_list_action_since_opening_is_named_as_its_editors_and_kept_in_history(
    client_as_staff, colleague, factory, fields, action, told, clock_away_from_midnight
):
    page = factory(**fields)
    url = change_url(page)
    mine = form_data(client_as_staff.get(url))
    meta = page._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    colleague.post(changelist, {"action": action, "_selected_action": [page.pk]})

    html = client_as_staff.post(url, mine).content.decode()

    assert f"colleague (colleague@example.com) saved this {meta.verbose_name} at " in html
    history = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[page.pk])
    assert told in client_as_staff.get(history).content.decode()


def test_a_salary_import_since_opening_is_named_as_its_editors_and_kept_in_history(
    client_as_staff, colleague
):
    career, figure, _ = _career_with_parts()
    mine = form_data(client_as_staff.get(change_url(career)))
    header = "career,country,level,year,median,p25,p75,currency,is_estimate,source_name,source_url"
    rows = [
        f"{career.slug},{figure.country},{figure.level},{figure.year},61000,,,EUR,yes,S,",
        f"{career.slug},DE,{figure.level},{figure.year - 1},57000,,,EUR,yes,S,",
    ]
    upload = SimpleUploadedFile("figures.csv", "\n".join([header, *rows]).encode(), "text/csv")
    imported = colleague.post(reverse("admin:careers_salaryfigure_import"), {"file": upload})
    assert imported.status_code == 302

    html = client_as_staff.post(change_url(career), mine).content.decode()

    assert "colleague (colleague@example.com) saved this career at " in html
    history = reverse("admin:careers_career_history", args=[career.pk])
    told = "Imported salary figures from a CSV file: 1 added, 1 updated."
    assert told in client_as_staff.get(history).content.decode()


def test_one_editor_saving_a_figure_twice_meets_no_conflict(client_as_staff):
    _, figure, _ = _career_with_parts()
    url = change_url(figure)
    data = form_data(client_as_staff.get(url))
    data["median"] = "59000"
    assert_saved(client_as_staff.post(url, data))
    data = form_data(client_as_staff.get(url))
    data["median"] = "59500"
    assert_saved(client_as_staff.post(url, data))


@pytest.mark.parametrize("model", [SalaryFigure, RoadmapStep])
@pytest.mark.parametrize("how", ["delete page", "delete action"])
def test_a_part_deleted_on_its_own_pages_stops_a_career_form_opened_before(
    client_as_staff, colleague, model, how
):
    career, figure, step = _career_with_parts()
    row = figure if model is SalaryFigure else step
    mine = form_data(client_as_staff.get(change_url(career)))
    meta = model._meta
    if how == "delete page":
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
        response = colleague.post(url, {"post": "yes"})
    else:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        action = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
        response = colleague.post(url, action)
    assert response.status_code == 302
    assert not model.objects.filter(pk=row.pk).exists()

    response = client_as_staff.post(change_url(career), mine)  # would add the row back

    assert "colleague (colleague@example.com) saved this career at " in response.content.decode()
    assert not model.objects.filter(pk=row.pk).exists()


def test_a_save_locks_the_row_it_compares_in_one_query(client_as_staff, django_assert_num_queries):
    """PostgreSQL locks the row as the save reads it (tests/careers/test_admin_races.py says
    why); SQLite's save is one write transaction already and needs no query for it."""
    from django.db import connection

    url = change_url(EmployerFactory())
    data = form_data(client_as_staff.get(url))
    locks = int(connection.features.has_select_for_update)
    # Session, user, the lock (PostgreSQL), the employer for the page and for the form, slug
    # in other case, name and slug unique, former slugs, the old slug, UPDATE, admin log;
    # and the test transaction's savepoint and its release.
    with django_assert_num_queries(13 + locks) as queries:
        assert_saved(client_as_staff.post(url, data))
    assert sum("FOR NO KEY UPDATE" in q["sql"] for q in queries.captured_queries) == locks


def test_the_stale_save_names_the_colleague_who_saved_and_when_in_which_zone(
    client_as_staff, colleague
):
    career = CareerFactory()
    url = change_url(career)
    mine = form_data(client_as_staff.get(url))
    theirs = form_data(colleague.get(url))
    assert_saved(colleague.post(url, theirs))
    # Their save at a quarter past midnight, UTC (the editor has chosen no time zone).
    saved_at = datetime.datetime(2026, 12, 1, 0, 15, tzinfo=datetime.UTC)
    Career.objects.filter(pk=career.pk).update(updated_at=saved_at)
    LogEntry.objects.filter(object_id=str(career.pk)).update(action_time=saved_at)

    html = client_as_staff.post(url, mine).content.decode()

    assert (
        "colleague (colleague@example.com) saved this career at 0:15 (UTC) on 1 December 2026, "
        "after you opened it"
    ) in html


def test_a_save_from_the_editors_other_tab_is_told_as_theirs(client_as_staff):
    career = CareerFactory()
    url = change_url(career)
    first_tab = form_data(client_as_staff.get(url))
    second_tab = form_data(client_as_staff.get(url))
    assert_saved(client_as_staff.post(url, second_tab))

    html = client_as_staff.post(url, first_tab).content.decode()

    assert "You saved this career in another tab or window at " in html
    assert "Someone else" not in html


def test_a_save_the_history_does_not_know_is_someone_elses(client_as_staff):
    career = CareerFactory()
    url = change_url(career)
    mine = form_data(client_as_staff.get(url))
    Career.objects.filter(pk=career.pk).update(tagline="From the CSV import.")
    career.save()  # a save outside the admin: no history entry

    html = client_as_staff.post(url, mine).content.decode()

    assert "Someone else saved this career at " in html


def opened_before_a_colleague_saved(client, colleague, url, their_changes) -> dict:
    """The page at `url` as `client` opened it, before `colleague` saved it with
    `their_changes`: the POST its unchanged form would send."""
    mine = form_data(client.get(url))
    assert_saved(colleague.post(url, {**form_data(colleague.get(url)), **their_changes}))
    return mine


def test_a_row_a_colleague_deleted_stays_on_the_page_with_what_i_typed_and_says_so(
    client_as_staff, colleague
):
    """A colleague deleted the first of my career's FAQs after I opened its page. My save
    stopped with "Please correct the errors below" and nothing to correct: the admin pairs the
    posted rows with the rows still saved, so it showed my edit of the deleted FAQ under the
    second's title and left my edit of the second off the page, and Save again never got
    through (the second row was no longer posted)."""
    career = CareerFactory()
    gone, kept = FAQFactory(career=career, position=1), FAQFactory(career=career, position=2)
    url = change_url(career)
    mine = opened_before_a_colleague_saved(client_as_staff, colleague, url, {"faqs-0-DELETE": "on"})

    mine["faqs-0-answer"] = "My edit of the deleted one."
    mine["faqs-1-answer"] = "My edit of the kept one."
    response = client_as_staff.post(url, mine)

    page = response.content.decode()
    assert "My edit of the deleted one." in page
    assert "My edit of the kept one." in page  # was left off the page
    assert "This FAQ was deleted, or moved to another career, after this page was opened" in page
    again = form_data(response)  # Save again: the deleted row is still refused, at its row
    response = client_as_staff.post(url, again)
    assert "This FAQ was deleted, or moved to another career" in response.content.decode()
    assert FAQ.objects.get(pk=kept.pk).answer == "An answer."

    again = form_data(response)
    again["faqs-0-DELETE"] = "on"  # let it go, as the row says
    assert_saved(client_as_staff.post(url, again))
    assert FAQ.objects.get(pk=kept.pk).answer == "My edit of the kept one."
    assert not FAQ.objects.filter(pk=gone.pk).exists()


def test_a_stale_save_names_the_fields_save_again_would_change_in_their_version(
    client_as_staff, colleague
):
    """The stale save said a colleague had saved, not what: to choose between their version
    and mine, the editor had to open the page again and compare every field by eye."""
    url = change_url(CareerFactory())
    mine = opened_before_a_colleague_saved(
        client_as_staff, colleague, url, {"tagline": "Their tagline."}
    )

    mine["time_to_first_role"] = "6-12 months"
    response = client_as_staff.post(url, mine)

    assert (
        "Save again would change these fields of their version: Tagline, Time to first role."
        in response.content.decode()
    )


def test_figures_of_a_year_a_newer_one_replaced_on_the_page_are_saved_not_called_deleted(
    client_as_staff, colleague, django_assert_num_queries
):
    """The career form shows the figures of the career's latest year. A colleague imported
    a newer year's after the editor opened it, so the rows on the page were no longer that
    year's: the save called each "deleted, or moved to another career", which they were not,
    refused the editor's changes to them, and Save again never got through."""
    career = CareerFactory(title="Cloud Engineer")
    figure = SalaryFigureFactory(career=career, year=2025, level="entry", median=90_000)
    SalaryFigureFactory(career=career, year=2025, level="mid", median=120_000)
    url = change_url(career)
    mine = form_data(client_as_staff.get(url))
    csv = f"{HEADER}\n{career.slug},US,senior,2026,150000,,,USD,,Survey,\n"
    assert upload(colleague, csv).status_code == 302

    mine["salary_figures-0-median"] = "91000"
    # the page shown again, with one query for each row of 2025, read by its id (2); the
    # career locked while saving, where the database can (PostgreSQL)
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(62 + locks):
        response = client_as_staff.post(url, mine)

    page = response.content.decode()
    assert "was deleted, or moved to another career" not in page
    assert "saved this career at" in page  # the import touched it: Save again replaces
    titles = re.findall(r'<td class="original">\s*<p>\s*([^<]+?)\s*</p>', page)
    # each row under its own title: the page had paired them with the 2026 figure
    assert [title.split(":")[0] for title in titles] == [
        "Cloud Engineer US entry 2025",
        "Cloud Engineer US mid 2025",
    ]
    assert_saved(client_as_staff.post(url, form_data(response)))
    assert SalaryFigure.objects.get(pk=figure.pk).median == 91_000
    assert SalaryFigure.objects.filter(career=career).count() == 3


def test_a_page_a_colleague_deleted_comes_back_with_what_i_typed_and_saves_only_on_purpose(
    client_as_staff, colleague
):
    """Django answered the save with its home page and "Career with ID “1” doesn't exist.
    Perhaps it was deleted?": the editor's changes, those to the career's rows included, were
    gone."""
    career, _figure, _step = _career_with_parts()
    FAQFactory(career=career, question="Is it remote?", answer="Often.")
    ResponsibilityFactory(career=career)
    DayInTheLifeEntryFactory(career=career)
    HiringFactory(career=career)
    mine = form_data(client_as_staff.get(change_url(career)))
    delete = reverse("admin:careers_career_delete", args=[career.pk])
    assert colleague.post(delete, {"post": "yes"}).status_code == 302
    mine["tagline"] = "My new tagline."
    mine["faqs-0-answer"] = "Mostly, two days a week in the office."

    response = client_as_staff.post(change_url(career), mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague (colleague@example.com) deleted this career at " in page
    assert "Nothing was saved" in page
    assert "My new tagline." in page and "Mostly, two days a week in the office." in page
    assert 'action="/admin/careers/career/add/"' in page
    assert not Career.objects.exists()  # the delete stands

    again = form_data(response)
    assert_saved(client_as_staff.post(reverse("admin:careers_career_add"), again))

    added = Career.objects.get()
    assert added.tagline == "My new tagline."
    assert [faq.answer for faq in added.faqs.all()] == ["Mostly, two days a week in the office."]
    assert added.salary_figures.count() == added.roadmap_steps.count() == 1
    assert added.responsibilities.count() == added.hirings.count() == 1
