"""Findability: titles, descriptions, canonical links, Open Graph, sitemap, robots, errors."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse

from careerportal import sitemaps
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    HiringFactory,
    RoadmapStepFactory,
)
from tests.test_security import assert_security_headers

pytestmark = pytest.mark.django_db
SITE = "https://careers.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def content():
    career = CareerFactory(title="Cloud Engineer", slug="cloud-engineer")
    certification = CertificationFactory(name="Cloud Basics", slug="cloud-basics")
    RoadmapStepFactory(career=career, certification=certification)
    employer = EmployerFactory(name="Acme", slug="acme")
    HiringFactory(career=career, employer=employer)
    return career, certification, employer


def head(html):
    return html.split("</head>", 1)[0]


def pages(content):
    _career, certification, employer = content
    return [
        reverse("home"),
        reverse("careers:list"),
        reverse("careers:compare"),
        reverse("certifications:list"),
        reverse("certifications:compare"),
        certification.get_absolute_url(),
        reverse("employers:list"),
        employer.get_absolute_url(),
        reverse("search"),
    ]


def test_every_public_page_has_a_unique_title_and_description(client, content):
    titles, descriptions = set(), set()
    for url in pages(content):
        html = head(client.get(url).content.decode())
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        description = re.search(r'<meta name="description" content="([^"]+)"', html).group(1)
        assert 20 <= len(description) <= 170, url
        titles.add(title)
        descriptions.add(description)
    assert len(titles) == len(pages(content))
    assert len(descriptions) >= len(pages(content)) - 1  # two list-like pages may share


def test_every_public_page_has_an_absolute_canonical_link_and_open_graph(client, content):
    for url in pages(content):
        html = head(client.get(url, {"page": "1", "utm_source": "x"}).content.decode())
        assert f'<link rel="canonical" href="{SITE}{url}">' in html, url
        assert html.count('rel="canonical"') == 1, url
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert f'property="{prop}"' in html, (url, prop)


def sitemap_urls(client):
    """Every <url> of every sitemap the index at /sitemap.xml names, by its <loc>."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    urls = {}
    for sitemap in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS):
        assert sitemap.text.startswith(SITE + "/sitemap-"), sitemap.text
        response = client.get(sitemap.text.removeprefix(SITE))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        urls.update({u.find("s:loc", NS).text: u for u in root.findall("s:url", NS)})
    return urls


def test_sitemap_is_an_index_of_one_sitemap_a_section_each_paged(client, content, monkeypatch):
    CareerFactory(slug="another-career")
    CareerFactory(slug="third-career")
    monkeypatch.setattr(sitemaps.Sitemap, "limit", 2)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", NS)] == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-pages.xml?p=2",
        f"{SITE}/sitemap-careers.xml",
        f"{SITE}/sitemap-careers.xml?p=2",
        f"{SITE}/sitemap-certifications.xml",
        f"{SITE}/sitemap-employers.xml",
    ]
    second = ET.fromstring(client.get("/sitemap-careers.xml", {"p": "2"}).content)
    assert [u.find("s:loc", NS).text for u in second.findall("s:url", NS)] == [
        f"{SITE}/careers/third-career/"
    ]
    assert client.get("/sitemap-careers.xml", {"p": "3"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_sitemap_index_takes_five_queries_however_many_pages(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        HiringFactory(career=RoadmapStepFactory().career)
    # 1 the newest career edit (the list pages' date and the careers' alike: read once),
    # 2 careers' COUNT, 3-4 certifications' newest edit and COUNT, 5 COUNT of employers.
    with django_assert_num_queries(5):
        assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize(
    ("section", "queries"),
    [("pages", 1), ("careers", 2), ("certifications", 2), ("employers", 2)],
)
def test_a_sitemap_section_takes_one_or_two_queries_however_many_pages(
    client, django_assert_num_queries, rows, section, queries
):
    for _ in range(rows):
        HiringFactory(career=RoadmapStepFactory().career)
    # pages: 1 the newest career edit (every list page's date). careers, certifications and
    # employers: 1 COUNT for the sitemap's paginator, 2 the page's slugs (with edit dates).
    with django_assert_num_queries(queries):
        response = client.get(f"/sitemap-{section}.xml")
    assert response.content.count(b"<url>") == (4 if section == "pages" else rows)


def test_the_sitemaps_are_kept_in_the_page_cache(client, content, django_assert_num_queries):
    for url in ("/sitemap.xml", "/sitemap-careers.xml"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit"
        assert again["Content-Type"] == "application/xml"
        assert b"careers.example.org" in again.content


def test_the_sitemaps_name_a_stylesheet_for_people_opening_them(client, content):
    """A browser draws the sitemaps with the site's stylesheet, not its own XML viewer (whose
    inline style the Content-Security-Policy blocks; a real browser draws it so in
    tests/browser/test_journeys.py)."""
    line = f'<?xml-stylesheet type="text/css" href="{static("css/sitemap.css")}"?>'
    for url in ("/sitemap.xml", "/sitemap-careers.xml"):
        response = client.get(url)
        head = response.content.decode().splitlines()[:2]
        assert head == ['<?xml version="1.0" encoding="UTF-8"?>', line], url
        assert_security_headers(response)  # the policy is the pages' own, unrelaxed


@pytest.mark.parametrize("method", ["post", "put", "delete", "trace"])
def test_the_sitemaps_answer_reads_only(client, content, method):
    # Django's sitemap views answer any method; a crawler reads, and nothing else is served.
    for url in (reverse("sitemap"), reverse("sitemap-section", args=["careers"])):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD"
        assert "<urlset" not in response.content.decode()


def test_sitemap_lists_public_pages_with_lastmod_and_no_drafts(client, content):
    career, certification, employer = content
    CareerFactory(slug="draft-career", status="draft")
    CertificationFactory(slug="draft-cert", status="draft")
    retired = CertificationFactory(slug="old-cert", status="retired")
    urls = sitemap_urls(client)
    for path in [
        "/",
        "/careers/",
        "/certifications/",
        "/employers/",
        career.get_absolute_url(),
        certification.get_absolute_url(),
        retired.get_absolute_url(),
        employer.get_absolute_url(),
    ]:
        assert SITE + path in urls, path
    assert urls[SITE + career.get_absolute_url()].find("s:lastmod", NS) is not None
    assert urls[SITE + certification.get_absolute_url()].find("s:lastmod", NS) is not None
    assert not any("draft" in loc for loc in urls)


def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):  # a fixed text: no table is read
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    for path in ("/admin/", "/dashboard/", "/accounts/"):
        assert f"Disallow: {path}" in text


def test_404_page_is_in_the_site_style_and_helps(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'action="/search/"' in html
    assert "site.css" in html
    assert 'name="robots" content="noindex"' in html


def test_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render({})
    assert "Something went wrong" in html
    assert "site.css" in html


def test_public_pages_load_without_sign_in(client, content):
    for url in [*pages(content), "/sitemap.xml", "/robots.txt"]:
        assert client.get(url).status_code == 200, url


def test_favicon_ico_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@pytest.fixture
def template_queries(monkeypatch):
    """The SQL run while any template renders (views must evaluate everything first)."""
    from django.db import connection
    from django.template.base import Template

    state = {"depth": 0}
    queries = []
    original = Template.render

    def render(self, context):
        state["depth"] += 1
        try:
            return original(self, context)
        finally:
            state["depth"] -= 1

    def spy(execute, sql, params, many, context):
        if state["depth"]:
            queries.append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(Template, "render", render)
    with connection.execute_wrapper(spy):
        yield queries


def test_no_query_runs_while_a_public_page_renders(client, content, template_queries):
    career, certification, _employer = content
    compare = reverse("certifications:compare")
    other = CertificationFactory()
    other.prerequisites.add(certification)
    RoadmapStepFactory(career=career, certification=other)
    urls = [
        *pages(content),
        f"{reverse('careers:compare')}?careers={career.slug}&careers={CareerFactory().slug}",
        f"{compare}?certifications={certification.slug}&certifications={other.slug}",
        f"{compare}?certifications={certification.slug}",
        f"{reverse('search')}?q=cloud",
        f"{reverse('search')}?q=nothing-matches",
        f"{reverse('careers:list')}?sort=salary&page=2",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert template_queries == [], url


def test_the_template_query_spy_does_see_a_lazy_queryset(content, template_queries):
    from django.template import Context, Template

    from careers.models import Career

    Template("{% for c in careers %}{{ c }}{% endfor %}").render(
        Context({"careers": Career.objects.all()})
    )
    assert len(template_queries) == 1


def test_a_mistyped_career_or_certification_address_offers_the_page_meant(
    client, django_assert_max_num_queries
):
    CareerFactory(slug="ai-ml-engineer", title="AI / ML Engineer")
    CareerFactory(slug="quantum-engineer", title="Quantum Engineer", status="draft")
    CertificationFactory(slug="aws-ai-practitioner", name="AWS Certified AI Practitioner")
    response = client.get("/careers/ai-ml-enginer/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'Did you mean <a href="/careers/ai-ml-engineer/">AI / ML Engineer</a>?' in html
    html = client.get("/certifications/aws-ai-practioner/").content.decode()
    assert 'Did you mean <a href="/certifications/aws-ai-practitioner/">' in html
    # A draft is never offered; the address's words fill the search box instead.
    html = client.get("/careers/quantum-enginer/").content.decode()
    assert "Did you mean" not in html and "Quantum Engineer" not in html
    assert 'value="quantum enginer"' in html


def test_an_address_in_other_letter_case_leads_to_the_page(client, db):
    CareerFactory(slug="ai-ml-engineer", title="AI / ML Engineer")
    CertificationFactory(slug="cka", name="Certified Kubernetes Administrator")
    CareerFactory(slug="quantum-engineer", title="Quantum Engineer", status="draft")

    response = client.get("/careers/AI-ML-Engineer/?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/careers/ai-ml-engineer/?utm_source=x"
    assert client.get("/certifications/CKA/")["Location"] == "/certifications/cka/"
    # A former slug in capitals leads to the renamed page too.
    renamed = CareerFactory(slug="ds", title="Data Scientist")
    renamed.slug = "data-scientist"
    renamed.save()
    assert client.get("/careers/DS/")["Location"] == "/careers/data-scientist/"
    # A draft stays hidden; a typo in capitals is still offered the page meant.
    assert client.get("/careers/Quantum-Engineer/").status_code == 404
    html = client.get("/careers/AI-ML-Enginer/").content.decode()
    assert 'Did you mean <a href="/careers/ai-ml-engineer/">AI / ML Engineer</a>?' in html


def test_a_section_address_in_capitals_leads_to_the_page(client, django_assert_num_queries, db):
    CareerFactory(slug="data-engineer", title="Data Engineer")
    with django_assert_num_queries(0):
        response = client.get("/Careers/data-engineer/?ref=mail")
    assert response.status_code == 301
    assert response["Location"] == "/careers/data-engineer/?ref=mail"
    assert client.get("/CAREERS/")["Location"] == "/careers/"
    assert client.get("/No-Such-Section/").status_code == 404


def test_a_404_outside_the_content_pages_costs_no_query(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get("/wp-login.php")
    assert response.status_code == 404
    assert "Did you mean" not in response.content.decode()
