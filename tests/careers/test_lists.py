"""The public career list (/careers/) and the employer pages."""

import re

import pytest
from django.urls import reverse

from careers.models import Career, Employer
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    HiringFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("careers:list")


def titles(response):
    return [career.title for career in response.context["careers"]]


def test_career_list_shows_published_careers_only(client):
    CareerFactory(title="Cloud Architect")
    CareerFactory(title="Secret Draft", status=Career.Status.DRAFT)
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Cloud Architect"]
    assert "Secret Draft" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["architect", "ARCHITECT", "designs clouds", "solutions designer", "infrastructure"],
)
def test_text_search_reads_title_tagline_alternative_titles_and_category(client, query):
    CareerFactory(
        title="Cloud Architect",
        tagline="Designs clouds that stay up.",
        alternative_titles="Solutions Designer, Platform Lead",
        category="Infrastructure",
    )
    CareerFactory(title="Data Analyst", tagline="Reads numbers.", category="Data")
    assert titles(client.get(LIST, {"q": query})) == ["Cloud Architect"]


def test_category_and_demand_filters_combine(client):
    CareerFactory(title="A", category="Cloud", demand="high")
    CareerFactory(title="B", category="Cloud", demand="low")
    CareerFactory(title="C", category="Data", demand="high")
    assert titles(client.get(LIST, {"category": "Cloud"})) == ["A", "B"]
    assert titles(client.get(LIST, {"category": "Cloud", "demand": "high"})) == ["A"]


def test_sort_by_median_salary_uses_the_chosen_country_and_level(client):
    low, high, none = CareerFactory(title="Low"), CareerFactory(title="High"), CareerFactory()
    SalaryFigureFactory(career=low, level="mid", median=90_000)
    SalaryFigureFactory(career=high, level="mid", median=150_000)
    SalaryFigureFactory(career=high, level="mid", median=120_000, year=2024)  # older, ignored
    SalaryFigureFactory(career=low, country="GB", currency="GBP", level="mid", median=200_000)
    response = client.get(LIST, {"sort": "salary", "country": "US", "level": "mid"})
    assert titles(response) == ["High", "Low", none.title]  # no figure: last
    assert "$150,000" in response.content.decode()
    response = client.get(LIST, {"sort": "salary", "country": "GB", "level": "mid"})
    assert titles(response)[0] == "Low"
    assert "£200,000" in response.content.decode()
    assert "Mid-level salary, United Kingdom" in response.content.decode()  # as on the home page


def test_salary_country_menu_offers_only_countries_with_figures_on_published_careers(client):
    career = CareerFactory()
    SalaryFigureFactory(career=career, country="US", level="mid")
    SalaryFigureFactory(career=career, country="GB", currency="GBP", level="mid")
    draft = CareerFactory(status=Career.Status.DRAFT)
    SalaryFigureFactory(career=draft, country="CA", currency="CAD", level="mid")

    html = client.get(LIST).content.decode()
    menu = re.search(r'<select name="country".*?</select>', html, re.S).group()

    assert re.findall(r'<option value="(\w+)"', menu) == ["US", "GB"]
    assert "Canada" not in menu and "France" not in menu
    response = client.get(LIST, {"country": "CA", "sort": "salary"})
    assert response.context["values"]["country"] == "US"
    assert "We have no salary figures for “CA”; showing United States figures." in (
        response.content.decode()
    )


def test_a_salary_sort_with_no_figures_to_sort_by_says_so(client):
    SalaryFigureFactory(career=CareerFactory(title="Has Mid"), level="mid")
    CareerFactory(title="No Figure")

    html = client.get(LIST, {"sort": "salary", "level": "lead"}).content.decode()
    assert "No career here has a lead-level salary figure for United States" in html
    assert "listed by title" in html

    html = client.get(LIST, {"sort": "salary", "level": "mid"}).content.decode()
    assert "listed by title" not in html


def test_sort_by_number_of_certifications_ignores_draft_certifications(client):
    few, many = CareerFactory(title="Few"), CareerFactory(title="Many")
    RoadmapStepFactory(career=few)
    RoadmapStepFactory(career=many)
    RoadmapStepFactory(career=many)
    for _ in range(3):
        RoadmapStepFactory(career=few, certification=CertificationFactory(status="draft"))
    response = client.get(LIST, {"sort": "certs"})
    assert titles(response) == ["Many", "Few"]
    assert [c.cert_count for c in response.context["careers"]] == [2, 1]


def test_pages_hold_twelve_and_page_links_keep_the_filters(client):
    for n in range(14):
        CareerFactory(title=f"Cloud {n:02d}", category="Cloud")
    response = client.get(LIST, {"category": "Cloud", "sort": "title"})
    assert len(response.context["careers"]) == 12
    html = response.content.decode()
    assert "?category=Cloud&amp;sort=title&amp;page=2" in html
    second = client.get(LIST, {"category": "Cloud", "sort": "title", "page": "2"})
    assert titles(second) == ["Cloud 12", "Cloud 13"]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nonsense"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"country": "XX"},
        {"level": "boss"},
        {"category": "No such category"},
        {"demand": "'; DROP TABLE careers_career;--"},
    ],
)
def test_bad_parameters_show_a_page_and_say_what_was_ignored(client, params):
    CareerFactory(title="Still Here")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert titles(response) == ["Still Here"]
    assert response.context["notices"]


def test_an_ignored_career_filter_says_why_as_the_catalogue_does(client):
    CareerFactory(title="Still Here")
    response = client.get(LIST, {"demand": "sky-high"})
    assert "Demand: “sky-high” was ignored: it is not one of the choices." in (
        response.content.decode()
    )


def test_an_overlong_search_is_shortened_with_a_message(client):
    CareerFactory(title="Still Here")
    response = client.get(LIST, {"q": "still" + "x" * 500})
    assert response.status_code == 200
    assert response.context["values"]["q"] == "still" + "x" * 95
    assert "shortened" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client):
    for n in range(13):
        CareerFactory(title=f"Career {n:02d}")
    response = client.get(LIST, {"page": "999"})
    assert response.context["page_obj"].number == 2
    assert "showing page 2" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "-999"])
def test_a_page_below_one_shows_the_first_page(client, page):
    for n in range(13):
        CareerFactory(title=f"Career {n:02d}")
    response = client.get(LIST, {"page": page})
    assert response.context["page_obj"].number == 1
    assert "showing page 1" in response.content.decode()


@pytest.mark.parametrize("page", ["02", " 2 "])
def test_another_spelling_of_the_page_shown_needs_no_notice(client, page):
    for n in range(13):
        CareerFactory(title=f"Career {n:02d}")
    response = client.get(LIST, {"page": page})
    assert response.context["page_obj"].number == 2
    assert "There is no page" not in response.content.decode()


def test_the_filter_form_works_without_javascript(client):
    CareerFactory()
    html = client.get(LIST).content.decode()
    form = re.search(r'<form method="get" action="/careers/".*?</form>', html, re.S).group()
    for name in ("q", "category", "demand", "sort", "country", "level"):
        assert f'name="{name}"' in form
    assert 'type="submit"' in form


def _careers_with_rows(n):
    for i in range(n):
        career = CareerFactory(category=f"Category {i % 3}")
        SalaryFigureFactory(career=career, level="mid")
        RoadmapStepFactory(career=career)
        RoadmapStepFactory(career=career)


@pytest.mark.parametrize("rows", [4, 12])
def test_career_list_takes_three_queries_however_many_rows(client, django_assert_num_queries, rows):
    _careers_with_rows(rows)
    # 1 distinct categories for the filter, 2 COUNT for the paginator, 3 the page of careers
    # with certification count and salary subqueries annotated.
    with django_assert_num_queries(3) as queries:
        response = client.get(LIST, {"sort": "salary"})
    assert len(response.context["careers"]) == min(rows, 12)
    # The paginator counts careers alone: counting them joined with every career's roadmap
    # steps made the list cost more as the site grew (1.44x the CPU at 10x the bench data).
    assert "roadmapstep" not in queries.captured_queries[1]["sql"]


def test_employer_list_counts_published_careers_only(client):
    employer = EmployerFactory(name="Acme")
    HiringFactory(employer=employer)
    HiringFactory(employer=employer, career=CareerFactory(status=Career.Status.DRAFT))
    response = client.get(reverse("employers:list"))
    assert response.status_code == 200
    assert "Hires for 1 career" in response.content.decode()
    assert employer.logo_url in response.content.decode()


@pytest.mark.parametrize("rows", [2, 30])
def test_employer_list_is_two_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        HiringFactory()
    # 1 COUNT for the paginator, 2 the page of employers with their published-career count
    with django_assert_num_queries(2):
        response = client.get(reverse("employers:list"))
    assert len(response.context["employers"]) == min(rows, 24)


def test_employers_are_listed_24_a_page_with_links_between_pages(client):
    for n in range(30):
        EmployerFactory(name=f"Employer {n:02d}")
    first = client.get(reverse("employers:list"))
    html = first.content.decode()
    assert html.count('class="cp-logo"') == 24
    assert "Employer 23" in html and "Employer 24" not in html
    assert 'href="?page=2" rel="next"' in html
    assert "<title>Employers hiring for tech careers · " in html
    second = client.get(reverse("employers:list"), {"page": "2"})
    html = second.content.decode()
    assert [e.name for e in second.context["employers"]] == [f"Employer {n}" for n in range(24, 30)]
    assert "<title>Employers hiring for tech careers (page 2) · " in html
    assert 'href="?page=1" rel="prev"' in html
    # Like the career list, every page names the first as the canonical one.
    assert re.search(r'<link rel="canonical" href="[^"]*/employers/">', html)


@pytest.mark.parametrize(("page", "shown"), [("999", 2), ("abc", 1), ("0", 1)])
def test_an_employer_page_out_of_range_shows_a_page_and_says_so(client, page, shown):
    for n in range(25):
        EmployerFactory(name=f"Employer {n:02d}")
    response = client.get(reverse("employers:list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert f"showing page {shown}" in response.content.decode()


def test_employer_page_lists_the_published_careers_it_hires_for(client):
    employer = EmployerFactory(name="Acme")
    HiringFactory(employer=employer, career=CareerFactory(title="Public Role"))
    HiringFactory(employer=employer, career=CareerFactory(title="Hidden", status="draft"))
    response = client.get(employer.get_absolute_url())
    html = response.content.decode()
    assert "Public Role" in html
    assert "Hidden" not in html
    assert employer.logo_url in html


@pytest.mark.parametrize("rows", [2, 30])
def test_employer_page_is_two_queries(client, django_assert_num_queries, rows):
    employer = EmployerFactory()
    for _ in range(rows):
        HiringFactory(employer=employer)
    # 1 the employer with its published-career count, 2 its first 12 hirings with careers
    with django_assert_num_queries(2):
        response = client.get(employer.get_absolute_url())
    assert len(response.context["hirings"]) == min(rows, 12)


def _employer_hiring_for(count):
    employer = EmployerFactory(name="Acme")
    for n in range(count):
        HiringFactory(employer=employer, career=CareerFactory(title=f"Role {n:02d}"))
    HiringFactory(employer=employer, career=CareerFactory(title="Role draft", status="draft"))
    HiringFactory(career=CareerFactory(title="Role elsewhere"))
    return employer


def test_employer_page_shows_twelve_careers_and_links_to_all_of_them(client):
    employer = _employer_hiring_for(15)
    html = client.get(employer.get_absolute_url()).content.decode()
    assert re.findall(r">(Role [^<]+)</a>", html) == [f"Role {n:02d}" for n in range(12)]
    careers_url = reverse("employers:careers", args=[employer.slug])
    assert f'<a href="{careers_url}">and 3 more careers</a>' in html
    every = client.get(careers_url).content.decode()
    assert re.findall(r">(Role [^<]+)</a>", every) == [f"Role {n:02d}" for n in range(15)]
    assert "<title>Careers Acme hires for · " in every


def test_employer_page_with_twelve_careers_or_fewer_has_no_more_link(client):
    html = client.get(_employer_hiring_for(12).get_absolute_url()).content.decode()
    assert len(re.findall(r">(Role [^<]+)</a>", html)) == 12
    assert "more career" not in html


@pytest.mark.parametrize("rows", [13, 30])
def test_every_career_of_an_employer_is_24_a_page_in_three_queries(
    client, django_assert_num_queries, rows
):
    employer = _employer_hiring_for(rows)
    url = reverse("employers:careers", args=[employer.slug])
    # 1 the employer, 2 COUNT, 3 the page of hirings with their careers
    with django_assert_num_queries(3):
        response = client.get(url, {"page": "2"})
    html = response.content.decode()
    if rows > 24:
        assert re.findall(r">(Role [^<]+)</a>", html) == [f"Role {n}" for n in range(24, rows)]
        assert "(page 2) · " in html and 'rel="prev"' in html
    else:
        assert "There is no page “2”; showing page 1." in html


def test_unknown_employer_is_404(client):
    assert client.get(reverse("employers:detail", args=["nobody"])).status_code == 404


def test_did_you_mean_reads_the_careers_words_once_until_an_editor_changes_them(
    client, django_assert_num_queries
):
    CareerFactory(title="Security Engineer", category="Security")
    assert client.get(LIST, {"q": "securty"}).context["respelling"]["words"] == "security"
    # 1 categories and countries, 2 COUNT (none): the words were read by the search before
    with django_assert_num_queries(2):
        response = client.get(LIST, {"q": "enginer"})
    assert response.context["respelling"]["words"] == "engineer"
    CareerFactory(title="Kubernetes Administrator")  # an editor's save: read again
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "kuberntes"})
    assert response.context["respelling"]["words"] == "kubernetes"


def test_a_misspelt_search_of_careers_offers_the_words_the_careers_have(
    client, django_assert_num_queries
):
    CareerFactory(title="Security Engineer", category="Security")
    # 1 categories, 2 COUNT (none), 3 the careers' searched words
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "securty enginer", "category": "Security", "page": "2"})
    html = response.content.decode()
    assert "No careers match these filters." in html
    assert 'Did you mean “<a href="?q=security+engineer&amp;category=Security">' in html
    assert "security engineer</a>”?" in html


def test_did_you_mean_never_links_to_another_empty_list(client, django_assert_num_queries):
    CareerFactory(title="Data Engineer", category="Data")
    CareerFactory(title="Security Engineer", category="Security")

    # 1 categories and countries, 2 COUNT (none), 3 the careers' words with their filters
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "data enginer", "category": "Security"})
    html = response.content.decode()
    assert 'Did you mean “<a href="?q=data+engineer">data engineer</a>”?' in html
    assert "It finds careers once the category and demand filters are cleared." in html
    assert client.get(LIST, {"q": "data engineer"}).context["page_obj"].paginator.count == 1

    html = client.get(LIST, {"q": "securty enginer", "category": "Security"}).content.decode()
    assert 'href="?q=security+engineer&amp;category=Security"' in html
    assert "filters are cleared" not in html


def test_a_careers_search_with_nothing_alike_offers_nothing(client):
    CareerFactory(title="Security Engineer")
    CareerFactory(title="Basket Weaver", status=Career.Status.DRAFT)
    for query in ("baskett", "xyzzy plugh"):
        response = client.get(LIST, {"q": query})
        assert response.context["respelling"] is None
        assert "Did you mean" not in response.content.decode()


def test_careers_sort_by_title_alphabetically_whatever_their_case(client):
    for title in ["SRE", "Security Analyst", "data engineer"]:
        CareerFactory(title=title)
    response = client.get(LIST, {"sort": "title"})
    titles = [c.title for c in response.context["page_obj"]]
    assert titles == ["data engineer", "Security Analyst", "SRE"]


def test_a_career_card_counts_roadmap_steps_and_says_so(client):
    """The card counts steps (a retired exam and its successor may be two); the career page's
    hero counts the exams to book. Each says which it counts."""
    career = CareerFactory()
    RoadmapStepFactory.create_batch(3, career=career)
    html = client.get(LIST).content.decode()
    assert "<dt>Roadmap steps</dt><dd>3</dd>" in html


def test_a_career_whose_steps_are_all_drafts_counts_zero_steps_and_sorts_last(client):
    CareerFactory(title="Empty")
    draft_only = CareerFactory(title="Drafts")
    RoadmapStepFactory(career=draft_only, certification=CertificationFactory(status="draft"))
    RoadmapStepFactory(career=CareerFactory(title="One"))
    response = client.get(LIST, {"sort": "certs"})
    assert titles(response) == ["One", "Drafts", "Empty"]
    assert [c.cert_count for c in response.context["careers"]] == [1, 0, 0]
    assert response.content.decode().count("<dt>Roadmap steps</dt><dd>0</dd>") == 2


def test_a_replaced_filter_value_shows_the_value_used_and_only_the_notice(client):
    SalaryFigureFactory(career=CareerFactory(), country="US")
    html = client.get(LIST, {"country": "CA", "sort": "nonsense"}).content.decode()
    assert "We have no salary figures for “CA”; showing United States figures." in html
    assert "Select a valid choice" not in html and "is-invalid" not in html
    assert re.search(r'<option value="US" selected>', html)


def test_a_long_list_links_its_first_last_and_nearby_pages_but_not_every_page(client):
    """Each page link repeats the address's whole query: linking all 30 pages sent a visitor's
    parameters back 32 times (1.1 MB, kept in the page cache, for 8 KB of them on 1,535
    certifications)."""
    Employer.objects.bulk_create(
        Employer(name=f"Employer {n:03d}", slug=f"employer-{n:03d}") for n in range(24 * 30)
    )
    padding = "x" * 2000

    html = client.get(reverse("employers:list"), {"page": "15", "ref": padding}).content.decode()

    nav = html.split('aria-label="Employer pages"', 1)[1].split("</nav>", 1)[0]
    linked = [int(n) for n in re.findall(r'page=(\d+)[^"]*"(?: aria-current="page")?>\d+<', nav)]
    assert linked == [1, 13, 14, 15, 16, 17, 30]
    assert nav.count("…") == 2
    assert re.search(r'page=14[^"]*" rel="prev"', nav)
    assert re.search(r'page=16[^"]*" rel="next"', nav)
    assert html.count(padding) <= 9  # seven numbers, Previous and Next


@pytest.mark.parametrize("pages", [1, 2])
def test_list_pages_show_no_template_comment(client, pages):
    # Django's {# #} comment ends at the line's end: one spanning two lines was printed as
    # text under every list (careers, certifications, employers), one page or several.
    for n in range(12 * pages):
        CareerFactory(title=f"Career {n:02d}")
    html = client.get(LIST).content.decode()
    assert "{#" not in html and "#}" not in html
    assert "Page links keep every filter" not in html


def test_a_career_without_a_figure_for_the_chosen_salary_says_so_on_its_card(client):
    paid = CareerFactory(title="Salaried Role")
    SalaryFigureFactory(career=paid, country="GB", currency="GBP", level="lead", median=90_000)
    SalaryFigureFactory(career=CareerFactory(title="Unpaid Role"), country="US", level="lead")

    html = client.get(LIST, {"sort": "salary", "country": "GB", "level": "lead"}).content.decode()

    cards = html.split('class="card h-100')[1:]
    unpaid = next(card for card in cards if "Unpaid Role" in card)
    label = "Lead-level salary, United Kingdom"
    assert re.search(rf"{label}</dt>\s*<dd[^>]*>No figure yet</dd>", unpaid)
    assert "No figure yet" not in next(card for card in cards if "Salaried Role" in card)


@pytest.mark.parametrize("sort", ["title", "salary", "certs"])
def test_careers_of_one_name_each_appear_on_exactly_one_page(client, sort):
    # Title, salary and roadmap length can tie; a tie must not move a career between pages
    # when rows change in between (PostgreSQL sorts ties in whatever order it reads them).
    careers = [CareerFactory(title="Cloud Engineer") for _ in range(30)]
    first = client.get(LIST, {"sort": sort})
    for career in careers[::2]:  # an editor saves some: PostgreSQL stores them anew
        Career.objects.filter(pk=career.pk).update(title="Cloud Engineer")
    pages = [first] + [client.get(LIST, {"sort": sort, "page": n}) for n in (2, 3)]
    seen = [c.pk for response in pages for c in response.context["careers"]]
    assert sorted(seen) == sorted(c.pk for c in careers)


@pytest.mark.parametrize("query", ["sre", "site reliability engineers", "platform engineer salary"])
def test_the_career_lists_search_box_knows_abbreviations_plurals_and_salary_words(client, query):
    CareerFactory(
        title="Cloud Engineer", alternative_titles="Site Reliability Engineer, Platform Engineer"
    )
    CareerFactory(title="Data Scientist")
    response = client.get(LIST, {"q": query})
    assert [c.title for c in response.context["careers"]] == ["Cloud Engineer"]
