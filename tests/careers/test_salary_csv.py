"""Editors refresh salary figures through a spreadsheet: export CSV, edit, import."""

import csv
import io
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careers import salary_csv
from careers.admin.salaries import SalaryImportForm
from careers.models import Career, SalaryFigure
from tests.factories import CareerFactory, SalaryFigureFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:careers_salaryfigure_import")
EXPORT = reverse("admin:careers_salaryfigure_export")
HEADER = "career,country,level,year,median,p25,p75,currency,is_estimate,source_name,source_url"


def upload(client, text, name="figures.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, "text/csv")})


def problems(response):
    return response.context["problems"]


@pytest.fixture
def career():
    return CareerFactory(slug="ai-ml-engineer", title="AI / ML Engineer")


def test_an_import_adds_new_figures_and_updates_known_ones(client_as_staff, career):
    known = SalaryFigureFactory(
        career=career, country="US", level="mid", year=2026, median=150000, currency="USD"
    )
    text = "\n".join(
        [
            HEADER,
            'ai-ml-engineer,US,mid,2026,"155,000",130000,180000,USD,yes,Levels.fyi,levels.fyi',
            "ai-ml-engineer,gb,Senior,2026,95 000,,,gbp,no,ONS,",
        ]
    )
    response = upload(client_as_staff, text)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported the file: 1 figure added, 1 updated, 0 already as in the file."]
    known.refresh_from_db()
    assert (known.median, known.p25, known.p75) == (155000, 130000, 180000)
    assert known.source_url == "https://levels.fyi"
    added = SalaryFigure.objects.get(career=career, country="GB")
    assert (added.level, added.median, added.currency, added.is_estimate) == (
        "senior",
        95000,
        "GBP",
        False,
    )
    assert added.level_rank == SalaryFigure.LEVEL_RANKS["senior"]  # sorts as a saved one does


def test_the_career_page_shows_imported_figures_at_once(client_as_staff, client, career):
    from django.test import Client

    visitor = Client()
    visitor.get(career.get_absolute_url())  # cached for visitors
    upload(client_as_staff, f"{HEADER}\nai-ml-engineer,US,lead,2026,271828,,,USD,yes,Survey,")
    assert "271,828" in visitor.get(career.get_absolute_url()).content.decode()


def test_a_file_with_any_bad_row_saves_nothing_and_names_every_problem(client_as_staff, career):
    text = "\n".join(
        [
            HEADER,
            "ai-ml-engineer,US,mid,2026,150000,,,USD,yes,Survey,",  # fine, but not saved
            "ai-ml-enginer,US,mid,2026,150000,,,USD,yes,Survey,",
            "ai-ml-engineer,USA,junior,2026,150000.50,,,dollars,maybe,,",
            "ai-ml-engineer,US,entry,2026,100000,120000,90000,USD,yes,Survey,",
            "ai-ml-engineer,US,mid,2026,150000,,,USD,yes,Survey,",
        ]
    )
    response = upload(client_as_staff, text)
    assert response.status_code == 200
    assert SalaryFigure.objects.count() == 0
    found = problems(response)
    assert "Line 3: career: No career has the slug “ai-ml-enginer”." in found
    assert "Line 4: country: Use an ISO code like US, GB or DE." in found
    assert "Line 4: level: “junior” is not a level: use entry, mid, senior or lead." in found
    assert "Line 4: median: Enter a whole number, without decimals or currency." in found
    assert "Line 4: currency: Use an ISO code like USD, GBP or EUR." in found
    assert "Line 4: is_estimate: Write yes or no." in found
    assert "Line 4: source_name: This field is required." in found
    assert "Line 5: p25: P25 must not be above the median." in found
    assert "Line 5: p75: P75 must not be below the median." in found
    assert "Line 6: the same career, country, level and year as line 2." in found
    html = response.content.decode()
    assert "Nothing was saved." in html and "Line 3: career" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (HEADER.encode(), "The file has a header row but no figures."),
        ("career,country,level,year,medain,currency,source_name\n", "Unknown columns: medain."),
        ("career,country\nai-ml-engineer,US\n", "Missing columns: currency, level, median"),
        (f"{HEADER},Median\n", "Columns named twice: median."),
        ("caf\u00e9,US".encode("latin-1"), "The file is not UTF-8 text."),
        (b"career\x00,country\n", "The file holds binary data"),
        ("\n\n", "The file is empty: it needs a header row"),
        (f'{HEADER}\nai-ml-engineer,US,mid,2026,1,,,USD,yes,"unclosed\n'.encode(), "Line"),
        (f"{HEADER}\nai-ml-engineer,US,mid,2026,1,,,USD,yes,S,,extra\n", "more cells than"),
    ],
)
def test_a_file_that_is_not_a_usable_csv_gets_a_clear_message(
    client_as_staff, career, content, message
):
    response = upload(client_as_staff, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SalaryFigure.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("figures.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", "a workbook"),
        ("figures.ods", b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetype", "a workbook"),
        ("figures.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an Excel 97-2003 workbook"),
        ("figures.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "an image"),
    ],
)
def test_a_workbook_or_other_document_is_named_for_what_it_is(
    client_as_staff, career, name, content, kind
):
    """The spreadsheet itself, picked instead of the CSV saved from it, was refused as text in
    another encoding ("Excel's plain CSV saves é or € in Windows-1252"), which is not what is
    wrong with it."""
    response = upload(client_as_staff, content, name=name)
    assert problems(response) == [
        f"“{name}” is {kind}, not a CSV file. Open it in your spreadsheet, save it as "
        "“CSV UTF-8” with Save As, and upload that file."
    ]
    assert not SalaryFigure.objects.exists()


def test_an_oversized_or_overlong_file_is_refused(client_as_staff, career, monkeypatch):
    monkeypatch.setattr(salary_csv, "MAX_ROWS", 3)
    rows = [f"ai-ml-engineer,US,mid,{2000 + n},1000,,,USD,yes,S," for n in range(4)]
    response = upload(client_as_staff, "\n".join([HEADER, *rows]))
    assert problems(response) == ["The file has more than 3 rows; split it in parts."]
    monkeypatch.setattr(salary_csv, "MAX_BYTES", 100)
    response = upload(client_as_staff, "\n".join([HEADER, *rows[:1]]) + " " * 100)
    assert problems(response) == ["The file is larger than 0 KiB; split it in parts."]
    assert SalaryFigure.objects.count() == 0


def test_a_first_line_too_long_to_be_a_header_is_refused_before_it_is_read(client_as_staff, career):
    # Quote after separator, over and over: csv.Sniffer took 34 s on 64,000 characters of it,
    # and hours on a file of one 1 MiB line, while the worker answered nobody else.
    hostile = ',"' * 3000 + "\nai-ml-engineer,US,mid,2026,1000,,,USD,yes,S,\n"
    response = upload(client_as_staff, hostile)
    assert response.status_code == 200
    assert problems(response) == [
        "The first line has 6,000 characters: it should be the header row, naming the columns "
        f"({HEADER.replace(',', ', ')}). Check that the file is the CSV saved from your "
        "spreadsheet."
    ]
    assert SalaryFigure.objects.count() == 0


def test_an_export_imported_again_changes_nothing(client_as_staff, career):
    SalaryFigureFactory(career=career, country="US", level="mid", year=2026, p25=None)
    SalaryFigureFactory(
        career=career, country="DE", level="lead", year=2025, source_name="=HYPERLINK(1)"
    )
    exported = client_as_staff.get(EXPORT)
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="salary-figures.csv"' in exported["Content-Disposition"]
    text = exported.getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["country"] for r in rows] == ["DE", "US"]
    assert rows[0]["source_name"] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    before = list(SalaryFigure.objects.values())
    response = upload(client_as_staff, text)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported the file: 0 figures added, 0 updated, 2 already as in the file."]
    assert list(SalaryFigure.objects.values()) == before


def test_a_large_export_is_one_query_sent_in_pieces(
    client_as_staff, career, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(salary_csv, "EXPORT_CHUNK_ROWS", 2)
    for year in range(2020, 2025):
        SalaryFigureFactory(career=career, country="US", level="mid", year=year)
    response = client_as_staff.get(EXPORT)
    assert response.streaming
    with django_assert_num_queries(1):  # the figures, read as they are sent
        pieces = [piece.decode() for piece in response.streaming_content]
    assert len(pieces) == 3  # the header and 2 rows, 2 rows, the last row
    rows = list(csv.DictReader(io.StringIO("".join(pieces))))
    assert [r["year"] for r in rows] == ["2024", "2023", "2022", "2021", "2020"]


def test_the_selected_figures_export_as_csv(client_as_staff, career):
    chosen = SalaryFigureFactory(career=career, country="US", level="mid", year=2026)
    SalaryFigureFactory(career=career, country="GB", level="mid", year=2026)
    response = client_as_staff.post(
        reverse("admin:careers_salaryfigure_changelist"),
        {"action": "export_selected_csv", "_selected_action": [chosen.pk]},
    )
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [(r["career"], r["country"]) for r in rows] == [("ai-ml-engineer", "US")]


def test_an_import_makes_an_open_career_form_stop_before_writing_old_figures_back(
    client_as_staff, career
):
    before = Career.objects.get(pk=career.pk).updated_at
    upload(client_as_staff, f"{HEADER}\nai-ml-engineer,US,lead,2026,200000,,,USD,yes,Survey,")
    assert Career.objects.get(pk=career.pk).updated_at > before


@pytest.mark.parametrize("rows", [2, 20])
def test_an_import_takes_a_few_queries_and_one_per_changed_figure(
    client_as_staff, career, django_assert_num_queries, rows
):
    lines = [f"ai-ml-engineer,US,mid,{2000 + n},1000,,,USD,yes,S," for n in range(rows)]
    upload(client_as_staff, "\n".join([HEADER, *lines[: rows // 2]]))  # half known already
    changed = rows // 2
    # session, user, careers' slugs, their former slugs; in a transaction: the figures
    # (locked), one insert for all the new ones, one update per changed figure, the careers
    # touched, their titles and one insert of their history (4 + 7 + changed); the success
    # message goes in a cookie
    with django_assert_num_queries(11 + changed):
        upload(
            client_as_staff,
            "\n".join([HEADER, *[line.replace(",1000,", ",2000,") for line in lines]]),
        )
    assert SalaryFigure.objects.filter(median=2000).count() == rows


def test_the_import_needs_the_right_to_add_and_change_figures(client, career):
    from django.contrib.auth import get_user_model

    viewer = get_user_model().objects.create_user(
        "viewer", "viewer@example.com", "viewer-password-123", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_salaryfigure"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, f"{HEADER}\nai-ml-engineer,US,mid,2026,1,,,USD,yes,S,").status_code == 403
    assert client.get(EXPORT).status_code == 200  # seeing is enough to export
    changelist = client.get(reverse("admin:careers_salaryfigure_changelist")).content.decode()
    assert "Export all as CSV" in changelist and "Import CSV" not in changelist
    assert SalaryFigure.objects.count() == 0


def test_the_import_page_explains_the_columns(client_as_staff):
    html = client_as_staff.get(IMPORT).content.decode()
    for column in salary_csv.COLUMNS:
        assert f"<code>{column}</code>" in html
    changelist = client_as_staff.get(reverse("admin:careers_salaryfigure_changelist"))
    assert IMPORT in changelist.content.decode()


def test_a_screen_reader_reads_the_file_fields_help_with_it(client_as_staff):
    html = client_as_staff.get(IMPORT).content.decode()
    field = re.search(r'<input type="file"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    help_text = re.search(rf'<[^>]* id="{described}"[^>]*>(.*?)</', html, re.S)
    assert help_text, f"aria-describedby points at {described}, which the page lacks"
    assert unescape(help_text.group(1)).strip() == SalaryImportForm.base_fields["file"].help_text


def test_blank_lines_are_skipped_and_a_long_list_of_problems_is_cut(client_as_staff, career):
    good = "ai-ml-engineer,US,mid,2026,1000,,,USD,yes,S,"
    response = upload(client_as_staff, f"{HEADER}\n\n{good}\n,,,,,,,,,,\n")
    assert response.status_code == 302
    bad = [f"ai-ml-engineer,US,mid,{2000 + n},-5,,,USD,yes,S," for n in range(60)]
    found = problems(upload(client_as_staff, "\n".join([HEADER, *bad])))
    assert len(found) == salary_csv.MAX_PROBLEMS + 1
    assert found[-1] == "…and 10 more problems."


def test_a_file_the_database_refuses_saves_nothing_and_says_so(
    client_as_staff, career, monkeypatch
):
    from django.db import IntegrityError

    def refused(rows, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(salary_csv, "_write", refused)
    response = upload(client_as_staff, f"{HEADER}\nai-ml-engineer,US,mid,2026,1,,,USD,yes,S,")
    assert problems(response) == [
        "The database refused the file, so nothing was saved: "
        "duplicate key value violates unique constraint"
    ]


def test_staff_without_the_right_to_see_figures_cannot_export_them(client, career):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(
        "other", "other@example.com", "other-password-123", is_staff=True
    )
    client.force_login(other)
    assert client.get(EXPORT).status_code == 403


# Which career a row names


def _set_slug(client, career, slug):
    """Change a career's slug through its admin form, as an editor does."""
    from tests.careers.test_admin import assert_saved, form_data

    url = reverse("admin:careers_career_change", args=[career.pk])
    data = form_data(client.get(url))
    data["slug"] = slug
    assert_saved(client.post(url, data))


def test_an_uppercase_slug_is_saved_in_lower_case_and_its_export_imports_again(
    client_as_staff, career
):
    SalaryFigureFactory(career=career, country="DE", level="mid", year=2026)
    _set_slug(client_as_staff, career, "AI-ML-Engineer")
    assert Career.objects.get(pk=career.pk).slug == "ai-ml-engineer"
    text = client_as_staff.get(EXPORT).getvalue().decode()
    assert "\r\nai-ml-engineer,DE,mid,2026," in text
    response = upload(client_as_staff, text)
    assert response.status_code == 302


def test_a_row_never_updates_a_career_whose_slug_differs_only_in_case(client_as_staff, career):
    # A slug typed in capitals before slugs were lower-cased, and a later career that took
    # the lower-case spelling: the file names the first, so it must not land on the second.
    Career.objects.filter(pk=career.pk).update(slug="Data-Scientist")
    draft = CareerFactory(slug="data-scientist", status=Career.Status.DRAFT)
    response = upload(client_as_staff, f"{HEADER}\nData-Scientist,DE,mid,2026,60000,,,EUR,yes,S,")
    assert response.status_code == 302
    assert career.salary_figures.count() == 1
    assert draft.salary_figures.count() == 0
    response = upload(client_as_staff, f"{HEADER}\nDATA-SCIENTIST,DE,mid,2026,60000,,,EUR,yes,S,")
    assert problems(response) == [
        "Line 2: career: “DATA-SCIENTIST” could be “Data-Scientist” or “data-scientist”, slugs "
        "that differ only in case: write the slug exactly as the career you mean has it."
    ]


def test_a_row_naming_a_former_slug_updates_the_renamed_career(client_as_staff, career):
    figure = SalaryFigureFactory(
        career=career, country="DE", currency="EUR", level="mid", year=2026, median=1
    )
    text = client_as_staff.get(EXPORT).getvalue().decode().replace(",1,", ",65000,")
    _set_slug(client_as_staff, career, "machine-learning-engineer")

    response = upload(client_as_staff, text)

    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.median == 65000
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == (
        "Rows naming a career by a slug it had before were saved to that career: "
        "ai-ml-engineer is now machine-learning-engineer."
    )


def test_a_capitalised_slug_imports_into_the_career_it_names(client_as_staff, career):
    # Spreadsheets capitalise a cell's first letter; slugs are unique whatever their case.
    other = CareerFactory(slug="cloud-platform-engineer")
    text = "\n".join(
        [
            HEADER,
            "Cloud-Platform-Engineer,DE,mid,2030,70000,,,EUR,yes,S,",
            "AI-ML-ENGINEER,DE,mid,2030,80000,,,EUR,yes,S,",
        ]
    )
    response = upload(client_as_staff, text)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported the file: 2 figures added, 0 updated, 0 already as in the file."]
    assert other.salary_figures.get().median == 70000
    assert career.salary_figures.get().median == 80000


def test_a_capitalised_former_slug_imports_into_the_renamed_career(client_as_staff, career):
    _set_slug(client_as_staff, career, "machine-learning-engineer")
    CareerFactory(slug="data-engineer")
    response = upload(client_as_staff, f"{HEADER}\nAi-Ml-Engineer,DE,mid,2030,1,,,EUR,yes,S,")
    assert response.status_code == 302
    assert career.salary_figures.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == (
        "Rows naming a career by a slug it had before were saved to that career: "
        "ai-ml-engineer is now machine-learning-engineer."
    )


def test_a_current_slug_wins_over_a_former_one_whatever_the_case(client_as_staff, career):
    _set_slug(client_as_staff, career, "machine-learning-engineer")
    # Another career took the old slug: a row naming it means that career, as its address does.
    now = CareerFactory(slug="ai-ml-engineer")
    response = upload(client_as_staff, f"{HEADER}\nAI-ML-Engineer,DE,mid,2030,1,,,EUR,yes,S,")
    assert response.status_code == 302
    assert now.salary_figures.count() == 1
    assert career.salary_figures.count() == 0


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("99999999999999999999999,,", "median: Ensure this value is less than or equal to"),
        ("9223372036854775808,,", "median: Ensure this value is less than or equal to"),
        ("2147483648,,", "median: Ensure this value is less than or equal to 2147483647."),
        ("1000,,2147483648", "p75: Ensure this value is less than or equal to 2147483647."),
    ],
)
def test_an_amount_past_what_the_database_holds_is_a_line_problem(
    client_as_staff, career, cells, message
):
    response = upload(client_as_staff, f"{HEADER}\nai-ml-engineer,DE,entry,2026,{cells},EUR,yes,x,")
    assert response.status_code == 200
    assert any(p.startswith(f"Line 2: {message}") for p in problems(response))
    assert SalaryFigure.objects.count() == 0


def test_the_largest_amount_the_database_holds_is_imported(client_as_staff, career):
    response = upload(
        client_as_staff, f"{HEADER}\nai-ml-engineer,DE,entry,2026,2147483647,,,EUR,yes,x,"
    )
    assert response.status_code == 302
    assert SalaryFigure.objects.get().median == 2_147_483_647


@pytest.mark.parametrize(
    ("codenames", "offered"),
    [
        (["view_salaryfigure", "add_salaryfigure"], False),
        (["view_salaryfigure", "change_salaryfigure"], False),
        (["view_salaryfigure", "add_salaryfigure", "change_salaryfigure"], True),
    ],
)
def test_the_import_link_is_shown_only_to_who_may_import(client, career, codenames, offered):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user(
        "figures", "figures@example.com", "figures-password-123", is_staff=True
    )
    editor.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(editor)
    changelist = client.get(reverse("admin:careers_salaryfigure_changelist")).content.decode()
    assert ("Import CSV" in changelist) is offered
    assert client.get(IMPORT).status_code == (200 if offered else 403)


def test_a_semicolon_separated_file_from_a_european_spreadsheet_is_read(client_as_staff, career):
    text = "\r\n".join(
        [
            HEADER.replace(",", ";"),
            'ai-ml-engineer;DE;mid;2026;65000;;;EUR;yes;"Stepstone; Gehaltsreport";',
        ]
    )
    response = upload(client_as_staff, text)
    assert response.status_code == 302
    figure = SalaryFigure.objects.get()
    assert (figure.country, figure.median, figure.source_name) == (
        "DE",
        65000,
        "Stepstone; Gehaltsreport",
    )


# Amounts in a semicolon-separated file, where the comma is the decimal mark

SEMICOLON_HEADER = HEADER.replace(",", ";")


@pytest.mark.parametrize(
    "median",
    ["54000", "54000,00", "54000,0", "54.000,00", "54 000,00", "54\u00a0000,00", "54.000"],
)
def test_a_semicolon_file_reads_a_whole_amount_written_with_a_decimal_comma(
    client_as_staff, career, median
):
    row = f"ai-ml-engineer;DE;entry;2027;{median};48000,00;60.000,00;EUR;yes;Destatis;"
    response = upload(client_as_staff, f"{SEMICOLON_HEADER}\r\n{row}")
    assert response.status_code == 302
    figure = SalaryFigure.objects.get()
    assert (figure.median, figure.p25, figure.p75) == (54000, 48000, 60000)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        # As German or French Excel saves a cell formatted with two decimals: never 5,400,050.
        (
            "54000,50;48000,00;60000,00",
            "Line 2: median: Enter a whole amount: “54000,50” has decimals",
        ),
        ("54000;48000,5;", "Line 2: p25: Enter a whole amount: “48000,5” has decimals"),
        # A thousands comma in a file whose comma is the decimal mark: never read as 54.
        ("54,000;;", "Line 2: median: Enter a whole amount: “54,000” has decimals"),
        ("54000.50;;", "Line 2: median: Enter a whole number, without decimals or currency."),
        ("1,000,000;;", "Line 2: median: Enter a whole number, without decimals or currency."),
        ("54000,;;", "Line 2: median: Enter a whole number, without decimals or currency."),
    ],
)
def test_a_semicolon_file_refuses_an_amount_with_decimals_and_saves_nothing(
    client_as_staff, career, cells, message
):
    row = f'ai-ml-engineer;DE;entry;2027;{cells};EUR;yes;"Destatis; Schätzung";'
    response = upload(client_as_staff, f"{SEMICOLON_HEADER}\r\n{row}")
    assert response.status_code == 200
    assert any(p.startswith(message) for p in problems(response)), problems(response)
    assert "Nothing was saved." in response.content.decode()
    assert SalaryFigure.objects.count() == 0


@pytest.mark.parametrize("median", ['"54,000"', "54 000", "54000"])
def test_a_comma_file_still_reads_a_thousands_comma(client_as_staff, career, median):
    row = f"ai-ml-engineer,DE,entry,2027,{median},,,EUR,yes,Destatis,"
    assert upload(client_as_staff, f"{HEADER}\n{row}").status_code == 302
    assert SalaryFigure.objects.get().median == 54000


def test_a_comma_file_still_refuses_a_decimal_point(client_as_staff, career):
    row = "ai-ml-engineer,DE,entry,2027,54000.50,,,EUR,yes,Destatis,"
    response = upload(client_as_staff, f"{HEADER}\n{row}")
    assert problems(response) == [
        "Line 2: median: Enter a whole number, without decimals or currency."
    ]


# Countries and currencies


def test_an_unknown_country_or_currency_is_a_line_problem(client_as_staff, career):
    text = "\n".join(
        [
            HEADER,
            "ai-ml-engineer,ZZ,entry,2026,5,,,QQQ,yes,x,",
            "ai-ml-engineer,uk,entry,2026,5,,,gbp,yes,x,",
            "ai-ml-engineer,DE,entry,2026,5,,,XAU,yes,x,",
        ]
    )
    response = upload(client_as_staff, text)
    assert problems(response) == [
        "Line 2: country: “ZZ” is not a country code: use an ISO 3166 code like US, GB or DE.",
        "Line 2: currency: “QQQ” is not a currency code: use an ISO 4217 code like USD, EUR "
        "or GBP.",
        "Line 3: country: “UK” is not a country code: use an ISO 3166 code like US, GB or DE.",
        "Line 4: currency: “XAU” is not a currency code: use an ISO 4217 code like USD, EUR "
        "or GBP.",
    ]
    assert SalaryFigure.objects.count() == 0


def _mixed(line, country="Germany (DE)", used="EUR"):
    return (
        f"Line {line}: currency: This career's other figures for {country} are in {used}: use "
        f"{used}, or change all of them at once with the salary figure list's action “Change "
        "the currency of the selected figures” (a country's figures make one chart)."
    )


def test_a_row_giving_a_country_a_second_currency_is_a_line_problem(client_as_staff, career):
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="lead", year=2026)
    other = CareerFactory(slug="data-engineer")
    text = "\n".join(
        [
            HEADER,
            "ai-ml-engineer,DE,entry,2026,50000,,,USD,yes,x,",  # the site's DE figure is in EUR
            "ai-ml-engineer,DE,mid,2026,60000,,,EUR,yes,x,",
            "data-engineer,GB,entry,2026,40000,,,GBP,yes,x,",
            "data-engineer,GB,mid,2026,50000,,,EUR,yes,x,",  # line 4 is in GBP
            "data-engineer,DE,mid,2026,50000,,,USD,yes,x,",  # another career: its own choice
        ]
    )
    response = upload(client_as_staff, text)
    assert problems(response) == [_mixed(2), _mixed(5, "United Kingdom (GB)", "GBP")]
    assert SalaryFigure.objects.count() == 1
    assert other.salary_figures.count() == 0


def test_a_file_may_change_all_of_a_countrys_figures_to_another_currency(client_as_staff, career):
    for level in ("entry", "mid"):
        SalaryFigureFactory(career=career, country="DE", currency="EUR", level=level, year=2026)
    text = client_as_staff.get(EXPORT).getvalue().decode()
    half = text.replace(",EUR,", ",CHF,", 1)
    assert problems(upload(client_as_staff, half)) == [_mixed(3, used="CHF")]
    response = upload(client_as_staff, text.replace(",EUR,", ",CHF,"))
    assert response.status_code == 302
    assert set(SalaryFigure.objects.values_list("currency", flat=True)) == {"CHF"}


# Files as spreadsheets in other languages save them.
SOURCE = "Gehaltsreport Straße € é"


def test_excels_unicode_text_file_utf16_with_tabs_imports_with_its_accents(client_as_staff, career):
    rows = [HEADER, f"ai-ml-engineer,DE,mid,2026,54000,,,EUR,yes,{SOURCE},"]
    text = "\r\n".join(row.replace(",", "\t") for row in rows) + "\r\n"
    response = upload(client_as_staff, text, name="figures.txt", encoding="utf-16")
    assert response.status_code == 302
    figure = SalaryFigure.objects.get()
    assert (figure.median, figure.currency, figure.source_name) == (54000, "EUR", SOURCE)


def test_a_tab_separated_utf8_file_imports(client_as_staff, career):
    rows = [HEADER, "ai-ml-engineer,US,mid,2026,150000,,,USD,yes,Survey,"]
    upload(client_as_staff, "\n".join(row.replace(",", "\t") for row in rows))
    assert SalaryFigure.objects.get().median == 150000


def test_a_windows_1252_file_is_refused_naming_the_line_and_saves_nothing(client_as_staff, career):
    text = f"{HEADER}\r\nai-ml-engineer,DE,mid,2026,54000,,,EUR,yes,{SOURCE},\r\n"
    response = upload(client_as_staff, text, encoding="cp1252")
    assert response.status_code == 200
    assert problems(response) == [
        "The file is not UTF-8 text. Line 2 has a character written in another encoding "
        "(Excel's plain “CSV” saves é or € in Windows-1252). Save it from your spreadsheet as "
        "“CSV UTF-8” and upload it again."
    ]
    assert not SalaryFigure.objects.exists()


def test_a_comma_file_refuses_an_amount_grouped_with_a_dot(client_as_staff, career):
    """ "54.000" in a comma-separated file was imported as a median of 54."""
    row = "ai-ml-engineer,DE,entry,2027,54.000,,,EUR,yes,Destatis,"
    response = upload(client_as_staff, f"{HEADER}\n{row}")
    assert problems(response) == [
        "Line 2: median: “54.000” could be 54000 or a number with decimals: enter the whole "
        "amount without a dot, such as 54000."
    ]
    assert SalaryFigure.objects.count() == 0
