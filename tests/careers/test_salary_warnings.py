"""Salary figures that are allowed but probably wrong (entry paid above lead, a level ten
times the one below, a currency the country does not use) are saved as typed, and the editor
is warned on the page after the save: the career form, a figure's own page, the CSV import."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from careers.models import Career, SalaryFigure
from tests.careers.test_admin import INLINE_ROWS, add_rows, admin_url, form_data
from tests.careers.test_salary_csv import HEADER
from tests.factories import CareerFactory, SalaryFigureFactory

pytestmark = pytest.mark.django_db

ENTRY_ABOVE_LEAD = (
    "Check the salary figures for United States, 2026: Entry $180,000 is above Lead $150,000."
)


def _row(level, median, country="US", currency="USD"):
    return {
        **INLINE_ROWS["salary_figures"](),
        "country": country,
        "currency": currency,
        "level": level,
        "median": str(median),
        "p25": "",
        "p75": "",
    }


def _warnings(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def _save_rows(client, career, rows):
    url = admin_url(Career, "change", career.pk)
    data = add_rows(form_data(client.get(url)), "salary_figures", rows)
    return client.post(url, data, follow=True)


def test_entry_above_lead_is_saved_and_the_editor_is_warned_on_the_next_page(client_as_staff):
    career = CareerFactory(status=Career.Status.DRAFT)
    response = _save_rows(
        client_as_staff,
        career,
        [_row("entry", 180_000), _row("mid", 160_000), _row("lead", 150_000)],
    )

    html = response.content.decode()
    assert ENTRY_ABOVE_LEAD in html
    assert "Mid $160,000 is above Lead $150,000" in html
    assert "was changed successfully" in html  # saved all the same, as typed
    assert dict(career.salary_figures.values_list("level", "median")) == {
        "entry": 180_000,
        "mid": 160_000,
        "lead": 150_000,
    }


def test_sane_figures_save_without_a_warning(client_as_staff):
    career = CareerFactory(status=Career.Status.DRAFT)
    rows = [_row("entry", 95_000), _row("mid", 130_000), _row("senior", 170_000)]
    rows += [_row("lead", 210_000), _row("entry", 48_000, "GB", "GBP")]
    response = _save_rows(client_as_staff, career, rows)

    assert _warnings(response) == []
    assert career.salary_figures.count() == 5


@pytest.mark.parametrize(
    ("rows", "warning"),
    [
        (
            [_row("senior", 150_000), _row("lead", 1_500_000)],
            "Check the salary figures for United States, 2026: Lead $1,500,000 is 10 times "
            "Senior $150,000.",
        ),
        (
            [_row("entry", 9_500), _row("mid", 95_000)],
            "Check the salary figures for United States, 2026: Mid $95,000 is 10 times "
            "Entry $9,500.",
        ),
        (
            [_row("entry", 85_000, "DE", "USD"), _row("mid", 95_000, "DE", "USD")],
            "Check the salary figures for Germany, 2026: Entry $85,000 and Mid $95,000 are in "
            "USD, not EUR, the currency of Germany.",
        ),
    ],
)
def test_a_level_far_out_of_line_or_a_foreign_currency_is_warned_of(client_as_staff, rows, warning):
    career = CareerFactory(status=Career.Status.DRAFT)
    response = _save_rows(client_as_staff, career, rows)

    assert _warnings(response) == [warning]
    assert career.salary_figures.count() == 2


def test_a_countrys_two_currencies_or_its_figures_in_either_are_fine(client_as_staff):
    # Panama pays in balboas and dollars alike.
    career = CareerFactory(status=Career.Status.DRAFT)
    response = _save_rows(client_as_staff, career, [_row("entry", 30_000, "PA", "USD")])
    assert _warnings(response) == []


def test_a_save_that_leaves_the_figures_alone_says_nothing_of_them(client_as_staff):
    career = CareerFactory(status=Career.Status.DRAFT)
    SalaryFigureFactory(career=career, level="entry", median=180_000)
    SalaryFigureFactory(career=career, level="lead", median=150_000)
    url = admin_url(Career, "change", career.pk)
    data = {**form_data(client_as_staff.get(url)), "tagline": "A new tagline."}
    response = client_as_staff.post(url, data, follow=True)

    assert _warnings(response) == []
    # Changing one of them (its source alone does not count) warns again.
    data = {**form_data(client_as_staff.get(url)), "salary_figures-0-source_name": "Other"}
    assert _warnings(client_as_staff.post(url, data, follow=True)) == []
    assert career.salary_figures.filter(source_name="Other").count() == 1
    data = {**form_data(client_as_staff.get(url)), "salary_figures-0-median": "175000"}
    assert _warnings(client_as_staff.post(url, data, follow=True)) == [
        "Check the salary figures for United States, 2026: Entry $175,000 is above Lead $150,000."
    ]


@pytest.mark.parametrize("odd", [False, True])
def test_the_check_costs_one_query_on_a_save_writing_figures(
    client_as_staff, django_assert_num_queries, odd
):
    career = CareerFactory(status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    rows = [_row("entry", 180_000 if odd else 95_000), _row("lead", 150_000)]
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", rows)
    # The save as it was (57: session, user, the career, locked on PostgreSQL, and its
    # checks; each new figure's six check constraints, three queries each; the currencies in
    # use, the inserts, the history), and one for the check: the career's figures of the
    # countries and years written, whether it warns or not.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(57 + 1 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 302
    assert career.salary_figures.count() == 2


def test_a_figure_changed_on_its_own_page_is_checked_against_its_country(client_as_staff):
    career = CareerFactory(status=Career.Status.DRAFT)
    SalaryFigureFactory(career=career, level="lead", median=150_000)
    figure = SalaryFigureFactory(career=career, level="entry", median=100_000)
    url = admin_url(SalaryFigure, "change", figure.pk)
    data = {**form_data(client_as_staff.get(url)), "median": "180000"}
    response = client_as_staff.post(url, data, follow=True)

    assert _warnings(response) == [ENTRY_ABOVE_LEAD]
    figure.refresh_from_db()
    assert figure.median == 180_000


def _import(client, lines):
    text = "\n".join([HEADER, *lines]).encode()
    upload = SimpleUploadedFile("figures.csv", text, "text/csv")
    return client.post(reverse("admin:careers_salaryfigure_import"), {"file": upload}, follow=True)


def test_an_import_names_the_career_of_each_figure_to_check(client_as_staff):
    career = CareerFactory(slug="ai-ml-engineer", title="AI / ML Engineer")
    SalaryFigureFactory(career=career, level="lead", median=150_000)  # already there
    response = _import(
        client_as_staff,
        [
            "ai-ml-engineer,US,entry,2026,180000,,,USD,yes,Survey,",
            "ai-ml-engineer,GB,entry,2026,40000,,,GBP,yes,Survey,",
            "ai-ml-engineer,GB,mid,2026,55000,,,GBP,yes,Survey,",
        ],
    )

    said = [str(m) for m in response.context["messages"]]
    assert said == [
        "Imported the file: 3 figures added, 0 updated, 0 already as in the file.",
        "Check the salary figures for AI / ML Engineer in United States, 2026: Entry $180,000 "
        "is above Lead $150,000.",
    ]
    assert career.salary_figures.count() == 4


def test_an_import_of_sane_figures_warns_of_nothing_and_many_warnings_are_counted(
    client_as_staff,
):
    CareerFactory(slug="ai-ml-engineer")
    sane = _import(client_as_staff, ["ai-ml-engineer,US,mid,2026,150000,,,USD,yes,Survey,"])
    assert _warnings(sane) == []

    lines = [
        f"ai-ml-engineer,US,{level},{year},{median},,,USD,yes,Survey,"
        for year in range(2000, 2025)
        for level, median in (("entry", 90_000), ("lead", 80_000))
    ]
    warned = _warnings(_import(client_as_staff, lines))
    assert len(warned) == 21
    assert warned[-1] == "…and 5 more figures to check."


def test_a_level_deleted_on_its_own_page_or_from_the_list_is_warned_of_as_on_the_career_form(
    client_as_editor, django_assert_num_queries
):
    # Mid taken out of Entry $50,000, Mid $120,000, Senior $260,000: Senior is now 5 times
    # Entry, as the career form says when its inline deletes Mid.
    careers = [CareerFactory(title=title) for title in ("Data Engineer", "AI Engineer")]
    figures = {
        (career.title, level): SalaryFigureFactory(career=career, level=level, median=median)
        for career in careers
        for level, median in (("entry", 50_000), ("mid", 120_000), ("senior", 260_000))
    }
    mid = figures["Data Engineer", "mid"]
    response = client_as_editor.post(admin_url(SalaryFigure, "delete", mid.pk), {"post": "yes"})
    assert shown(client_as_editor, response) == [
        "Check the salary figures for United States, 2026: Senior $260,000 is 5 times Entry "
        "$50,000."
    ]

    # From the list, several careers at once: each named, in title order.
    deleted = [figures["AI Engineer", "mid"], figures["Data Engineer", "entry"]]
    changelist = admin_url(SalaryFigure, "changelist")
    selected = {"action": "delete_selected", "_selected_action": [f.pk for f in deleted]}
    # The delete as before: 16 queries for a superuser (the list counted once), 2 more for
    # the editor's permissions
    # (their own, their groups'); then 2 for the warnings, however many figures and careers:
    # the deleted figures' careers, countries and years, and what those years have left.
    with django_assert_num_queries(16 + 2 + 2):
        response = client_as_editor.post(changelist, {**selected, "post": "yes"})
    assert shown(client_as_editor, response) == [
        "Check the salary figures for AI Engineer in United States, 2026: Senior $260,000 is 5 "
        "times Entry $50,000.",
    ]
    assert SalaryFigure.objects.count() == 6 - 3


def shown(client, response):
    """The warnings the page after `response` (a redirect) shows."""
    assert response.status_code == 302
    return _warnings(client.get(response["Location"]))


@pytest.mark.parametrize("careers", [1, 5])
def test_deleting_figures_from_the_list_warns_in_the_same_queries_for_1_or_5_careers(
    client_as_editor, django_assert_num_queries, careers
):
    mids = []
    for n in range(careers):
        career = CareerFactory(title=f"Engineer {n}")
        SalaryFigureFactory(career=career, level="entry", median=50_000)
        mids.append(SalaryFigureFactory(career=career, level="mid", median=120_000))
        SalaryFigureFactory(career=career, level="senior", median=260_000)
    selected = {"action": "delete_selected", "_selected_action": [f.pk for f in mids]}
    url = admin_url(SalaryFigure, "changelist")
    # The admin log's content types, as the process has them cached after its first delete:
    # run first in a test process, the count would be two queries higher for them alone.
    ContentType.objects.get_for_models(SalaryFigure, Career)
    with django_assert_num_queries(16 + 2 + 2):  # as above
        response = client_as_editor.post(url, {**selected, "post": "yes"})
    assert len(shown(client_as_editor, response)) == careers
