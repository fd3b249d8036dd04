"""Money formatting: every amount is shown in its currency's usual local form."""

import copy
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, parse_pattern
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


@lru_cache(maxsize=64)
def _locale_and_whole_pattern(currency: str):
    """The currency's locale and its standard pattern without minor units (parsed once)."""
    locale = Locale.parse(CURRENCY_LOCALES.get(currency, "en_US"))
    pattern = copy.copy(parse_pattern(locale.currency_formats["standard"].pattern))
    pattern.frac_prec = (0, 0)
    return locale, pattern


def format_money(amount, currency: str) -> str:
    """Return amount formatted for its currency and locale; '' when amount is None.

    Whole amounts drop the minor unit ($158,000); others keep it ($99.50).
    """
    if amount is None or amount == "":
        return ""
    currency = (currency or "USD").upper()
    value = Decimal(str(amount))
    locale, pattern = _locale_and_whole_pattern(currency)
    if value != value.to_integral_value():
        return format_currency(value, currency, locale=locale)
    return pattern.apply(value, locale, currency=currency, currency_digits=False)


@register.filter
def money(amount, currency="USD"):
    """{{ figure.median|money:figure.currency }} -> $158,000"""
    return format_money(amount, currency)
