"""Small factories: each builds a valid, published object unless told otherwise."""

import datetime

import factory

from careers.models import (
    FAQ,
    Career,
    DayInTheLifeEntry,
    Employer,
    Hiring,
    Responsibility,
    SalaryFigure,
)
from certifications.models import Certification, Provider, RoadmapStep


class CareerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Career

    title = factory.Sequence(lambda n: f"Career {n}")
    slug = factory.Sequence(lambda n: f"career-{n}")
    tagline = "Build useful things."
    overview = "What the role does."
    suitability = "Who it suits."
    category = "Data & AI"
    time_to_first_role = "12-18 months"
    status = Career.Status.PUBLISHED
    reviewed_on = datetime.date(2026, 11, 1)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    career = factory.SubFactory(CareerFactory)
    text = factory.Sequence(lambda n: f"Responsibility {n}")
    position = factory.Sequence(lambda n: n)


class DayInTheLifeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DayInTheLifeEntry

    career = factory.SubFactory(CareerFactory)
    time_of_day = datetime.time(9, 0)
    text = "Stand-up."
    position = factory.Sequence(lambda n: n)


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    career = factory.SubFactory(CareerFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."
    position = factory.Sequence(lambda n: n)


class SalaryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryFigure

    career = factory.SubFactory(CareerFactory)
    country = "US"
    currency = "USD"
    level = SalaryFigure.Level.ENTRY
    median = 100_000
    year = 2026
    source_name = "Example survey"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    slug = factory.Sequence(lambda n: f"employer-{n}")
    description = "Hires people."


class HiringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hiring

    career = factory.SubFactory(CareerFactory)
    employer = factory.SubFactory(EmployerFactory)
    position = factory.Sequence(lambda n: n)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.Sequence(lambda n: f"provider-{n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    name = factory.Sequence(lambda n: f"Certification {n}")
    slug = factory.Sequence(lambda n: f"certification-{n}")
    exam_code = factory.Sequence(lambda n: f"EX-{n:03d}")
    provider = factory.SubFactory(ProviderFactory)
    level = Certification.Level.ASSOCIATE
    summary = "Proves a skill."
    exam_fee = 150
    fee_currency = "USD"
    duration_minutes = 90
    validity_months = 24
    study_hours = 40
    status = Certification.Status.PUBLISHED


def career_on_a_renamed_exam(name="Microsoft Azure AI Fundamentals"):
    """A career whose one step is an exam retired for a successor of the same name, as
    Microsoft replaced AI-900 with AI-901: (career, retired, successor)."""
    successor = CertificationFactory(name=name, exam_code="AI-901")
    retired = CertificationFactory(
        name=name, exam_code="AI-900", status=Certification.Status.RETIRED, successor=successor
    )
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=retired)
    return career, retired, successor


def retire_for(old, new):
    """Retire `old` for `new`, or move its successor on to `new`, and record the chain as the
    admin's save does."""
    from certifications.services.chains import successor_chain_record

    previous = old.successor_id
    old.status, old.successor = Certification.Status.RETIRED, new
    old.save()
    successor_chain_record(certification=old, previous_successor_id=previous)
    return old


def career_on_a_chain_of_retirements(*codes):
    """A career whose one step is the first of `codes`, each retired in turn for the next
    (the last on offer), and every retired one's successor moved on to the newest exam as the
    admin advises: (career, [the exams, oldest first])."""
    exams = [CertificationFactory(name="Azure Administrator", exam_code=code) for code in codes]
    for newer in range(1, len(exams)):
        retire_for(exams[newer - 1], exams[newer])
        for older in exams[: newer - 1]:
            retire_for(older, exams[newer])
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=exams[0])
    return career, exams


def career_on_a_twice_replaced_exam():
    """A career whose one step is AZ-100, retired for AZ-103, itself retired for AZ-104, with
    AZ-100's successor moved on to AZ-104 (as the admin advises; the chain keeps AZ-103):
    (career, az100, az103, az104)."""
    career, (az100, az103, az104) = career_on_a_chain_of_retirements("AZ-100", "AZ-103", "AZ-104")
    return career, az100, az103, az104


class RoadmapStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapStep

    career = factory.SubFactory(CareerFactory)
    certification = factory.SubFactory(CertificationFactory)
    position = factory.Sequence(lambda n: n)
    reason = "Because it matters."
