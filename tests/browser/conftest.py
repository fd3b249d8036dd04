"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live_server.

Playwright's sync API runs an asyncio event loop in this thread, and Django refuses ORM calls
from a thread with a running loop unless told that is fine: here it is (test data is built
before the page is driven, and the live server answers from its own thread).
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 360, "desktop": 1440}


@pytest.fixture(scope="session")
def _plain_http_server_settings():
    # The live server builds its middleware once, at start, so the per-test plain-HTTP
    # settings in tests/conftest.py come too late for it: set them before it starts.
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"


@pytest.fixture(scope="session")
def live_server(_plain_http_server_settings, live_server):
    """pytest-django's live server, started after the plain-HTTP settings are in place."""
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        message = f"chromium is missing at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(browser, live_server):
    """screenshot(path, name): full-page PNGs at 360 and 1440 px for a person to review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(path, name):
        for width in WIDTHS.values():
            context = browser.new_context(viewport={"width": width, "height": 900})
            shot = context.new_page()
            shot.goto(live_server.url + path)
            shot.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            context.close()

    return take


@pytest.fixture
def ai_ml_engineer(db):
    """A career shaped like the reference AI / ML Engineer page: 7 steps and every section."""
    from django.utils.text import slugify

    from certifications.models import Certification
    from tests.factories import (
        CareerFactory,
        CertificationFactory,
        DayInTheLifeEntryFactory,
        EmployerFactory,
        FAQFactory,
        HiringFactory,
        ProviderFactory,
        ResponsibilityFactory,
        RoadmapStepFactory,
        SalaryFigureFactory,
    )

    career = CareerFactory(
        title="AI / ML Engineer",
        slug="ai-ml-engineer",
        tagline="Build, ship and run machine learning systems that real products rely on.",
        overview="AI / ML engineers turn models into **reliable products**.",
        suitability="People who like both statistics and software engineering.",
        category="Data & AI",
        alternative_titles="Machine Learning Engineer, MLOps Engineer",
        demand="very_high",
        featured=True,
        cta_text="Start with the AWS Certified AI Practitioner and build from there.",
    )
    aws = ProviderFactory(name="Amazon Web Services", website="https://aws.amazon.com")
    databricks = ProviderFactory(name="Databricks", website="https://www.databricks.com")
    microsoft = ProviderFactory(name="Microsoft", website="https://learn.microsoft.com")
    google = ProviderFactory(name="Google Cloud")
    certs = [
        CertificationFactory(
            name="AWS Certified AI Practitioner",
            exam_code="AIF-C01",
            provider=aws,
            level="foundational",
            exam_fee=100,
            summary="AI and generative AI concepts on AWS.",
        ),
        CertificationFactory(
            name="Azure AI Fundamentals", exam_code="AI-900", provider=microsoft, exam_fee=99
        ),
        CertificationFactory(
            name="AWS Certified Machine Learning Engineer - Associate",
            exam_code="MLA-C01",
            provider=aws,
        ),
        CertificationFactory(
            name="Databricks Certified Machine Learning Associate",
            exam_code="ML-ASSOC",
            provider=databricks,
            summary="Core ML on Databricks: MLflow tracking and model registry, AutoML.",
            exam_fee=200,
        ),
        CertificationFactory(
            name="Azure AI Engineer Associate",
            exam_code="AI-102",
            provider=microsoft,
            exam_fee=165,
        ),
        CertificationFactory(
            name="Google Cloud Professional Machine Learning Engineer",
            exam_code="PMLE",
            provider=google,
            level="professional",
            exam_fee=200,
        ),
        CertificationFactory(
            name="AWS Certified Machine Learning - Specialty",
            exam_code="MLS-C01",
            provider=aws,
            level="specialty",
            status="retired",
            exam_fee=300,
        ),
    ]
    for certification in certs:  # addresses as the demo has them, not certification-<n>
        certification.slug = slugify(certification.name)[:50]
    Certification.objects.bulk_update(certs, ["slug"])
    phases = ["foundation", "foundation", "core", "core", "advanced", "advanced", "specialist"]
    for position, (certification, phase) in enumerate(zip(certs, phases, strict=True), 1):
        RoadmapStepFactory(
            career=career,
            certification=certification,
            position=position,
            phase=phase,
            required=position != 7,
            reason=f"Step {position} builds on the one before.",
        )
    for position in range(7):
        ResponsibilityFactory(career=career, position=position, text=f"Duty number {position}")
    for position, hour in enumerate([9, 11, 14, 16]):
        DayInTheLifeEntryFactory(
            career=career, position=position, time_of_day=datetime.time(hour, 0)
        )
    for position in range(3):
        FAQFactory(career=career, position=position, question=f"Common question {position}?")
    for country, currency, base in [("US", "USD", 120_000), ("GB", "GBP", 55_000)]:
        for step, level in enumerate(["entry", "mid", "senior", "lead"]):
            SalaryFigureFactory(
                career=career,
                country=country,
                currency=currency,
                level=level,
                median=base + step * 30_000,
            )
    for position, name in enumerate(["OpenAI", "Google DeepMind", "Netflix"]):
        employer = EmployerFactory(name=name, slug=slugify(name))
        HiringFactory(career=career, employer=employer, position=position)
    data_engineer = CareerFactory(title="Data Engineer", slug="data-engineer")
    RoadmapStepFactory(career=data_engineer, certification=certs[3], position=1)
    SalaryFigureFactory(career=data_engineer, level="mid", median=140_000)
    return career


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    # live_server is session-scoped, so its middleware (SecurityMiddleware reads
    # SECURE_SSL_REDIRECT once, when built) is created before any function-scoped `settings`
    # override: turn the production HTTPS redirect off for the whole browser session.
    from django.test.utils import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        yield
