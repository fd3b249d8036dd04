"""Staff see learner progress read-only in the admin; private notes never show."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certifications.models import CareerFollow, Certification, CertificationProgress
from certifications.services.progress import career_follow, progress_update
from tests.factories import CareerFactory, CertificationFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(learner):
    return progress_update(
        user=learner,
        certification=CertificationFactory(name="Visible Cert"),
        status="passed",
        passed_on=timezone.localdate(),
        notes="private-note-text",
    )


def test_staff_see_progress_list_and_detail_without_notes(client_as_staff, row):
    page = client_as_staff.get(
        reverse("admin:certifications_certificationprogress_changelist")
    ).content.decode()
    assert "Visible Cert" in page
    detail = client_as_staff.get(
        reverse("admin:certifications_certificationprogress_change", args=[row.pk])
    )
    assert detail.status_code == 200
    assert "private-note-text" not in detail.content.decode()


def test_staff_cannot_add_change_or_delete_progress(client_as_staff, row):
    add = reverse("admin:certifications_certificationprogress_add")
    assert client_as_staff.get(add).status_code == 403
    change = reverse("admin:certifications_certificationprogress_change", args=[row.pk])
    client_as_staff.post(change, {"status": "skipped"})
    delete = reverse("admin:certifications_certificationprogress_delete", args=[row.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.status == "passed"
    assert CertificationProgress.objects.count() == 1


def test_follows_are_read_only_too(client_as_staff, learner):
    follow = career_follow(user=learner, career=CareerFactory())
    assert (
        client_as_staff.get(reverse("admin:certifications_careerfollow_changelist")).status_code
        == 200
    )
    delete = reverse("admin:certifications_careerfollow_delete", args=[follow.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 403
    assert CareerFollow.objects.count() == 1


def test_learners_cannot_open_the_progress_admin(client_as_learner, row):
    response = client_as_learner.get(
        reverse("admin:certifications_certificationprogress_changelist")
    )
    assert response.status_code == 302


# Lists of every learner's rows at scale


def learners_rows(count):
    """`count` learners, each with a progress row and a follow."""
    certification = CertificationFactory(name="Cloud Basics", exam_code="CB-1", validity_months=24)
    career = CareerFactory(title="Data Engineer")
    for n in range(count):
        user = get_user_model().objects.create_user(f"learner-{n}", f"learner-{n}@example.com")
        CertificationProgress.objects.create(user=user, certification=certification)
        CareerFollow.objects.create(user=user, career=career)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("model", "shown", "unread"),
    [
        (CertificationProgress, "Cloud Basics (CB-1)", "description"),
        (CareerFollow, "Data Engineer", "overview"),
    ],
)
def test_learner_lists_read_only_the_columns_they_show_and_count_once(
    client_as_staff, django_assert_num_queries, rows, model, shown, unread
):
    learners_rows(rows)
    url = reverse(f"admin:certifications_{model._meta.model_name}_changelist")
    # session, user, one COUNT, the page's rows (no filter lists providers or careers)
    with django_assert_num_queries(4) as queries:
        html = client_as_staff.get(url).content.decode()
    assert html.count(shown) >= rows
    page_query = queries.captured_queries[-1]["sql"]
    assert f'"{unread}"' not in page_query  # the joined row's long text is not loaded
    assert sum("COUNT(" in q["sql"] for q in queries.captured_queries) == 1


def test_learner_lists_page_through_an_index_in_their_order():
    for model in (CertificationProgress, CareerFollow):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        ordering = [name.lstrip("-") for name in model._meta.ordering]
        descending = [name.startswith("-") for name in model._meta.ordering]
        assert any(
            c["index"]
            and c["columns"] == ordering
            and [order == "DESC" for order in c.get("orders") or ["ASC"] * len(ordering)]
            == descending
            for c in constraints.values()
        ), f"no index for {model.__name__}'s ordering"


def test_the_progress_list_filters_by_recent_updates_without_reading_every_date(
    client_as_staff, row
):
    url = reverse("admin:certifications_certificationprogress_changelist")
    html = client_as_staff.get(url).content.decode()
    assert "By updated at" in html
    past_week = re.search(r'<a href="(\?[^"]*updated_at__gte[^"]*)">Past 7 days</a>', html)
    filtered = client_as_staff.get(url + unescape(past_week.group(1))).content.decode()
    assert "Visible Cert" in filtered


def test_the_user_list_counts_its_rows_once(client_as_staff):
    learners_rows(3)
    url = reverse("admin:auth_user_changelist")
    with CaptureQueriesContext(connection) as queries:
        html = client_as_staff.get(url, {"q": "learner-1"}).content.decode()
    assert "learner-1@example.com" in html
    assert sum("COUNT(" in q["sql"] for q in queries.captured_queries) == 1


@pytest.mark.parametrize(
    ("model", "search", "filter_param"),
    [
        (CertificationProgress, "Provider Seven", "certification__provider__id__exact"),
        (CareerFollow, "Data Engineer", "career__id__exact"),
        (Certification, "Provider Seven", "provider__id__exact"),
    ],
)
def test_lists_find_a_provider_or_career_by_search_not_a_filter_of_all(
    client_as_staff, model, search, filter_param
):
    learners_rows(2)
    Certification.objects.update(provider=ProviderFactory(name="Provider Seven"))
    CareerFactory()  # a filter shows once it has two choices
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    html = client_as_staff.get(url).content.decode()
    assert filter_param not in html  # no sidebar entry per provider or career
    found = client_as_staff.get(url, {"q": search})
    assert found.context["cl"].result_count == (1 if model is Certification else 2)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_user_list_takes_five_queries_however_many_learners(
    client_as_staff, django_assert_num_queries, rows
):
    learners_rows(rows)
    url = reverse("admin:auth_user_changelist")
    client_as_staff.get(url)  # Django caches content types on the first
    # 1 session, 2 user, 3 the groups (a filter), 4 one COUNT, 5 the page of users
    with django_assert_num_queries(5):
        response = client_as_staff.get(url)
    assert response.context["cl"].result_count == rows + 1  # the learners and the editor


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("model", "queries"),
    [
        # 1 session, 2 user, 3 the progress row, 4 its learner, 5 its certification
        (CertificationProgress, 5),
        # 1 session, 2 user, 3 the follow, 4 its learner, 5 its career
        (CareerFollow, 5),
        # 1 session, 2 user, 3 the learner, 4 their groups, 5 their permissions, then what
        # the form offers: 6 every group, 7 every permission with its content type
        (get_user_model(), 7),
    ],
)
def test_a_learners_row_opens_in_a_fixed_number_of_queries_however_many_rows(
    client_as_staff, django_assert_num_queries, rows, model, queries
):
    learners_rows(rows)
    row = model.objects.order_by("pk").last()  # a learner's (the editor was made first)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])
    client_as_staff.get(url)  # Django caches content types on the first
    with django_assert_num_queries(queries):
        response = client_as_staff.get(url)
    assert response.context["original"] == row


@pytest.mark.parametrize(
    ("list_name", "lookup"),
    [
        ("admin:certifications_certificationprogress_changelist", "notes__icontains"),
        ("admin:certifications_certificationprogress_changelist", "notes__startswith"),
        ("admin:certifications_certificationprogress_changelist", "notes"),
        ("admin:certifications_certificationprogress_changelist", "notes__regex"),
        ("admin:certifications_careerfollow_changelist", "user__certification_progress__notes"),
        ("admin:auth_user_changelist", "certification_progress__notes__icontains"),
    ],
)
def test_staff_cannot_guess_a_learners_notes_by_filtering_a_list(
    client_as_staff, row, list_name, lookup
):
    guess = "private-note"  # the start of the learner's note: a list would match it
    response = client_as_staff.get(reverse(list_name), {lookup: guess})
    assert response.status_code == 400
    assert row.certification.name not in response.content.decode()
