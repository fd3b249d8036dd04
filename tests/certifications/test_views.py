"""The certification catalogue (/certifications/) and the certification page."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from certifications.models import Certification
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    ProviderFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)

pytestmark = pytest.mark.django_db
LIST = reverse("certifications:list")


def names(response):
    return [c.name for c in response.context["certifications"]]


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return {block["@type"]: block for block in map(json.loads, blocks)}


# The catalogue


def test_catalogue_hides_drafts_and_shows_retired_only_when_asked(client):
    CertificationFactory(name="Current")
    CertificationFactory(name="Old", status=Certification.Status.RETIRED)
    CertificationFactory(name="Unfinished", status=Certification.Status.DRAFT)
    assert names(client.get(LIST)) == ["Current"]
    assert names(client.get(LIST, {"status": "retired"})) == ["Old"]
    response = client.get(LIST, {"status": "all"})
    assert names(response) == ["Current", "Old"]
    assert "Retired" in response.content.decode()
    assert "Unfinished" not in response.content.decode()


def test_the_provider_menu_names_no_provider_with_only_drafts(client):
    CertificationFactory(provider=ProviderFactory(name="Announced", slug="announced"))
    CertificationFactory(
        provider=ProviderFactory(name="Retiring", slug="retiring"),
        status=Certification.Status.RETIRED,
    )
    CertificationFactory(
        provider=ProviderFactory(name="Stealth Vendor", slug="stealth"),
        status=Certification.Status.DRAFT,
    )
    page = client.get(LIST, {"status": "all"}).content.decode()
    assert '<option value="announced">Announced</option>' in page
    assert '<option value="retiring">Retiring</option>' in page
    assert "Stealth" not in page and "stealth" not in page
    # Asked for by its slug, it is no choice either.
    assert "Stealth" not in client.get(LIST, {"provider": "stealth"}).content.decode()


def test_catalogue_filters_by_provider_level_and_fee_range(client):
    aws, azure = ProviderFactory(name="AWS", slug="aws"), ProviderFactory(name="Azure")
    CertificationFactory(name="Cheap AWS", provider=aws, exam_fee=100, level="foundational")
    CertificationFactory(name="Dear AWS", provider=aws, exam_fee=300, level="professional")
    CertificationFactory(name="Free AWS", provider=aws, exam_fee=None, level="foundational")
    CertificationFactory(name="Azure one", provider=azure, exam_fee=165)
    assert names(client.get(LIST, {"provider": "aws"})) == ["Cheap AWS", "Dear AWS", "Free AWS"]
    assert names(client.get(LIST, {"level": "professional"})) == ["Dear AWS"]
    assert names(client.get(LIST, {"fee_min": "150"})) == ["Azure one", "Dear AWS"]
    assert names(client.get(LIST, {"fee_max": "150"})) == ["Cheap AWS", "Free AWS"]
    assert names(client.get(LIST, {"fee_min": "120", "fee_max": "200"})) == ["Azure one"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("fee", ["Bravo", "Charlie", "Alpha"]),
        ("level", ["Charlie", "Alpha", "Bravo"]),
        ("hours", ["Alpha", "Charlie", "Bravo"]),
    ],
)
def test_catalogue_sorts(client, sort, expected):
    CertificationFactory(name="Alpha", exam_fee=300, level="associate", study_hours=10)
    CertificationFactory(name="Bravo", exam_fee=None, level="specialty", study_hours=90)
    CertificationFactory(name="Charlie", exam_fee=150, level="foundational", study_hours=20)
    assert names(client.get(LIST, {"sort": sort})) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "price; drop"},
        {"fee_min": "abc"},
        {"fee_max": "-5"},
        {"level": "wizard"},
        {"provider": "nobody"},
        {"status": "draft"},
        {"page": "abc"},
        {"page": "999"},
    ],
)
def test_catalogue_never_fails_on_bad_parameters(client, params):
    CertificationFactory(name="Still Here")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert names(response) == ["Still Here"]
    assert response.context["notices"]


def test_catalogue_swaps_a_reversed_fee_range(client):
    CertificationFactory(name="Mid", exam_fee=150)
    response = client.get(LIST, {"fee_min": "200", "fee_max": "100"})
    assert names(response) == ["Mid"]
    assert "swapped" in response.content.decode()


def test_catalogue_pages_keep_filters(client):
    provider = ProviderFactory(slug="aws")
    for n in range(13):
        CertificationFactory(name=f"Cert {n:02d}", provider=provider)
    response = client.get(LIST, {"provider": "aws"})
    assert len(response.context["certifications"]) == 12
    assert "?provider=aws&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("rows", [4, 12])
def test_catalogue_takes_three_queries_however_many_rows(client, django_assert_num_queries, rows):
    for _ in range(rows):
        CertificationFactory(successor=CertificationFactory(status="published"))
    # 1 providers for the filter, 2 COUNT for the paginator, 3 the page with provider joined
    with django_assert_num_queries(3):
        response = client.get(LIST, {"sort": "level"})
    assert len(response.context["certifications"]) == min(rows * 2, 12)


def test_compare_ticks_in_the_address_survive_moving_between_catalogue_pages(
    client, django_assert_num_queries
):
    exams = [CertificationFactory(name=f"Exam {n:02d}", exam_code=f"EX-{n:02d}") for n in range(14)]
    CertificationFactory(name="Draft exam", slug="draft-exam", status="draft")
    picks = [exams[0].slug, exams[13].slug, "draft-exam", "no-such-exam"]
    # 1 providers, 2 COUNT, 3 the page, 4 the names of the exams ticked on other pages
    with django_assert_num_queries(4):
        response = client.get(LIST, {"sort": "name", "page": "2", "certifications": picks})
    html = response.content.decode()
    # On this page: its pick is ticked. From page 1: carried to the compare form by name.
    assert re.search(rf'value="{exams[13].slug}"[^>]*form="compare-picks" checked>', html)
    assert re.search(
        rf'type="checkbox" name="certifications" value="{exams[0].slug}"[^>]*form="compare-picks"'
        r" checked>",
        html,
    )
    assert "Also ticked on other pages:" in html and "Exam 00 (EX-00)</label>" in html
    # The filter form carries both ticks, so changing the sort keeps them.
    filters = html.split('aria-label="Filter certifications"', 1)[1].split("</form>", 1)[0]
    for exam in (exams[0], exams[13]):
        assert f'<input type="hidden" name="certifications" value="{exam.slug}">' in filters
    # A draft or unknown slug is never carried; page links keep the ticks.
    assert "draft-exam" not in html.split("<main", 1)[1].split("pagination", 1)[0]
    assert f"certifications={exams[0].slug}" in html.split('class="pagination', 1)[1]


def test_without_javascript_page_buttons_send_the_ticks_and_filters_to_the_next_page(
    client, django_assert_num_queries
):
    exams = [CertificationFactory(name=f"Exam {n:02d}", exam_code=f"EX-{n:02d}") for n in range(26)]
    picks = [exams[0].slug, "no-such-exam", exams[12].slug, exams[25].slug, exams[13].slug]
    # 1 providers, 2 COUNT, 3 the page, 4 the exams ticked on other pages (and the unknown one)
    with django_assert_num_queries(4):
        response = client.get(LIST, {"sort": "name", "page": "2", "certifications": picks})
    html = response.content.decode()
    # A page is a button of the compare form, sent back to the catalogue: without JavaScript
    # it carries the ticks made on this page, which no link can know of.
    for number in (1, 3):
        assert re.search(
            rf'<button type="submit" class="page-link" form="compare-picks" formaction="{LIST}"'
            rf' name="page" value="{number}"',
            html,
        )
    # The filters belong to the compare form too (static/js/compare.js gives them back to
    # their own), so the page button sends them; a script loading late changes nothing.
    form = html.split('<form id="compare-picks"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<select name="sort"[^>]* form="compare-picks"', html)
    assert "<noscript>" not in form
    # The first three known ticks are kept, in order; the rest is said, not a 500.
    assert re.search(rf'value="{exams[12].slug}"[^>]*form="compare-picks" checked>', html)
    assert f'value="{exams[13].slug}"' in html and f'value="{exams[13].slug}" id' not in form
    assert not re.search(rf'value="{exams[13].slug}"[^>]*checked>', html)
    assert "Also ticked on other pages: " in form and "Exam 25 (EX-25)</label>" in form
    notices = response.context["notices"]
    assert "You can compare at most three certifications at a time" in " ".join(notices)
    assert "1 ticked certification was not found" in " ".join(notices)


def test_without_javascript_changing_a_filter_sends_the_ticks_of_this_page(client):
    exams = [CertificationFactory(name=f"Exam {n:02d}", exam_code=f"EX-{n:02d}") for n in range(3)]
    html = client.get(LIST, {"sort": "name", "certifications": [exams[1].slug]}).content.decode()
    filters = html.split('aria-label="Filter certifications"', 1)[1].split("</form>", 1)[0]
    # The tick boxes belong to the compare form, which no other form can send: the filters
    # and their button belong to it as well, the button sending it back to the catalogue.
    for name in ("q", "provider", "level", "fee_min", "fee_max", "status", "sort"):
        assert re.search(rf'name="{name}"[^>]* form="compare-picks"', filters), name
    assert re.search(
        rf'<button type="submit" class="btn btn-primary" form="compare-picks" formaction="{LIST}">'
        "Show certifications</button>",
        filters,
    )
    # With nothing to tick, the filter form is a form of its own.
    html = client.get(LIST, {"q": "nothing-holds-this"}).content.decode()
    filters = html.split('aria-label="Filter certifications"', 1)[1].split("</form>", 1)[0]
    assert 'form="compare-picks"' not in filters
    assert '<button type="submit" class="btn btn-primary">Show certifications</button>' in filters


# The certification page


@pytest.fixture
def ai_engineer_cert():
    provider = ProviderFactory(name="Microsoft", website="https://learn.microsoft.com")
    prerequisite = CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-900")
    certification = CertificationFactory(
        name="Azure AI Engineer Associate",
        slug="azure-ai-engineer",
        exam_code="AI-102",
        provider=provider,
        level="associate",
        summary="Build AI solutions on Azure.",
        description="Covers **Azure AI services**.\n\n<script>alert(1)</script>",
        exam_fee=Decimal("165.00"),
        fee_currency="USD",
        duration_minutes=100,
        question_count="40-60",
        passing_score="700 / 1000",
        exam_format="Multiple choice",
        delivery="Online or test centre",
        validity_months=12,
        study_hours=60,
        official_url="https://learn.microsoft.com/credentials/ai-102",
    )
    certification.prerequisites.add(prerequisite)
    certification.prerequisites.add(CertificationFactory(name="Hidden prereq", status="draft"))
    career = CareerFactory(title="AI Engineer", slug="ai-engineer")
    RoadmapStepFactory(career=career, certification=prerequisite, position=1)
    RoadmapStepFactory(
        career=career, certification=CertificationFactory(status="draft"), position=2
    )
    RoadmapStepFactory(career=career, certification=certification, position=3)
    draft_career = CareerFactory(title="Draft Career", status="draft")
    RoadmapStepFactory(career=draft_career, certification=certification)
    return certification


def test_certification_page_shows_every_exam_fact(client, ai_engineer_cert):
    html = client.get(ai_engineer_cert.get_absolute_url()).content.decode()
    for fact in [
        "AI-102",
        "Microsoft",
        "Associate",
        "$165<",
        "100 minutes",
        "40-60",
        "700 / 1000",
        "Multiple choice",
        "Online or test centre",
        "1 year",
        "About 60 hours",
    ]:
        assert fact in html, fact
    assert 'href="https://learn.microsoft.com/credentials/ai-102" rel="noopener"' in html
    assert "<strong>Azure AI services</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_certification_page_lists_prerequisites_and_careers_with_their_step(
    client, ai_engineer_cert
):
    html = client.get(ai_engineer_cert.get_absolute_url()).content.decode()
    assert "Azure AI Fundamentals" in html
    assert "Hidden prereq" not in html
    # Shown as step 2 of the visible roadmap (the draft step in between is not counted); the
    # link lands on the career page's anchor, which carries the step's position.
    assert 'href="/careers/ai-engineer/#step-3"' in html
    assert "Step 2" in html
    assert "Draft Career" not in html


def test_a_successors_page_lists_the_careers_it_settles_in_place_of_a_retired_exam(client):
    career, retired, successor = career_on_a_renamed_exam()

    html = client.get(successor.get_absolute_url()).content.decode()

    assert f'href="{career.get_absolute_url()}#step-{retired.roadmap_steps.get().position}"' in html
    assert "in place of the retired Microsoft Azure AI Fundamentals (AI-900)" in html
    assert "No published career roadmap uses this certification yet" not in html


def test_the_page_says_when_its_facts_were_last_checked(client):
    checked = CertificationFactory(reviewed_on=datetime.date(2026, 10, 12))
    html = client.get(checked.get_absolute_url()).content.decode()
    assert (
        "We checked these facts against the provider's page on "
        '<time datetime="2026-10-12">12 October 2026</time>.'
    ) in html
    unchecked = CertificationFactory(reviewed_on=None)
    assert "We checked these facts" not in client.get(unchecked.get_absolute_url()).content.decode()


def test_a_certification_without_validity_does_not_expire(client):
    certification = CertificationFactory(validity_months=None)
    html = client.get(certification.get_absolute_url()).content.decode()
    assert "Does not expire" in html
    assert "validFor" not in jsonld(html)["EducationalOccupationalCredential"]


def test_certification_page_describes_itself_for_search_engines(client, ai_engineer_cert):
    html = client.get(ai_engineer_cert.get_absolute_url()).content.decode()
    data = jsonld(html)
    credential = data["EducationalOccupationalCredential"]
    assert credential["name"] == "Azure AI Engineer Associate"
    assert credential["credentialCategory"] == "certification"
    assert credential["educationalLevel"] == "Associate"
    assert credential["validFor"] == "P12M"
    assert credential["recognizedBy"] == {
        "@type": "Organization",
        "name": "Microsoft",
        "url": "https://learn.microsoft.com",
    }
    assert credential["offers"]["price"] == "165.00"
    assert credential["offers"]["priceCurrency"] == "USD"
    assert credential["url"].endswith("/certifications/azure-ai-engineer/")
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Certifications", ai_engineer_cert.name]
    assert '<link rel="canonical" href="http' in html
    assert '<meta property="og:title" content="Azure AI Engineer Associate (AI-102)">' in html


def test_json_ld_cannot_break_out_of_its_script(client):
    certification = CertificationFactory(name="</script><script>alert(1)</script> & co")
    html = client.get(certification.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert "<" not in block.group(1)
    assert "\\u003C/script\\u003E" in block.group(1)
    assert json.loads(block.group(1))["name"].startswith("</script>")


def test_retired_certification_is_visible_marked_and_points_at_its_successor(client):
    successor = CertificationFactory(name="New Exam")
    old = CertificationFactory(name="Old Exam", status="retired", successor=successor)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Retired" in html
    assert successor.get_absolute_url() in html


def test_a_draft_successor_is_not_revealed(client):
    old = CertificationFactory(
        status="retired", successor=CertificationFactory(name="Secret Next", status="draft")
    )
    assert "Secret Next" not in client.get(old.get_absolute_url()).content.decode()


def test_draft_certification_is_404_for_visitors_and_learners(client, client_as_learner):
    draft = CertificationFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client_as_learner.get(draft.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_without_structured_data(client_as_staff):
    draft = CertificationFactory(name="Coming soon", status="draft")
    response = client_as_staff.get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft preview" in html
    assert "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_unknown_certification_is_404(client, db):
    response = client.get(reverse("certifications:detail", args=["no-such-exam"]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_certification_page_takes_three_queries_however_many_rows(
    client, django_assert_num_queries, rows
):
    certification = CertificationFactory(successor=CertificationFactory())
    for _ in range(rows * 3):
        certification.prerequisites.add(CertificationFactory())
        RoadmapStepFactory(certification=certification)
    # 1 the certification with provider and successor joined, 2 its public prerequisites
    # with providers, 3 the published careers' steps using it, each with its step number.
    with django_assert_num_queries(3):
        response = client.get(certification.get_absolute_url())
    assert len(response.context["steps"]) == rows * 3


def test_a_search_that_only_finds_retired_exams_says_so_and_links_to_them(
    client, django_assert_num_queries
):
    CertificationFactory(name="Azure AI Engineer", exam_code="AI-102", status="retired")
    CertificationFactory(name="Azure AI Engineer Associate", exam_code="AI-103")
    # 1 providers, 2 COUNT (none current), 3 COUNT of the retired matches
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "AI-102", "page": "2"})
    html = response.content.decode()
    assert "No certifications match these filters." in html
    assert "1 retired certification matches “AI-102”" in html
    assert '<a href="?q=AI-102&amp;status=all">Show retired certifications too</a>' in html
    assert names(client.get(LIST, {"q": "AI-102", "status": "all"})) == ["Azure AI Engineer"]
    assert "retired certification" not in client.get(LIST, {"q": "zzzz"}).content.decode()


def test_did_you_mean_reads_the_catalogues_words_once_until_an_editor_changes_them(
    client, django_assert_num_queries
):
    CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    assert client.get(LIST, {"q": "kuberntes"}).context["respelling"]["words"] == "kubernetes"
    # 1 providers, 2 COUNT (none), 3 COUNT of retired matches (none): the words were read by
    # the search before
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "administrater"})
    assert response.context["respelling"]["words"] == "administrator"
    CertificationFactory(name="Terraform Associate")  # an editor's save: read again
    with django_assert_num_queries(4):
        response = client.get(LIST, {"q": "terrafrom"})
    assert response.context["respelling"]["words"] == "terraform"


def test_a_misspelt_catalogue_search_offers_the_words_the_certifications_have(
    client, django_assert_num_queries
):
    CertificationFactory(
        name="Certified Kubernetes Administrator", exam_code="CKA", level="professional"
    )
    # 1 providers, 2 COUNT (none), 3 COUNT of retired matches the default status hides
    # (none), 4 the certifications' searched words
    with django_assert_num_queries(4):
        response = client.get(LIST, {"q": "kuberntes", "level": "professional"})
    html = response.content.decode()
    assert 'Did you mean “<a href="?q=kubernetes&amp;level=professional">kubernetes</a>”?' in html
    found = client.get(LIST, {"q": "kubernetes"})
    assert names(found) == ["Certified Kubernetes Administrator"]
    assert found.context["respelling"] is None


def test_the_catalogues_did_you_mean_never_links_to_another_empty_list(client):
    CertificationFactory(
        name="Certified Kubernetes Administrator", exam_code="CKA", level="professional"
    )
    CertificationFactory(name="Kubernetes Security Specialist", status="retired")
    # Within the filters: the link keeps them.
    html = client.get(LIST, {"q": "kuberntes", "level": "professional"}).content.decode()
    assert 'href="?q=kubernetes&amp;level=professional"' in html
    # Nothing within them (no foundational Kubernetes exam): the link clears them, saying so.
    response = client.get(LIST, {"q": "kuberntes", "level": "foundational", "sort": "fee"})
    html = response.content.decode()
    assert 'Did you mean “<a href="?q=kubernetes&amp;sort=fee">kubernetes</a>”?' in html
    assert "It finds certifications once the other filters are cleared." in html
    assert names(client.get(LIST, {"q": "kubernetes", "sort": "fee"})) == [
        "Certified Kubernetes Administrator"
    ]
    # A word only a retired exam holds, looked for among retired ones with another level.
    html = client.get(
        LIST, {"q": "specialst", "status": "retired", "level": "professional"}
    ).content.decode()
    assert "Did you mean" not in html


def test_an_exam_without_a_code_says_so_in_words(client):
    certification = CertificationFactory(exam_code="")
    html = client.get(certification.get_absolute_url()).content.decode()
    assert "<dt>Exam code</dt><dd>No exam code</dd>" in html
    assert "<dd>None</dd>" not in html


def test_the_catalogue_sorts_names_alphabetically_whatever_their_case(client):
    for name in ["CISSP", "Certified Kubernetes Administrator", "cloud basics"]:
        CertificationFactory(name=name)
    response = client.get(reverse("certifications:list"), {"sort": "name"})
    names = [c.name for c in response.context["page_obj"]]
    assert names == ["Certified Kubernetes Administrator", "CISSP", "cloud basics"]


def test_a_career_asking_for_an_exam_twice_is_listed_once_on_its_page(client):
    career, _, successor = career_on_a_renamed_exam()
    RoadmapStepFactory(career=career, certification=successor)
    response = client.get(successor.get_absolute_url())
    assert [step.step_number for step in response.context["steps"]] == [2]
    html = response.content.decode()
    assert html.count(f'href="{career.get_absolute_url()}#step-') == 1
    assert "also step 1, in place of the retired Microsoft Azure AI Fundamentals (AI-900)" in html


def test_an_ignored_catalogue_menu_value_shows_only_its_notice(client):
    CertificationFactory()
    html = client.get(LIST, {"level": "wizard"}).content.decode()
    assert "Level: “wizard” was ignored: it is not one of the choices." in html
    assert "Select a valid choice" not in html and "is-invalid" not in html


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"fee_max": "-5"}, "Fee up to: “-5” was ignored: it must be 0 or more."),
        ({"fee_min": "ten"}, "Fee from: “ten” was ignored: it is not a number."),
        (
            {"fee_min": "123456789"},
            "Fee from: “123456789” was ignored: it must have at most 8 digits.",
        ),
        ({"provider": "gone"}, "Provider: “gone” was ignored: it is not one of the choices."),
        ({"level": "expert"}, "Level: “expert” was ignored: it is not one of the choices."),
        ({"status": "old"}, "Status: “old” was ignored: it is not one of the choices."),
        ({"sort": "price"}, "Sort by: “price” was ignored: it is not one of the choices."),
    ],
)
def test_an_ignored_catalogue_filter_says_why(client, django_assert_num_queries, params, notice):
    CertificationFactory(name="Still listed")
    # 1 providers for the filter, 2 COUNT for the paginator, 3 the page: as with no filter
    with django_assert_num_queries(3):
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["notices"] == [notice]
    assert notice in response.content.decode()
    assert [c.name for c in response.context["certifications"]] == ["Still listed"]


def _certification_in_careers(count):
    """A certification that is the second step of `count` published careers (and on a draft's
    roadmap, which must not count)."""
    certification = CertificationFactory(name="Kubernetes Administrator", exam_code="CKA")
    for n in range(count):
        career = CareerFactory(title=f"Role {n:02d}")
        RoadmapStepFactory(career=career, position=1)
        RoadmapStepFactory(career=career, certification=certification, position=2)
    RoadmapStepFactory(
        career=CareerFactory(title="Role draft", status="draft"), certification=certification
    )
    return certification


def test_certification_page_shows_twelve_careers_and_links_to_all_of_them(client):
    certification = _certification_in_careers(15)
    html = client.get(certification.get_absolute_url()).content.decode()
    assert re.findall(r">(Role \d\d)</a>", html) == [f"Role {n:02d}" for n in range(12)]
    assert html.count("Step 2 · ") == 12
    careers_url = reverse("certifications:careers", args=[certification.slug])
    assert f'<a href="{careers_url}">and 3 more careers</a>' in html
    every = client.get(careers_url).content.decode()
    assert re.findall(r">(Role \d\d)</a>", every) == [f"Role {n:02d}" for n in range(15)]
    assert every.count("Step 2 · ") == 15
    assert "Role draft" not in every
    assert "Careers whose roadmap includes Kubernetes Administrator (CKA) · " in every


def test_certification_page_with_twelve_careers_or_fewer_has_no_more_link(client):
    certification = _certification_in_careers(12)
    html = client.get(certification.get_absolute_url()).content.decode()
    assert html.count("Step 2 · ") == 12
    assert "more career" not in html


@pytest.mark.parametrize("rows", [13, 30])
def test_certification_page_takes_four_queries_however_many_careers(
    client, django_assert_num_queries, rows
):
    certification = _certification_in_careers(rows)
    # 1 the certification, 2 its public prerequisites, 3 the steps on it of the first 12
    # careers by title, each with its step number, 4 COUNT of the careers it leads to (run
    # only when 12 fill the list).
    with django_assert_num_queries(4):
        response = client.get(certification.get_absolute_url())
    assert len(response.context["steps"]) == 12
    assert response.context["more_careers"] == rows - 12


@pytest.mark.parametrize("rows", [13, 30])
def test_every_career_of_a_certification_is_24_a_page_in_four_queries(
    client, django_assert_num_queries, rows
):
    certification = _certification_in_careers(rows)
    url = reverse("certifications:careers", args=[certification.slug])
    # 1 the certification, 2 COUNT, 3 the page of careers, 4 their steps on it
    with django_assert_num_queries(4):
        response = client.get(url, {"page": "2"})
    html = response.content.decode()
    if rows > 24:
        assert re.findall(r">(Role \d\d)</a>", html) == [f"Role {n}" for n in range(24, rows)]
        assert "(page 2) · " in html and 'rel="prev"' in html
    else:
        assert "There is no page “2”; showing page 1." in html


def test_every_career_of_a_draft_certification_is_404_for_the_public(client):
    draft = CertificationFactory(status="draft")
    url = reverse("certifications:careers", args=[draft.slug])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("sort", ["name", "fee"])
def test_certifications_of_one_name_each_appear_on_exactly_one_page(client, sort):
    # As the career list: ties in the sort must not move an exam between pages.
    certifications = [CertificationFactory(name="Cloud Fundamentals") for _ in range(30)]
    first = client.get(reverse("certifications:list"), {"sort": sort})
    for certification in certifications[::2]:
        Certification.objects.filter(pk=certification.pk).update(
            summary=certification.summary + " "
        )
    pages = [first]
    while pages[-1].context["page_obj"].has_next():
        page = pages[-1].context["page_obj"].next_page_number()
        pages.append(client.get(reverse("certifications:list"), {"sort": sort, "page": page}))
    seen = [c.pk for response in pages for c in response.context["certifications"]]
    assert sorted(seen) == sorted(c.pk for c in certifications)


@pytest.mark.parametrize("query", ["k8s", "sec+", "security plus", "comptia exams"])
def test_the_catalogues_search_box_knows_common_abbreviations(client, query):
    CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    CertificationFactory(name="CompTIA Security+", exam_code="SY0-701")
    response = client.get(LIST, {"q": query})
    names = [c.name for c in response.context["certifications"]]
    assert names == (
        ["Certified Kubernetes Administrator"] if query == "k8s" else ["CompTIA Security+"]
    )
