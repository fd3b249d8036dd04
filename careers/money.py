"""Money and country names as readers expect them: $158,000, £85,000, 85.000 €, United States.

The conventions are CLDR's, from careers/cldr.py (a snapshot taken from babel by
`manage.py cldr_snapshot`); Django's numberformat does the digit grouping.
"""

from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.utils.numberformat import format as format_number

from careers.cldr import (
    COUNTRY_CURRENCIES,
    COUNTRY_NAMES,
    CURRENCY_FORMATS,
    UNKNOWN_CURRENCY_FORMAT,
)

# ISO 4217 codes that name no money one could pay an exam or a salary in: precious metals,
# bond-market units, IMF and other settlement units, the testing code and "no currency".
NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XFO", "XFU", "XPD", "XPT", "XRE", "XSU",
     "XTS", "XUA", "XXX"}
)  # fmt: skip


def is_currency_code(code: str) -> bool:
    """True for an ISO 4217 code of real money CLDR knows (USD, EUR, also former ones like DEM)."""
    return code in CURRENCY_FORMATS and code not in NOT_MONEY


def currency_codes() -> list[str]:
    """Every code is_currency_code accepts, in alphabetical order (a currency select's choices)."""
    return sorted(code for code in CURRENCY_FORMATS if is_currency_code(code))


def validate_currency_code(value: str) -> None:
    """Refuse a code that is not an ISO 4217 currency (QQQ, US$)."""
    if not is_currency_code(value):
        raise ValidationError(
            "“%(code)s” is not a currency code: use an ISO 4217 code like USD, EUR or GBP.",
            code="unknown_currency",
            params={"code": value},
        )


# CLDR territory codes that name no country a salary is paid in: unions and groupings, the
# unknown region and the pseudo-locales. The rest are ISO 3166 codes (or reserved for places,
# like IC for the Canary Islands, and XK for Kosovo, which ISO has not assigned).
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


def is_country_code(code: str) -> bool:
    """True for an ISO 3166 alpha-2 code of a country or territory CLDR names (US, DE, HK)."""
    return code in COUNTRY_NAMES and code not in NOT_COUNTRIES


def validate_country_code(value: str) -> None:
    """Refuse a code that is not an ISO 3166 country (ZZ, EU, UK)."""
    if not is_country_code(value):
        raise ValidationError(
            "“%(code)s” is not a country code: use an ISO 3166 code like US, GB or DE.",
            code="unknown_country",
            params={"code": value},
        )


WRITTEN_OUT_BELOW = 10**15  # numberformat writes larger amounts in its own ways


def _currency_format(currency: str) -> tuple:
    found = CURRENCY_FORMATS.get(currency)
    if found is None:
        found = tuple(
            part.replace("¤", currency) if isinstance(part, str) else part
            for part in UNKNOWN_CURRENCY_FORMAT
        )
    return found


def format_money(amount, currency: str) -> str:
    """Return amount formatted for its currency and locale; '' when amount is None.

    Whole amounts drop the minor unit ($158,000); others keep the currency's digits ($99.50,
    and ￥100 for 99.5 yen, rounding half to even as CLDR formatters do).
    """
    if amount is None or amount == "":
        return ""
    currency = (currency or "USD").upper()
    prefix, suffix, minus_prefix, minus_suffix, decimal, group, grouping, digits = _currency_format(
        currency
    )
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if value.is_signed():
        prefix, suffix, value = minus_prefix, minus_suffix, -value
    if value == value.to_integral_value():
        places = 0
    else:
        places = digits
        value = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    if places == 0 and grouping == (3, 3, 0) and value < WRITTEN_OUT_BELOW:
        # Whole amounts grouped in threes (every currency but one): as numberformat writes
        # them, without its general path, which cost a career page's 20 amounts 0.2 ms.
        number = f"{int(value):,}"
        if group != ",":
            number = number.replace(",", group)
    else:
        number = format_number(value, decimal, places, grouping, group, force_grouping=True)
    return f"{prefix}{number}{suffix}"


def country_name(code: str) -> str:
    """'US' -> 'United States' (the code itself when CLDR does not know it)."""
    return COUNTRY_NAMES.get(code, code)


def country_currencies(code: str) -> tuple[str, ...]:
    """'PA' -> ('PAB', 'USD'): the currencies legal tender in the country (none when CLDR
    knows none, as for Antarctica)."""
    return COUNTRY_CURRENCIES.get(code, ())
