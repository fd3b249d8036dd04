"""Write careers/cldr.py, the CLDR data the site formats money and names countries with.

babel carries all of CLDR. Loading it in a web worker (the library, its global data and the
locales of the currencies shown) cost each gunicorn worker 6.6 MiB (61.3 to 54.7 MiB resident
in `make bench`), for a few hundred short strings. The site therefore ships those strings,
taken from babel by this command, and formats with them (careers/money.py). The test suite
runs `--check`, which fails when the file is not what the installed babel gives: after
upgrading babel, run this command.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SNAPSHOT = Path(__file__).resolve().parents[2] / "cldr.py"

# The locale whose conventions readers of each currency expect ($158,000, £85,000, 85.000 €).
# Any other currency is written as American English writes it (SEK1,000).
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
DEFAULT_LOCALE = "en_US"

HEADER = '''\
"""CLDR {cldr} data for money and country names, from babel {babel}. Generated: do not edit.

Made by `python manage.py cldr_snapshot`; see careers/management/commands/cldr_snapshot.py.
"""

# Currency code: (prefix, suffix, negative prefix, negative suffix, decimal sign, group sign,
# digit grouping for Django's numberformat, minor-unit digits). The prefixes and suffixes
# already hold the currency's symbol.
'''


def _literal(value) -> str:
    """A Python literal in the style ruff formats to: double quotes, invisible characters
    escaped, everything else as written."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return "".join(
            ch if ch.isprintable() and (ch == " " or not ch.isspace()) else f"\\u{ord(ch):04x}"
            for ch in text
        )
    if isinstance(value, tuple):
        return (
            "("
            + ", ".join(_literal(item) for item in value)
            + ("," if len(value) == 1 else "")
            + ")"
        )
    return repr(value)


def _currency_format(code: str) -> tuple:
    from babel import Locale
    from babel.numbers import (
        get_currency_name,
        get_currency_precision,
        get_currency_symbol,
        get_decimal_symbol,
        get_group_symbol,
        parse_pattern,
    )

    locale = Locale.parse(CURRENCY_LOCALES.get(code, DEFAULT_LOCALE))
    pattern = parse_pattern(locale.currency_formats["standard"].pattern)
    # careers/money.py writes plain numbers: no scaling, exponent, significant digits or
    # zero padding. Refuse a pattern that needs more than that instead of writing it wrong.
    if pattern.scale or pattern.exp_prec or "@" in pattern.pattern or pattern.int_prec[0] != 1:
        raise CommandError(f"{code}: the pattern {pattern.pattern!r} is not a plain one")

    def affix(text: str) -> str:
        # As babel does: ¤¤¤ is the name, ¤¤ the code, ¤ the symbol; quotes escape text.
        text = text.replace("¤¤¤", get_currency_name(code, 2, locale))
        text = text.replace("¤¤", code).replace("¤", get_currency_symbol(code, locale))
        return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)

    primary, secondary = pattern.grouping
    return (
        affix(pattern.prefix[0]),
        affix(pattern.suffix[0]),
        affix(pattern.prefix[1]),
        affix(pattern.suffix[1]),
        get_decimal_symbol(locale),
        get_group_symbol(locale),
        (primary, secondary, 0),
        get_currency_precision(code),
    )


def render_snapshot() -> str:
    """The text of careers/cldr.py as the installed babel gives it."""
    import babel
    from babel import Locale
    from babel.core import get_cldr_version
    from babel.numbers import list_currencies

    codes = sorted(set(list_currencies()) | set(CURRENCY_LOCALES))
    lines = [HEADER.format(cldr=get_cldr_version(), babel=babel.__version__)]
    lines.append("CURRENCY_FORMATS = {")
    lines += [f'    "{code}": {_literal(_currency_format(code))},' for code in codes]
    lines.append("}")
    lines.append("")
    lines.append("# For a code CLDR does not know, ¤ stands for the code itself.")
    probe = "QQQ"  # no currency has this code, so babel writes it as it writes any unknown one
    if probe in codes:
        raise CommandError(f"{probe} has become a currency: pick another probe code")
    unknown = tuple(
        part.replace(probe, "¤") if isinstance(part, str) else part
        for part in _currency_format(probe)
    )
    lines.append(f"UNKNOWN_CURRENCY_FORMAT = {_literal(unknown)}")
    lines.append("")
    lines.append("# ISO 3166 alpha-2 code: the country's name in English.")
    lines.append("COUNTRY_NAMES = {")
    names = Locale.parse("en").territories
    lines += [
        f'    "{code}": {_literal(name)},'
        for code, name in sorted(names.items())
        if len(code) == 2 and code.isalpha()
    ]
    lines.append("}")
    lines.append("")
    lines.append(
        "# ISO 3166 alpha-2 code: the currencies that are legal tender there (CLDR's, those"
    )
    lines.append("# with no end date), for the admin's warning on a salary figure in another one.")
    lines.append("COUNTRY_CURRENCIES = {")
    lines += [
        f'    "{code}": {_literal(currencies)},'
        for code in sorted(names)
        if len(code) == 2 and code.isalpha() and (currencies := _legal_tender(code))
    ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legal_tender(country: str) -> tuple[str, ...]:
    """The currencies CLDR has as legal tender in `country` with no end date, as of no day in
    particular: the snapshot must not change with the day it is taken."""
    import datetime

    from babel.numbers import get_territory_currencies

    spans = get_territory_currencies(
        country, datetime.date.min, datetime.date.max, tender=True, include_details=True
    )
    return tuple(sorted(span["currency"] for span in spans if span["to"] is None))


class Command(BaseCommand):
    help = "Write careers/cldr.py from babel's CLDR data (--check: exit 1 if it is stale)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare, do not write.")

    def handle(self, *args, check=False, **options):
        text = render_snapshot()
        if check:
            if SNAPSHOT.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{SNAPSHOT} is not what babel gives: run `manage.py cldr_snapshot`."
                )
            self.stdout.write("careers/cldr.py matches babel.")
            return
        SNAPSHOT.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {SNAPSHOT}.")
