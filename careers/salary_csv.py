"""Salary figures as CSV, for editors who refresh a year's figures in a spreadsheet: export,
edit, import. An import is all or nothing: every row with a problem is reported by its line
and nothing is written until the whole file is right.

Amounts are whole units. In a file separated by semicolons (German or French Excel) the
comma is the decimal mark: "54.000,00" is 54000, and "54000,50" is refused, never 5,400,050.

A file is UTF-8 ("CSV UTF-8", with or without its byte order mark) or UTF-16 with its byte
order mark (Excel's "Unicode text", separated by tabs, read as a comma file is). Any other
encoding is refused, naming its first bad line, rather than saved as "Ã©" for "é".

Countries and currencies are ISO codes the site can name (careers/money.py), and a career's
figures for one country keep one currency, as in the admin's forms.

Rows are keyed by career slug, country, level and year (the figures' unique constraint): a
row with a new key adds a figure, a known key updates it. Figures the file does not mention
are left alone. A slug is matched whatever its case (slugs are unique regardless of case, and a
spreadsheet likes to capitalise a cell's first letter): a current slug first, then a former
slug of a renamed career (the site redirects those), so a file exported before a rename still
updates the career it came from. An import costs a few queries, one more for all the new
figures, and one per figure it changes (5,000 changed figures: about 2 s on SQLite, 4 s on
PostgreSQL).
"""

import codecs
import csv
import dataclasses
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from careerportal.cache import content_changed
from careers.models import Career, FormerSlug, SalaryFigure
from careers.money import country_name
from careers.salary_checks import written_salary_warnings
from careers.salary_rows import FORMULA_START, SalaryRowForm, Slugs
from careers.services import CURRENCY_CHANGE_ACTION, careers_touched

COLUMNS = [
    "career",
    "country",
    "level",
    "year",
    "median",
    "p25",
    "p75",
    "currency",
    "is_estimate",
    "source_name",
    "source_url",
]
REQUIRED = {"career", "country", "level", "year", "median", "currency", "source_name"}
MAX_BYTES = 1024 * 1024  # some 10,000 rows; a year's refresh of every career is a few hundred
MAX_ROWS = 5000
MAX_PROBLEMS = 50  # reported one by one; the rest are counted
FIELDS = [c for c in COLUMNS if c != "career"]
# The header row names the columns, some 110 characters. csv.Sniffer takes time growing with
# the square of the line it reads (a line of 64,000 characters of `,"` took 34 s, and a file
# of one 1 MiB line hours), so a longer first line is refused before the separator is sought.
MAX_HEADER_CHARS = 1000
_FIRST_LINE = re.compile(r"[\r\n]*([^\r\n]*)")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


# Rows written to the download at a time: a few hundred KiB, whatever the number of figures.
EXPORT_CHUNK_ROWS = 2000


def export_csv(figures) -> Iterator[str]:
    """The figures as CSV text with a header row, in COLUMNS order, in pieces of
    EXPORT_CHUNK_ROWS rows read as they are sent (one query, plain values, never every figure
    in memory at once); a text cell a spreadsheet would run as a formula is written with a
    leading apostrophe (an import removes it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = (
        figures.order_by("career__slug", "country", "level_rank", "-year")
        .values_list("career__slug", *FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK_ROWS)
    )
    for number, row in enumerate(rows, start=1):
        *start, estimate, source_name, source_url = row
        writer.writerow(
            [
                *("" if value is None else value for value in start),
                "yes" if estimate else "no",
                _cell(source_name),
                _cell(source_url),
            ]
        )
        if number % EXPORT_CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def currency_clashes(kept, written) -> dict[int, str]:
    """For one career's figures: which of `written` (its new or changed figures' (country,
    currency) pairs, in order) would give a country a second currency next to `kept` (the
    figures left as they are) or an earlier written one; {index: the currency already used}.

    The career page draws one chart a country, in one currency, so a country's figures share
    it. Switching is one change of all of them at once (in a save, a file, or the salary
    figure list's currency action).
    """
    used: dict[str, set[str]] = {}
    for country, currency in kept:
        used.setdefault(country, set()).add(currency)
    clashes = {}
    for index, (country, currency) in enumerate(written):
        allowed = used.setdefault(country, {currency})
        if currency not in allowed:
            clashes[index] = " or ".join(sorted(allowed))
    return clashes


def currency_clash_message(country: str, used: str) -> str:
    return (
        f"This career's other figures for {country_name(country)} ({country}) are in {used}: "
        f"use {used}, or change all of them at once with the salary figure list's action "
        f"“{CURRENCY_CHANGE_ACTION}” (a country's figures make one chart)."
    )


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    renamed: dict[str, str] = dataclasses.field(default_factory=dict)  # former slug -> the slug now
    # Figures saved but probably wrong (careers/salary_checks.py), one sentence each.
    warnings: list[str] = dataclasses.field(default_factory=list)


class Refused(Exception):
    """Problems found once the career's figures were read under lock: nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


def _delimiter(header: str) -> str:
    """The header row's separator: "," or ";" (a spreadsheet set to a language that writes
    decimal commas, German or French Excel, saves "CSV" with semicolons), or a tab (Excel's
    "Unicode text" and "Text (Tab delimited)")."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:  # one column, or nothing to go by: the header check says what is wrong
        return ","


def _not_text(raw: bytes, error: UnicodeDecodeError, *, utf16: bool) -> str:
    """What is wrong with a file that does not decode, naming its first bad line."""
    if utf16:
        return (
            "The file starts as UTF-16 text but is cut or damaged. Save it from your "
            "spreadsheet again and upload it."
        )
    line = raw[: error.start].count(b"\n") + 1
    return (
        f"The file is not UTF-8 text. Line {line} has a character written in another encoding "
        "(Excel's plain “CSV” saves é or € in Windows-1252). Save it from your spreadsheet as "
        "“CSV UTF-8” and upload it again."
    )


# The first bytes of the files an editor picks instead of the CSV saved from a spreadsheet:
# the workbook itself (.xlsx and .ods are zip archives, .xls an OLE2 compound file), or a
# document or image that sat beside it.
_NOT_CSV = [
    (b"PK\x03\x04", "a workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
]


def _not_csv(raw: bytes, name: str) -> str | None:
    """What a file that is no text at all is, told in place of an encoding problem."""
    kind = next((kind for start, kind in _NOT_CSV if raw.startswith(start)), None)
    if raw.startswith(b"RIFF") and raw[8:12] == b"WEBP":
        kind = "an image"
    if kind is None:
        return None
    return (
        f"“{name}” is {kind}, not a CSV file. Open it in your spreadsheet, save it as "
        "“CSV UTF-8” with Save As, and upload that file."
    )


def _rows(upload) -> tuple[list[dict], str, list[str]]:
    """The file's rows as dicts of the known columns (line numbers in "_line") and its
    delimiter, or problems."""
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return [], ",", [f"The file is larger than {MAX_BYTES // 1024} KiB; split it in parts."]
    not_csv = _not_csv(raw, upload.name)
    if not_csv:
        return [], ",", [not_csv]
    # Excel's "Unicode text" is UTF-16 with a byte order mark; "CSV UTF-8" has one too.
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        return [], ",", [_not_text(raw, error, utf16=utf16)]
    if "\x00" in text:
        return [], ",", ["The file holds binary data: upload a CSV file saved from a spreadsheet."]
    header_line = _FIRST_LINE.match(text).group(1)
    if len(header_line) > MAX_HEADER_CHARS:
        problem = (
            f"The first line has {len(header_line):,} characters: it should be the header "
            f"row, naming the columns ({', '.join(COLUMNS)}). Check that the file is the CSV "
            "saved from your spreadsheet."
        )
        return [], ",", [problem]
    delimiter = _delimiter(header_line)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        return [], delimiter, ["The file is empty: it needs a header row, then one row per figure."]
    problems = []
    unknown = [name for name in header if name not in COLUMNS]
    missing = sorted(REQUIRED - set(header))
    if unknown:
        problems.append(
            f"Unknown columns: {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}."
        )
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:  # which of the two would count is anyone's guess
        problems.append(f"Columns named twice: {', '.join(twice)}.")
    if problems:
        return [], delimiter, problems
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) == MAX_ROWS:
                return (
                    [],
                    delimiter,
                    [f"The file has more than {MAX_ROWS} rows; split it in parts."],
                )
            if None in row:
                problems.append(f"Line {reader.line_num}: more cells than columns.")
                continue
            if not any((value or "").strip() for value in row.values()):
                continue  # a blank line
            rows.append({**{k: v or "" for k, v in row.items()}, "_line": reader.line_num})
    except csv.Error as error:
        return [], delimiter, [f"Line {reader.line_num}: the file is not valid CSV ({error})."]
    if not rows and not problems:
        problems.append("The file has a header row but no figures.")
    return rows, delimiter, problems


def import_csv(upload, *, user) -> tuple[Imported | None, list[str]]:
    """Add or update the figures in an uploaded CSV file, recording it in each changed
    career's history as `user`'s change; (counts, []) when written, else (None, problems) and
    nothing written."""
    rows, delimiter, problems = _rows(upload)
    if problems:
        return None, problems
    known = list(Career.objects.values_list("slug", "pk", "title"))
    careers = Slugs((slug, pk) for slug, pk, _title in known)
    titles = {pk: title for _slug, pk, title in known}
    slugs = {pk: slug for slug, pk in careers.ids.items()}
    former = Slugs(
        (slug, pk)
        for slug, pk in FormerSlug.objects.filter(model=Career._meta.label_lower).values_list(
            "slug", "target_id"
        )
        if pk in slugs
    )
    figures, seen, renamed = [], {}, {}
    for row in rows:
        line = row.pop("_line")
        form = SalaryRowForm(row, careers=careers, former=former, decimal_comma=delimiter == ";")
        if not form.is_valid():
            for field, errors in form.errors.items():
                where = "" if field == "__all__" else f" {field}:"
                problems.extend(f"Line {line}:{where} {error}" for error in errors)
            continue
        data = form.cleaned_data
        key = (data["career"], data["country"], data["level"], data["year"])
        if key in seen:
            problems.append(
                f"Line {line}: the same career, country, level and year as line {seen[key]}."
            )
            continue
        seen[key] = line
        figures.append({**data, "line": line})
        if form.former_slug:
            renamed[form.former_slug] = slugs[data["career"]]
    if problems:
        return None, cut(problems)
    try:
        result = _write(figures, user=user, titles=titles)
    except Refused as refused:
        return None, cut(refused.problems)
    except IntegrityError as error:
        return None, [f"The database refused the file, so nothing was saved: {error}"]
    result.renamed = renamed
    if result.created or result.updated:
        content_changed(SalaryFigure)  # bulk writes send no signal: visitors see it at once
    return result, []


def cut(lines: list[str], most: int = MAX_PROBLEMS, what: str = "problems") -> list[str]:
    """The first `most` of `lines`, then one counting the rest."""
    shown = lines[:most]
    if len(lines) > most:
        shown.append(f"…and {len(lines) - most} more {what}.")
    return shown


def _currency_problems(rows: list[dict], existing: dict) -> list[str]:
    """A line for each row giving its career's figures for a country a second currency."""
    keys = {(row["career"], row["country"], row["level"], row["year"]) for row in rows}
    kept, written = {}, {}
    for key, figure in existing.items():
        if key not in keys:
            kept.setdefault(figure.career_id, []).append((figure.country, figure.currency))
    for row in rows:
        written.setdefault(row["career"], []).append(row)
    problems = []
    for career_id, career_rows in written.items():
        pairs = [(row["country"], row["currency"]) for row in career_rows]
        for index, used in currency_clashes(kept.get(career_id, []), pairs).items():
            row = career_rows[index]
            message = currency_clash_message(row["country"], used)
            problems.append((row["line"], f"Line {row['line']}: currency: {message}"))
    return [message for _line, message in sorted(problems)]


@transaction.atomic
def _write(rows: list[dict], *, user, titles: dict[int, str]) -> Imported:
    career_ids = {row["career"] for row in rows}
    existing = {
        (f.career_id, f.country, f.level, f.year): f
        for f in SalaryFigure.objects.filter(career_id__in=career_ids).select_for_update()
    }
    problems = _currency_problems(rows, existing)
    if problems:
        raise Refused(problems)
    result, new, changed = Imported(), [], []
    for row in rows:
        figure = existing.get((row["career"], row["country"], row["level"], row["year"]))
        if figure is None:
            figure = SalaryFigure(career_id=row["career"])
            new.append(figure)
        elif all(getattr(figure, field) == row[field] for field in FIELDS):
            result.unchanged += 1
            continue
        else:
            changed.append(figure)
        for field in FIELDS:
            setattr(figure, field, row[field])
        figure.level_rank = SalaryFigure.LEVEL_RANKS[figure.level]
    SalaryFigure.objects.bulk_create(new)
    # One UPDATE a changed figure: bulk_update builds a CASE per field and row, which took
    # 10-15 s of Python for 5,000 rows against about 1 s for these.
    for figure in changed:
        values = {field: getattr(figure, field) for field in [*FIELDS, "level_rank"]}
        SalaryFigure.objects.filter(pk=figure.pk).update(**values)
    result.created, result.updated = len(new), len(changed)
    result.warnings = written_salary_warnings(
        [*existing.values(), *new], written=[*new, *changed], titles=titles
    )
    if new or changed:
        # A career form opened before the import would write its old figures back: as for any
        # save in between, it now stops and says the career changed.
        added = Counter(figure.career_id for figure in new)
        updated = Counter(figure.career_id for figure in changed)
        careers_touched(
            user=user,
            changes={
                pk: "Imported salary figures from a CSV file: "
                f"{added[pk]} added, {updated[pk]} updated."
                for pk in added | updated
            },
        )
    return result
