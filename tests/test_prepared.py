"""Queries compiled once per process (careerportal/prepared.py): each call reads its own rows."""

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.db.models.sql.compiler import SQLCompiler

from careers.models import Career
from certifications.models import CertificationProgress
from tests.factories import CareerFactory, FAQFactory, ResponsibilityFactory, RoadmapStepFactory


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
