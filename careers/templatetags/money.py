"""Money formatting: every amount is shown in its currency's usual local form."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from django import template

register = template.Library()

# The locale whose conventions readers of each currency expect ($158,000, £85,000, 85.000 €).
CURRENCY_LOCALES = {
    "USD": "en_US",
    "GBP": "en_GB",
    "EUR": "de_DE",
    "CAD": "en_CA",
    "AUD": "en_AU",
    "INR": "en_IN",
    "JPY": "ja_JP",
    "CHF": "de_CH",
}


@dataclass(frozen=True)
class CurrencyFormat:
    """CLDR's standard currency format of one currency in its readers' locale."""

    prefix: str  # before the number, symbol included ("$", "CHF\xa0")
    suffix: str  # after it ("\xa0€")
    group: str  # thousands separator
    decimal: str
    grouping: tuple[int, int]  # the first group's size, then every other's (India: 3, 2)
    digits: int  # minor-unit digits shown when an amount has cents (JPY has none)


# What babel's CLDR data says for CURRENCY_LOCALES, kept as data: loading babel's locale
# data costs every app worker about 6.5 MiB (measured: en alone is 5 MiB), for these few
# symbols. tests/careers/test_money_formats.py checks each entry against babel. CHF stays
# with babel: its de_CH pattern has a separate negative part and babel groups amounts of a
# million and more differently from smaller ones ("CHF 1000000" but "CHF 999'999").
FORMATS = {
    "USD": CurrencyFormat("$", "", ",", ".", (3, 3), 2),
    "GBP": CurrencyFormat("£", "", ",", ".", (3, 3), 2),
    "EUR": CurrencyFormat("", "\xa0€", ".", ",", (3, 3), 2),
    "CAD": CurrencyFormat("$", "", ",", ".", (3, 3), 2),
    "AUD": CurrencyFormat("$", "", ",", ".", (3, 3), 2),
    "INR": CurrencyFormat("₹", "", ",", ".", (3, 2), 2),
    "JPY": CurrencyFormat("￥", "", ",", ".", (3, 3), 0),
}


def _grouped(digits: str, fmt: CurrencyFormat) -> str:
    """'158000' -> '158,000' (group sizes as babel applies them)."""
    size, groups = fmt.grouping[0], ""
    while len(digits) > size:
        groups = fmt.group + digits[-size:] + groups
        digits = digits[:-size]
        size = fmt.grouping[1]
    return digits + groups


def _format_known(value: Decimal, fmt: CurrencyFormat) -> str:
    """A non-negative amount: whole amounts without minor units, others rounded to them."""
    places = 0 if value == value.to_integral_value() else fmt.digits
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    whole, _, cents = f"{rounded:f}".partition(".")
    number = _grouped(whole, fmt) + (fmt.decimal + cents if places else "")
    return fmt.prefix + number + fmt.suffix


@lru_cache(maxsize=64)
def _babel_locale_and_whole_pattern(currency: str):
    """Babel's locale and whole-amount pattern for a currency outside FORMATS (parsed once)."""
    import copy

    from babel import Locale
    from babel.numbers import parse_pattern

    locale = Locale.parse(CURRENCY_LOCALES.get(currency, "en_US"))
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return locale, pattern


def _format_with_babel(value: Decimal, currency: str) -> str:
    """Any currency and sign, through babel (imported only when a page needs it)."""
    from babel.numbers import format_currency

    locale, pattern = _babel_locale_and_whole_pattern(currency)
    if value != value.to_integral_value():
        return format_currency(value, currency, locale=locale)
    return pattern.apply(value, locale, currency=currency, currency_digits=False)


def format_money(amount, currency: str) -> str:
    """Return amount formatted for its currency and locale; '' when amount is None.

    Whole amounts drop the minor unit ($158,000); others keep it ($99.50).
    """
    if amount is None or amount == "":
        return ""
    currency = (currency or "USD").upper()
    value = Decimal(str(amount))
    fmt = FORMATS.get(currency)
    if fmt is None or value.is_signed() or not value.is_finite():
        return _format_with_babel(value, currency)
    return _format_known(value, fmt)


@register.filter
def money(amount, currency="USD"):
    """{{ figure.median|money:figure.currency }} -> $158,000"""
    return format_money(amount, currency)
