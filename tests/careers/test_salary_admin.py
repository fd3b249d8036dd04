"""Salary figures in the admin: on the career form's inline and on their own page, a figure
names a real country and currency, and a career's figures for a country share one currency
(the career page draws one chart a country)."""

import html as html_module
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerportal import admin_site
from careers.models import Career, SalaryFigure
from tests.careers.test_admin import INLINE_ROWS, add_rows, admin_url, assert_saved, form_data
from tests.factories import CareerFactory, SalaryFigureFactory

pytestmark = pytest.mark.django_db

UNKNOWN_CODES = [
    ("country", "ZZ", "“ZZ” is not a country code: use an ISO 3166 code like US, GB or DE."),
    ("country", "eu", "“EU” is not a country code: use an ISO 3166 code like US, GB or DE."),
    ("country", "UK", "“UK” is not a country code: use an ISO 3166 code like US, GB or DE."),
    ("currency", "QQQ", "“QQQ” is not a currency code: use an ISO 4217 code like USD, EUR or GBP."),
    ("currency", "xau", "“XAU” is not a currency code: use an ISO 4217 code like USD, EUR or"),
]


def _post_inline_rows(client, career, rows):
    url = admin_url(Career, "change", career.pk)
    return client.post(url, add_rows(form_data(client.get(url)), "salary_figures", rows))


@pytest.mark.parametrize(("field", "value", "message"), UNKNOWN_CODES)
def test_an_unknown_country_or_currency_is_refused_on_the_career_form(
    client_as_staff, field, value, message
):
    career = CareerFactory()
    response = _post_inline_rows(
        client_as_staff, career, [{**INLINE_ROWS["salary_figures"](), field: value}]
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SalaryFigure.objects.count() == 0


@pytest.mark.parametrize(("field", "value", "message"), UNKNOWN_CODES)
def test_an_unknown_country_or_currency_is_refused_on_the_figure_page(
    client_as_staff, field, value, message
):
    career = CareerFactory()
    row = {**INLINE_ROWS["salary_figures"](), "career": str(career.pk), field: value}
    response = client_as_staff.post(admin_url(SalaryFigure, "add"), row)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SalaryFigure.objects.count() == 0


def test_territories_and_former_currencies_the_site_names_are_accepted(client_as_staff):
    career = CareerFactory()
    rows = [
        {**INLINE_ROWS["salary_figures"](), "country": "hk", "currency": "hkd"},
        {**INLINE_ROWS["salary_figures"](), "country": "XK", "currency": "EUR"},
    ]
    assert_saved(_post_inline_rows(client_as_staff, career, rows))
    assert set(career.salary_figures.values_list("country", "currency")) == {
        ("HK", "HKD"),
        ("XK", "EUR"),
    }


def test_a_figure_saved_before_the_check_still_saves_unchanged(client_as_staff):
    # Stored before codes were checked: the forms do not block an unrelated edit over it.
    figure = SalaryFigureFactory(country="ZZ", currency="QQQ")
    url = admin_url(Career, "change", figure.career_id)
    assert_saved(client_as_staff.post(url, form_data(client_as_staff.get(url))))
    url = admin_url(SalaryFigure, "change", figure.pk)
    data = {**form_data(client_as_staff.get(url)), "median": "120000"}
    assert client_as_staff.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.country, figure.currency, figure.median) == ("ZZ", "QQQ", 120000)


# One currency a country


MIXED = (
    "This career&#x27;s other figures for Germany (DE) are in EUR: use EUR, or change all of "
    "them at once with the salary figure list&#x27;s action “Change the currency of the "
    "selected figures” (a country&#x27;s figures make one chart)."
)


def test_a_new_row_in_another_currency_than_its_countrys_figures_is_refused(client_as_staff):
    career = CareerFactory()
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="entry")
    row = {**INLINE_ROWS["salary_figures"](), "country": "DE", "currency": "USD"}
    response = _post_inline_rows(client_as_staff, career, [row])
    assert response.status_code == 200
    assert MIXED in response.content.decode()
    assert career.salary_figures.count() == 1
    # Another country may use another currency; the same one is fine.
    other = {**row, "country": "US"}
    same = {**row, "currency": "eur", "level": "lead"}
    assert_saved(_post_inline_rows(client_as_staff, career, [other, same]))
    assert set(career.salary_figures.values_list("country", "currency")) == {
        ("DE", "EUR"),
        ("US", "USD"),
    }


def test_a_countrys_figures_can_change_currency_together_in_one_save(client_as_staff):
    career = CareerFactory()
    for level in ("entry", "mid"):
        SalaryFigureFactory(career=career, country="DE", currency="EUR", level=level)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    data["salary_figures-0-currency"] = "CHF"
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert MIXED in response.content.decode()
    data["salary_figures-1-currency"] = "CHF"
    assert_saved(client_as_staff.post(url, data))
    assert set(career.salary_figures.values_list("currency", flat=True)) == {"CHF"}


def test_two_new_rows_of_one_country_in_two_currencies_are_refused(client_as_staff):
    career = CareerFactory()
    rows = [
        {**INLINE_ROWS["salary_figures"](), "country": "DE", "currency": "EUR"},
        {**INLINE_ROWS["salary_figures"](), "country": "DE", "currency": "USD", "level": "lead"},
    ]
    response = _post_inline_rows(client_as_staff, career, rows)
    assert response.status_code == 200
    assert MIXED in response.content.decode()
    assert SalaryFigure.objects.count() == 0


def test_the_figure_page_refuses_a_second_currency_for_a_country(client_as_staff):
    career = CareerFactory()
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="mid")
    alone = SalaryFigureFactory(career=career, country="US", currency="USD", level="mid")
    row = {
        **INLINE_ROWS["salary_figures"](),
        "career": str(career.pk),
        "country": "DE",
        "currency": "USD",
    }
    response = client_as_staff.post(admin_url(SalaryFigure, "add"), row)
    assert response.status_code == 200
    # The action, not the career's form (it shows only the latest year's figures).
    assert f"<li>{MIXED}</li>" in response.content.decode()
    # Moving the US figure to Germany without its currency is the same mix.
    url = admin_url(SalaryFigure, "change", alone.pk)
    data = {**form_data(client_as_staff.get(url)), "country": "DE"}
    assert MIXED in client_as_staff.post(url, data).content.decode()
    # The only figure of a country may change its currency on its own.
    data = {**form_data(client_as_staff.get(url)), "currency": "CAD"}
    assert client_as_staff.post(url, data).status_code == 302
    alone.refresh_from_db()
    assert alone.currency == "CAD"
    assert career.salary_figures.filter(country="DE").count() == 1


# The career form shows the latest year's figures; every figure is edited on the figure pages


def test_the_career_form_shows_the_latest_years_figures_and_links_to_all(client_as_staff):
    career = CareerFactory()
    for year in (2023, 2024, 2025):
        for level in ("entry", "mid"):
            SalaryFigureFactory(career=career, country="DE", currency="EUR", level=level, year=year)
    SalaryFigureFactory(country="DE", currency="EUR", year=2022)  # another career's
    html = client_as_staff.get(admin_url(Career, "change", career.pk)).content.decode()
    assert 'name="salary_figures-TOTAL_FORMS" value="2"' in html
    assert "Salary figures of 2025" in html
    assert "the 2 figures of 2025, of 6 in all" in html
    link = f"/admin/careers/salaryfigure/?career__id__exact={career.pk}"
    assert f'<a href="{link}">Edit all 6 figures of this career</a>' in html
    assert 'href="/admin/careers/salaryfigure/import/"' in html
    listed = client_as_staff.get(link)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 6
    # Saving the form leaves the figures it did not show as they were.
    url = admin_url(Career, "change", career.pk)
    assert_saved(client_as_staff.post(url, form_data(client_as_staff.get(url))))
    assert career.salary_figures.count() == 6


def test_a_currency_change_that_clashes_with_an_earlier_years_figure_is_refused(
    client_as_staff,
):
    career = CareerFactory()
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="mid", year=2024)
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="mid", year=2025)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    assert data["salary_figures-TOTAL_FORMS"] == "1"
    data["salary_figures-0-currency"] = "CHF"
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert MIXED in response.content.decode()
    assert set(career.salary_figures.values_list("currency", flat=True)) == {"EUR"}


def test_an_editor_finds_a_careers_figures_for_one_country_by_typing_its_code(client_as_staff):
    career = CareerFactory(title="Data Engineer")
    SalaryFigureFactory(career=career, country="GB", currency="GBP")
    SalaryFigureFactory(career=career, country="US", currency="USD")
    SalaryFigureFactory(career=CareerFactory(title="Cloud Engineer"), country="GB", currency="GBP")
    response = client_as_staff.get(admin_url(SalaryFigure, "changelist"), {"q": "data engineer gb"})
    found = [(f.career.title, f.country) for f in response.context["cl"].result_list]
    assert found == [("Data Engineer", "GB")]


def test_the_salary_figure_list_filters_by_estimate_under_a_plain_title(client_as_staff):
    SalaryFigureFactory()
    html = client_as_staff.get(admin_url(SalaryFigure, "changelist")).content.decode()
    assert "By estimate" in html and "By is estimate" not in html


# The list's career filter: typed, for hundreds of careers


def _figures_of_three_careers():
    careers = [CareerFactory(title=title) for title in ("Data Engineer", "Cloud Architect", "QA")]
    for career in careers:
        SalaryFigureFactory(career=career)
    return careers


def test_the_salary_list_filters_by_a_career_chosen_by_typing(
    client_as_staff, django_assert_num_queries
):
    data_engineer, cloud_architect, _ = _figures_of_three_careers()
    url = admin_url(SalaryFigure, "changelist") + f"?career__id__exact={data_engineer.pk}"
    client_as_staff.get(url)  # Django caches content types on the first
    # As the unfiltered list (test_admin.CHANGELIST_QUERIES): the careers the filter lists
    # name the chosen one too.
    with django_assert_num_queries(9):
        response = client_as_staff.get(url)

    assert [figure.career for figure in response.context["cl"].result_list] == [data_engineer]
    html = response.content.decode()
    assert "By career" in html
    # One autocomplete field showing the chosen career, not a link per career.
    assert f'<option value="{data_engineer.pk}" selected>Data Engineer</option>' in html
    assert f"career__id__exact={cloud_architect.pk}" not in html
    assert 'data-model-name="salaryfigure" data-field-name="career"' in html


def test_the_career_filter_works_without_javascript(client_as_staff, monkeypatch):
    """Its field held the chosen career only, for select2 to search the others: without
    JavaScript an editor could not filter the list by career at all."""
    data_engineer, cloud_architect, third = _figures_of_three_careers()
    url = admin_url(SalaryFigure, "changelist")
    html = client_as_staff.get(url).content.decode()
    field = re.search(r'<select name="career__id__exact".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', field) == [
        "",
        *(str(c.pk) for c in sorted([data_engineer, cloud_architect, third], key=str)),
    ]

    # The form's GET, as a browser without JavaScript sends it, filters the list.
    response = client_as_staff.get(url, {"career__id__exact": cloud_architect.pk})
    assert [f.career for f in response.context["cl"].result_list] == [cloud_architect]

    # Past the limit, the chosen career only, as before.
    monkeypatch.setattr("careerportal.admin_filters.LISTED_UP_TO", 2)
    html = client_as_staff.get(url, {"career__id__exact": cloud_architect.pk}).content.decode()
    field = re.search(r'<select name="career__id__exact".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', field) == ["", str(cloud_architect.pk)]


def test_the_career_filter_field_searches_careers_as_the_editor_types(client_as_staff):
    data_engineer, *_ = _figures_of_three_careers()
    response = client_as_staff.get(
        "/admin/autocomplete/",
        {
            "app_label": "careers",
            "model_name": "salaryfigure",
            "field_name": "career",
            "term": "engineer",
        },
    )
    assert response.json()["results"] == [{"id": str(data_engineer.pk), "text": "Data Engineer"}]


@pytest.mark.parametrize(
    ("value", "listed"), [("", 3), ("abc", None), ("999999", 0), ("{pk}&_facets=True", 1)]
)
def test_an_empty_or_unknown_career_in_the_filter_is_no_server_error(
    client_as_staff, value, listed
):
    value = value.format(pk=_figures_of_three_careers()[0].pk)  # with counts shown, last
    url = admin_url(SalaryFigure, "changelist") + f"?career__id__exact={value}&year=2026"
    response = client_as_staff.get(url)
    if listed is None:  # Django's own answer to a malformed filter: the list, unfiltered
        assert response.status_code == 302
        assert "e=1" in response["Location"]
        assert client_as_staff.get(response["Location"]).status_code == 200
    else:
        assert response.status_code == 200
        assert response.context["cl"].result_count == listed
        assert 'name="year" value="2026"' in response.content.decode()  # kept when refiltering


@pytest.mark.parametrize("median", ["60.000", "60.500"])
def test_an_amount_grouped_with_a_dot_is_refused_not_saved_a_thousand_times_smaller(
    client_as_staff, median
):
    """An editor used to writing sixty thousand as "60.000" saved a median of 60: the
    career page showed "60 €" for a mid-level salary at once."""
    career = CareerFactory()
    grouped = median.replace(".", "")
    expected = f"“{median}” could be {grouped} or a number with decimals: enter the whole amount"
    row = {**INLINE_ROWS["salary_figures"](), "median": median}
    on_career_form = _post_inline_rows(client_as_staff, career, [row])
    on_figure_page = client_as_staff.post(
        admin_url(SalaryFigure, "add"), {**row, "career": str(career.pk)}
    )

    for response in (on_career_form, on_figure_page):
        assert response.status_code == 200
        assert expected in response.content.decode()
    assert SalaryFigure.objects.count() == 0


@pytest.mark.parametrize(("median", "saved"), [("85000", 85000), ("85000.00", 85000)])
def test_a_whole_amount_still_saves_on_the_figure_page(client_as_staff, median, saved):
    career = CareerFactory()
    row = {**INLINE_ROWS["salary_figures"](), "career": str(career.pk), "median": median}
    response = client_as_staff.post(admin_url(SalaryFigure, "add"), row)
    assert response.status_code == 302
    assert SalaryFigure.objects.get().median == saved


# --- the career picked without JavaScript ----------------------------------------------------


def career_options(html: str) -> tuple[str, dict[str, str]]:
    """The career select of a figure's form and its options ({label: value})."""
    select = re.search(r'<select name="career".*?</select>', html, re.S)[0]
    options = re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select)
    return select, {html_module.unescape(label): value for value, label in options}


def test_an_editor_without_javascript_picks_the_career_of_a_new_figure(client_as_staff):
    """The career was an autocomplete holding no option until select2 asked for them: a
    browser without JavaScript showed an empty box, and the page could not add a figure."""
    CareerFactory(title="Data Engineer")
    robotics = CareerFactory(title="Robotics & Controls Engineer")
    page = client_as_staff.get(admin_url(SalaryFigure, "add")).content.decode()

    select, options = career_options(page)
    assert list(options) == ["---------", "Data Engineer", "Robotics & Controls Engineer"]
    assert options["---------"] == ""  # chosen first: no career is taken unseen
    assert "admin-autocomplete" in select  # with JavaScript, still searched as typed

    row = {**INLINE_ROWS["salary_figures"](), "career": options["Robotics & Controls Engineer"]}
    assert_saved(client_as_staff.post(admin_url(SalaryFigure, "add"), row))
    assert SalaryFigure.objects.get().career == robotics


def test_a_figure_moves_to_another_career_without_javascript(client_as_staff):
    figure = SalaryFigureFactory(career=CareerFactory(title="Data Engineer"), year=2025)
    SalaryFigureFactory(career=figure.career, year=2026)  # the career keeps a figure
    CareerFactory(title="ML Engineer")
    url = admin_url(SalaryFigure, "change", figure.pk)

    response = client_as_staff.get(url)
    select, options = career_options(response.content.decode())
    assert f'<option value="{figure.career_id}" selected>Data Engineer</option>' in select
    assert "---------" not in options  # a career is required and one is chosen
    data = {**form_data(response), "career": options["ML Engineer"]}
    assert_saved(client_as_staff.post(url, data))
    figure.refresh_from_db()
    assert figure.career.title == "ML Engineer"


def test_past_the_listed_number_of_careers_they_are_searched_only(client_as_staff, monkeypatch):
    monkeypatch.setattr(admin_site, "LISTED_UP_TO", 3)
    careers = CareerFactory.create_batch(4)
    url = admin_url(SalaryFigure, "add")

    assert career_options(client_as_staff.get(url).content.decode())[1] == {}
    # A link naming the career (?career=<id>) still shows it chosen.
    chosen = client_as_staff.get(url, {"career": careers[0].pk}).content.decode()
    assert career_options(chosen)[1] == {careers[0].title: str(careers[0].pk)}


@pytest.mark.parametrize("careers", [1, 8])
def test_the_add_page_takes_three_queries_however_many_careers(
    client_as_staff, django_assert_num_queries, careers
):
    CareerFactory.create_batch(careers)
    url = admin_url(SalaryFigure, "add")
    client_as_staff.get(url)  # Django caches content types on the first
    # 1 session, 2 user, 3 the careers the career select lists (up to LISTED_UP_TO)
    with django_assert_num_queries(3):
        response = client_as_staff.get(url)
    assert len(career_options(response.content.decode())[1]) == careers + 1


def test_a_career_deleted_meanwhile_is_asked_for_again_not_swapped_for_another(client_as_staff):
    """The form shown again for a career deleted since the page was opened chooses none,
    rather than leave the browser to show (and send) the first career of the list."""
    CareerFactory(title="Data Engineer")
    row = {**INLINE_ROWS["salary_figures"](), "career": "999999"}
    response = client_as_staff.post(admin_url(SalaryFigure, "add"), row)

    assert response.status_code == 200
    select, options = career_options(response.content.decode())
    assert '<option value="" selected>---------</option>' in select
    assert list(options) == ["---------", "Data Engineer"]


def test_a_figure_that_exists_already_is_named_and_linked_on_the_figure_page(
    client_as_staff, django_assert_num_queries
):
    """Adding a figure the career has, or moving one to a career that has it, said "A figure
    for this country, level and year exists." without saying whose, nor where to edit it."""
    career = CareerFactory(title="Data Engineer")
    there = SalaryFigureFactory(career=career, country="DE", currency="EUR", level="mid", year=2026)
    row = {
        **INLINE_ROWS["salary_figures"](),
        "career": str(career.pk),
        "country": "de",
        "currency": "EUR",
        "level": "mid",
        "year": "2026",
    }
    # session, user, a savepoint, the career chosen, its currencies in Germany, the career
    # and the key checked, six check constraints (a savepoint each: 18), the figure found (the
    # one query the message adds), a content type, the savepoint released, the careers listed
    ContentType.objects.clear_cache()  # as a fresh worker: the count does not hang on test order
    with django_assert_num_queries(29):
        response = client_as_staff.post(admin_url(SalaryFigure, "add"), row)

    named = (
        "Data Engineer already has a figure for Germany, Mid, 2026: "
        f'<a href="{admin_url(SalaryFigure, "change", there.pk)}">edit that one</a>, or choose '
        "another country, level or year."
    )
    page = response.content.decode()
    assert named in page
    assert "A figure for this country, level and year exists." not in page
    assert SalaryFigure.objects.count() == 1


def test_a_new_row_repeating_an_earlier_years_figure_is_refused_at_the_row_not_a_server_error(
    client_as_staff,
):
    """The career form shows the latest year's figures only, and a row repeating a figure of
    an earlier year (one the form does not show) passed every check and failed the save on
    the database's constraint: a server error, and the editor's other changes lost."""
    career = CareerFactory(title="Data Engineer")
    there = SalaryFigureFactory(career=career, country="GB", currency="GBP", level="mid")
    SalaryFigureFactory(career=career, country="GB", currency="GBP", level="mid", year=2027)
    url = admin_url(Career, "change", career.pk)
    opened = form_data(client_as_staff.get(url))
    row = INLINE_ROWS["salary_figures"]()  # GB, mid, 2026: the figure the form does not show

    ContentType.objects.clear_cache()  # each post below starts as a fresh worker's
    with CaptureQueriesContext(connection) as repeated:
        response = client_as_staff.post(url, add_rows(dict(opened), "salary_figures", [row]))

    assert response.status_code == 200
    assert (
        "Data Engineer already has a figure for United Kingdom, Mid, 2026: "
        f'<a href="{admin_url(SalaryFigure, "change", there.pk)}">edit that one</a>'
    ) in response.content.decode()
    assert career.salary_figures.count() == 2
    # The check costs no query: the page costs what a row the same query refuses does (a
    # second currency for the country, checked against the earlier years' figures too).
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as refused_otherwise:
        other = {**row, "year": "2025", "currency": "EUR"}
        response = client_as_staff.post(url, add_rows(dict(opened), "salary_figures", [other]))
    assert response.status_code == 200 and career.salary_figures.count() == 2
    assert len(repeated) == len(refused_otherwise)


def test_two_new_rows_of_one_country_level_and_year_are_named_at_the_row(
    client_as_staff, django_assert_num_queries
):
    """Two new rows for the same country, level and year were told only Django's "Please
    correct the duplicate data for career, country, level and year", naming no row."""
    career = CareerFactory(title="Data Engineer", status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    row = INLINE_ROWS["salary_figures"]()  # GB, mid, 2026
    other = {**row, "level": "senior", "median": "99000", "p75": "120000"}
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", [row, other, row])
    # The page as refused before (Django's duplicate message): the career's and each new
    # row's constraint checks, one query each, the inlines' rows; naming the row costs none.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(74 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    formset = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "salary_figures"
    )
    assert [form.errors.get("__all__") for form in formset.forms] == [
        None,
        None,
        [
            "United Kingdom, Mid, 2026 is already row 1 of these figures: a career has one "
            "figure for each country, level and year. Change this row's country, level or "
            "year, or remove it."
        ],
    ]
    page = html_module.unescape(response.content.decode())
    assert "United Kingdom, Mid, 2026 is already row 1 of these figures" in page
    assert "Please correct the duplicate" not in page
    assert career.salary_figures.count() == 0
