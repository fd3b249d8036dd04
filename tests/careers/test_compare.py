"""/careers/compare/: two or three careers side by side."""

import re

import pytest
from django.urls import reverse

from careers.money import format_money
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)
from tests.factories import SalaryFigureFactory as Salary

pytestmark = pytest.mark.django_db
COMPARE = reverse("careers:compare")


@pytest.fixture
def two_careers():
    shared = CertificationFactory(name="Shared Cloud Basics", exam_fee=100, fee_currency="USD")
    ml = CareerFactory(title="ML Engineer", slug="ml")
    data = CareerFactory(title="Data Engineer", slug="data")
    RoadmapStepFactory(career=ml, certification=shared, position=1)
    RoadmapStepFactory(
        career=ml,
        certification=CertificationFactory(name="EU Exam", exam_fee=200, fee_currency="EUR"),
        position=2,
    )
    RoadmapStepFactory(
        career=ml, certification=CertificationFactory(name="Draft", status="draft"), position=3
    )
    RoadmapStepFactory(career=data, certification=shared, position=1)
    RoadmapStepFactory(
        career=data, certification=CertificationFactory(name="Only Data", exam_fee=150)
    )
    Salary(career=ml, level="entry", median=110_000)
    Salary(career=ml, level="mid", median=150_000)
    Salary(career=ml, level="mid", median=140_000, year=2024)
    Salary(career=data, level="mid", median=130_000)
    Salary(career=ml, country="GB", currency="GBP", level="mid", median=85_000)
    return ml, data


def test_compare_shows_salaries_per_level_roadmap_length_and_fees(client, two_careers):
    response = client.get(COMPARE, {"careers": ["ml", "data"]})
    html = response.content.decode()
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c["career"].title for c in columns] == ["ML Engineer", "Data Engineer"]
    assert "$150,000" in html  # the newest mid figure, not the 2024 one
    assert "$140,000" not in html
    assert "$110,000" in html
    assert [len(c["steps"]) for c in columns] == [2, 2]  # the draft step is hidden
    assert "Draft" not in html.split("<main", 1)[1]
    # Per currency in roadmap order, as the career page's facts strip sums them.
    fees = [(fee["currency"], fee["amount"]) for fee in columns[0]["fees"]]
    assert fees == [("USD", 100), ("EUR", 200)]
    assert f"$100 + {format_money(200, 'EUR')}" in html
    assert "$250" in html


def test_study_time_that_leaves_out_an_exam_without_hours_is_a_floor(client, db):
    for slug, hours in (("ops", [40, None]), ("dev", [40, 20])):
        career = CareerFactory(slug=slug)
        for position, study_hours in enumerate(hours):
            RoadmapStepFactory(
                career=career,
                position=position,
                certification=CertificationFactory(study_hours=study_hours),
            )

    html = client.get(COMPARE, {"careers": ["ops", "dev"]}).content.decode()

    assert "<td>At least 40 hours</td><td>About 60 hours</td>" in html


def test_shared_certifications_are_highlighted(client, two_careers):
    response = client.get(COMPARE, {"careers": ["ml", "data"]})
    assert [c.name for c in response.context["shared"]] == ["Shared Cloud Basics"]
    html = response.content.decode()
    assert html.count("★ Shared<") == 2  # the step in each roadmap
    assert "★ Shared Cloud Basics" in html  # and the list of shared certifications


def test_another_country_shows_its_own_currency(client, two_careers):
    html = client.get(COMPARE, {"careers": ["ml", "data"], "country": "GB"}).content.decode()
    assert "£85,000" in html
    assert "$150,000" not in html


@pytest.mark.parametrize(
    ("careers", "message"),
    [
        (["nope"], "Pick at least two careers"),
        (["ml", "nope"], "could not find"),
        (["ml", "data", "a", "b"], "could not find"),
    ],
)
def test_wrong_picks_get_a_clear_message(client, two_careers, careers, message):
    response = client.get(COMPARE, {"careers": careers})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_more_than_three_careers_is_refused_with_a_message(client, two_careers):
    CareerFactory(slug="c")
    CareerFactory(slug="d")
    response = client.get(COMPARE, {"careers": ["ml", "data", "c", "d"]})
    assert "at most three" in response.content.decode()
    assert response.context["columns"] == []


def test_three_careers_can_be_compared(client, two_careers):
    CareerFactory(slug="c", title="Third")
    response = client.get(COMPARE, {"careers": ["ml", "data", "c"]})
    assert len(response.context["columns"]) == 3


def test_drafts_cannot_be_compared_or_picked(client, two_careers):
    CareerFactory(slug="secret", title="Secret Career", status="draft")
    response = client.get(COMPARE, {"careers": ["ml", "secret"]})
    html = response.content.decode()
    assert "Secret Career" not in html
    assert "could not find" in html


def test_unknown_country_falls_back_to_the_us(client, two_careers):
    response = client.get(COMPARE, {"careers": ["ml", "data"], "country": "ZZ"})
    assert response.context["country"] == "US"
    assert "showing United States figures" in response.content.decode()


def test_the_picker_form_works_without_javascript(client, two_careers):
    html = client.get(COMPARE).content.decode()
    boxes = re.findall(r'<input class="form-control" type="text" id="compare-\d"[^>]*>', html)
    assert len(boxes) == 3
    assert all('name="careers"' in box and 'list="career-choices"' in box for box in boxes)
    assert '<label class="form-label" for="compare-0">First career</label>' in html
    assert '<option value="Data Engineer"><option value="ML Engineer">' in html
    assert 'name="country"' in html
    assert "Pick at least" not in html  # no nagging before a choice


def test_the_career_suggestions_are_sent_once_and_picks_fill_the_boxes(client, two_careers):
    for n in range(30):
        CareerFactory(title=f"Role {n:02d}")
    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()
    assert html.count("<datalist") == 1
    assert html.count('<option value="Role 07">') == 1
    assert 'name="careers" value="ML Engineer"' in html
    assert 'name="careers" value="Data Engineer"' in html


def test_careers_typed_by_title_in_any_case_are_compared(client, two_careers):
    response = client.get(COMPARE, {"careers": ["ml engineer", "DATA ENGINEER "]})
    assert [column["career"].slug for column in response.context["columns"]] == ["ml", "data"]
    assert "could not find" not in response.content.decode()


def notices(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def boxes(response):
    return [place["value"] for place in response.context["picker"]]


def test_a_misspelt_title_is_read_as_the_one_career_it_finds_and_said_so(
    client, django_assert_num_queries, two_careers
):
    """Typed without the suggestions (a phone's keyboard, no JavaScript): the boxes were
    emptied and "We could not find these careers" had to be typed again."""
    # The same 4 queries as a comparison picked by slug: the titles are read from query 1.
    with django_assert_num_queries(4):
        response = client.get(COMPARE, {"careers": ["ML Enginer", "data"]})

    assert [column["career"].slug for column in response.context["columns"]] == ["ml", "data"]
    assert "We read “ML Enginer” as ML Engineer." in notices(response)
    assert "could not find" not in notices(response)


def test_a_word_two_titles_hold_stays_in_its_box_and_names_them(client, two_careers):
    response = client.get(COMPARE, {"careers": ["engineer", "ml"]})

    assert response.context["columns"] == []
    assert "“engineer” could be Data Engineer, ML Engineer: type more of the one" in (
        notices(response)
    )
    assert boxes(response) == ["ML Engineer", "engineer", ""]


def test_a_word_two_titles_hold_is_not_called_not_found(client, two_careers):
    """Typing "engineer" and "Zookeeper" was answered "We could not find these careers:
    “engineer”, “Zookeeper”" and then "“engineer” could be Data Engineer, ML Engineer": the
    site said it found nothing for a word it had just found two careers for."""
    response = client.get(COMPARE, {"careers": ["engineer", "Zookeeper"]})

    assert "We could not find these careers: “Zookeeper”." in notices(response)
    assert "“engineer” could be Data Engineer, ML Engineer" in notices(response)
    assert "“engineer”, “Zookeeper”" not in notices(response)
    assert boxes(response) == ["engineer", "Zookeeper", ""]


def test_a_title_nothing_resembles_stays_in_its_box_to_correct(client, two_careers):
    response = client.get(COMPARE, {"careers": ["ml", "Zookeeper"]})

    assert "We could not find these careers: “Zookeeper”." in notices(response)
    assert boxes(response) == ["ML Engineer", "Zookeeper", ""]


def breadcrumbs(response):
    """The page's breadcrumb trail as (name, link) pairs; the current page has no link."""
    nav = re.search(r'<nav aria-label="Breadcrumb">(.*?)</nav>', response.content.decode())
    assert nav, "no breadcrumb trail"
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', nav[1])
    return [
        (re.sub(r"<[^>]+>", "", item), (re.search(r'href="([^"]*)"', item) or [None, None])[1])
        for item in items
    ]


@pytest.mark.parametrize("chosen", [[], ["ml", "data"]])
def test_compare_page_leads_back_home_and_to_the_careers_list(client, two_careers, chosen):
    """The certification compare page had its trail; the careers one left a visitor no way
    back to the careers list but the navigation bar."""
    response = client.get(COMPARE, {"careers": chosen})

    assert breadcrumbs(response) == [
        ("Home", reverse("home")),
        ("Careers", reverse("careers:list")),
        ("Compare", None),
    ]
    assert '<li class="breadcrumb-item active" aria-current="page">Compare</li>' in (
        response.content.decode()
    )


@pytest.mark.parametrize("extra", [0, 6])
def test_compare_takes_four_queries(client, django_assert_num_queries, two_careers, extra):
    ml, data = two_careers
    for _ in range(extra):
        RoadmapStepFactory(career=ml)
        Salary(career=data, level="lead", median=200_000, year=2000 + _)
    # 1 career choices for the form, 2 the chosen careers, 3 their salary figures in the
    # country, 4 their visible roadmap steps with certification and provider joined (the
    # breadcrumb trail reverses URLs only: no query).
    with django_assert_num_queries(4):
        client.get(COMPARE, {"careers": ["ml", "data"]})


def test_a_retired_exam_counts_as_its_successor_in_totals_and_sharing(client, db):
    """AI-900 on one roadmap and AI-901, its successor, on the other: passing AI-901 settles
    both, so it is shared, and each total counts what a learner would book today."""
    ml, retired, successor = career_on_a_renamed_exam()
    ml.slug = "ml"
    ml.save()
    successor.exam_fee, successor.study_hours = 99, 15
    successor.save()
    data = CareerFactory(slug="data")
    RoadmapStepFactory(career=data, certification=successor)

    response = client.get(COMPARE, {"careers": ["ml", "data"]})

    assert [c.exam_code for c in response.context["shared"]] == ["AI-901"]
    assert [c["study_hours"] for c in response.context["columns"]] == [15, 15]
    assert response.content.decode().count("<td>$99</td>") == 2
    assert retired.exam_fee != 99


def test_shared_certifications_say_which_careers_they_count_for(client, db):
    """With three careers picked, an exam two of them share is not said to count for all
    three, and each chip names its exam code (AI-900 and AI-901 share a name)."""
    careers = [CareerFactory(title=title) for title in ("Alpha Role", "Beta Role", "Gamma Role")]
    everyone = CertificationFactory(name="Common Exam", exam_code="CE-100")
    two = CertificationFactory(name="Pair Exam", exam_code="PE-200")
    for position, career in enumerate(careers):
        RoadmapStepFactory(career=career, certification=everyone, position=0)
        if position < 2:
            RoadmapStepFactory(career=career, certification=two, position=1)
    query = "&".join(f"careers={career.slug}" for career in careers)

    html = client.get(f"/careers/compare/?{query}").content.decode()

    assert "count towards every career below" not in html
    assert "some are shared by only two of the careers you picked" in html
    assert '★ Common Exam <span class="cp-code">CE-100</span></a>' in html
    assert "Counts for all 3" in html
    assert '★ Pair Exam <span class="cp-code">PE-200</span></a>' in html
    assert "Counts for Alpha Role and Beta Role</span>" in html


def test_salary_country_menu_offers_only_countries_with_figures(client, two_careers):
    ml, _ = two_careers
    Salary(career=ml, country="DE", currency="EUR", level="mid", median=80_000)

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()
    menu = re.search(r'<select name="country".*?</select>', html, re.S).group()

    assert "Germany" in menu
    assert "Canada" not in menu and "India" not in menu
    response = client.get(COMPARE, {"careers": ["ml", "data"], "country": "CA"})
    assert response.context["country"] == "US"


def test_careers_picked_in_other_letter_case_are_compared(client):
    CareerFactory(slug="ai-ml-engineer")
    CareerFactory(slug="data-scientist")
    response = client.get(
        reverse("careers:compare"), {"careers": ["AI-ML-Engineer", "data-scientist"]}
    )
    assert "could not find" not in response.content.decode()
    columns = response.context["columns"]
    assert [c["career"].slug for c in columns] == ["ai-ml-engineer", "data-scientist"]


def test_roadmap_length_counts_steps_and_exams_to_book_as_the_career_page_does(client, db):
    """AI / ML Engineer's shape: a retired step whose successor is a step too, and an
    optional step. The row names both units, in the hero's terms."""
    career, _retired, successor = career_on_a_renamed_exam()
    career.slug = "ml"
    career.save()
    RoadmapStepFactory(career=career, certification=successor, position=2)
    RoadmapStepFactory(career=career, position=3, required=False)
    CareerFactory(slug="data")

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()

    row = html.split('<th scope="row">Roadmap length</th>')[1].split("</tr>")[0]
    assert "3 steps · 2 exams to book (1 required)" in row
    assert "certification" not in row
    hero = client.get(career.get_absolute_url()).content.decode()
    assert re.search(r"2\s*<span[^>]*>\(1 required\)", hero)


@pytest.mark.parametrize(
    "path",
    [
        "/careers/compare/?careers=ml-engineer&careers=data-engineer",
        "/certifications/compare/?certifications=cert-a&certifications=cert-b",
    ],
)
def test_a_comparison_tables_scroll_box_is_named_by_its_caption(client, path):
    """On a phone the table scrolls sideways: a keyboard can reach the box, named by the
    caption (static/js/scroll-boxes.js takes it out of the tab order where it fits)."""
    for slug in ("ml-engineer", "data-engineer"):
        RoadmapStepFactory(career=CareerFactory(slug=slug), position=1)
    for slug in ("cert-a", "cert-b"):
        CertificationFactory(slug=slug)
    html = client.get(path).content.decode()
    box = re.search(r"<[^>]*data-scroll-box[^>]*>", html).group(0)
    assert 'role="region"' in box and 'aria-labelledby="compare-caption"' in box
    assert 'tabindex="0"' in box
    assert '<caption id="compare-caption">' in html


def test_a_retired_step_is_priced_at_the_exam_that_replaced_it_and_names_it(client, db):
    """The roadmaps side by side add up to the "Total exam fees" row: a retired step shows
    the fee of the exam a learner would book today, and which exam that is."""
    ml, retired, successor = career_on_a_renamed_exam()
    ml.slug = "ml"
    ml.save()
    retired.exam_fee, successor.exam_fee = 165, 99
    retired.save()
    successor.save()
    CareerFactory(slug="data")

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()

    roadmaps = html.split('id="roadmaps-heading"', 1)[1]
    assert "$165" not in roadmaps
    assert "$99" in roadmaps
    assert f'Replaced by <a href="{successor.get_absolute_url()}">' in roadmaps


def test_a_retired_steps_fee_is_shown_beside_the_exam_that_replaced_it(client, db):
    """MLS-C01 costs $300 on its own page: the $150 the totals count for its step is the fee
    of MLA-C01, which replaced it, and reads as that exam's, not as MLS-C01's."""
    career = CareerFactory(slug="ml")
    successor = CertificationFactory(name="ML Engineer Associate", exam_code="MLA-C01")
    retired = CertificationFactory(
        name="ML Specialty", exam_code="MLS-C01", status="retired", successor=successor
    )
    retired.exam_fee, successor.exam_fee = 300, 150
    retired.save()
    successor.save()
    RoadmapStepFactory(career=career, certification=retired, phase="specialist", required=False)
    CareerFactory(slug="data")

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()

    step = re.search(r"<li[^>]*>\s*<a[^>]*>ML Specialty</a>.*?</li>", html, re.S).group(0)
    lines = re.findall(r'<span class="d-block small[^"]*">(.*?)</span>', step, re.S)
    lines = [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in lines]
    assert lines == ["Specialist · optional", "Replaced by ML Engineer Associate (MLA-C01) · $150"]
    assert "$300" not in step


def test_the_fees_listed_under_a_roadmap_add_up_to_its_total(client, db):
    """AI / ML Engineer's shape: a retired step (TensorFlow) whose replacement is a later step
    too is booked once, so its fee is listed once, at the later step, as the total counts it
    (the demo listed $1,114 of fees under a total of $914)."""
    career = CareerFactory(slug="ml")
    successor = CertificationFactory(name="Cloud ML Engineer", exam_fee=200)
    retired = CertificationFactory(
        name="TensorFlow", exam_fee=100, status="retired", successor=successor
    )
    RoadmapStepFactory(career=career, certification=retired, position=1)
    RoadmapStepFactory(career=career, certification=CertificationFactory(exam_fee=50), position=2)
    RoadmapStepFactory(career=career, certification=successor, position=3)
    CareerFactory(slug="data")

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()

    total = html.split('<th scope="row">Total exam fees</th>')[1].split("</td>")[0]
    assert "$250" in total
    roadmap = html.split('id="roadmaps-heading"', 1)[1].split("</ol>")[0]
    assert sorted(re.findall(r"\$(\d+)", roadmap)) == ["200", "50"]
    assert "Replaced by" in roadmap and ", also step 3" in roadmap


def test_two_retired_steps_replaced_by_one_exam_list_its_fee_once(client, db):
    """AI-100 and AI-102 were both replaced by AI-103, which the roadmap does not list: it is
    booked once, so its $165 is listed once, at the first of them, as the total counts it."""
    career = CareerFactory(slug="ml")
    successor = CertificationFactory(name="AI Apps", exam_code="AI-103", exam_fee=165)
    for position, code in enumerate(["AI-100", "AI-102"], start=1):
        retired = CertificationFactory(
            exam_code=code, exam_fee=300, status="retired", successor=successor
        )
        RoadmapStepFactory(career=career, certification=retired, position=position)
    CareerFactory(slug="data")

    html = client.get(COMPARE, {"careers": ["ml", "data"]}).content.decode()

    total = html.split('<th scope="row">Total exam fees</th>')[1].split("</td>")[0]
    assert "$165" in total
    roadmap = html.split('id="roadmaps-heading"', 1)[1].split("</ol>")[0]
    assert re.findall(r"\$(\d+)", roadmap) == ["165"]
    assert "AI Apps (AI-103)</a> · paid once, at step 1" in roadmap


@pytest.mark.parametrize(
    "picks", [["ml", "ml"], ["ml", "ML Engineer"], ["ml", "data", "ml"]], ids=str
)
def test_a_career_picked_twice_is_said_to_be_picked_twice(client, two_careers, picks):
    html = client.get(COMPARE, {"careers": picks}).content.decode()

    assert "You picked “ML Engineer” more than once; it counts once." in html


# One career picked: the careers to set beside it ----------------------------------------


def suggested(response):
    """The titles the page offers to compare the picked career with, in order."""
    return [suggestion["label"] for suggestion in response.context.get("suggestions") or []]


@pytest.fixture
def ml_and_neighbours(two_careers):
    """ML Engineer (Data & AI) with careers sharing its exams, careers of its category sharing
    none, and careers that must never be offered."""
    ml, _ = two_careers  # Data Engineer shares one exam: Shared Cloud Basics
    eu_exam = ml.roadmap_steps.get(certification__name="EU Exam").certification
    shared = ml.roadmap_steps.get(certification__name="Shared Cloud Basics").certification
    close = CareerFactory(title="MLOps Engineer", slug="mlops", category="Cloud")
    RoadmapStepFactory(career=close, certification=eu_exam)
    RoadmapStepFactory(career=close, certification=shared)
    draft = CareerFactory(title="Secret Role", status="draft")
    RoadmapStepFactory(career=draft, certification=eu_exam)
    CareerFactory(title="Secret Analyst", status="draft")  # a draft of the same category
    CareerFactory(title="Analytics Engineer", slug="analytics")  # same category, no exams
    CareerFactory(title="Web Developer", category="Software")  # shares nothing
    return ml


def test_one_career_picked_offers_its_related_careers_then_its_category(client, ml_and_neighbours):
    response = client.get(COMPARE, {"careers": ["ml"]})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Pick one or two more to set beside ML Engineer." in html
    assert 'role="status"' not in html  # an invitation, not a complaint
    # Most shared exams first (as the career page's related careers), then its category.
    assert suggested(response) == ["MLOps Engineer", "Data Engineer", "Analytics Engineer"]
    section = html.split('<section aria-labelledby="suggestions-heading"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert '<h2 id="suggestions-heading" class="h5">Related careers</h2>' in section
    assert section.count("<li") == 3
    for hidden in ("ML Engineer<", "Secret", "Web Developer"):
        assert hidden not in section
    assert f'href="{COMPARE}?careers=ml&amp;careers=mlops">Compare with MLOps Engineer</a>' in (
        section
    )


def test_each_suggestion_opens_the_comparison_of_the_two(client, ml_and_neighbours):
    html = client.get(COMPARE, {"careers": ["ml"]}).content.decode()
    links = re.findall(r'href="([^"]+)">Compare with ([^<]+)</a>', html)
    assert len(links) == 3
    for url, title in links:
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        assert [c["career"].title for c in response.context["columns"]] == ["ML Engineer", title]


def test_the_same_career_twice_gets_the_suggestions_too(client, ml_and_neighbours):
    response = client.get(COMPARE, {"careers": ["ml", "ML Engineer"]})
    html = response.content.decode()
    assert "You picked “ML Engineer” more than once; it counts once." in html
    assert "Pick at least two" not in html
    assert suggested(response)[0] == "MLOps Engineer"


def test_no_more_than_four_are_offered_and_none_twice(client, ml_and_neighbours):
    # A career of its category that also shares an exam is offered once, among the related.
    both = CareerFactory(title="AI Engineer", slug="ai")
    RoadmapStepFactory(career=both, certification=CertificationFactory.create(name="Own"))
    shared = ml_and_neighbours.roadmap_steps.get(certification__name="Shared Cloud Basics")
    RoadmapStepFactory(career=both, certification=shared.certification)
    for n in range(5):
        CareerFactory(title=f"Aardvark {n}")  # of its category, first by title

    response = client.get(COMPARE, {"careers": ["ml"]})

    assert suggested(response) == ["MLOps Engineer", "AI Engineer", "Data Engineer", "Aardvark 0"]


def test_a_career_with_no_related_careers_falls_back_to_its_category(client, db):
    CareerFactory(title="Lonely Role", slug="lonely", category="Niche")
    CareerFactory(title="Niche Mate", category="Niche")
    CareerFactory(title="Elsewhere", category="Other")

    response = client.get(COMPARE, {"careers": ["lonely"]})

    assert suggested(response) == ["Niche Mate"]


def test_a_career_alone_in_everything_offers_nothing_and_still_invites(client, db):
    CareerFactory(title="Lonely Role", slug="lonely", category="Niche")
    CareerFactory(title="Elsewhere", category="Other")

    response = client.get(COMPARE, {"careers": ["lonely"]})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Pick one or two more to set beside Lonely Role." in html
    assert "suggestions-heading" not in html
    assert "Compare with" not in html
    assert 'role="status"' not in html


def test_a_retired_exam_relates_careers_through_its_successor(client, db):
    """As the career page counts related careers: the step leads to the successor now."""
    career, _, successor = career_on_a_renamed_exam()
    career.category = "Mine"
    career.save()
    on_successor = CareerFactory(title="On The Successor", category="Other")
    RoadmapStepFactory(career=on_successor, certification=successor)
    on_draft = CareerFactory(title="On A Draft", category="Other")
    draft = CertificationFactory(status="draft")
    RoadmapStepFactory(career=career, certification=draft)
    RoadmapStepFactory(career=on_draft, certification=draft)

    response = client.get(COMPARE, {"careers": [career.slug]})

    assert suggested(response) == ["On The Successor"]
    related = client.get(career.get_absolute_url()).context["related_careers"]
    assert [c.title for c in related] == ["On The Successor"]


def test_a_retired_exam_whose_successor_retired_too_relates_no_careers(client, db):
    """Nobody can book it: the career page leads nowhere from it, and neither do suggestions."""
    career, retired, successor = career_on_a_renamed_exam()
    successor.status = "retired"
    successor.save()
    career.category = "Mine"
    career.save()
    also_on_it = CareerFactory(title="Also On It", category="Other")
    RoadmapStepFactory(career=also_on_it, certification=retired)

    assert suggested(client.get(COMPARE, {"careers": [career.slug]})) == []
    assert client.get(career.get_absolute_url()).context["related_careers"] == []


def test_a_chosen_country_is_kept_in_the_suggested_comparisons(client, ml_and_neighbours):
    html = client.get(COMPARE, {"careers": ["ml"], "country": "GB"}).content.decode()
    assert f'href="{COMPARE}?careers=ml&amp;careers=mlops&amp;country=GB"' in html
    html = client.get(COMPARE, {"careers": ["ml"], "country": "ZZ"}).content.decode()
    assert f'href="{COMPARE}?careers=ml&amp;careers=mlops"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"careers": ["ml", ""]},
        {"careers": ["ml", "nope"]},
        {"careers": ["ml", "ml", "ml", "ml"]},
        {"careers": ["ml", "x" * 3000]},
        {"careers": ["ml", "<script>"], "country": "<b>"},
        {"careers": ["ML ENGINEER"], "country": ""},
        {"careers": ["  ml  ", "Ünïcödé İstanbul", "%"]},
        {"careers": ["secret"]},
    ],
    ids=range(8),
)
def test_odd_single_picks_never_break_the_page(client, ml_and_neighbours, query):
    CareerFactory(slug="secret", title="Secret Career", status="draft")
    response = client.get(COMPARE, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Secret Career" not in html
    if response.context["alone"]:
        assert suggested(response)[0] == "MLOps Engineer"


@pytest.mark.parametrize("careers", [10, 40])
def test_one_pick_takes_three_queries_however_many_careers(
    client, django_assert_num_queries, ml_and_neighbours, careers
):
    shared = ml_and_neighbours.roadmap_steps.get(certification__name="Shared Cloud Basics")
    for n in range(careers):
        other = CareerFactory(category="Data & AI" if n % 2 else "Other")
        if n % 3 == 0:
            RoadmapStepFactory(career=other, certification=shared.certification)
    # 1 career choices (with their categories) and salary countries for the form, 2 the
    # picked career, 3 its related careers (its roadmap's exams read as a subquery); its
    # category's careers come from query 1.
    with django_assert_num_queries(3):
        response = client.get(COMPARE, {"careers": ["ml"]})
    assert len(suggested(response)) == 4
