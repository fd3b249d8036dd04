"""An editor reorders a career's parts on its admin form without JavaScript: each row's
"Position" box (careers/admin/formsets.py, KeepsPositionsFormSet), and the page shows the new
order."""

import pytest
from django.db import connection

from careers.models import Career
from tests.careers.test_admin import SORTABLE_ROWS, admin_url, assert_saved, form_data
from tests.factories import CareerFactory

pytestmark = pytest.mark.django_db

# The POST moving one of three rows, 27 queries: session, user, a savepoint, the career
# (locked on PostgreSQL), its figures' count and year, the slug's like-named careers, the
# inline's rows and each row's id (Django's formset: one a row), the currencies in use, the
# career once more (the sections it shows after the save and now, for the empty-section
# check: one query, where it was two), the two choices' checks (three each), the slug's
# check, former slugs and old slug, the career's UPDATE, the three rows' UPDATEs (each row
# moves), the history entry, the savepoint released (the message goes in a cookie). Roadmap
# steps and hirings, 34: each row's certification or employer is read and checked (two a
# row) and held against deletion (one for all).
REORDER_QUERIES = {
    "responsibilities": 27,
    "roadmap_steps": 34,
    "hirings": 34,
    "day_entries": 27,
    "faqs": 27,
}


def shown_order(client, career, rows) -> list[int]:
    """The numbers (1, 2, 3: the order made) of `rows` in the order the career page shows."""
    html = client.get(career.get_absolute_url()).content.decode()
    places = {html.index(words): number for number, (_, words) in enumerate(rows, start=1)}
    return [places[place] for place in sorted(places)]


def post_positions(client, url, prefix, rows, typed: dict) -> dict:
    """The change form as the editor sends it with `typed` ({row number: text}) in the
    Position boxes of those rows, the others as shown."""
    data = form_data(client.get(url))
    index = {data[f"{prefix}-{i}-id"]: i for i in range(len(rows))}
    for number, text in typed.items():
        data[f"{prefix}-{index[str(rows[number - 1][0].pk)]}-position"] = text
    return data


@pytest.mark.parametrize("prefix", list(SORTABLE_ROWS))
def test_an_editor_without_javascript_types_positions_and_the_page_follows(
    client, client_as_staff, django_assert_num_queries, prefix
):
    career = CareerFactory(status=Career.Status.PUBLISHED)
    rows = [SORTABLE_ROWS[prefix](career, n) for n in (1, 2, 3)]
    url = admin_url(Career, "change", career.pk)
    html = client_as_staff.get(url).content.decode()
    # A number box an editor sees and types in, not a hidden field only a script could fill.
    assert f'<input type="number" name="{prefix}-0-position" value="1" class="_reorder_"' in html

    # The third row to the top: typed 1, where the first row keeps 1.
    data = post_positions(client_as_staff, url, prefix, rows, {3: "1"})
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(REORDER_QUERIES[prefix] + locks):
        assert_saved(client_as_staff.post(url, data))
    assert shown_order(client, career, rows) == [3, 1, 2]
    model = type(rows[0][0])
    assert [model.objects.get(pk=row.pk).position for row, _ in rows] == [2, 3, 1]

    # Back to the bottom: typed 3, where the second row now is; and the first two swapped.
    data = post_positions(client_as_staff, url, prefix, rows, {3: "3"})
    assert_saved(client_as_staff.post(url, data))
    assert shown_order(client, career, rows) == [1, 2, 3]
    data = post_positions(client_as_staff, url, prefix, rows, {1: "2", 2: "1"})
    assert_saved(client_as_staff.post(url, data))
    assert shown_order(client, career, rows) == [2, 1, 3]


def test_a_position_that_is_not_a_number_is_refused_at_its_row(client_as_staff):
    career = CareerFactory()
    rows = [SORTABLE_ROWS["faqs"](career, n) for n in (1, 2)]
    url = admin_url(Career, "change", career.pk)
    data = post_positions(client_as_staff, url, "faqs", rows, {2: "first"})
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "faqs"
    )
    assert formset.forms[1].errors["position"] == ["Enter a whole number from 1 to 999."]
    assert [row.position for row, _ in rows] == [1, 2]


TYPED_POSITIONS = ["0", "-3", "1000", "2147483648", "9223372036854775808", "1.5", "first"]


@pytest.mark.parametrize("prefix", list(SORTABLE_ROWS))
@pytest.mark.parametrize("typed", TYPED_POSITIONS)
def test_a_position_out_of_range_is_refused_with_the_range_on_every_database(
    client_as_staff, django_assert_num_queries, prefix, typed
):
    # SQLite said "Ensure this value is less than or equal to 9223372036854775807", PostgreSQL
    # 2147483647, and 0 or -3 was taken without a word: an editor types a place in a list.
    career = CareerFactory(status=Career.Status.DRAFT)
    rows = [SORTABLE_ROWS[prefix](career, n) for n in (1, 2)]
    url = admin_url(Career, "change", career.pk)
    data = post_positions(client_as_staff, url, prefix, rows, {2: typed})
    # The refused page as before: session, user, a savepoint, the career (locked on
    # PostgreSQL), its figures' count and year, the rows, the checks; the range costs none.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(REFUSED_QUERIES[prefix] + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == prefix
    )
    assert formset.forms[1].errors["position"] == ["Enter a whole number from 1 to 999."]
    assert response.content.decode().count("Enter a whole number from 1 to 999.") == 1
    model = type(rows[0][0])
    assert [model.objects.get(pk=row.pk).position for row, _ in rows] == [1, 2]


REFUSED_QUERIES = {
    "responsibilities": 23,
    "roadmap_steps": 27,  # each row's certification or employer read and checked
    "hirings": 27,
    "day_entries": 23,
    "faqs": 23,
}
