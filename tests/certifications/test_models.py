"""Certification content: named constraints refuse bad rows; QuerySets hide drafts."""

import pytest
from django.db import IntegrityError, transaction

from certifications.models import Certification, Provider, RoadmapStep
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    RoadmapStepFactory,
)

pytestmark = pytest.mark.django_db

CONTENT_MODELS = (Provider, Certification, RoadmapStep)


def _update(obj, **values):
    """Write values straight to the row, past save() (which would tidy some of them)."""
    type(obj).objects.filter(pk=obj.pk).update(**values)


# Each builder makes one row that breaks exactly the named rule.
BAD_ROWS = {
    "certifications_certification_fee_not_negative": lambda: CertificationFactory(exam_fee=-1),
    "certifications_certification_validity_positive": lambda: CertificationFactory(
        validity_months=0
    ),
    "certifications_certification_not_own_successor": lambda: _update(
        cert := CertificationFactory(), successor=cert
    ),
    "certifications_certification_currency_iso": lambda: _update(
        CertificationFactory(), fee_currency="usd"
    ),
    "certifications_roadmapstep_cert_once_per_career": lambda: RoadmapStepFactory(
        career=(first := RoadmapStepFactory()).career, certification=first.certification
    ),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_named_constraint_rejects_a_bad_row(name):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        BAD_ROWS[name]()
    message = str(excinfo.value)
    # CHECK failures name the constraint; SQLite names UNIQUE ones by their columns.
    assert name in message or "UNIQUE" in message


def test_every_content_constraint_has_a_bad_row_test():
    names = {c.name for model in CONTENT_MODELS for c in model._meta.constraints}
    assert names == set(BAD_ROWS)


def test_good_rows_pass_the_same_constraints():
    old = CertificationFactory(exam_fee=0, validity_months=None, fee_currency="eur")
    new = CertificationFactory()
    old.successor = new
    old.save()
    old.refresh_from_db()
    assert (old.successor, old.fee_currency, old.expires) == (new, "EUR", False)
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=old)
    RoadmapStepFactory(career=CareerFactory(), certification=old)  # shared across roadmaps
    assert old.roadmap_steps.count() == 2
    assert career.roadmap_steps.count() == 1


def test_provider_with_certifications_cannot_be_deleted():
    from django.db.models import ProtectedError

    cert = CertificationFactory()
    with pytest.raises(ProtectedError):
        cert.provider.delete()


def test_blank_slug_is_derived_from_the_name():
    provider = Provider.objects.create(name="Amazon Web Services")
    cert = CertificationFactory(name="AWS Certified AI Practitioner", slug="", provider=provider)
    assert (provider.slug, cert.slug) == ("amazon-web-services", "aws-certified-ai-practitioner")
    assert cert.get_absolute_url() == "/certifications/aws-certified-ai-practitioner/"


@pytest.mark.parametrize(
    ("name", "code", "shown"),
    [
        ("Microsoft Azure AI Fundamentals", "AI-901", "Microsoft Azure AI Fundamentals (AI-901)"),
        ("AZ-900 Azure Fundamentals", "AZ-900", "AZ-900 Azure Fundamentals"),
        ("TensorFlow Developer Certificate", "", "TensorFlow Developer Certificate"),
    ],
)
def test_name_with_code_adds_the_code_once(name, code, shown):
    assert Certification(name=name, exam_code=code).name_with_code == shown


# QuerySets


@pytest.fixture
def three_states():
    return {
        status: CertificationFactory(name=f"{status} cert", status=status)
        for status in ["draft", "published", "retired"]
    }


def test_public_shows_published_and_retired_but_never_drafts(three_states):
    assert set(Certification.objects.public()) == {
        three_states["published"],
        three_states["retired"],
    }


def test_published_is_only_what_is_on_offer(three_states):
    assert list(Certification.objects.published()) == [three_states["published"]]


def _certification_with_neighbours(rows):
    cert = CertificationFactory(successor=CertificationFactory(name="Next"))
    for i in range(rows):
        cert.prerequisites.add(CertificationFactory(name=f"Before {i}"))
        RoadmapStepFactory(certification=cert, career=CareerFactory(title=f"Career {i}"))
    cert.prerequisites.add(CertificationFactory(name="Secret draft", status="draft"))
    RoadmapStepFactory(certification=cert, career=CareerFactory(title="Draft", status="draft"))
    return cert


@pytest.mark.parametrize("rows", [1, 4])
def test_for_detail_fetches_a_certification_in_a_fixed_number_of_queries(
    django_assert_num_queries, rows
):
    cert = _certification_with_neighbours(rows)
    # 1 certification + provider + successor (+ its provider), 2 public prerequisites with
    # their providers, 3 roadmap steps in published careers with the careers joined.
    with django_assert_num_queries(3):
        fetched = Certification.objects.public().for_detail().get(pk=cert.pk)
        facts = (fetched.provider.name, fetched.successor.name, fetched.successor.provider.name)
        before = [(p.name, p.provider.name) for p in fetched.prerequisites.all()]
        careers = [s.career.title for s in RoadmapStep.objects.leading_to(fetched)]
    assert facts[1] == "Next"
    assert len(before) == len(careers) == rows
    assert "Secret draft" not in {name for name, _ in before}
    assert "Draft" not in careers


def test_draft_certification_is_not_found_through_public_for_detail():
    cert = CertificationFactory(status="draft")
    assert not Certification.objects.public().for_detail().filter(pk=cert.pk).exists()


def test_roadmap_for_career_page_is_in_position_order_without_draft_steps(
    django_assert_num_queries,
):
    career = CareerFactory()
    third = RoadmapStepFactory(career=career, position=3)
    first = RoadmapStepFactory(career=career, position=1)
    RoadmapStepFactory(
        career=career, position=2, certification=CertificationFactory(status="draft")
    )
    retired = RoadmapStepFactory(
        career=career, position=4, certification=CertificationFactory(status="retired")
    )
    # 1 query: steps joined to certification, provider, successor and successor's provider
    with django_assert_num_queries(1):
        steps = list(RoadmapStep.objects.filter(career=career).for_career_page())
        [(s.certification.provider.name, s.certification.successor) for s in steps]
    assert steps == [first, third, retired]
