"""The admin as editors use it: real GETs and POSTs of the change forms, inlines included."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.models import Career, Employer, FormerSlug, SalaryFigure
from certifications.models import Certification, Provider, RoadmapStep
from tests.careers.test_images import image_bytes
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    EmployerFactory,
    FAQFactory,
    HiringFactory,
    ProviderFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response):
    """The POST an unchanged admin change form would send: main form, inlines, management."""
    data = {}

    def put(form):
        for field in form:
            value = field.value()
            if value is None or isinstance(value, FieldFile) or hasattr(value, "read"):
                continue  # empty, or a file: re-sent only when replaced
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


def add_rows(data, prefix, rows):
    """Append new inline rows the way the admin's "Add another" does."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def assert_saved(response):
    if response.status_code != 302:
        context = response.context
        errors = [context["adminform"].form.errors] + [
            (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
            for i in context["inline_admin_formsets"]
        ]
        pytest.fail(f"form not saved: {errors}")


# Who may enter


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/careers/career/",
        "/admin/careers/career/add/",
        "/admin/certifications/certification/",
        "/admin/careers/employer/",
    ],
)
def test_anonymous_visitor_is_sent_to_a_login_page(client, settings, url):
    response = client.get(url)
    assert response.status_code == 302
    # The site-wide login (LoginRequiredMiddleware) or the admin's own: both ask to sign in.
    login_urls = ("/admin/login/", resolve_url(settings.LOGIN_URL))
    assert response["Location"].startswith(login_urls)
    assert f"next={url}" in response["Location"]


def test_signed_in_learner_without_staff_flag_is_refused(client_as_learner):
    response = client_as_learner.get("/admin/careers/career/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_the_admin_is_signed_into_through_the_sites_rate_limited_sign_in(client, staff):
    response = client.get("/admin/login/?next=/admin/careers/career/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    # The admin's own form, which counts no failures, no longer checks a password at all.
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "editor-password-123"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_guessing_an_editors_password_is_stopped_at_the_limit(client, staff):
    wrong = {"login": "editor@example.com", "password": "a-wrong-guess-123"}
    for _ in range(5):
        client.post(reverse("account_login"), wrong)
    right = {"login": "editor@example.com", "password": "editor-password-123"}
    response = client.post(reverse("account_login"), right)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_editor_signs_in_and_lands_on_the_admin_page_asked_for(client, staff):
    sign_in = client.get("/admin/careers/career/", follow=True).redirect_chain[-1][0]
    assert sign_in.startswith(reverse("account_login"))
    response = client.post(
        sign_in, {"login": "editor@example.com", "password": "editor-password-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/careers/career/"
    assert response.status_code == 200


def test_learner_cannot_publish_through_the_action_url(client_as_learner):
    career = CareerFactory(status=Career.Status.DRAFT)
    response = client_as_learner.post(
        admin_url(Career, "changelist"), {"action": "publish", "_selected_action": [career.pk]}
    )
    assert response.status_code == 302
    career.refresh_from_db()
    assert career.status == Career.Status.DRAFT


@pytest.fixture
def some_content():
    """One of everything, so every changelist column and change form has a row to show."""
    career = CareerFactory(title="Data Engineer")
    ResponsibilityFactory(career=career)
    DayInTheLifeEntryFactory(career=career)
    FAQFactory(career=career)
    SalaryFigureFactory(career=career)
    HiringFactory(career=career)
    retired = CertificationFactory(status="retired")
    step = RoadmapStepFactory(career=career, certification=retired)
    retired.successor = CertificationFactory()
    retired.save()
    return [career, step.certification.provider, retired, step, career.salary_figures.first()]


def test_staff_can_open_every_changelist_add_and_change_page(client_as_staff, staff, some_content):
    request = RequestFactory().get("/admin/")
    request.user = staff
    objects = {type(obj): obj for obj in some_content}
    objects[Employer] = Employer.objects.first()
    for model, model_admin in admin.site._registry.items():
        for query in ["", "?q=data"]:
            response = client_as_staff.get(admin_url(model, "changelist") + query)
            assert response.status_code == 200, (model, query)
        if model_admin.has_add_permission(request):
            assert client_as_staff.get(admin_url(model, "add")).status_code == 200, model
        if model in objects:
            url = admin_url(model, "change", objects[model].pk)
            assert client_as_staff.get(url).status_code == 200, model


def assert_left_out(client, model, parameter, said):
    """`model`'s list, asked with `parameter` and a search, shows with the search alone and
    says `said`."""
    url = f"{admin_url(model, 'changelist')}?{parameter}&q=x"
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    assert response.redirect_chain[0][0].endswith("?q=x"), url  # the other filters stay
    assert said in response.content.decode(), url


@pytest.mark.parametrize(
    "part, value",
    [("year", "0"), ("year", "10000"), ("year", "99999"), ("month", "13"), ("day", "32")],
)
def test_a_date_part_out_of_range_in_any_changelist_is_a_message(client_as_staff, part, value):
    """Each registered admin, on each of its model's date fields: `?<field>__year=99999` was a
    server error (year is out of range) for anyone who may view the list."""
    from django.db import models

    CareerFactory()
    checked = []
    for model in admin.site._registry:
        dated = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateField)  # DateTimeField included
        ]
        for name in dated:
            said = f"A date in the address is out of range ({name}__{part}={value})"
            assert_left_out(client_as_staff, model, f"{name}__{part}={value}", said)
            checked.append(f"{model.__name__}.{name}")
    assert {"Career.updated_at", "Employer.updated_at", "Certification.reviewed_on"} <= set(checked)
    assert "CertificationProgress.passed_on" in checked


def test_a_date_part_in_range_still_filters_the_changelist(
    client_as_staff, clock_away_from_midnight
):
    CareerFactory(title="This year")
    year = timezone.now().year
    response = client_as_staff.get(admin_url(Career, "changelist") + f"?updated_at__year={year}")
    assert response.status_code == 200 and "This year" in response.content.decode()
    earlier = client_as_staff.get(admin_url(Career, "changelist") + f"?updated_at__year={year - 1}")
    assert "This year" not in earlier.content.decode()


def _add_content(count):
    for _ in range(count):
        career = CareerFactory()
        SalaryFigureFactory(career=career)
        HiringFactory(career=career)
        cert = CertificationFactory(successor=CertificationFactory())
        cert.prerequisites.add(CertificationFactory())
        RoadmapStepFactory(career=career, certification=cert)


# Every list: session, user, COUNT once (unsearched and unfiltered, the rows shown are the
# whole table: careerportal.admin_counts), the page of rows with its joins and annotations,
# then what list_filter offers to choose from.
CHANGELIST_QUERIES = {
    Career: 5,  # + the categories
    Employer: 4,  # COUNT and rows with each employer's career count
    # Rows with their career, + the countries, years and currencies, + the careers the
    # career filter lists (its field works without JavaScript).
    SalaryFigure: 8,
    Certification: 4,  # rows with provider, successor and roadmap step count
    Provider: 4,  # rows with each provider's certification count
    RoadmapStep: 4,  # rows with career, certification and provider
    FormerSlug: 5,  # + the kinds of page (careers.career, ...)
}


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize("model", CHANGELIST_QUERIES)
def test_changelist_takes_a_fixed_number_of_queries_however_many_rows(
    client_as_staff, django_assert_num_queries, model, rows
):
    _add_content(rows)
    for career in Career.objects.all():
        FormerSlug.objects.create(
            model="careers.career", slug=f"was-{career.slug}", target_id=career.pk
        )
    client_as_staff.get(admin_url(model, "changelist"))  # Django caches content types on the first
    # No per-row query from a column: see CHANGELIST_QUERIES for what each list reads.
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = client_as_staff.get(admin_url(model, "changelist"))
    assert response.context["cl"].result_count == model.objects.count() >= rows


def test_a_list_counts_its_rows_once_and_still_says_the_total_under_a_search(
    client_as_staff, django_assert_num_queries
):
    for title in ("Data Engineer", "Data Analyst", "Cloud Architect"):
        CareerFactory(title=title)
    url = admin_url(Career, "changelist")
    client_as_staff.get(url)  # Django caches content types on the first

    # session, user, one COUNT (the rows shown are every row), the rows, the categories
    with django_assert_num_queries(5):
        page = client_as_staff.get(url).content.decode()
    assert "0 of 3 selected" in page and 'name="action"' in page
    # Searched, the list counts the rows found and every row, as Django does.
    with django_assert_num_queries(6):
        page = client_as_staff.get(url, {"q": "architect"}).content.decode()
    assert "1 result (<a href=" in page and "3 total</a>)" in page

    Career.objects.all().delete()
    assert 'name="action"' not in client_as_staff.get(url).content.decode()  # nothing to act on


@pytest.mark.parametrize(
    "lookup, value", [("regex", "("), ("iregex", "[a"), ("regex", "a{99999}"), ("range", "1")]
)
def test_a_pattern_or_a_one_ended_range_in_any_changelist_is_a_message(
    client_as_staff, lookup, value
):
    """Each registered admin, on its id and a text field: `?title__regex=(` failed the list's
    query with a server error (SQLite and PostgreSQL alike), as did `?id__range=1`."""
    from django.db import models

    CareerFactory()
    checked = []
    for model in admin.site._registry:
        # A password may not be filtered by at all: Django's 400 stays (as for learners' notes).
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField) and f.name != "password"
        ]
        name = texts[0] if lookup != "range" and texts else model._meta.pk.name
        said = f"A filter in the address cannot be used ({name}__{lookup}={value})"
        assert_left_out(client_as_staff, model, f"{name}__{lookup}={value}", said)
        checked.append(f"{model.__name__}.{name}")
    if lookup != "range":
        assert {"Career.title", "Certification.name", "SalaryFigure.country"} <= set(checked)


TOO_LARGE = "99999999999999999999"  # past 2**64


def test_a_number_too_large_for_any_id_in_any_changelist_is_a_message(client_as_staff):
    """Each registered admin, on its id and each of its model's keys: `?career=<past 2**63>` or
    `?id__in=1,<past 2**63>` (an id pasted wrong) failed the list with a server error on
    SQLite, as did the salary figure list's career filter."""
    from django.db import models

    CareerFactory()
    checked = []
    for model in admin.site._registry:
        keys = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        pk = model._meta.pk.name
        for parameter in [f"{pk}__in=1,{TOO_LARGE}", *(f"{key}={TOO_LARGE}" for key in keys)]:
            said = f"A number in the address is too large for any row to have ({parameter})"
            assert_left_out(client_as_staff, model, parameter, said)
            checked.append(f"{model.__name__}.{parameter.partition('=')[0]}")
    parameter = f"career__id__exact={TOO_LARGE}"
    assert_left_out(client_as_staff, SalaryFigure, parameter, f"to have ({parameter})")
    assert {"SalaryFigure.career", "RoadmapStep.certification", "Career.id__in"} <= set(checked)
    assert {"CertificationProgress.user", "Certification.successor"} <= set(checked)


def test_a_large_id_that_fits_still_filters_the_changelist(client_as_staff):
    career = CareerFactory()
    SalaryFigureFactory(career=career)
    url = admin_url(SalaryFigure, "changelist")
    for value, listed in ((career.pk, 1), (2**63 - 1, 0), (-(2**63), 0)):
        response = client_as_staff.get(f"{url}?career__id__exact={value}")
        assert response.status_code == 200
        assert response.context["cl"].result_count == listed


# A page's History: 1 session, 2 user, 3 the row (a figure's or a step's joined with the
# career, and the step's exam, its title names), 4 COUNT of its entries, 5 the entries with
# their editors. However many entries and editors.
HISTORY_QUERIES = [
    (CareerFactory, 5),
    (CertificationFactory, 5),
    (EmployerFactory, 5),
    (ProviderFactory, 5),
    (SalaryFigureFactory, 5),
    (RoadmapStepFactory, 5),
]


@pytest.mark.parametrize("entries", [1, 25])
@pytest.mark.parametrize(("make", "queries"), HISTORY_QUERIES)
def test_a_history_page_takes_a_fixed_number_of_queries_however_many_entries(
    client_as_staff, django_assert_num_queries, make, queries, entries
):
    from django.contrib.admin.models import CHANGE, LogEntry

    row = make()
    for n in range(entries):  # each by another editor
        editor = get_user_model().objects.create_user(f"editor{n}", is_staff=True)
        LogEntry.objects.log_actions(editor.pk, [row], CHANGE, change_message="Changed Title.")
    url = admin_url(type(row), "history", row.pk)
    client_as_staff.get(url)  # Django caches content types on the first
    with django_assert_num_queries(queries):
        html = client_as_staff.get(url).content.decode()
    assert html.count("Changed Title.") == entries and f"editor{entries - 1}" in html


def _employer_hiring_for(rows):
    employer = EmployerFactory()
    for _ in range(rows):
        HiringFactory(employer=employer)
    return employer


def _a_figure(rows):
    _add_content(rows)
    return SalaryFigure.objects.first()


def _a_former_slug(rows):
    for n in range(rows):
        FormerSlug.objects.create(model="careers.career", slug=f"was-{n}", target_id=n + 1)
    return FormerSlug.objects.first()


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize(
    ("make", "queries"),
    [
        # 1 session, 2 user, 3 the employer with its career count, 4 its hirings with their
        # careers (the links to the careers it is listed on)
        (_employer_hiring_for, 4),
        # 1 session, 2 user, 3 the figure joined with its career (named in the title), 4 the
        # careers the career select lists, to be picked without JavaScript (up to LISTED_UP_TO)
        (_a_figure, 4),
        # 1 session, 2 user, 3 the former address
        (_a_former_slug, 3),
    ],
)
def test_edit_page_takes_a_fixed_number_of_queries_however_many_rows(
    client_as_staff, django_assert_num_queries, make, queries, rows
):
    assert_edit_page_queries(client_as_staff, django_assert_num_queries, make(rows), queries)


def assert_edit_page_queries(client, django_assert_num_queries, row, queries):
    """`row`'s admin edit page answers in `queries` queries."""
    url = admin_url(type(row), "change", row.pk)
    client.get(url)  # Django caches content types on the first
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["original"] == row


def _grow_career(career, rows):
    """Give `career` `rows` roadmap steps, hirings and salary figures (one level per year)."""
    while career.roadmap_steps.count() < rows:
        RoadmapStepFactory(career=career)
        HiringFactory(career=career)
        SalaryFigureFactory(career=career, year=2000 + career.salary_figures.count())


@pytest.mark.parametrize("rows", [1, 7])
def test_career_edit_page_takes_ten_queries_however_many_rows(
    client_as_staff, django_assert_num_queries, rows
):
    career = CareerFactory()
    _grow_career(career, rows)
    url = admin_url(Career, "change", career.pk)
    client_as_staff.get(url)  # Django caches content types on the first
    # 1 session, 2 user, 3 the career, 4 COUNT and latest year of its salary figures (for the
    # inline's title and links), 5 responsibilities, 6 roadmap steps with career and
    # certification, 7 salary figures of the latest year with career, 8 hirings with career
    # and employer, 9 day entries, 10 FAQs. Each row's autocomplete shows the certification
    # or employer its row was read with: no query per step or hiring (it was one each).
    with django_assert_num_queries(10):
        html = client_as_staff.get(url).content.decode()
    for step in career.roadmap_steps.select_related("certification"):
        certification = step.certification
        assert f'<option value="{certification.pk}" selected>{certification}</option>' in html
    for hiring in career.hirings.select_related("employer"):
        assert f'<option value="{hiring.employer.pk}" selected>{hiring.employer}</option>' in html


def test_a_form_shown_again_with_errors_keeps_the_rows_new_choices(client_as_staff):
    career = CareerFactory()
    _grow_career(career, 1)
    step, hiring = career.roadmap_steps.get(), career.hirings.get()
    other_exam, other_employer = CertificationFactory(), EmployerFactory()
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    data.update(
        {
            "title": "",  # an error: the form comes back
            "roadmap_steps-0-certification": str(other_exam.pk),
            "hirings-0-employer": str(other_employer.pk),
        }
    )
    html = client_as_staff.post(url, data).content.decode()
    assert "This field is required." in html
    assert f'<option value="{other_exam.pk}" selected>{other_exam}</option>' in html
    assert f'<option value="{other_employer.pk}" selected>{other_employer}</option>' in html
    assert f">{step.certification}</option>" not in html
    assert f">{hiring.employer}</option>" not in html


def test_career_changelist_shows_roadmap_and_salary_counts_and_a_preview_link(
    client_as_staff, some_content
):
    CareerFactory(title="Draft Analyst", slug="draft-analyst", status=Career.Status.DRAFT)
    response = client_as_staff.get(admin_url(Career, "changelist"))
    rows = {c.title: c for c in response.context["cl"].result_list}
    assert (rows["Data Engineer"].roadmap_count, rows["Data Engineer"].salary_figure_count) == (
        1,
        1,
    )
    html = response.content.decode()
    assert 'href="/careers/draft-analyst/">Preview draft</a>' in html


def test_certification_autocomplete_finds_by_exam_code(client_as_staff):
    CertificationFactory(name="Azure AI Engineer Associate", exam_code="AI-102")
    CertificationFactory(name="Something else", exam_code="XX-1")
    response = client_as_staff.get(
        "/admin/autocomplete/",
        {
            "app_label": "certifications",
            "model_name": "roadmapstep",
            "field_name": "certification",
            "term": "AI-102",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Azure AI Engineer Associate (AI-102)"
    ]


def test_employer_and_provider_lists_show_logo_or_monogram(client_as_staff):
    EmployerFactory(name="Acme", slug="acme")
    html = client_as_staff.get(admin_url(Employer, "changelist")).content.decode()
    assert '<img src="/employers/acme/monogram.png?v=' in html and 'alt="Acme logo"' in html
    ProviderFactory(name="Example Cloud")
    html = client_as_staff.get("/admin/certifications/provider/").content.decode()
    assert "Example Cloud" in html


def test_employer_form_links_the_careers_it_is_listed_on(client_as_staff):
    employer = EmployerFactory(name="Acme")
    HiringFactory(employer=employer, career=CareerFactory(title="Data Engineer"))
    draft = CareerFactory(title="Draft Analyst", status=Career.Status.DRAFT)
    HiringFactory(employer=employer, career=draft)
    html = client_as_staff.get(admin_url(Employer, "change", employer.pk)).content.decode()
    assert f'<a href="{admin_url(Career, "change", draft.pk)}">Draft Analyst</a> (draft)' in html
    assert ">Data Engineer</a>" in html


def test_names_in_admin_columns_are_escaped(client_as_staff):
    EmployerFactory(name='Evil"><script>alert(1)</script>', slug="evil")
    html = client_as_staff.get(admin_url(Employer, "changelist")).content.decode()
    assert "<script>alert(1)" not in html
    assert 'alt="Evil&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; logo"' in html


# Every inline saves through a real POST of the career change form

INLINE_ROWS = {
    "responsibilities": lambda: {"text": "Ship models to production", "position": "1"},
    "roadmap_steps": lambda: {
        "certification": str(CertificationFactory().pk),
        "phase": "foundation",
        "required": "on",
        "reason": "Covers the basics.",
        "position": "1",
    },
    "salary_figures": lambda: {
        "country": "GB",
        "currency": "GBP",
        "level": "mid",
        "median": "85000",
        "p25": "70000",
        "p75": "98000",
        "year": "2026",
        "is_estimate": "on",
        "source_name": "Example survey",
        "source_url": "https://example.com/survey",
    },
    "hirings": lambda: {"employer": str(EmployerFactory().pk), "note": "Research", "position": "1"},
    "day_entries": lambda: {
        "time_of_day": "08:30",
        "text": "Check overnight runs.",
        "position": "1",
    },
    "faqs": lambda: {"question": "Do I need a degree?", "answer": "Not always.", "position": "1"},
}


@pytest.mark.parametrize("prefix", list(INLINE_ROWS))
def test_each_inline_saves_a_new_row_through_the_change_form(client_as_staff, prefix):
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    data = add_rows(form_data(client_as_staff.get(url)), prefix, [INLINE_ROWS[prefix]()])
    assert_saved(client_as_staff.post(url, data))
    assert getattr(career, prefix).count() == 1


def test_inline_row_can_be_deleted_through_the_change_form(client_as_staff):
    career = CareerFactory(status=Career.Status.DRAFT)  # a public one keeps its last FAQ
    FAQFactory(career=career)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    data["faqs-0-DELETE"] = "on"
    assert_saved(client_as_staff.post(url, data))
    assert career.faqs.count() == 0


def test_duplicate_roadmap_certification_is_a_form_error_not_a_crash(client_as_staff):
    career = CareerFactory()
    cert = CertificationFactory()
    url = admin_url(Career, "change", career.pk)
    row = {"certification": str(cert.pk), "phase": "core", "reason": "Twice.", "position": "1"}
    data = add_rows(form_data(client_as_staff.get(url)), "roadmap_steps", [row, row])
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert _step_errors(response) == [
        {},
        {"certification": [f"{cert} is already step 1 of this roadmap: {CHOOSE_ANOTHER}"]},
    ]
    assert "Please correct the duplicate data" not in response.content.decode()
    assert career.roadmap_steps.count() == 0


CHOOSE_ANOTHER = "choose another certification or remove this row."


def _step_errors(response):
    return _inline_errors(response, "roadmap_steps")


def test_adding_a_certification_already_on_the_roadmap_names_its_step(
    client_as_staff, django_assert_num_queries
):
    career = CareerFactory(status=Career.Status.DRAFT)
    cert = CertificationFactory(name="AWS Certified Machine Learning Engineer", exam_code="MLA-C01")
    for position, step_cert in enumerate([CertificationFactory(), CertificationFactory(), cert]):
        RoadmapStepFactory(career=career, certification=step_cert, position=position + 1)
    url = admin_url(Career, "change", career.pk)
    row = {"certification": str(cert.pk), "phase": "core", "reason": "Typed with care."}
    data = add_rows(form_data(client_as_staff.get(url)), "roadmap_steps", [row])
    # session, user, a savepoint, the career (locked on PostgreSQL), its figures' count and
    # year, the slug's two checks, two choices' checks (three each), each saved step's row and
    # its certification's check and fetch (3 x 3), the new row's certification check and fetch,
    # the currencies in use, the five inlines' rows, the savepoint released: naming the step
    # costs no query (the count is the same without it).
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(32 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert _step_errors(response)[3] == {
        "certification": [
            "AWS Certified Machine Learning Engineer (MLA-C01) is already step 3 of this "
            f"roadmap: {CHOOSE_ANOTHER}"
        ]
    }
    page = response.content.decode()
    assert "Please correct the duplicate data" not in page
    assert "Typed with care." in page
    assert career.roadmap_steps.count() == 3


def _inline_errors(response, prefix):
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == prefix
    )
    return [dict(form.errors) for form in formset.forms]


def test_adding_an_employer_already_hiring_for_the_career_names_its_row(
    client_as_staff, django_assert_num_queries
):
    # Django said only "Please correct the duplicate data for employer.", naming neither.
    career = CareerFactory(status=Career.Status.DRAFT)
    acme = EmployerFactory(name="Acme Robotics")
    for position, employer in enumerate([EmployerFactory(), acme], start=1):
        HiringFactory(career=career, employer=employer, position=position)
    url = admin_url(Career, "change", career.pk)
    row = {"employer": str(acme.pk), "note": "Typed with care."}
    data = add_rows(form_data(client_as_staff.get(url)), "hirings", [row])
    locks = int(connection.features.has_select_for_update)
    # The same count without the message: naming the row costs no query.
    with django_assert_num_queries(29 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert _inline_errors(response, "hirings")[2] == {
        "employer": [
            "Acme Robotics is already row 2 of this career's employers hiring: "
            "choose another employer or remove this row."
        ]
    }
    page = response.content.decode()
    assert "Acme Robotics is already row 2 of this career&#x27;s employers hiring" in page
    assert "Please correct the duplicate data" not in page
    assert "Typed with care." in page
    assert career.hirings.count() == 2


REPEATS = {
    "responsibilities": ("text", {"text": "Train models"}, {"text": "  train  MODELS "}),
    "day_entries": (
        "text",
        {"time_of_day": "08:30", "text": "Check overnight runs."},
        {"time_of_day": "08:30", "text": "check\u00a0overnight\nruns. "},
    ),
    "faqs": (
        "question",
        {"question": "Do I need a degree?", "answer": "Not always."},
        {"question": " do i need  a DEGREE?", "answer": "Said twice."},
    ),
}


@pytest.mark.parametrize("prefix", list(REPEATS))
def test_a_row_repeating_another_of_the_career_is_refused_at_the_row(
    client, client_as_staff, django_assert_num_queries, prefix
):
    # Two FAQs of one question (or one task, or one moment of the day, twice) were both saved
    # and the page showed them twice; so were two told apart only by spaces inside them (two
    # typed, a line break, a non-breaking space pasted from a document), which a page shows
    # as one.
    field, first, again = REPEATS[prefix]
    career = CareerFactory(status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    data = add_rows(form_data(client_as_staff.get(url)), prefix, [first])
    assert_saved(client_as_staff.post(url, data))
    data = add_rows(form_data(client_as_staff.get(url)), prefix, [{**again, "position": "2"}])
    # session, user, a savepoint, the career (locked on PostgreSQL), its figures' count and
    # year, the slug's two checks, two choices' checks (three each), the currencies in use,
    # the inlines' rows (the FAQs twice), the savepoint released: the repeat costs none.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(22 + locks):
        response = client_as_staff.post(url, data)
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == prefix
    )
    assert formset.forms[1].errors[field] == [
        f"Repeats “{first[field]}” above (letter case and spaces aside): the page would show "
        "it twice. Change or remove one."
    ]
    assert getattr(career, prefix).count() == 1
    # Replacing the row with its corrected text in one save, or another time of day, is fine.
    data[f"{prefix}-0-DELETE"] = "on"
    assert_saved(client_as_staff.post(url, data))
    assert getattr(career, prefix).count() == 1
    if prefix == "day_entries":
        data = add_rows(
            form_data(client_as_staff.get(url)), prefix, [{**again, "time_of_day": "17:00"}]
        )
        assert_saved(client_as_staff.post(url, data))
        assert career.day_entries.count() == 2


def _two_rows(prefix, career):
    """Two rows of an inline, the field they differ in under the unique constraint, and
    the values of that field in rows 0 and 1 of the form."""
    if prefix == "roadmap_steps":
        rows = [RoadmapStepFactory(career=career, position=n) for n in (1, 2)]
        return rows, "certification", [str(row.certification_id) for row in rows]
    if prefix == "hirings":
        rows = [HiringFactory(career=career, position=n) for n in (1, 2)]
        return rows, "employer", [str(row.employer_id) for row in rows]
    rows = [SalaryFigureFactory(career=career, country="DE", level=lv) for lv in ("entry", "mid")]
    return rows, "level", ["entry", "mid"]


@pytest.mark.parametrize("prefix", ["roadmap_steps", "hirings", "salary_figures"])
def test_two_inline_rows_can_swap_their_unique_values_in_one_save(client_as_staff, prefix):
    career = CareerFactory()
    rows, field, values = _two_rows(prefix, career)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    by_id = {data[f"{prefix}-{i}-id"]: i for i in (0, 1)}
    first, second = by_id[str(rows[0].pk)], by_id[str(rows[1].pk)]
    data[f"{prefix}-{first}-{field}"], data[f"{prefix}-{second}-{field}"] = values[1], values[0]
    assert_saved(client_as_staff.post(url, data))
    for row, value in zip(rows, reversed(values), strict=True):
        saved = type(row).objects.get(pk=row.pk)  # the same rows, under the same ids
        assert str(getattr(saved, type(row)._meta.get_field(field).attname)) == value
    assert getattr(career, prefix).count() == 2


# Each sortable inline's rows, made in page order, and the words the career page shows for each.
SORTABLE_ROWS = {
    "responsibilities": lambda career, n: (
        ResponsibilityFactory(career=career, position=n, text=f"Duty number {n}"),
        f"Duty number {n}",
    ),
    "roadmap_steps": lambda career, n: (
        RoadmapStepFactory(
            career=career, position=n, certification=CertificationFactory(name=f"Exam {n}")
        ),
        f"Exam {n}",
    ),
    "hirings": lambda career, n: (
        HiringFactory(career=career, position=n, employer=EmployerFactory(name=f"Firm {n}")),
        f"Firm {n}",
    ),
    "day_entries": lambda career, n: (
        DayInTheLifeEntryFactory(career=career, position=n, text=f"Task number {n}"),
        f"Task number {n}",
    ),
    "faqs": lambda career, n: (
        FAQFactory(career=career, position=n, question=f"Question number {n}?"),
        f"Question number {n}?",
    ),
}


@pytest.mark.parametrize("prefix", list(SORTABLE_ROWS))
def test_a_saved_row_sent_without_its_position_keeps_its_place(client, client_as_staff, prefix):
    # The hidden position of a saved row blanked (by a script or by hand): the save failed
    # with a server error (NOT NULL). Now each row keeps the place it had.
    career = CareerFactory()
    rows = [SORTABLE_ROWS[prefix](career, n) for n in (1, 2, 3)]
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    for index in range(3):
        data[f"{prefix}-{index}-position"] = ""
    assert_saved(client_as_staff.post(url, data))
    model = type(rows[0][0])
    assert [model.objects.get(pk=row.pk).position for row, _ in rows] == [1, 2, 3]
    client_as_staff.logout()
    html = client.get(career.get_absolute_url()).content.decode()
    shown = [html.index(words) for _, words in rows]
    assert shown == sorted(shown)


def test_a_row_can_take_the_value_of_a_row_deleted_in_the_same_save(client_as_staff):
    career = CareerFactory()
    rows, _field, values = _two_rows("hirings", career)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    by_id = {data[f"hirings-{i}-id"]: i for i in (0, 1)}
    data[f"hirings-{by_id[str(rows[0].pk)]}-DELETE"] = "on"
    data[f"hirings-{by_id[str(rows[1].pk)]}-employer"] = values[0]
    assert_saved(client_as_staff.post(url, data))
    assert list(career.hirings.values_list("pk", "employer")) == [(rows[1].pk, int(values[0]))]


def test_lowercase_salary_codes_are_accepted_and_stored_upper_case(client_as_staff):
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    row = {**INLINE_ROWS["salary_figures"](), "country": "gb", "currency": "gbp"}
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", [row])
    assert_saved(client_as_staff.post(url, data))
    assert career.salary_figures.values_list("country", "currency").get() == ("GB", "GBP")


def test_salary_figure_breaking_the_percentiles_is_a_form_error(client_as_staff):
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    row = {**INLINE_ROWS["salary_figures"](), "p25": "99000"}
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", [row])
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert "P25 must not be above the median." in response.content.decode()
    assert career.salary_figures.count() == 0


# The editor's whole journey, from the admin alone


def test_editor_builds_reorders_previews_and_publishes_a_career(client_as_staff):
    visitor = Client()
    certs = [CertificationFactory(name=f"Cert {n}") for n in range(3)]

    # 1. An employer with an uploaded logo.
    response = client_as_staff.post(
        admin_url(Employer, "add"),
        {
            "name": "Acme Robotics",
            "slug": "acme-robotics",
            "website": "acme.example",
            "description": "Robots.",
            "logo": SimpleUploadedFile("acme.png", image_bytes("PNG")),
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get(slug="acme-robotics")
    assert employer.logo.name.startswith("logos/")
    assert employer.website == "https://acme.example"

    # 2. A new draft career with every section, in one form.
    data = form_data(client_as_staff.get(admin_url(Career, "add")))
    data.update(
        {
            "title": "Robotics Engineer",
            "slug": "robotics-engineer",
            "tagline": "Teach machines to move.",
            "status": "draft",
            "overview": "You **build** robots.",
            "suitability": "People who like *hardware*.",
            "cta_text": "Start with Cert 0.",
            "category": "Engineering",
            "alternative_titles": "Robotics developer, Automation engineer",
            "demand": "high",
            "time_to_first_role": "12-24 months",
            "reviewed_on": "2026-11-01",
            "seo_description": "What a robotics engineer does.",
        }
    )
    add_rows(data, "responsibilities", [{"text": f"Task {n}", "position": n} for n in (1, 2)])
    add_rows(
        data,
        "roadmap_steps",
        [
            {"certification": c.pk, "phase": "core", "required": "on", "reason": f"Why {n}",
             "position": n + 1}
            for n, c in enumerate(certs)
        ],
    )  # fmt: skip
    add_rows(data, "salary_figures", [INLINE_ROWS["salary_figures"]()])
    add_rows(data, "hirings", [{"employer": employer.pk, "note": "", "position": 1}])
    add_rows(data, "day_entries", [{"time_of_day": "10:00", "text": "Stand-up.", "position": 1}])
    add_rows(data, "faqs", [{"question": "Is it hard?", "answer": "Yes.", "position": 1}])
    assert_saved(client_as_staff.post(admin_url(Career, "add"), data))

    career = Career.objects.get(slug="robotics-engineer")
    assert career.status == Career.Status.DRAFT
    assert career.responsibilities.count() == 2
    assert career.salary_figures.count() == career.hirings.count() == 1
    assert career.day_entries.get().time_of_day == datetime.time(10, 0)
    assert career.faqs.count() == 1
    assert [s.certification for s in career.roadmap_steps.all()] == certs

    # 3. Reorder the roadmap: the last certification moves to the top (as a drag would).
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    positions = {data[f"roadmap_steps-{i}-certification"]: i for i in range(3)}
    new_order = [certs[2], certs[0], certs[1]]
    for place, cert in enumerate(new_order, start=1):
        data[f"roadmap_steps-{positions[str(cert.pk)]}-position"] = str(place)
    assert_saved(client_as_staff.post(url, data))
    assert [s.certification for s in career.roadmap_steps.all()] == new_order
    assert list(RoadmapStep.objects.filter(career=career).values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]

    # 4. The change form offers a draft preview; staff see it, the public gets a 404.
    assert f'href="{career.get_absolute_url()}" class="viewsitelink">Preview draft' in (
        client_as_staff.get(url).content.decode()
    )
    preview = client_as_staff.get(career.get_absolute_url())
    assert preview.status_code == 200
    assert "Draft preview" in preview.content.decode()
    assert f'<a href="{url}">Edit it in the admin</a>' in preview.content.decode()
    assert visitor.get(career.get_absolute_url()).status_code == 404

    # 5. Publish with the list action; now everyone sees it, without the draft notice.
    response = client_as_staff.post(
        admin_url(Career, "changelist"), {"action": "publish", "_selected_action": [career.pk]}
    )
    assert response.status_code == 302
    career.refresh_from_db()
    assert career.status == Career.Status.PUBLISHED
    public = visitor.get(career.get_absolute_url())
    assert public.status_code == 200
    assert "Draft preview" not in public.content.decode()
    assert "Teach machines to move." in public.content.decode()


def test_publish_action_skips_an_incomplete_career_and_says_what_is_missing(client_as_staff):
    career = CareerFactory(title="Half Done", status=Career.Status.DRAFT)
    ResponsibilityFactory(career=career)
    FAQFactory(career=career)
    response = client_as_staff.post(
        admin_url(Career, "changelist"),
        {"action": "publish", "_selected_action": [career.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "published." not in html
    assert (
        "“Half Done” was not published: add a certification roadmap, salary figures, "
        "employers hiring, a day in the life first." in html
    )
    career.refresh_from_db()
    assert career.status == Career.Status.DRAFT


def test_missing_sections_costs_one_query_for_any_number_of_careers(django_assert_num_queries):
    from careers.admin.sections import missing_sections

    careers = [CareerFactory() for _ in range(3)]
    ResponsibilityFactory(career=careers[0])
    # 1 query: the careers with one EXISTS per section
    with django_assert_num_queries(1):
        gaps = missing_sections(Career.objects.all())
    assert len(gaps[careers[0]]) == 5
    assert len(gaps[careers[1]]) == 6


def test_saving_a_public_career_with_empty_sections_warns_the_editor(client_as_staff):
    career = CareerFactory(title="Thin Page")
    url = admin_url(Career, "change", career.pk)
    response = client_as_staff.post(url, form_data(client_as_staff.get(url)), follow=True)
    assert "“Thin Page” is public with empty sections: responsibilities" in (
        response.content.decode()
    )


def _career_lacking(*sections, status=Career.Status.DRAFT, title="Nearly There"):
    """A career with a row in every required section but `sections` (reverse names)."""
    career = CareerFactory(title=title, status=status)
    makers = {
        "responsibilities": ResponsibilityFactory,
        "roadmap_steps": RoadmapStepFactory,
        "salary_figures": SalaryFigureFactory,
        "hirings": HiringFactory,
        "day_entries": DayInTheLifeEntryFactory,
        "faqs": FAQFactory,
    }
    for name, make in makers.items():
        if name not in sections:
            make(career=career)
    return career


def _post_status(client, career, status, **changes):
    url = admin_url(Career, "change", career.pk)
    return client.post(url, {**form_data(client.get(url)), "status": status, **changes})


def test_the_form_refuses_to_publish_a_career_with_empty_sections_and_keeps_the_input(
    client_as_staff,
):
    career = _career_lacking("faqs", "hirings")

    response = _post_status(client_as_staff, career, "published", tagline="A sharper tagline.")

    assert response.status_code == 200
    html = response.content.decode()
    # The same rule and the same words for the sections as the list's Publish action.
    assert "Not published yet: add employers hiring, FAQs first" in html
    assert "A sharper tagline." in html  # what the editor typed is still on the page
    career.refresh_from_db()
    assert (career.status, career.tagline) == (Career.Status.DRAFT, "Build useful things.")
    assert Client().get(career.get_absolute_url()).status_code == 404


def test_the_same_career_saved_as_a_draft_keeps_every_change(client_as_staff):
    career = _career_lacking("faqs", "hirings")

    response = _post_status(client_as_staff, career, "draft", tagline="A sharper tagline.")

    assert_saved(response)
    career.refresh_from_db()
    assert (career.status, career.tagline) == (Career.Status.DRAFT, "A sharper tagline.")


def test_adding_the_missing_rows_and_publishing_in_one_save_succeeds(client_as_staff):
    career = _career_lacking("faqs")
    url = admin_url(Career, "change", career.pk)
    data = add_rows(form_data(client_as_staff.get(url)), "faqs", [INLINE_ROWS["faqs"]()])

    response = client_as_staff.post(url, {**data, "status": "published"}, follow=True)

    assert response.redirect_chain  # saved
    assert "empty sections" not in response.content.decode()
    career.refresh_from_db()
    assert career.status == Career.Status.PUBLISHED
    assert career.faqs.get().question == "Do I need a degree?"


def test_deleting_a_sections_last_rows_while_publishing_is_refused(client_as_staff):
    career = _career_lacking()
    url = admin_url(Career, "change", career.pk)
    data = {**form_data(client_as_staff.get(url)), "faqs-0-DELETE": "on", "status": "published"}

    response = client_as_staff.post(url, data)

    assert "Not published yet: add FAQs first" in response.content.decode()
    assert career.faqs.exists()


def test_a_public_career_cannot_lose_a_whole_section_but_keeps_its_old_gaps(client_as_staff):
    career = _career_lacking("hirings", status=Career.Status.PUBLISHED, title="Live Page")
    url = admin_url(Career, "change", career.pk)
    data = {**form_data(client_as_staff.get(url)), "faqs-0-DELETE": "on"}

    response = client_as_staff.post(url, data)

    assert "A public career cannot be left without FAQs: keep or add one" in (
        response.content.decode()
    )
    assert career.faqs.exists()
    # Saved without removing anything, it goes through with the warning it always had.
    response = client_as_staff.post(url, form_data(client_as_staff.get(url)), follow=True)
    assert "“Live Page” is public with empty sections: employers hiring." in (
        response.content.decode()
    )


def test_a_new_career_is_published_only_with_every_section_in_the_same_save(client_as_staff):
    url = admin_url(Career, "add")
    data = {
        **form_data(client_as_staff.get(url)),
        "title": "Brand New",
        "slug": "brand-new",
        "tagline": "New.",
        "overview": "What it is.",
        "suitability": "Who it suits.",
        "category": "Data & AI",
        "status": "published",
    }
    response = client_as_staff.post(url, data)
    html = response.content.decode()
    assert (
        "Not published yet: add responsibilities, a certification roadmap, salary figures" in html
    )
    assert "Brand New" in html  # the typed title is still there
    assert not Career.objects.filter(slug="brand-new").exists()

    for prefix, make_row in INLINE_ROWS.items():
        data = add_rows(data, prefix, [make_row()])
    assert_saved(client_as_staff.post(url, data))
    assert Career.objects.get(slug="brand-new").status == Career.Status.PUBLISHED


def test_figures_of_earlier_years_count_though_the_inline_hides_them(client_as_staff):
    career = _career_lacking("salary_figures")
    SalaryFigureFactory(career=career, year=2024)
    latest = SalaryFigureFactory(career=career, year=2026)
    url = admin_url(Career, "change", career.pk)
    data = form_data(client_as_staff.get(url))
    assert data["salary_figures-0-id"] == str(latest.pk)  # the only row shown
    data.update({"salary_figures-0-DELETE": "on", "status": "published"})

    assert_saved(client_as_staff.post(url, data))

    career.refresh_from_db()
    assert career.status == Career.Status.PUBLISHED
    assert list(career.salary_figures.values_list("year", flat=True)) == [2024]


def test_unpublish_action_hides_a_career_again(client_as_staff):
    career = CareerFactory()
    response = client_as_staff.post(
        admin_url(Career, "changelist"),
        {"action": "unpublish", "_selected_action": [career.pk]},
        follow=True,
    )
    assert "1 career moved back to draft." in response.content.decode()
    assert Client().get(career.get_absolute_url()).status_code == 404


def test_retire_action_dates_the_retirement_and_warns_without_successor(client_as_staff):
    lonely = CertificationFactory(name="Lonely")
    dated = CertificationFactory(retired_on=datetime.date(2025, 3, 31))
    dated.successor = CertificationFactory()
    dated.save()
    response = client_as_staff.post(
        admin_url(Certification, "changelist"),
        {"action": "retire", "_selected_action": [lonely.pk, dated.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "2 certifications retired." in html
    assert "No successor set for: Lonely" in html
    lonely.refresh_from_db()
    dated.refresh_from_db()
    assert lonely.status == dated.status == Certification.Status.RETIRED
    assert lonely.retired_on is not None
    assert dated.retired_on == datetime.date(2025, 3, 31)


def test_a_draft_careers_form_links_to_its_page_once_as_a_preview(client_as_staff):
    # It offered "View on site" beside "Preview draft": two links to one page.
    draft = CareerFactory(status=Career.Status.DRAFT)
    html = client_as_staff.get(admin_url(Career, "change", draft.pk)).content.decode()
    assert "View on site" not in html
    assert html.count(f'href="{draft.get_absolute_url()}"') == 1
    public = CareerFactory()
    html = client_as_staff.get(admin_url(Career, "change", public.pk)).content.decode()
    assert "View on site" in html and "Preview draft" not in html


def test_draft_certification_offers_no_view_on_site_link(client_as_staff):
    draft = CertificationFactory(status="draft")
    public = CertificationFactory()
    assert (
        "View on site"
        not in client_as_staff.get(admin_url(Certification, "change", draft.pk)).content.decode()
    )
    assert (
        "View on site"
        in client_as_staff.get(admin_url(Certification, "change", public.pk)).content.decode()
    )


def test_certification_prerequisites_and_successor_save_from_the_form(client_as_staff):
    cert = CertificationFactory()
    before, after = CertificationFactory(), CertificationFactory()
    url = admin_url(Certification, "change", cert.pk)
    data = form_data(client_as_staff.get(url))
    data["prerequisites"] = [str(before.pk)]
    data["successor"] = str(after.pk)
    assert_saved(client_as_staff.post(url, data))
    cert.refresh_from_db()
    assert list(cert.prerequisites.all()) == [before]
    assert cert.successor == after


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("own prerequisite", "A certification cannot be its own prerequisite."),
        ("own successor", "A certification cannot succeed itself."),
        ("successor is prerequisite", "The successor cannot also be a prerequisite."),
    ],
)
def test_certification_cannot_point_at_itself_or_loop(client_as_staff, change, message):
    cert, other = CertificationFactory(), CertificationFactory()
    url = admin_url(Certification, "change", cert.pk)
    data = form_data(client_as_staff.get(url))
    if change == "own prerequisite":
        data["prerequisites"] = [str(cert.pk)]
    elif change == "own successor":
        data["successor"] = str(cert.pk)
    else:
        data["prerequisites"] = [str(other.pk)]
        data["successor"] = str(other.pk)
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    cert.refresh_from_db()
    assert cert.successor is None
    assert not cert.prerequisites.exists()


@pytest.mark.parametrize("factory", [CareerFactory, CertificationFactory])
def test_a_slug_that_names_another_page_is_refused_with_a_message(client_as_staff, factory):
    """/careers/compare/ and /certifications/compare/ are the compare pages: a page with
    the slug "compare" could never be opened, so the editor is told, and nothing changes."""
    page = factory(slug="before")
    url = admin_url(type(page), "change", page.pk)
    data = form_data(client_as_staff.get(url))
    data["slug"] = "compare"
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert "“compare” is the address of another page of the site" in response.content.decode()
    page.refresh_from_db()
    assert page.slug == "before"


@pytest.mark.parametrize("prefix", ["careers:list", "certifications:list"])
def test_every_fixed_address_beside_a_slug_is_reserved(prefix):
    """A page added beside <slug>/ (as compare/ is) must be in RESERVED_SLUGS."""
    from django.urls import get_resolver

    from careers.models import RESERVED_SLUGS

    namespace = prefix.split(":")[0]
    patterns = get_resolver().namespace_dict[namespace][1].url_patterns
    fixed = {str(p.pattern).strip("/") for p in patterns if "<" not in str(p.pattern)} - {""}
    assert fixed, "the URLconf has a compare page"
    assert fixed <= RESERVED_SLUGS


@pytest.mark.parametrize("factory", [CareerFactory, CertificationFactory])
def test_editors_can_list_pages_by_when_their_facts_were_last_checked(
    client_as_staff, factory, clock_away_from_midnight
):
    today = timezone.localdate()
    recent = factory(reviewed_on=today - datetime.timedelta(days=30))
    stale = factory(reviewed_on=today - datetime.timedelta(days=200))
    never = factory(reviewed_on=None)
    url = admin_url(type(recent), "changelist")
    for value, expected in [("recent", recent), ("stale", stale), ("never", never)]:
        response = client_as_staff.get(url, {"reviewed": value})
        assert list(response.context["cl"].result_list) == [expected], value
    assert "By facts checked" in client_as_staff.get(url).content.decode()


@pytest.mark.parametrize("factory", [CareerFactory, CertificationFactory])
def test_editors_mark_several_pages_as_checked_today_in_one_action(
    client_as_staff, factory, clock_away_from_midnight
):
    pages = [factory(reviewed_on=None), factory(reviewed_on=datetime.date(2020, 1, 1))]
    untouched = factory(reviewed_on=None)
    before = [page.updated_at for page in pages]
    response = client_as_staff.post(
        admin_url(type(pages[0]), "changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [page.pk for page in pages]},
        follow=True,
    )
    noun = type(pages[0])._meta.verbose_name_plural
    assert f"2 {noun} marked as checked today." in response.content.decode()
    for page, updated_at in zip(pages, before, strict=True):
        page.refresh_from_db()
        assert page.reviewed_on == timezone.localdate()
        assert page.updated_at > updated_at  # a colleague's open form sees it as a save
    untouched.refresh_from_db()
    assert untouched.reviewed_on is None


def test_a_certification_marked_as_checked_shows_its_date_at_once(client_as_staff):
    from django.test import Client

    certification = CertificationFactory(reviewed_on=None)
    visitor = Client()
    visitor.get(certification.get_absolute_url())
    assert visitor.get(certification.get_absolute_url())["X-Page-Cache"] == "hit"
    client_as_staff.post(
        admin_url(Certification, "changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [certification.pk]},
    )
    page = visitor.get(certification.get_absolute_url()).content.decode()
    assert "We checked these facts against the provider's page on" in page


@pytest.mark.parametrize("factory", [CareerFactory, CertificationFactory])
def test_a_review_date_after_today_is_refused_and_visitors_never_read_it(
    client, client_as_staff, factory
):
    # A slip (2062 for 2026) was saved: "Facts last reviewed on 12 March 2062" on the page.
    page = factory(reviewed_on=None)
    url = admin_url(factory._meta.model, "change", page.pk)
    data = form_data(client_as_staff.get(url))
    slip = timezone.localdate() + datetime.timedelta(days=400)
    data["reviewed_on"] = slip.isoformat()
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert f"{slip.day} {slip:%B} {slip.year} is after today" in response.content.decode()
    page.refresh_from_db()
    assert page.reviewed_on is None
    # An earlier day is the editor's to choose.
    data["reviewed_on"] = "2026-03-12"
    assert_saved(client_as_staff.post(url, data))
    client_as_staff.logout()
    assert "12 March 2026" in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "factory", [CareerFactory, CertificationFactory, EmployerFactory, ProviderFactory]
)
def test_slugs_are_saved_in_lower_case_and_a_case_only_twin_is_refused(client_as_staff, factory):
    page, other = factory(), factory(slug="data-scientist")
    url = admin_url(factory._meta.model, "change", page.pk)
    data = form_data(client_as_staff.get(url))
    data["slug"] = "Data-Scientist"
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert (
        "“data-scientist” is already the slug of another "
        f"{factory._meta.model._meta.verbose_name}" in response.content.decode()
    )
    data["slug"] = "Senior-Data-Scientist"
    assert_saved(client_as_staff.post(url, data))
    page.refresh_from_db()
    assert page.slug == "senior-data-scientist"
    assert other.slug == "data-scientist"


def test_a_slug_another_page_has_is_refused_without_talk_of_case(client_as_staff):
    page, _ = CareerFactory(), CareerFactory(slug="data-scientist")
    url = admin_url(Career, "change", page.pk)
    data = form_data(client_as_staff.get(url))
    data["slug"] = "data-scientist"
    html = client_as_staff.post(url, data).content.decode()
    assert "“data-scientist” is already the slug of another career." in html
    assert "differing only in case" not in html


def test_an_employer_name_differing_only_in_case_is_refused(client_as_staff):
    EmployerFactory(name="Amazon Web Services")
    data = {"name": "amazon web services", "slug": "amazon-web-services-2", "description": ""}
    response = client_as_staff.post(admin_url(Employer, "add"), data)
    assert response.status_code == 200
    assert "“Amazon Web Services” is already listed" in response.content.decode()
    assert Employer.objects.count() == 1


INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("model", [Employer, Provider])
@pytest.mark.parametrize("invisible", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_differing_only_by_an_invisible_character_is_refused(
    client_as_staff, django_assert_num_queries, model, invisible
):
    # "Acme\u200b" (a zero-width space pasted with the name) was a second "Acme", identical
    # on every page.
    (EmployerFactory if model is Employer else ProviderFactory)(name="Acme")
    data = {"name": f"Ac{invisible}me{invisible}", "slug": "acme-2", "description": ""}
    # session, user, a savepoint, the name's check, the slug's two checks, a content type,
    # the savepoint released: as a name differing in case costs.
    ContentType.objects.clear_cache()
    with django_assert_num_queries(8):
        response = client_as_staff.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    assert "“Acme” is already listed" in response.content.decode()
    assert model.objects.count() == 1


@pytest.mark.parametrize("model", [Career, Certification])
def test_a_title_or_name_is_saved_without_invisible_characters(client_as_staff, model):
    row = CareerFactory(title="Data Engineer") if model is Career else CertificationFactory()
    field = "title" if model is Career else "name"
    url = admin_url(model, "change", row.pk)
    data = form_data(client_as_staff.get(url))
    data[field] = "\ufeffData\u00ad Engi\u200bneer\u2060"
    assert_saved(client_as_staff.post(url, data))
    row.refresh_from_db()
    assert getattr(row, field) == "Data Engineer"


def test_the_joiners_that_shape_a_word_are_kept_in_a_name(client_as_staff):
    # A zero-width non-joiner spells Persian words (this is "Mi-khaham"), a joiner emoji.
    url = admin_url(Employer, "add")
    name = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb"
    data = {"name": name, "slug": "persian-employer", "description": ""}
    assert_saved(client_as_staff.post(url, data))
    assert Employer.objects.get(slug="persian-employer").name == name


def test_a_page_text_past_its_length_is_refused_with_its_count(
    client_as_staff, django_assert_num_queries
):
    # A 1 MB overview was saved, and a 1 MB FAQ answer.
    career = CareerFactory(status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    opened = client_as_staff.get(url)
    data = form_data(opened)
    assert (
        'maxlength="10000"' not in opened.content.decode()
    )  # a browser would cut a longer paste silently
    faq = {"question": "How long?", "answer": "x" * 6_000, "position": "1"}
    data = add_rows(data, "faqs", [faq])
    data["overview"] = "x" * 1_000_000
    # session, user, a savepoint, the career (locked on PostgreSQL), its figures' count and
    # year, the slug's two checks, two choices' checks (three each), the five inlines' rows,
    # the savepoint released: the limits cost none.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(21 + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["overview"] == [
        "This can be at most 10,000 characters long, and has 1000000: shorten it (a page is "
        "read, not searched)."
    ]
    assert _inline_errors(response, "faqs")[0]["answer"] == [
        "This can be at most 5,000 characters long, and has 6000: shorten it (a page is read, "
        "not searched)."
    ]
    career.refresh_from_db()
    assert len(career.overview) < 10_000 and career.faqs.count() == 0
    data["overview"] = "x" * 10_000
    data["faqs-0-answer"] = "x" * 5_000
    assert_saved(client_as_staff.post(url, data))
    career.refresh_from_db()
    assert len(career.overview) == 10_000 and career.faqs.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", "70000", "Ensure this value is less than or equal to 2100."),
        ("year", "0", "Ensure this value is greater than or equal to 1990."),
        ("year", "1985", "Ensure this value is greater than or equal to 1990."),
        ("median", "2147483648", "Ensure this value is less than or equal to 2147483647."),
        ("median", "99999999999999999999999", "less than or equal to 2147483647."),
        ("p75", "9223372036854775807", "Ensure this value is less than or equal to 2147483647."),
    ],
)
def test_salary_numbers_out_of_range_are_refused_in_both_admin_forms(
    client_as_staff, field, value, message
):
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    row = {**INLINE_ROWS["salary_figures"](), field: value}
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", [row])
    response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert response.content.decode().count(message) == 1
    alone = {**INLINE_ROWS["salary_figures"](), "career": str(career.pk), field: value}
    response = client_as_staff.post(admin_url(SalaryFigure, "add"), alone)
    assert response.status_code == 200
    assert response.content.decode().count(message) == 1
    assert SalaryFigure.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "least"),
    [("median", "-5", 1), ("median", "0", 1), ("p25", "-1", 0), ("p75", "-40000", 0)],
)
def test_a_salary_below_its_least_value_gets_one_message_naming_it(
    client_as_staff, field, value, least
):
    # A median of -5 was told both "greater than or equal to 0" (the column's range) and "... 1"
    # (the form's): two answers for one field, the first of them wrong.
    career = CareerFactory()
    url = admin_url(Career, "change", career.pk)
    row = {**INLINE_ROWS["salary_figures"](), field: value}
    alone = {**row, "career": str(career.pk)}
    data = add_rows(form_data(client_as_staff.get(url)), "salary_figures", [row])
    pages = [
        client_as_staff.post(url, data),
        client_as_staff.post(admin_url(SalaryFigure, "add"), alone),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("Ensure this value is greater than or equal to") == 1
        assert f"Ensure this value is greater than or equal to {least}." in html
        assert f'value="{value}"' in html  # the figure typed is shown again to correct
    assert SalaryFigure.objects.count() == 0


# Delete pages: a fixed number of queries however many rows the delete takes along


@pytest.mark.parametrize("way", ["form", "action"])
def test_moving_a_followed_career_to_draft_says_how_many_learners_follow_it(
    client, client_as_staff, way
):
    from certifications.models import CareerFollow

    # Moving a public career back to draft takes it off its followers' plans: the editor
    # was not told that anyone followed it.
    career, unfollowed = CareerFactory(title="Zeta Engineer"), CareerFactory()
    for n in range(2):
        user = get_user_model().objects.create_user(f"fan{n}", f"fan{n}@example.com")
        CareerFollow.objects.create(user=user, career=career)
    said = (
        "2 learners follow “Zeta Engineer”: their dashboards now show it as no longer "
        "published, outside their plan, until it is published again."
    )
    for page in (career, unfollowed):
        if way == "form":
            url = admin_url(Career, "change", page.pk)
            data = {**form_data(client_as_staff.get(url)), "status": Career.Status.DRAFT}
            response = client_as_staff.post(url, data, follow=True)
        else:
            selected = {"action": "unpublish", "_selected_action": [page.pk]}
            response = client_as_staff.post(admin_url(Career, "changelist"), selected, follow=True)
        shown = [str(message) for message in response.context["messages"]]
        assert (said in shown) is (page == career), shown
        assert Career.objects.get(pk=page.pk).status == Career.Status.DRAFT


def _featured_column_post(response, featured):
    """The POST of the career list's Save with the careers of ids `featured` ticked."""
    formset = response.context["cl"].formset
    data = {"_save": "Save", **{f"form-{k}": v for k, v in formset.management_form.initial.items()}}
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = str(form.instance.pk)
        if form.instance.pk in featured:
            data[f"form-{index}-featured"] = "on"
    return data


@pytest.mark.parametrize("rows", [6, 40])
def test_featuring_a_career_from_the_list_shows_it_on_the_home_page_at_once(
    client, client_as_staff, django_assert_num_queries, rows
):
    # Saving the list's "featured" column was a server error (the career form's section check
    # read an attribute the list's form has not), whatever was ticked.
    for n in range(rows):
        CareerFactory(title=f"Analyst {n:02}", featured=False)
    zeta = CareerFactory(title="Zeta Engineer", featured=False)
    other = CareerFactory(title="Aardvark Analyst", featured=False)
    assert "Zeta Engineer" not in client.get("/").content.decode()  # 6 by title, cached
    url = admin_url(Career, "changelist")
    data = _featured_column_post(client_as_staff.get(url), featured={zeta.pk})
    ContentType.objects.get_for_model(Career)  # cached by Django: the history's row type
    # session, user, the list's COUNT and the rows posted (read once: Django read each row
    # again, 56 queries for 42 rows), then the one ticked career saved in a savepoint (its
    # former slugs, its slug, UPDATE, history). The message goes in a cookie: no query.
    with django_assert_num_queries(10):
        response = client_as_staff.post(url, data)
    assert response.status_code == 302
    page = client_as_staff.get(response.url).content.decode()
    assert "1 career was changed successfully." in page
    assert list(Career.objects.filter(featured=True)) == [zeta]
    assert not Career.objects.get(pk=other.pk).featured
    assert "Zeta Engineer" in client.get("/").content.decode()


def _public_career_with_every_section(title):
    """A published career with one row in each section; its employer, roadmap step and salary
    figure, and the words its page shows for each."""
    career = CareerFactory(title=title)
    ResponsibilityFactory(career=career)
    DayInTheLifeEntryFactory(career=career)
    FAQFactory(career=career)
    employer = EmployerFactory(name=f"Firm of {title}")
    HiringFactory(career=career, employer=employer)
    step = RoadmapStepFactory(
        career=career, certification=CertificationFactory(name=f"Exam of {title}")
    )
    figure = SalaryFigureFactory(career=career, source_name=f"Survey of {title}")
    return career, {
        Employer: (employer, employer.name),
        RoadmapStep: (step, step.certification.name),
        SalaryFigure: (figure, figure.source_name),
    }


@pytest.mark.parametrize(
    ("model", "section"),
    [
        (Employer, "employers hiring"),
        (RoadmapStep, "a certification roadmap"),
        (SalaryFigure, "salary figures"),
    ],
)
def test_a_delete_that_empties_a_public_careers_section_says_so_before_and_after(
    client, client_as_staff, model, section
):
    # The career form refuses to leave a public career without a section; deleting its last
    # employer, step or figure on their own pages did it without a word.
    career, rows = _public_career_with_every_section("Zeta Analyst")
    row, shown = rows[model]
    assert shown in client.get(career.get_absolute_url()).content.decode()
    url = admin_url(model, "delete", row.pk)
    html = client_as_staff.get(url).content.decode()
    assert f"This delete leaves 1 public career without {section}" in html
    assert f'{admin_url(Career, "change", career.pk)}">Zeta Analyst</a>' in html
    response = client_as_staff.post(url, {"post": "yes"}, follow=True)
    link = f'<a href="{admin_url(Career, "change", career.pk)}">“Zeta Analyst”</a>'
    assert (
        f"{link} is public without {section} now: add one on its page, or move it back to draft."
        in [str(message) for message in response.context["messages"]]
    )
    # The visitor's cached page is dropped: the section's row is gone from it at once.
    assert shown not in client.get(career.get_absolute_url()).content.decode()


def test_a_delete_that_leaves_rows_in_the_section_or_hits_a_draft_names_no_career(
    client_as_staff,
):
    career, rows = _public_career_with_every_section("Kept Analyst")
    HiringFactory(career=career)  # a second employer stays
    draft, draft_rows = _public_career_with_every_section("Draft Analyst")
    Career.objects.filter(pk=draft.pk).update(status=Career.Status.DRAFT)
    for employer in (rows[Employer][0], draft_rows[Employer][0]):
        html = client_as_staff.get(admin_url(Employer, "delete", employer.pk)).content.decode()
        assert "This delete leaves" not in html
        response = client_as_staff.post(
            admin_url(Employer, "delete", employer.pk), {"post": "yes"}, follow=True
        )
        assert [m.level_tag for m in response.context["messages"]] == ["success"]


@pytest.mark.parametrize(
    ("model", "emptied"), [(RoadmapStep, "certification"), (SalaryFigure, "median")]
)
def test_a_step_or_figure_shown_again_with_an_error_reads_each_row_once(
    client_as_staff, model, emptied
):
    # Its career was read twice: for the edit-conflict check and as the career field's value.
    _, rows = _public_career_with_every_section("Zeta Analyst")
    url = admin_url(model, "change", rows[model][0].pk)
    data = form_data(client_as_staff.get(url)) | {emptied: ""}
    with CaptureQueriesContext(connection) as queries:
        response = client_as_staff.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors[emptied]
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == len(set(statements))


@pytest.mark.parametrize(
    ("model", "section", "queries"),
    [(RoadmapStep, "a certification roadmap", 12), (SalaryFigure, "salary figures", 27)],
)
def test_moving_a_public_careers_last_step_or_figure_to_another_career_is_refused(
    client, client_as_staff, django_assert_num_queries, model, section, queries
):
    # The career form refuses to leave a public career without a section; moving its last
    # step or figure to another career on the row's own page emptied it without a word.
    career, rows = _public_career_with_every_section("Zeta Analyst")
    row, shown = rows[model]
    other = CareerFactory(title="Other Analyst")
    url = admin_url(model, "change", row.pk)
    data = form_data(client_as_staff.get(url)) | {"career": str(other.pk)}
    # session, user, a savepoint, the row with its career (the conflict check), the career picked,
    # the row's id and the public careers it would leave without the section (two, for one
    # career or many), the step's certification held or the figure's six check constraints
    # (three queries each), the savepoint released, the page again (its selects list the
    # careers, and a step's the certifications, for picking without JavaScript: one query
    # each, where the chosen ones were read); PostgreSQL also locks.
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(queries + locks):
        response = client_as_staff.post(url, data)
    assert response.context["adminform"].form.errors["career"] == [
        f"This move leaves 1 public career, “Zeta Analyst”, without {section}: visitors see "
        "its page without the section. Add one on its page first, or move it back to draft."
    ]
    row.refresh_from_db()
    assert row.career == career
    assert shown in client.get(career.get_absolute_url()).content.decode()
    # Once the career has another row in the section, the move is saved.
    if model is RoadmapStep:
        RoadmapStepFactory(career=career)
    else:
        SalaryFigureFactory(career=career, level=SalaryFigure.Level.LEAD)
    assert client_as_staff.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.career == other


def test_moving_a_draft_careers_last_step_is_saved(client_as_staff):
    career, rows = _public_career_with_every_section("Draft Analyst")
    Career.objects.filter(pk=career.pk).update(status=Career.Status.DRAFT)
    step = rows[RoadmapStep][0]
    other = CareerFactory(title="Other Analyst")
    url = admin_url(RoadmapStep, "change", step.pk)
    data = form_data(client_as_staff.get(url)) | {"career": str(other.pk)}
    assert client_as_staff.post(url, data).status_code == 302
    step.refresh_from_db()
    assert step.career == other


@pytest.mark.parametrize("model", [Employer, RoadmapStep, SalaryFigure])
@pytest.mark.parametrize("careers", [1, 20])
def test_bulk_deleting_the_last_rows_of_public_careers_names_them_in_fixed_queries(
    client_as_staff, django_assert_num_queries, model, careers
):
    made = [_public_career_with_every_section(f"Career {n:02}") for n in range(careers)]
    selected = {
        "action": "delete_selected",
        "_selected_action": [rows[model][0].pk for _, rows in made],
    }
    url = admin_url(model, "changelist")
    client_as_staff.get(url)  # Django caches content types on the first
    # session, user, the list's COUNT, the selected rows and what names them (for employers:
    # their hirings and those hirings' careers), then the ids of the section's rows deleted
    # and the public careers left without one: however many careers.
    queries = {Employer: 9, RoadmapStep: 7, SalaryFigure: 7}[model]
    with django_assert_num_queries(queries):
        html = client_as_staff.post(url, selected).content.decode()
    assert f"This delete leaves {careers} public career" in html
    response = client_as_staff.post(url, {**selected, "post": "yes"}, follow=True)
    warning = next(str(m) for m in response.context["messages"] if m.level_tag == "warning")
    assert warning.count("”</a>") == careers


@pytest.mark.parametrize("hirings", [3, 30])
def test_deleting_an_employer_lists_its_hirings_in_a_fixed_number_of_queries(
    client_as_staff, django_assert_num_queries, hirings
):
    employer = EmployerFactory(name="Acme")
    for career in CareerFactory.create_batch(hirings):
        HiringFactory(career=career, employer=employer)
    # session, user, the employer, its hirings (with the employer), then, for up to 20 rows
    # named one by one, their careers in one query; past 20 the hirings are one counted line.
    # Then the hirings' ids and the public careers they leave without an employer (one each).
    with django_assert_num_queries(7 if hirings <= 20 else 6):
        html = client_as_staff.get(admin_url(Employer, "delete", employer.pk)).content.decode()
    assert f"<li>Hirings: {hirings}</li>" in html  # the summary counts them either way
    assert f"This delete leaves {hirings} public careers without employers hiring" in html
    named = html.split('<ul class="careers-emptied">')[1].split("</ul>")[0]
    assert named.count('">Career ') == min(hirings, 20)
    assert ("<li>and 10 more</li>" in named) is (hirings > 20)
    if hirings <= 20:
        assert html.count("Hiring: Acme hires ") == hirings
    else:
        assert f"Hirings: {hirings} (too many to list one by one" in html
        assert "Hiring: Acme hires " not in html


def test_career_list_counts_steps_and_figures_without_multiplying_joins(client_as_staff):
    career = CareerFactory(category="Data")
    for position in range(3):
        RoadmapStepFactory(career=career, position=position)
    for level in ("entry", "mid", "senior", "lead"):
        SalaryFigureFactory(career=career, level=level)
    url = admin_url(Career, "changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client_as_staff.get(url, {"category": "Data"})
    row = response.context["cl"].result_list[0]
    assert (row.roadmap_count, row.salary_figure_count) == (3, 4)
    # One subquery a relation, never a DISTINCT count over the joined steps x figures
    # (the list's rows, its count and the category filter's choices alike).
    assert not any("COUNT(DISTINCT" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        client_as_staff.get(admin_url(Career, "change", career.pk))
    assert not any("roadmap_count" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "hint"),
    [
        ("admin:careers_career_add", "A title in another script leaves it empty: write one."),
        ("admin:careers_employer_add", "A name in another script leaves it empty: write one."),
        (
            "admin:certifications_certification_add",
            "A name in another script leaves it empty: write one.",
        ),
        (
            "admin:certifications_provider_add",
            "A name in another script leaves it empty: write one.",
        ),
    ],
)
def test_the_slug_box_tells_an_editor_to_write_one_for_a_name_in_another_script(
    client_as_staff, url_name, hint
):
    # The admin fills the slug in from the title in Latin letters: "数据工程师" leaves it empty.
    assert hint in client_as_staff.get(reverse(url_name)).content.decode()


# A chosen logo on a form shown again with errors


@pytest.mark.parametrize("model", [Employer, Provider])
def test_a_good_logo_on_a_form_with_another_error_is_named_to_choose_again(client_as_staff, model):
    taken = EmployerFactory(name="Acme") if model is Employer else ProviderFactory(name="Acme")
    response = client_as_staff.post(
        admin_url(model, "add"),
        {
            "name": taken.name,  # refused: the name is taken
            "slug": "acme-two",
            "description": "Robots.",
            "logo": SimpleUploadedFile("acme-logo.png", image_bytes("PNG")),
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "name" in errors
    assert errors["logo"] == [
        "“acme-logo.png” is not kept while this page has errors: "
        "fix them, choose the file again, then save."
    ]
    assert not model.objects.filter(slug="acme-two").exists()


@pytest.mark.parametrize("model", [Employer, Provider])
def test_clearing_the_logo_and_uploading_another_together_says_to_choose_one(
    client_as_staff, django_assert_num_queries, model
):
    factory = EmployerFactory if model is Employer else ProviderFactory
    row = factory(name="Acme", logo=SimpleUploadedFile("old.png", image_bytes("PNG")))
    old = row.logo.name
    url = admin_url(model, "change", row.pk)
    data = form_data(client_as_staff.get(url))
    data["logo-clear"] = "on"
    data["logo"] = SimpleUploadedFile("new.png", image_bytes("PNG"))
    # session, user, a savepoint, the row (locked on PostgreSQL), the name's and slug's
    # checks (two each), a content type, the savepoint released, and an employer's page
    # its careers: as Django's message cost.
    ContentType.objects.clear_cache()
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries((11 if model is Employer else 10) + locks):
        response = client_as_staff.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "Either upload a new logo or clear the current one, not both: untick “Clear” and "
        "choose the new file again, or save with “Clear” alone."
    ]
    row.refresh_from_db()
    assert row.logo.name == old


def test_a_bad_logo_is_told_its_own_problem_only(client_as_staff):
    response = client_as_staff.post(
        admin_url(Employer, "add"),
        {"name": "Acme", "slug": "acme", "logo": SimpleUploadedFile("acme.png", b"not a png")},
    )
    errors = response.context["adminform"].form.errors["logo"]
    assert len(errors) == 1 and "not kept" not in errors[0]


def test_an_image_in_markdown_is_refused_at_its_field_with_the_rest_kept(client_as_staff):
    """The pages' sanitiser keeps no <img>: an editor's image vanished from the career page,
    alt text and all, without a word."""
    career = CareerFactory(overview="Builds models.")
    url = admin_url(Career, "change", career.pk)
    data = add_rows(
        form_data(client_as_staff.get(url)),
        "faqs",
        [{"question": "What is the pay?", "answer": "See ![chart](/pay.png).", "position": "1"}],
    )
    data.update(
        {
            "title": "ML Lead",
            "overview": "Builds models.\n\n![A model diagram](https://x.test/d.png)",
        }
    )

    response = client_as_staff.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Pages show no images, so ![A model diagram](https://x.test/d.png) would not appear: "
        "remove it, or make it a link by dropping the “!”: [A model diagram](https://x.test/d.png)."
    ) in html
    assert "so ![chart](/pay.png) would not appear" in html  # the FAQ row's own error
    assert 'value="ML Lead"' in html  # the rest of the form kept
    career.refresh_from_db()
    assert (career.title, career.faqs.count()) != ("ML Lead", 1)

    data.update({"overview": "Builds models.\n\n[A model diagram](https://x.test/d.png)"})
    data["faqs-0-answer"] = "See [chart](/pay.png)."
    assert client_as_staff.post(url, data).status_code == 302
    career.refresh_from_db()
    assert '<a href="https://x.test/d.png"' in career.overview_html
