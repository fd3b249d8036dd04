"""The money filter's currency table says what babel's CLDR data says, amount for amount."""

import copy
from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import format_currency, parse_pattern

from careers.templatetags.money import CURRENCY_LOCALES, FORMATS, format_money

AMOUNTS = [
    0, 1, 999, 1000, 99_999, 158_000, 999_999, 1_000_000, 1_234_567_890,
    Decimal("0.5"), Decimal("0.005"), Decimal("0.015"), Decimal("99.5"), Decimal("99.999"),
    Decimal("1234.565"), Decimal("158000.00"), Decimal("1E+5"), 99.5, "250.75",
    -5, Decimal("-1234.5"),
]  # fmt: skip


def babel_money(amount, currency: str) -> str:
    """What format_money printed when every call went through babel."""
    value = Decimal(str(amount))
    locale = Locale.parse(CURRENCY_LOCALES.get(currency, "en_US"))
    if value != value.to_integral_value():
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return pattern.apply(value, locale, currency=currency, currency_digits=False)


@pytest.mark.parametrize("currency", [*CURRENCY_LOCALES, "SEK", "BRL"])
def test_every_currency_formats_as_babel_does(currency):
    for amount in AMOUNTS:
        assert format_money(amount, currency) == babel_money(amount, currency), amount


def test_the_table_covers_only_currencies_with_a_locale():
    assert set(FORMATS) <= set(CURRENCY_LOCALES)


def test_amounts_read_as_their_readers_expect():
    assert format_money(158_000, "USD") == "$158,000"
    assert format_money(Decimal("99.50"), "USD") == "$99.50"
    assert format_money(85_000, "EUR") == "85.000\xa0€"
    assert format_money(1_580_000, "INR") == "₹15,80,000"
    assert format_money(None, "USD") == ""
