"""Money and country names come from careers/cldr.py, a snapshot of babel's CLDR data; these
tests hold the snapshot to babel and the output to what babel writes."""

import copy
from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import format_currency, parse_pattern
from django.core.management import call_command
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from careers.cldr import COUNTRY_NAMES, CURRENCY_FORMATS
from careers.management.commands.cldr_snapshot import CURRENCY_LOCALES
from careers.money import country_name, format_money


def babel_money(amount, currency):
    """How the site formatted money when it called babel itself."""
    locale = Locale.parse(CURRENCY_LOCALES.get(currency, "en_US"))
    value = Decimal(str(amount))
    if value != value.to_integral_value():
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return pattern.apply(value, locale, currency=currency, currency_digits=False)


def test_the_snapshot_is_what_the_installed_babel_gives():
    call_command("cldr_snapshot", "--check")


def test_a_stale_snapshot_is_reported(monkeypatch, tmp_path):
    from careers.management.commands import cldr_snapshot

    stale = tmp_path / "cldr.py"
    stale.write_text('CURRENCY_FORMATS = {"USD": ("$",)}\n', encoding="utf-8")
    monkeypatch.setattr(cldr_snapshot, "SNAPSHOT", stale)
    with pytest.raises(Exception, match=r"run `manage\.py cldr_snapshot`"):
        call_command("cldr_snapshot", "--check")


@pytest.mark.parametrize(
    "amount, currency, expected",
    [
        (158_000, "USD", "$158,000"),
        (85_000, "GBP", "£85,000"),
        (85_000, "EUR", "85.000\xa0€"),
        (Decimal("99.50"), "USD", "$99.50"),
        (Decimal("1234.5"), "EUR", "1.234,50\xa0€"),
        (1_234_567, "INR", "₹12,34,567"),
        (Decimal("99.5"), "JPY", "￥100"),  # no minor unit; half to even
        (Decimal("0.125"), "USD", "$0.12"),
        (250, "usd", "$250"),
        (1_000, "SEK", "SEK1,000"),
        (1_000, "QQQ", "QQQ1,000"),  # a code CLDR does not know
        (Decimal("-20"), "EUR", "-20\xa0€"),
        (None, "USD", ""),
        ("", "USD", ""),
    ],
)
def test_amounts_read_as_their_currency_writes_them(amount, currency, expected):
    assert format_money(amount, currency) == expected


def test_swiss_francs_keep_their_group_sign():
    # babel drops de-CH's apostrophe group sign when a number has two of them: it reads the
    # pair as CLDR quoting ("CHF 1234567"). The site groups every amount the same way.
    assert format_money(85_000, "CHF") == "CHF\xa085'000"
    assert format_money(1_234_567, "CHF") == "CHF\xa01'234'567"
    assert babel_money(1_234_567, "CHF") == "CHF\xa01234567"


amounts = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False
) | st.integers(min_value=0, max_value=10**10)


@settings(max_examples=400, deadline=None)
@given(amount=amounts, currency=st.sampled_from([*sorted(CURRENCY_FORMATS), "QQQ", "ZZZ"]))
def test_every_currency_matches_babel(amount, currency):
    ours, theirs = format_money(amount, currency), babel_money(amount, currency)
    if CURRENCY_FORMATS.get(currency, (None,) * 6)[5] == "'":
        ours, theirs = ours.replace("'", ""), theirs.replace("'", "")  # see the Swiss test
    assert ours == theirs


@pytest.mark.parametrize("currency", sorted(CURRENCY_LOCALES))
def test_the_currencies_with_a_home_locale_match_babel_at_every_size(currency):
    for digits in range(1, 12):
        amount = int("9" * digits)
        ours, theirs = format_money(amount, currency), babel_money(amount, currency)
        if currency == "CHF":
            ours, theirs = ours.replace("'", ""), theirs.replace("'", "")
        assert ours == theirs


def test_country_names_are_cldrs_english_names():
    english = Locale.parse("en").territories
    assert len(COUNTRY_NAMES) > 240
    assert all(COUNTRY_NAMES[code] == english[code] for code in COUNTRY_NAMES)
    assert country_name("US") == "United States"
    assert country_name("CI") == "Côte d\u2019Ivoire"
    assert country_name("QZ") == "QZ"  # unknown: the code itself


def test_the_money_filter_escapes_nothing_it_should_not():
    html = Template("{% load money %}{{ a|money:'GBP' }}|{{ b|money:'CHF' }}").render(
        Context({"a": 85_000, "b": 85_000})
    )
    assert html == "£85,000|CHF\xa085&#x27;000"
