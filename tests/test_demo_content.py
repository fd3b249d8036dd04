"""The demo content in fixtures/ loads, is complete, and loads idempotently.

The one test module allowed to read fixtures/: it checks the data, not the loader's internals,
and walks the demo site as a visitor and as a learner would.
"""

import datetime
import json
import re
import shutil
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import (
    FAQ,
    Career,
    DayInTheLifeEntry,
    Employer,
    Hiring,
    Responsibility,
    SalaryFigure,
)
from certifications.demo import DEFAULT_PATH, DemoContentError, demo_load
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    Provider,
    RoadmapStep,
)

COUNTED = [Career, Responsibility, DayInTheLifeEntry, FAQ, SalaryFigure, Employer, Hiring]
COUNTED += [Provider, Certification, RoadmapStep]

AI_ML_ROADMAP = [
    "aws-certified-ai-practitioner",
    "azure-ai-fundamentals",
    "tensorflow-developer-certificate",
    "databricks-certified-machine-learning-associate",
    "azure-ai-engineer-associate",
    "google-cloud-professional-ml-engineer",
    "aws-certified-machine-learning-specialty",
]
SEED_TIMES = ["08:30", "10:00", "12:30", "14:00", "16:00", "16:45"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the read-only checks below and removed after them."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        demo_load()
        yield media
        Career.objects.all().delete()
        Certification.objects.all().delete()
        Provider.objects.all().delete()
        Employer.objects.all().delete()


@pytest.fixture
def demo(loaded, db):
    return loaded


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_PATH, target)
    return target


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_every_published_career_has_every_section_filled(demo):
    published = Career.objects.published().for_detail()
    assert published.count() >= 6
    for career in published:
        assert career.tagline and career.overview and career.suitability, career.slug
        assert career.cta_text and career.category and career.seo_description, career.slug
        assert len(career.seo_description) <= 160, career.slug
        assert len(career.responsibilities.all()) >= 5, career.slug
        assert len(career.roadmap_steps.all()) >= 5, career.slug
        assert all(step.reason for step in career.roadmap_steps.all()), career.slug
        assert len(career.hirings.all()) >= 5, career.slug
        assert len(career.day_entries.all()) >= 5, career.slug
        assert len(career.faqs.all()) >= 5, career.slug
        figures = career.salary_figures.all()
        assert len(figures) == 12, career.slug
        assert {(f.country, f.currency) for f in figures} == {
            ("US", "USD"),
            ("GB", "GBP"),
            ("DE", "EUR"),
        }, career.slug
        assert {f.level for f in figures} == {"entry", "mid", "senior", "lead"}, career.slug
        assert all(f.source_name and f.is_estimate and f.year == 2026 for f in figures)
        assert all(f.p25 <= f.median <= f.p75 for f in figures), career.slug


def test_salaries_rise_with_seniority_in_every_country(demo):
    for career in Career.objects.published():
        for country in ("US", "GB", "DE"):
            medians = list(
                career.salary_figures.filter(country=country)
                .order_by("level_rank")
                .values_list("median", flat=True)
            )
            assert medians == sorted(medians) and len(set(medians)) == 4, (career, country)


def _import(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("figures.csv", text.encode(), "text/csv")
    response = client.post(reverse("admin:careers_salaryfigure_import"), {"file": upload})
    assert response.status_code == 302, response.context["problems"]
    return [str(m) for m in response.wsgi_request._messages][-1:]  # this import's message


def test_the_demo_salary_figures_export_and_import_again_unchanged(demo, client_as_staff):
    # Every demo figure passes the import's checks (ISO codes, one currency a country), as
    # the file a German spreadsheet saves too (semicolons, "54.000,00").
    import csv
    import io

    before = list(SalaryFigure.objects.order_by("pk").values())
    text = client_as_staff.get(reverse("admin:careers_salaryfigure_export")).getvalue().decode()
    unchanged = f"0 figures added, 0 updated, {len(before)} already as in the file."
    assert _import(client_as_staff, text) == [f"Imported the file: {unchanged}"]
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    german = csv.writer(out, delimiter=";")
    german.writerow(rows[0])
    for row in rows[1:]:
        for column in (4, 5, 6):  # median, p25, p75: 95000 as "95.000,00"
            if row[column]:
                row[column] = f"{int(row[column]):,}".replace(",", ".") + ",00"
        german.writerow(row)
    assert re.search(r";\d{2,3}\.\d{3},00;", out.getvalue())
    assert _import(client_as_staff, out.getvalue()) == [f"Imported the file: {unchanged}"]
    assert list(SalaryFigure.objects.order_by("pk").values()) == before


def test_ai_ml_engineer_follows_the_seed(demo):
    career = Career.objects.get(slug="ai-ml-engineer")
    assert career.is_published and career.featured
    steps = list(career.roadmap_steps.order_by("position"))
    assert [s.certification.slug for s in steps] == AI_ML_ROADMAP
    assert {s.phase for s in steps} == {"foundation", "core", "advanced", "specialist"}
    assert career.responsibilities.count() == 7
    assert career.hirings.count() >= 8
    assert career.faqs.count() >= 6
    entries = list(career.day_entries.order_by("position"))
    assert [f"{e.time_of_day:%H:%M}" for e in entries] == SEED_TIMES
    day = " ".join(e.text for e in entries)
    for fact in [
        "94.2%",
        "91.8%",
        "0.68",
        "0.79",
        "0.82",
        "80 ms",
        "340 ms",
        "roll the service back",
    ]:
        assert fact in day, fact


def test_ordered_parts_are_numbered_from_one_as_the_admin_and_the_page_number_them(
    demo, client_as_staff
):
    """The loader numbered steps, responsibilities, day entries, FAQs and hirings from 0,
    the admin's Position boxes and the page's "step 1" from 1: the step list in the admin
    showed "0" for what the page calls step 1."""
    career = Career.objects.get(slug="ai-ml-engineer")
    for part in (
        career.roadmap_steps,
        career.responsibilities,
        career.day_entries,
        career.faqs,
        career.hirings,
    ):
        positions = list(part.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), part.model.__name__

    first = career.roadmap_steps.order_by("position").first()
    page = client_as_staff.get(career.get_absolute_url()).content.decode()
    assert 'id="step-1"' in page and 'id="step-0"' not in page
    assert f"{career} #1: {first.certification}" == str(first)


def test_the_ai_ml_faq_agrees_with_its_roadmap(demo, client):
    """The FAQ calls the Azure fundamentals step optional and skips the retired TensorFlow
    step (its replacement is step 6): the roadmap marks them so and shows it."""
    career = Career.objects.get(slug="ai-ml-engineer")
    steps = {s.certification.slug: s for s in career.roadmap_steps.all()}
    answer = career.faqs.get(question="Which certification should I take first?").answer
    assert "optional" in answer and not steps["azure-ai-fundamentals"].required
    assert steps["aws-certified-ai-practitioner"].required
    assert steps["databricks-certified-machine-learning-associate"].required
    html = client.get(career.get_absolute_url()).content.decode()
    assert '<span class="career-fact-note">(5 required)</span>' in html
    assert "<strong>Same exam as step 6:</strong>" in html


def test_retired_steps_keep_their_place_and_point_to_a_successor(demo):
    retired = Certification.objects.filter(status=Certification.Status.RETIRED)
    assert set(retired.values_list("slug", flat=True)) >= {
        "tensorflow-developer-certificate",
        "aws-certified-machine-learning-specialty",
    }
    for cert in retired.select_related("successor"):
        assert cert.successor is not None, cert.slug
        assert cert.successor.status == Certification.Status.PUBLISHED, cert.slug
        assert cert.retired_on is not None, cert.slug
    mls = Certification.objects.get(slug="aws-certified-machine-learning-specialty")
    assert mls.successor.exam_code == "MLA-C01"


def test_catalogue_is_large_enough_and_shared_between_careers(demo):
    assert Certification.objects.count() >= 30
    assert Provider.objects.filter(certifications__isnull=False).distinct().count() >= 6
    shared = [c for c in Certification.objects.all() if c.roadmap_steps.count() >= 2]
    assert len(shared) >= 3
    for cert in Certification.objects.exclude(status="retired"):
        assert cert.official_url and cert.summary and cert.exam_fee is not None, cert.slug


# Exam facts corrected against the sources named in each exam's "source" note: a visitor reads
# them on the exam's page (the official link included).
CHECKED_FACTS = [
    (
        "azure-ai-apps-and-agents-developer-associate",
        "generative AI and agentic solutions (30-35%)",
    ),
    (
        "azure-ai-fundamentals-ai-901",
        "Microsoft Foundry, generative AI and agents among them (55-60%)",
    ),
    (
        "azure-ai-fundamentals-ai-901",
        'href="https://learn.microsoft.com/en-us/credentials/certifications/azure-ai-fundamentals/"',
    ),
    ("databricks-certified-data-engineer-professional", "<dt>Questions</dt><dd>59</dd>"),
    ("comptia-cysa-plus", "the same format (up to 85 questions, 165 minutes, 750 to pass"),
    *[
        (slug, "Pearson VUE test centre or online proctored")
        for slug in [
            "google-cloud-digital-leader",
            "google-cloud-associate-cloud-engineer",
            "google-cloud-professional-cloud-architect",
            "google-cloud-professional-data-engineer",
            "google-cloud-professional-ml-engineer",
        ]
    ],
]


@pytest.mark.parametrize(("slug", "fact"), CHECKED_FACTS)
def test_an_exam_page_shows_the_checked_fact(demo, client, slug, fact):
    html = unescape(
        client.get(Certification.objects.get(slug=slug).get_absolute_url()).content.decode()
    )
    assert fact in html


def test_a_vendor_stated_prerequisite_is_recorded(demo):
    cks = Certification.objects.get(slug="cks")
    assert list(cks.prerequisites.values_list("slug", flat=True)) == ["cka"]


@pytest.mark.parametrize(
    ("query", "provider"), [("gcp", "google-cloud"), ("k8s", "linux-foundation")]
)
def test_the_short_names_people_search_for_find_the_providers_exams(demo, client, query, provider):
    response = client.get(reverse("search"), {"q": query})
    found = {hit.slug for group in response.context["groups"] for hit in group["hits"]}
    exams = set(
        Certification.objects.public()
        .filter(provider__slug=provider)
        .values_list("slug", flat=True)
    )
    assert exams and exams <= found


# What visitors type, and the page each one is after: it must be among the first 3 results
# the search page shows. All 72 are (62 before short words were also found inside camel-case
# words: "ops", "ml ops", "llm ops", "ops engineer", "open ai", "jp morgan" and "snow pro"
# found nothing, or not the page asked for; 69 before a word was also found by its stem,
# "data engineering" and "data science", and a title's abbreviation by the words the page
# spells it out in, "machine learning engineer").
SEARCHED_FOR = [
    ("ai engineer", "AI / ML Engineer"),
    ("ml engineer", "AI / ML Engineer"),
    ("machine learning engineer", "AI / ML Engineer"),
    ("ai/ml engineer", "AI / ML Engineer"),
    ("ai", "AI / ML Engineer"),
    ("ml", "AI / ML Engineer"),
    ("mlops", "MLOps Engineer"),
    ("mlops engineer", "MLOps Engineer"),
    ("ml ops", "MLOps Engineer"),
    ("ops", "MLOps Engineer"),
    ("llmops", "MLOps Engineer"),
    ("devops", "Cloud Engineer"),
    ("llm ops", "MLOps Engineer"),
    ("ops engineer", "MLOps Engineer"),
    ("sre", "Cloud Engineer"),
    ("cloud engineer", "Cloud Engineer"),
    ("data engineer", "Data Engineer"),
    ("data engineering", "Data Engineer"),
    ("data scientist", "Data Scientist"),
    ("data science", "Data Scientist"),
    ("cybersecurity", "Cybersecurity Analyst"),
    ("cyber security", "Cybersecurity Analyst"),
    ("soc analyst", "Cybersecurity Analyst"),
    ("soc", "Cybersecurity Analyst"),
    ("security analyst", "Cybersecurity Analyst"),
    ("infosec", "Cybersecurity Analyst"),
    ("cka", "Certified Kubernetes Administrator (CKA)"),
    ("k8s", "Certified Kubernetes Administrator (CKA)"),
    ("kubernetes admin", "Certified Kubernetes Administrator (CKA)"),
    ("ckad", "Certified Kubernetes Application Developer (CKAD)"),
    ("cks", "Certified Kubernetes Security Specialist (CKS)"),
    ("kcna", "Kubernetes and Cloud Native Associate (KCNA)"),
    ("saa c03", "AWS Certified Solutions Architect - Associate"),
    ("solutions architect", "AWS Certified Solutions Architect - Associate"),
    ("aws ml", "AWS Certified Machine Learning Engineer - Associate"),
    ("mla-c01", "AWS Certified Machine Learning Engineer - Associate"),
    ("aws machine learning", "AWS Certified Machine Learning Engineer - Associate"),
    ("ai-102", "Microsoft Azure AI Engineer Associate"),
    ("ai 900", "Microsoft Azure AI Fundamentals"),
    ("az-104", "Microsoft Azure Administrator Associate"),
    ("az 900", "Microsoft Azure Fundamentals"),
    ("azure administrator", "Microsoft Azure Administrator Associate"),
    ("security+", "CompTIA Security+"),
    ("sec+", "CompTIA Security+"),
    ("security plus", "CompTIA Security+"),
    ("network+", "CompTIA Network+"),
    ("cysa", "CompTIA CySA+ (Cybersecurity Analyst)"),
    ("cissp", "CISSP - Certified Information Systems Security Professional"),
    ("terraform", "HashiCorp Certified: Terraform Associate"),
    ("snowpro", "SnowPro Core Certification"),
    ("tensorflow", "TensorFlow Developer Certificate"),
    ("databricks ml", "Databricks Certified Machine Learning Associate"),
    ("gcp ml", "Google Cloud Professional Machine Learning Engineer"),
    ("google cloud architect", "Google Cloud Professional Cloud Architect"),
    ("fabric", "Microsoft Fabric Data Engineer Associate"),
    ("dp-700", "Microsoft Fabric Data Engineer Associate"),
    ("aws cloud practitioner", "AWS Certified Cloud Practitioner"),
    ("ai practitioner", "AWS Certified AI Practitioner"),
    ("genai", "Databricks Certified Generative AI Engineer Associate"),
    ("generative ai", "Databricks Certified Generative AI Engineer Associate"),
    ("openai", "OpenAI"),
    ("open ai", "OpenAI"),
    ("nvidia", "NVIDIA"),
    ("crowdstrike", "CrowdStrike"),
    ("jpmorgan", "JPMorgan Chase"),
    ("jp morgan", "JPMorgan Chase"),
    ("palo alto", "Palo Alto Networks"),
    ("bt", "BT Group"),
    ("hashicorp", "HashiCorp"),
    ("sage maker", "AWS Certified Machine Learning Engineer - Associate"),
    ("tensor flow", "TensorFlow Developer Certificate"),
    ("snow pro", "SnowPro Core Certification"),
]


@pytest.mark.parametrize(("query", "wanted"), SEARCHED_FOR)
def test_a_realistic_search_shows_what_it_is_for_in_the_top_3(demo, client, query, wanted):
    response = client.get(reverse("search"), {"q": query})
    shown = [hit.title for group in response.context["groups"] for hit in group["hits"]]
    assert wanted in shown[:3], shown[:3]


def test_drafts_are_loaded_but_stay_drafts(demo):
    draft = Career.objects.get(slug="ai-product-manager")
    assert draft.status == Career.Status.DRAFT
    assert draft not in Career.objects.published()


def test_some_employers_get_a_drawn_logo_and_the_rest_keep_the_monogram(demo):
    with_logo = Employer.objects.exclude(logo="")
    assert 3 <= with_logo.count() < Employer.objects.count()
    for employer in with_logo:
        assert employer.logo.name.endswith(".png")
        assert 0 < (demo / employer.logo.name).stat().st_size < 50_000


LINK = re.compile(r'href="([^"#]*)')
# What a template leaves on a page when a value is missing or a tag is mistyped. "None" on its
# own ("Exam code: None", "Prerequisites: None.") is the site's wording; inside a sentence
# ("$None", "None hours") it is a missing value.
DEBRIS = re.compile(
    r"\{\{|\{%|\bnan\b|object at 0x|&amp;amp;|\( \)|.\bNone\b|\bNone\b(?!\.?$| required)"
)


def crawl(client, *start):
    """Follow every same-site link from `start` (the admin and sign-out aside), as a reader
    would: {path: (status, queries)} for each page, and the debris found in any page's text."""
    pages, debris, queue = {}, [], list(start)
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        pages[path] = (response.status_code, len(queries))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        text = re.sub(r"<script.*?</script>|<[^>]+>", "\n", html, flags=re.S)
        lines = (line.strip() for line in text.splitlines())
        debris += [f"{path}: {line!r}" for line in lines if DEBRIS.search(line)]
        for href in LINK.findall(html):
            link = urlsplit(urljoin(path, unescape(href)))
            if link.netloc not in ("", "testserver") or link.scheme not in ("", "http"):
                continue
            if not link.path.startswith(("/static/", "/media/", "/admin/", "/logout")):
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return pages, debris


def test_every_link_a_visitor_can_follow_answers_in_at_most_six_queries(demo, client):
    pages, debris = crawl(client, "/")

    assert len(pages) > 150  # every career, certification, employer, list page and sign-in
    assert {p: s for p, (s, _) in pages.items() if s not in (200, 301, 302)} == {}
    assert max(queries for _, queries in pages.values()) <= 6
    assert debris == []


def test_every_link_a_learner_can_follow_answers_in_at_most_eight_queries(demo, client, learner):
    """A learner following three careers, with AI / ML steps in every state, retired ones too."""
    today = datetime.date.today()
    for career in Career.objects.published()[:3]:
        CareerFollow.objects.create(user=learner, career=career)
    states = [
        {"status": "planning"},
        {"status": "studying"},
        {"status": "booked", "exam_date": today + datetime.timedelta(days=20)},
        {"status": "passed", "passed_on": today - datetime.timedelta(days=100)},
        {"status": "passed", "passed_on": today - datetime.timedelta(days=2000)},  # expired
    ]
    steps = RoadmapStep.objects.filter(career__slug="ai-ml-engineer").order_by("position")
    for step, state in zip(steps, states * 2, strict=False):
        CertificationProgress.objects.create(
            user=learner, certification=step.certification, **state
        )
    client.force_login(learner)

    pages, debris = crawl(client, "/", "/dashboard/")

    assert len(pages) > 60
    assert {p: s for p, (s, _) in pages.items() if s not in (200, 301, 302)} == {}
    # The data export, a download and not a page, reads each table that holds something of
    # the learner's once: 11 queries however many rows (tests/test_account_data.py).
    export = reverse("account-export")
    assert pages[export][1] == 11
    assert max(queries for path, (_, queries) in pages.items() if path != export) <= 8
    assert debris == []


def test_a_second_load_creates_nothing_and_changes_nothing(db):
    demo_load()
    before = _counts()
    stamps = dict(Career.objects.values_list("slug", "updated_at"))
    stamps |= dict(Certification.objects.values_list("slug", "updated_at"))
    logos = dict(Employer.objects.values_list("slug", "logo"))

    summary = demo_load()

    assert not summary.changed and not summary.deleted and summary.logos == 0
    assert _counts() == before
    after = dict(Career.objects.values_list("slug", "updated_at"))
    after |= dict(Certification.objects.values_list("slug", "updated_at"))
    assert after == stamps
    assert dict(Employer.objects.values_list("slug", "logo")) == logos


def test_an_edited_file_updates_only_what_changed(db, fixtures_copy):
    demo_load(path=fixtures_copy)
    file = fixtures_copy / "careers" / "ai-ml-engineer.json"
    data = json.loads(file.read_text())
    data["responsibilities"] = [*data["responsibilities"][:5], "A brand-new duty"]
    file.write_text(json.dumps(data))

    summary = demo_load(path=fixtures_copy, refresh=True)

    career = Career.objects.get(slug="ai-ml-engineer")
    texts = list(career.responsibilities.order_by("position").values_list("text", flat=True))
    assert texts == data["responsibilities"]
    assert summary.updated == {"responsibilities": 1}
    assert summary.deleted == {"responsibilities": 1}
    assert not summary.created


def test_a_successor_changed_in_the_file_changes_the_retired_exams_chain(
    client_as_staff, fixtures_copy
):
    """The file names another successor for a retired exam (a correction): after a refresh
    its page in the admin listed the old successor in its chain still ("Its chain: Replaced
    by …, …"), so a pass of the exam no longer named kept holding its roadmap steps."""
    demo_load(path=fixtures_copy)
    file = fixtures_copy / "certifications.json"
    rows = json.loads(file.read_text())
    retired = next(row for row in rows if row["slug"] == "azure-ai-engineer-associate")
    retired["successor"] = "azure-ai-fundamentals-ai-901"  # listed before it, as is usual
    file.write_text(json.dumps(rows))

    demo_load(path=fixtures_copy, refresh=True)

    exam = Certification.objects.get(slug="azure-ai-engineer-associate")
    successor = Certification.objects.get(slug="azure-ai-fundamentals-ai-901")
    page = client_as_staff.get(reverse("admin:certifications_certification_change", args=[exam.pk]))
    chain = page.content.decode().split("Its chain")[1].split("</div>")[0]
    assert f"Replaced by {successor.name_with_code}: a valid pass" in chain


def test_an_editors_changes_survive_a_second_load_until_refresh(db):
    demo_load()
    career = Career.objects.get(slug="ai-ml-engineer")
    career.tagline = "Edited in the admin"
    career.save()
    career.faqs.first().delete()
    faqs = career.faqs.count()

    summary = demo_load()

    career.refresh_from_db()
    assert career.tagline == "Edited in the admin"
    assert career.faqs.count() == faqs
    assert not summary.changed

    demo_load(refresh=True)

    career.refresh_from_db()
    assert career.tagline != "Edited in the admin"
    assert career.faqs.count() == faqs + 1


def test_bad_data_fails_with_the_file_and_object_named(db, fixtures_copy):
    file = fixtures_copy / "careers" / "ai-ml-engineer.json"
    data = json.loads(file.read_text())
    data["tagline"] = "An edit saved before the error is found"
    data["salaries"]["US"]["levels"]["mid"] = [200000, 165000, 190000]
    file.write_text(json.dumps(data))

    with pytest.raises(DemoContentError, match=r"careers/ai-ml-engineer\.json.*salary US mid"):
        demo_load(path=fixtures_copy, refresh=True)
    # The whole load is one transaction: the earlier edit is rolled back too.
    assert not Career.objects.filter(tagline=data["tagline"]).exists()


def test_successors_going_round_in_a_circle_are_refused_as_the_admin_refuses_them(
    db, fixtures_copy
):
    """The file retires AI-102 for AI-103 and AI-103 for AI-102: the admin refuses that loop,
    the loader took it without a word (and recorded no chain for either)."""
    file = fixtures_copy / "certifications.json"
    rows = json.loads(file.read_text())
    by_slug = {row["slug"]: row for row in rows}
    old = by_slug["azure-ai-engineer-associate"]
    new = by_slug[old["successor"]]
    new |= {"status": "retired", "retired_on": "2025-01-01", "successor": old["slug"]}
    file.write_text(json.dumps(rows))

    with pytest.raises(
        DemoContentError,
        match=r"certification 'azure-ai-apps-and-agents-developer-associate': successors go "
        r"round in a circle: azure-ai-apps-and-agents-developer-associate, "
        r"azure-ai-engineer-associate, azure-ai-apps-and-agents-developer-associate",
    ):
        demo_load(path=fixtures_copy)
    # One transaction: nothing of the file is kept.
    assert not Certification.objects.filter(slug=new["slug"], status="retired").exists()


def test_a_misspelt_key_is_refused_rather_than_ignored(db, fixtures_copy):
    file = fixtures_copy / "careers" / "data-engineer.json"
    data = json.loads(file.read_text())
    data["day"][0]["tme"] = data["day"][0].pop("time")
    file.write_text(json.dumps(data))

    with pytest.raises(DemoContentError, match=r"data-engineer\.json.*day entry.*'tme'"):
        demo_load(path=fixtures_copy)
