"""Queries compiled once per process (careerportal/prepared.py): each call reads its own rows."""

import datetime
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.db.models.sql.compiler import SQLCompiler

from careers.models import Career
from certifications.dashboard import dashboard_for
from certifications.models import CareerFollow, Certification, CertificationProgress
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    FAQFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)


def _compiles(call):
    """(the call's result, how many SQL compilations it made)."""
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        result = call()
    return result, as_sql.call_count


def test_ordered_parts_are_each_careers_own_and_compiled_once(db):
    first, second = CareerFactory(), CareerFactory()
    ResponsibilityFactory(career=first, text="Train models")
    ResponsibilityFactory(career=second, text="Run pipelines", position=2)
    ResponsibilityFactory(career=second, text="Review code", position=1)
    FAQFactory(career=second, question="Remote?")

    Career.objects.ordered_parts([first.pk])  # compiled here, or by an earlier test
    rows, compiles = _compiles(lambda: Career.objects.ordered_parts([second.pk]))

    assert compiles == 0
    assert rows == list(Career.objects.all()._ordered_parts_query([second.pk]))
    assert [(kind, title) for kind, _, _, _, title, _ in rows] == [
        ("faq", "Remote?"),
        ("responsibility", "Review code"),
        ("responsibility", "Run pipelines"),
    ]
    # Two ids are another shape of query: compiled at its first call only.
    assert _compiles(lambda: Career.objects.ordered_parts([second.pk, first.pk]))[1] > 0
    both, compiles = _compiles(lambda: Career.objects.ordered_parts([first.pk, second.pk]))
    assert compiles == 0
    assert len(both) == 4


def test_related_careers_are_each_pages_own_and_compiled_once(db):
    career, other, third = CareerFactory(), CareerFactory(title="B"), CareerFactory(title="A")
    for position, step in enumerate(RoadmapStepFactory.create_batch(2, career=career)):
        RoadmapStepFactory(career=other, certification=step.certification, position=position)
    RoadmapStepFactory(career=third, certification=step.certification)
    exams = [s.certification_id for s in career.roadmap_steps.all()]

    Career.objects.related_for_page(third, exams, limit=6)  # compiled here, or earlier
    related, compiles = _compiles(lambda: Career.objects.related_for_page(career, exams, limit=6))

    assert compiles == 0
    assert [(c.title, c.shared_count) for c in related] == [("B", 2), ("A", 1)]
    assert [(c.pk, c.slug, c.tagline) for c in related] == list(
        Career.objects.related_to(career, exams).values_list("pk", "slug", "tagline")
    )


def test_roadmap_steps_carry_each_learners_own_progress_and_are_compiled_once(
    db, learner, other_learner, django_assert_num_queries
):
    career = CareerFactory()
    first, second = RoadmapStepFactory.create_batch(2, career=career)
    CertificationProgress.objects.create(
        user=learner, certification=first.certification, status="studying"
    )
    CertificationProgress.objects.create(
        user=other_learner, certification=second.certification, status="planning"
    )

    Career.objects.page_sections(career, learner)  # compiled here, or by an earlier test
    sections, compiles = _compiles(lambda: Career.objects.page_sections(career, other_learner))

    assert compiles == 0
    with django_assert_num_queries(0):  # joined, as select_related() joins them
        steps = {
            s.certification.name: (s.my_status, s.certification.provider.name, s.career)
            for s in sections["roadmap_steps"]
        }
    assert steps == {
        first.certification.name: (None, first.certification.provider.name, career),
        second.certification.name: ("planning", second.certification.provider.name, career),
    }
    visitor = Career.objects.page_sections(career, AnonymousUser())["roadmap_steps"]
    assert not hasattr(visitor[0], "my_status")


def test_a_career_is_found_by_its_own_slug_and_drafts_only_by_staff(db, learner, staff):
    first, second = CareerFactory(), CareerFactory(status=Career.Status.DRAFT)
    Career.objects.for_page(first.slug, AnonymousUser())  # compiled here, or by an earlier test

    found, compiles = _compiles(lambda: Career.objects.for_page(second.slug, AnonymousUser()))

    assert compiles == 0
    assert found is None  # a draft, to a visitor
    assert Career.objects.for_page(second.slug, staff) == second
    assert Career.objects.for_page(first.slug, learner).is_followed is False


def test_a_certification_is_found_by_its_own_slug_with_each_learners_progress(
    db, learner, other_learner, staff
):
    first, second = CertificationFactory(), CertificationFactory()
    draft = CertificationFactory(status=Certification.Status.DRAFT)
    CertificationProgress.objects.create(user=learner, certification=first, status="studying")
    CertificationProgress.objects.create(
        user=other_learner, certification=second, status="planning"
    )
    Certification.objects.for_page(first.slug, learner)  # compiled here, or by an earlier test
    Certification.objects.for_page(first.slug, AnonymousUser())

    found, compiles = _compiles(lambda: Certification.objects.for_page(second.slug, other_learner))

    assert compiles == 0
    assert (found, found.my_status, found.provider.name) == (
        second,
        "planning",
        second.provider.name,
    )
    assert Certification.objects.for_page(second.slug, learner).my_status is None
    assert not hasattr(Certification.objects.for_page(first.slug, AnonymousUser()), "my_status")
    assert Certification.objects.for_page(draft.slug, staff) == draft
    assert Certification.objects.for_page(draft.slug, AnonymousUser()) is None  # a draft


def test_certification_pages_list_their_own_prerequisites_and_careers_compiled_once(
    db, client, django_assert_num_queries
):
    first, second, required, hidden = CertificationFactory.create_batch(4)
    hidden.status = Certification.Status.DRAFT
    hidden.save()
    first.prerequisites.add(required, hidden)
    RoadmapStepFactory(certification=first, career=CareerFactory(title="Data Engineer"))
    RoadmapStepFactory(certification=second, career=CareerFactory(title="ML Engineer"))
    first_page = client.get(first.get_absolute_url())  # compiled here, or by an earlier test

    second_page, compiles = _compiles(lambda: client.get(second.get_absolute_url()))

    assert compiles == 0
    assert [s.career.title for s in first_page.context["steps"]] == ["Data Engineer"]
    assert first_page.context["prerequisites"] == [required]  # public ones only
    assert [s.career.title for s in second_page.context["steps"]] == ["ML Engineer"]
    assert second_page.context["prerequisites"] == []


def _dashboard_on(day, user):
    with mock.patch("certifications.dashboard.timezone.localdate", return_value=day):
        return dashboard_for(user)


def test_dashboards_count_each_learners_passes_on_their_own_day_compiled_once(
    db, learner, other_learner
):
    """A pass that expired by one learner's day holds for the other's: the day enters the
    queries only as the exams each learner holds then, never in their SQL."""
    career = CareerFactory(title="Cloud Engineer")
    expiring = RoadmapStepFactory(career=career, certification__validity_months=12)
    lasting = RoadmapStepFactory(career=career, certification__validity_months=None)
    for user in (learner, other_learner):
        CareerFollow.objects.create(user=user, career=career)
        CertificationProgress.objects.create(
            user=user,
            certification=expiring.certification,
            status="passed",
            passed_on=datetime.date(2026, 1, 10),
        )
    CertificationProgress.objects.create(
        user=other_learner,
        certification=lasting.certification,
        status="passed",
        passed_on=datetime.date(2026, 2, 1),
    )
    CertificationProgress.objects.create(
        user=learner, certification=lasting.certification, status="studying"
    )
    first = _dashboard_on(datetime.date(2026, 6, 1), learner)  # compiled here, or earlier

    second, compiles = _compiles(lambda: _dashboard_on(datetime.date(2027, 3, 1), other_learner))

    assert compiles == 0
    assert [(c.career, c.held, c.required) for c in first["closest"]] == [(career, 1, 2)]
    assert [(c.career, c.held, c.required) for c in second["closest"]] == [(career, 1, 2)]
    assert [t.certification for t in first["held_passes"]] == [expiring.certification]
    assert [t.certification for t in second["held_passes"]] == [lasting.certification]
    assert (first["expired_passes"], second["expired_passes"]) == (0, 1)
    assert [item.career for item in second["followed"]] == [career]


def test_career_list_pages_show_each_requests_salaries_filters_and_page(db, client):
    """Its pages' SQL is compiled once per sort, filters and page: each request's country,
    level and filter values are its own parameters."""
    data = CareerFactory(title="Data Engineer", category="Data")
    cloud = CareerFactory(title="Cloud Engineer", category="Cloud")
    for career, us_mid, gb_senior in ((data, 90_000, 70_000), (cloud, 80_000, 75_000)):
        SalaryFigureFactory(career=career, country="US", level="mid", median=us_mid)
        SalaryFigureFactory(career=career, country="GB", level="senior", median=gb_senior)

    def listed(query):
        careers = client.get(f"/careers/?{query}").context["careers"]
        return [(career.title, career.median_salary) for career in careers]

    assert listed("sort=salary") == [("Data Engineer", 90_000), ("Cloud Engineer", 80_000)]
    salaries, compiles = _compiles(lambda: listed("sort=salary&country=GB&level=senior"))
    assert salaries == [("Cloud Engineer", 75_000), ("Data Engineer", 70_000)]
    assert compiles == 1  # the COUNT of the list alone
    assert listed("category=Data") == [("Data Engineer", 90_000)]
    assert listed("category=Cloud") == [("Cloud Engineer", 80_000)]
    assert listed("") == [("Cloud Engineer", 80_000), ("Data Engineer", 90_000)]
    CareerFactory.create_batch(12, category="Data")
    assert len(client.get("/careers/?page=2").context["careers"]) == 2
    assert len(client.get("/careers/?page=2&category=Data").context["careers"]) == 1
    assert len(client.get("/careers/?page=1&category=Data").context["careers"]) == 12


def test_dashboards_of_learners_holding_three_and_four_exams_share_one_sql(db, learner, staff):
    """A list of exams is padded to a length that is a power of two (its last id repeated),
    so lists of 3 and 4 share one compiled SQL, each counting its own exams."""
    career = CareerFactory()
    steps = RoadmapStepFactory.create_batch(5, career=career)
    for user, passed in ((learner, steps[:3]), (staff, steps[1:5])):
        CareerFollow.objects.create(user=user, career=career)
        for step in passed:
            CertificationProgress.objects.create(
                user=user,
                certification=step.certification,
                status="passed",
                passed_on=datetime.date(2026, 1, 10),
            )
    day = datetime.date(2026, 6, 1)
    three = _dashboard_on(day, learner)  # compiled here, or by an earlier test

    four, compiles = _compiles(lambda: _dashboard_on(day, staff))

    assert compiles == 0
    assert [(c.held, c.required) for c in three["closest"]] == [(3, 5)]
    assert [(c.held, c.required) for c in four["closest"]] == [(4, 5)]
