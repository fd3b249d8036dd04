"""Editors change the currency of a career's figures for a country, every year at once, with
an action on the salary figure list (a country's figures share one currency: one chart)."""

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from careers.models import Career, SalaryFigure
from tests.factories import CareerFactory, SalaryFigureFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:careers_salaryfigure_changelist")
PARTIAL = (
    "ML Engineer in Germany: 3 of 5 figures selected; select all of them (filter the list by "
    "career and country)."
)


def run_action(client, figures, url=CHANGELIST, **data):
    """The action as the list sends it: the selected rows and the action's name."""
    selected = [figure.pk for figure in figures]
    return client.post(url, {"action": "change_currency", "_selected_action": selected, **data})


def confirm(client, figures, currency, url=CHANGELIST):
    """The intermediate page's form sent back: the same rows, the currency and the confirm."""
    return run_action(client, figures, url, confirm="yes", currency=currency)


def shown_messages(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def career():
    return CareerFactory(title="ML Engineer", slug="ml-engineer")


@pytest.fixture
def germany(career):
    """Five figures of ML Engineer in Germany, 2024 to 2026, stated in dollars by mistake."""
    return [
        SalaryFigureFactory(
            career=career, country="DE", currency="USD", level=level, year=year, median=85000
        )
        for year, level in [
            (2024, "entry"),
            (2025, "entry"),
            (2026, "entry"),
            (2025, "mid"),
            (2026, "mid"),
        ]
    ]


def currencies(figures):
    return [SalaryFigure.objects.get(pk=f.pk).currency for f in figures]


def test_the_action_page_lists_the_figures_by_career_and_country(client_as_staff, career, germany):
    britain = SalaryFigureFactory(career=career, country="GB", currency="GBP", year=2026)
    response = run_action(client_as_staff, [*germany, britain])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Change the currency of 6 salary figures" in html
    assert "The amounts stay as they are" in html
    rows = [
        '<th scope="row">ML Engineer</th>\n        <td>Germany (DE)</td>\n        <td>all 5</td>\n'
        "        <td>USD</td>",
        '<th scope="row">ML Engineer</th>\n        <td>United Kingdom (GB)</td>\n'
        "        <td>all 1</td>\n        <td>GBP</td>",
    ]
    for row in rows:
        assert row in html
    for figure in [*germany, britain]:
        assert f'name="_selected_action" value="{figure.pk}"' in html
    assert '<input type="hidden" name="action" value="change_currency">' in html
    assert '<option value="EUR">EUR</option>' in html
    assert '<option value="XAU">' not in html  # gold is no salary's currency
    assert currencies([*germany, britain]) == ["USD"] * 5 + ["GBP"]  # nothing changed yet


def test_confirming_changes_every_year_of_the_country_and_the_career_page_shows_it(
    client_as_staff, career, germany
):
    other_country = SalaryFigureFactory(
        career=career, country="US", currency="USD", year=2026, median=70000
    )
    visitor = Client()
    assert "$85,000" in visitor.get(career.get_absolute_url()).content.decode()  # now cached
    before = Career.objects.get(pk=career.pk).updated_at

    response = confirm(client_as_staff, germany, "EUR")
    assert response.status_code == 302
    assert shown_messages(response) == ["Changed 5 figures to EUR."]
    assert currencies(germany) == ["EUR"] * 5
    assert {f.median for f in SalaryFigure.objects.filter(country="DE")} == {85000}
    assert currencies([other_country]) == ["USD"]
    # A career form opened before would stop rather than write dollars back.
    assert Career.objects.get(pk=career.pk).updated_at > before
    history = LogEntry.objects.filter(
        action_flag=CHANGE, content_type__model="salaryfigure"
    ).order_by("object_id")
    assert sorted(int(entry.object_id) for entry in history) == sorted(f.pk for f in germany)
    assert {entry.get_change_message() for entry in history} == {"Changed Currency."}
    assert history[0].object_repr.endswith(": 85000 EUR")
    # The career's history says it too, as the editor's (a colleague's open form names them).
    (entry,) = LogEntry.objects.filter(content_type__model="career", object_id=str(career.pk))
    assert entry.get_change_message() == "Changed the currency of 5 salary figures to EUR."
    assert entry.user.email == "editor@example.com"

    page = visitor.get(career.get_absolute_url()).content.decode()
    assert 'Germany <span class="currency-code">(EUR)</span>' in page
    assert "85.000\xa0€" in page and "$85,000" not in page
    assert "$70,000" in page  # the US figure is still in dollars


def test_selecting_all_of_a_filtered_list_changes_them(client_as_staff, career, germany):
    SalaryFigureFactory(career=career, country="GB", currency="GBP", year=2026)
    # What the refusal advises: filter the list by career and country, select all of it.
    filtered = f"{CHANGELIST}?career__id__exact={career.pk}&country=DE"
    listed = client_as_staff.get(filtered)
    assert listed.context["cl"].result_count == 5
    response = client_as_staff.post(
        filtered,
        {
            "action": "change_currency",
            "select_across": "1",
            "_selected_action": [germany[0].pk],  # the page's rows: across means all 5
            "index": "0",
        },
    )
    page = response.content.decode()
    assert "Change the currency of 5 salary figures" in page
    response = client_as_staff.post(
        filtered,
        {
            "action": "change_currency",
            "_selected_action": re.findall(r'name="_selected_action" value="(\d+)"', page),
            "confirm": "yes",
            "currency": "CHF",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == filtered
    # Francs are not Germany's currency: changed, and the editor is warned, year by year.
    assert shown_messages(response) == [
        "Changed 5 figures to CHF.",
        *(
            f"Check the salary figures for ML Engineer in Germany, {year}: {figures} in CHF, "
            "not EUR, the currency of Germany."
            for year, figures in [
                (2024, "Entry CHF\xa085'000 is"),
                (2025, "Entry CHF\xa085'000 and Mid CHF\xa085'000 are"),
                (2026, "Entry CHF\xa085'000 and Mid CHF\xa085'000 are"),
            ]
        ),
    ]
    assert currencies(germany) == ["CHF"] * 5
    assert set(SalaryFigure.objects.filter(country="GB").values_list("currency", flat=True)) == {
        "GBP"
    }


def test_a_partial_selection_is_refused_and_nothing_changes(client_as_staff, career, germany):
    SalaryFigureFactory(career=career, country="GB", currency="GBP", year=2026)
    before = Career.objects.get(pk=career.pk).updated_at
    page = run_action(client_as_staff, germany[:3]).content.decode()
    assert PARTIAL in page
    assert 'name="confirm"' not in page  # nothing to confirm
    assert f"?career__id__exact={career.pk}&amp;country=DE" in page  # lists all five

    response = confirm(client_as_staff, germany[:3], "EUR")
    assert response.status_code == 302
    assert shown_messages(response) == [PARTIAL, "No currency was changed."]
    assert currencies(germany) == ["USD"] * 5
    assert Career.objects.get(pk=career.pk).updated_at == before
    assert not LogEntry.objects.exists()


def test_figures_deleted_before_the_confirm_are_reported(client_as_staff, germany):
    page = run_action(client_as_staff, germany)
    assert "Change the currency of 5 salary figures" in page.content.decode()
    SalaryFigure.objects.all().delete()  # by a colleague, meanwhile
    response = confirm(client_as_staff, germany, "EUR")
    assert shown_messages(response) == [
        "The selected figures have been deleted since.",
        "No currency was changed.",
    ]
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("currency", "error"),
    [
        ("QQQ", "Select a valid choice. QQQ is not one of the available choices."),
        ("XAU", "Select a valid choice. XAU is not one of the available choices."),
        ("eur", "Select a valid choice. eur is not one of the available choices."),
        ("", "This field is required."),
    ],
)
def test_an_unknown_or_missing_currency_is_a_form_error(
    client_as_staff, career, germany, currency, error
):
    response = confirm(client_as_staff, germany, currency)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert currencies(germany) == ["USD"] * 5
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("codenames", "offered"),
    [
        (["view_salaryfigure"], False),
        (["view_salaryfigure", "change_salaryfigure"], True),
    ],
)
def test_the_currency_action_is_only_for_who_may_change_figures(
    client, germany, codenames, offered
):
    editor = get_user_model().objects.create_user(
        "figures", "figures@example.com", "figures-password-123", is_staff=True
    )
    editor.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(editor)
    changelist = client.get(CHANGELIST).content.decode()
    assert "Export selected figures as CSV" in changelist
    assert ("Change the currency of the selected figures" in changelist) is offered
    assert ("Change the currency of 5" in run_action(client, germany).content.decode()) is offered
    response = confirm(client, germany, "EUR")
    if offered:
        assert shown_messages(response) == ["Changed 5 figures to EUR."]
        assert currencies(germany) == ["EUR"] * 5
    else:
        assert set(shown_messages(response)) == {"No action selected."}  # both times
        assert currencies(germany) == ["USD"] * 5


@pytest.mark.parametrize("figures", [2, 20])
def test_confirming_takes_the_same_queries_for_2_or_20_figures(
    client_as_staff, career, django_assert_num_queries, figures
):
    chosen = [
        SalaryFigureFactory(career=career, country="DE", currency="USD", year=2000 + n)
        for n in range(figures)
    ]
    # Cached, as in a running site (the career's too: run alone, the test read it in the save).
    ContentType.objects.get_for_model(SalaryFigure)
    ContentType.objects.get_for_model(Career)
    # session, user; the list's count (unfiltered: one for shown and in all); in a
    # transaction (savepoint, release): the selected figures, every figure of their careers
    # (locked), one update of the figures, one of the careers, one insert of the figures'
    # history, the careers' titles and one insert of their history; the message goes in a
    # cookie
    with django_assert_num_queries(12):
        response = confirm(client_as_staff, chosen, "EUR")
    assert shown_messages(response) == [f"Changed {figures} figures to EUR."]


def test_a_currency_not_legal_tender_in_the_country_is_warned_of_after_the_change(
    client_as_editor, career
):
    # Euros in Germany, changed to dollars by a slip of the list's selection: saved (the
    # amounts may truly be in dollars), and the editor is told, year by year, as after a
    # save on the career form, a figure's page or an import (careers/salary_checks.py).
    figures = [
        SalaryFigureFactory(
            career=career, country="DE", currency="EUR", level=level, year=year, median=median
        )
        for year, level, median in [
            (2025, "entry", 60000),
            (2026, "entry", 62000),
            (2026, "lead", 40000),
        ]
    ]

    response = confirm(client_as_editor, figures, "USD")

    assert shown_messages(response) == [
        "Changed 3 figures to USD.",
        "Check the salary figures for ML Engineer in Germany, 2025: Entry $60,000 is in USD, "
        "not EUR, the currency of Germany.",
        "Check the salary figures for ML Engineer in Germany, 2026: Entry $62,000 is above "
        "Lead $40,000.",
        "Check the salary figures for ML Engineer in Germany, 2026: Entry $62,000 and Lead "
        "$40,000 are in USD, not EUR, the currency of Germany.",
    ]
    assert currencies(figures) == ["USD"] * 3
    # Put back in euros, the figures say nothing of their currency (the levels still do).
    client_as_editor.get(CHANGELIST)  # the messages above are shown
    back = shown_messages(confirm(client_as_editor, figures, "EUR"))
    assert back == [
        "Changed 3 figures to EUR.",
        "Check the salary figures for ML Engineer in Germany, 2026: Entry 62.000\xa0€ is above "
        "Lead 40.000\xa0€.",
    ]
