"""The catalogue sorted by exam fee never ranks fees in different currencies against each other
(300 USD, 250 GBP and 30,000 JPY have no order without an exchange rate, which the site does
not keep): free exams first, then each currency's fees, lowest first, the currency of the
most exams first, and the page says so."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("certifications:list")


def names(response):
    return [certification.name for certification in response.context["certifications"]]


def fees_in_four_currencies():
    for name, fee, currency in [
        ("USD 300", 300, "USD"),
        ("USD 100", 100, "USD"),
        ("USD 150", 150, "USD"),
        ("GBP 250", 250, "GBP"),
        ("GBP 90", 90, "GBP"),
        ("JPY 30000", 30_000, "JPY"),
        ("EUR 200", 200, "EUR"),
        ("Free", None, "USD"),
    ]:
        CertificationFactory(name=name, exam_fee=fee, fee_currency=currency)


def test_fees_are_sorted_within_each_currency_the_commonest_first(client):
    fees_in_four_currencies()
    response = client.get(LIST, {"sort": "fee"})
    # USD has three fees, GBP two, EUR and JPY one each (by code then).
    assert names(response) == [
        "Free",
        "USD 100",
        "USD 150",
        "USD 300",
        "GBP 90",
        "GBP 250",
        "EUR 200",
        "JPY 30000",
    ]


def test_the_page_says_fees_in_different_currencies_are_not_compared(client):
    fees_in_four_currencies()
    html = client.get(LIST, {"sort": "fee"}).content.decode()
    note = re.search(r"<p [^>]*data-fee-order>(.*?)</p>", html).group(1)
    assert note == (
        "Fees in different currencies are not compared (we do not convert them): free exams"
        " come first, then fees in USD, GBP, EUR, then JPY, lowest first in each."
    )
    assert '<option value="fee" selected>Exam fee (lowest first in each currency)' in html
    # Sorted otherwise, or with one currency among the exams listed, there is nothing to say.
    assert "data-fee-order" not in client.get(LIST, {"sort": "name"}).content.decode()
    one_currency = client.get(LIST, {"sort": "fee", "q": "usd"}).content.decode()
    assert "data-fee-order" not in one_currency


def test_the_filters_choose_the_currencies_the_order_and_the_note_name(client):
    fees_in_four_currencies()
    CertificationFactory(name="EUR 150", exam_fee=Decimal("150.50"), fee_currency="EUR")
    response = client.get(LIST, {"sort": "fee", "fee_min": "150", "fee_max": "300"})
    # In range: USD 150 and 300, GBP 250, EUR 150.50 and 200; EUR has two now, as USD.
    assert names(response) == ["EUR 150", "EUR 200", "USD 150", "USD 300", "GBP 250"]
    assert "then fees in EUR, USD, then GBP, lowest" in response.content.decode()


def test_the_second_page_goes_on_in_the_same_order(client):
    for n in range(10):
        CertificationFactory(name=f"USD {n:02d}", exam_fee=100 + n, fee_currency="USD")
    for n in range(4):
        CertificationFactory(name=f"GBP {n:02d}", exam_fee=50 + n, fee_currency="GBP")
    first = names(client.get(LIST, {"sort": "fee"}))
    second = client.get(LIST, {"sort": "fee", "page": "2"})
    assert first == [f"USD {n:02d}" for n in range(10)] + ["GBP 00", "GBP 01"]
    assert names(second) == ["GBP 02", "GBP 03"]
    assert second.context["page_obj"].paginator.count == 14


@pytest.mark.parametrize("rows", [2, 8])
def test_a_fee_sort_takes_three_queries_however_many_rows_and_currencies(
    client, django_assert_num_queries, rows
):
    fees = [(100 + n, ["USD", "EUR", "GBP", "JPY"][n % 4]) for n in range(rows)]
    for fee, currency in fees:
        CertificationFactory(name=f"{currency} {fee}", exam_fee=fee, fee_currency=currency)
    # 1 providers for the filter, 2 the currencies with their counts (the paginator's count
    # too), 3 the page with provider and successor joined
    with django_assert_num_queries(3):
        response = client.get(LIST, {"sort": "fee"})
    # As many fees in each currency: by code, and by fee within each.
    assert names(response) == [
        f"{currency} {fee}" for fee, currency in sorted(fees, key=lambda f: (f[1], f[0]))
    ]
