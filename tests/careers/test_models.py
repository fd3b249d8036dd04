"""Career content: every named constraint refuses a bad row; QuerySets return what pages need."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from careers.models import Career, Employer, FormerSlug, Hiring, SalaryFigure
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    EmployerFactory,
    FAQFactory,
    HiringFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db


def _update(obj, **values):
    """Write values straight to the row, past save() (which would tidy some of them)."""
    type(obj).objects.filter(pk=obj.pk).update(**values)


# Each builder makes one row that breaks exactly the named rule.
BAD_ROWS = {
    "careers_salaryfigure_one_per_career_country_level_year": lambda: SalaryFigureFactory(
        career=SalaryFigureFactory(country="GB", level="mid", year=2026).career,
        country="GB",
        level="mid",
        year=2026,
    ),
    "careers_salaryfigure_p25_lte_median": lambda: SalaryFigureFactory(median=90_000, p25=95_000),
    "careers_salaryfigure_p75_gte_median": lambda: SalaryFigureFactory(median=90_000, p75=80_000),
    "careers_salaryfigure_median_positive": lambda: SalaryFigureFactory(median=0),
    "careers_salaryfigure_country_iso": lambda: _update(SalaryFigureFactory(), country="u1"),
    "careers_salaryfigure_currency_iso": lambda: _update(SalaryFigureFactory(), currency="US$"),
    "careers_salaryfigure_level_valid": lambda: _update(SalaryFigureFactory(), level="junior"),
    "careers_hiring_one_per_career_employer": lambda: HiringFactory(
        career=(first := HiringFactory()).career, employer=first.employer
    ),
    "careers_career_status_valid": lambda: _update(CareerFactory(), status="Published"),
    "careers_career_demand_valid": lambda: _update(CareerFactory(), demand="extreme"),
    "careers_formerslug_unique": lambda: [
        FormerSlug.objects.create(model="careers.career", slug="old", target_id=target)
        for target in (1, 2)
    ],
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_named_constraint_rejects_a_bad_row(name):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        BAD_ROWS[name]()
    message = str(excinfo.value)
    # CHECK failures name the constraint; SQLite names UNIQUE ones by their columns.
    assert name in message or "UNIQUE" in message


def test_every_named_constraint_in_careers_has_a_bad_row_test():
    from django.apps import apps

    names = {
        constraint.name
        for model in apps.get_app_config("careers").get_models()
        for constraint in model._meta.constraints
    }
    assert names == set(BAD_ROWS)


def test_good_rows_pass_the_same_constraints():
    figure = SalaryFigureFactory(median=100, p25=100, p75=100, country="gb", currency="gbp")
    figure.refresh_from_db()
    assert (figure.country, figure.currency) == ("GB", "GBP")  # save() tidies the codes
    # Another year, country or level is a separate figure.
    SalaryFigureFactory(career=figure.career, country="GB", level="entry", year=2025)
    SalaryFigureFactory(career=figure.career, country="DE", level="entry", year=2026)
    SalaryFigureFactory(career=figure.career, country="GB", level="mid", year=2026)
    assert figure.career.salary_figures.count() == 4


def test_duplicate_slugs_are_refused():
    CareerFactory(slug="data-engineer")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareerFactory(slug="data-engineer")
    EmployerFactory(slug="acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(slug="acme")


def test_blank_slug_is_derived_from_the_title_or_name():
    career = CareerFactory(title="Site Reliability Engineer", slug="")
    employer = Employer.objects.create(name="Acme & Sons Ltd")
    assert career.slug == "site-reliability-engineer"
    assert employer.slug == "acme-sons-ltd"
    assert career.get_absolute_url() == "/careers/site-reliability-engineer/"


def test_salary_level_rank_orders_entry_to_lead():
    career = CareerFactory()
    for level in ["lead", "entry", "senior", "mid"]:
        SalaryFigureFactory(career=career, level=level)
    assert [f.level for f in career.salary_figures.all()] == ["entry", "mid", "senior", "lead"]


def test_ordered_parts_follow_position_not_creation_order():
    career = CareerFactory()
    later = ResponsibilityFactory(career=career, position=2, text="Second")
    ResponsibilityFactory(career=career, position=1, text="First")
    assert [r.text for r in career.responsibilities.all()] == ["First", "Second"]
    later.position = 0
    later.save()
    assert [r.text for r in career.responsibilities.all()] == ["Second", "First"]


# QuerySets


@pytest.fixture
def draft_and_published():
    return (
        CareerFactory(title="Draft career", status=Career.Status.DRAFT),
        CareerFactory(title="Public career", status=Career.Status.PUBLISHED),
    )


def test_published_hides_drafts(draft_and_published):
    _draft, public = draft_and_published
    assert list(Career.objects.published()) == [public]


@pytest.mark.parametrize(
    ("who", "sees_draft"),
    [("nobody", False), ("anonymous", False), ("learner", False), ("staff", False),
     ("staff who may view careers", True), ("inactive staff", False)],
)  # fmt: skip
def test_visible_to_shows_drafts_to_active_staff_who_may_view_careers_only(
    draft_and_published, who, sees_draft
):
    draft, public = draft_and_published
    users = get_user_model().objects
    user = {
        "nobody": lambda: None,
        "anonymous": AnonymousUser,
        "learner": lambda: users.create_user("l", "l@example.com", "pw-123456789"),
        "staff": lambda: users.create_user("s", "s@example.com", "pw-123456789", is_staff=True),
        "staff who may view careers": lambda: users.create_user(
            "v", "v@example.com", "pw-123456789", is_staff=True, is_superuser=True
        ),
        "inactive staff": lambda: users.create_user(
            "i", "i@example.com", "pw-123456789", is_staff=True, is_active=False
        ),
    }[who]()
    visible = set(Career.objects.visible_to(user))
    assert public in visible
    assert (draft in visible) is sees_draft


def test_for_list_counts_roadmap_steps():
    career = CareerFactory()
    for _ in range(3):
        RoadmapStepFactory(career=career)
    CareerFactory()
    lengths = {c.title: c.roadmap_length for c in Career.objects.for_list()}
    assert sorted(lengths.values()) == [0, 3]


def _career_with_every_section(rows=2):
    career = CareerFactory()
    for i in range(rows):
        ResponsibilityFactory(career=career)
        DayInTheLifeEntryFactory(career=career)
        FAQFactory(career=career)
        SalaryFigureFactory(career=career, level=["entry", "mid", "senior", "lead"][i % 4])
        HiringFactory(career=career)
        RoadmapStepFactory(career=career, certification=CertificationFactory())
    return career


def _walk_sections(career):
    """Touch what the career page shows from for_detail()'s prefetches."""
    return (
        [(s.median, s.currency) for s in career.salary_figures.all()],
        [h.employer.name for h in career.hirings.all()],
        [(s.certification.name, s.certification.provider.name) for s in career.roadmap_steps.all()],
    )


@pytest.mark.parametrize("rows", [1, 4])
def test_for_detail_fetches_every_section_in_a_fixed_number_of_queries(
    django_assert_num_queries, rows
):
    career = _career_with_every_section(rows)
    # 1 career, 2 salary figures, 3 hirings + employers, 4 roadmap steps + certification,
    # provider and successor (joined); the same with 1 or 4 rows per section.
    with django_assert_num_queries(4):
        fetched = Career.objects.for_detail().get(pk=career.pk)
        salaries, employers, steps = _walk_sections(fetched)
    assert len(salaries) == len(employers) == len(steps) == rows


def test_for_detail_roadmap_hides_draft_certifications():
    career = _career_with_every_section(2)
    RoadmapStepFactory(
        career=career, certification=CertificationFactory(status="draft", name="Unreleased")
    )
    fetched = Career.objects.for_detail().get(pk=career.pk)
    names = [s.certification.name for s in fetched.roadmap_steps.all()]
    assert len(names) == 2
    assert "Unreleased" not in names


def test_employer_for_detail_lists_only_published_careers(django_assert_num_queries):
    employer = EmployerFactory()
    HiringFactory(employer=employer, career=CareerFactory(title="Shown"))
    HiringFactory(employer=employer, career=CareerFactory(title="Hidden", status="draft"))
    # 1 employer with its published-career count, 2 its first hirings with careers joined
    with django_assert_num_queries(2):
        fetched = Employer.objects.for_detail(shown=12).get(pk=employer.pk)
        titles = [h.career.title for h in fetched.shown_hirings]
    assert titles == ["Shown"]
    assert fetched.career_count == 1
    assert Hiring.objects.count() == 2
    assert SalaryFigure.objects.count() == 0
