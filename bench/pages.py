"""The benchmarked pages, demo-like data at any scale, and in-process measurement.

Shared by `python -m bench` and tests/test_bench_budgets.py, so the budgets the suite
enforces are measured exactly as the benchmark measures them.
"""

import contextlib
import datetime
import gzip
import statistics
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from careerportal.frame_stack import in_a_chunk_of_its_own

CAREERS_PER_SCALE = 12  # fills the first page of the career list at 1x
CERTIFICATIONS_PER_SCALE = 30
EMPLOYERS_PER_SCALE = 10
LEARNERS_PER_SCALE = 5
STEPS_PER_CAREER = 7
LEARNER_EMAIL = "bench-learner-0-0@example.com"
LEARNER_PASSWORD = "bench-password-123"


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    kwargs_from: str = ""  # "career" or "certification": the slug to put in the URL
    query: str = ""
    signed_in: bool = False

    def url(self, career_slug: str, certification_slug: str) -> str | None:
        slug = {"career": career_slug, "certification": certification_slug}.get(self.kwargs_from)
        try:
            path = reverse(self.url_name, kwargs={"slug": slug} if slug else None)
        except NoReverseMatch:
            return None
        return path + (f"?{self.query}" if self.query else "")


PAGES = (
    Page("career page", "careers:detail", kwargs_from="career"),
    # The same page for a learner who follows the career and has progress on its steps: never
    # served from the page cache, and the most expensive render a learner pays for.
    Page("learner career page", "careers:detail", kwargs_from="career", signed_in=True),
    Page("career list", "careers:list"),
    Page("search", "search", query="q=engineer"),
    Page("certification page", "certifications:detail", kwargs_from="certification"),
    Page("dashboard", "dashboard", signed_in=True),
)


def build_dataset(scale: int, start: int = 0) -> None:
    """Add `scale` units of demo-like content and learners (numbered from `start`)."""
    from careers.models import (
        FAQ,
        Career,
        DayInTheLifeEntry,
        Employer,
        Hiring,
        Responsibility,
        SalaryFigure,
    )
    from certifications.models import (
        CareerFollow,
        Certification,
        CertificationProgress,
        Provider,
        RoadmapStep,
    )

    for unit in range(start, start + scale):
        providers = [
            Provider.objects.create(name=f"Provider {unit}-{i}", slug=f"provider-{unit}-{i}")
            for i in range(3)
        ]
        certifications = [
            Certification.objects.create(
                name=f"Certified Engineer {unit}-{i}",
                slug=f"certified-engineer-{unit}-{i}",
                exam_code=f"EX-{unit}-{i}",
                provider=providers[i % 3],
                level=Certification.Level.ASSOCIATE,
                summary="Proves you can design, build and run the systems this role needs.",
                description="A long description of the exam. " * 20,
                exam_fee=150 + i,
                fee_currency="USD",
                duration_minutes=120,
                validity_months=36,
                study_hours=60,
                status=Certification.Status.PUBLISHED,
            )
            for i in range(CERTIFICATIONS_PER_SCALE)
        ]
        employers = [
            Employer.objects.create(
                name=f"Employer {unit}-{i}",
                slug=f"employer-{unit}-{i}",
                description="Builds products.",
            )
            for i in range(EMPLOYERS_PER_SCALE)
        ]
        careers = []
        for c in range(CAREERS_PER_SCALE):
            career = Career.objects.create(
                title=f"Machine Learning Engineer {unit}-{c}",
                slug=f"ml-engineer-{unit}-{c}",
                tagline="Turn data and models into products people use.",
                overview="What the role does, in a few paragraphs. " * 15,
                suitability="Who it suits. " * 10,
                category="Data & AI",
                time_to_first_role="12-18 months",
                status=Career.Status.PUBLISHED,
                reviewed_on=datetime.date(2026, 11, 1),
            )
            careers.append(career)
            for p in range(7):
                Responsibility.objects.create(career=career, text=f"Responsibility {p}", position=p)
            for p in range(6):
                DayInTheLifeEntry.objects.create(
                    career=career, time_of_day=datetime.time(9 + p, 0), text="Work.", position=p
                )
            for p in range(6):
                FAQ.objects.create(career=career, question=f"Q{p}?", answer="A.", position=p)
            for country, currency in (("US", "USD"), ("GB", "GBP"), ("DE", "EUR")):
                for rank, level in enumerate(("entry", "mid", "senior", "lead")):
                    SalaryFigure.objects.create(
                        career=career,
                        country=country,
                        currency=currency,
                        level=level,
                        median=90_000 + 30_000 * rank,
                        year=2026,
                        source_name="Survey",
                    )
            for p in range(5):
                Hiring.objects.create(career=career, employer=employers[(c + p) % 10], position=p)
            for p in range(STEPS_PER_CAREER):
                RoadmapStep.objects.create(
                    career=career,
                    certification=certifications[(c * 3 + p) % CERTIFICATIONS_PER_SCALE],
                    position=p,
                    reason="Why this certification matters on this path.",
                )
        for i in range(LEARNERS_PER_SCALE):
            user = get_user_model().objects.create_user(
                f"bench-learner-{unit}-{i}", f"bench-learner-{unit}-{i}@example.com"
            )
            user.set_password(LEARNER_PASSWORD)
            user.save()
            for career in careers[i : i + 2]:
                CareerFollow.objects.create(user=user, career=career)
            for n, certification in enumerate(certifications[:4]):
                CertificationProgress.objects.create(
                    user=user,
                    certification=certification,
                    status="passed" if n < 2 else "studying",
                    passed_on=datetime.date(2026, 1, 10) if n < 2 else None,
                )


def first_slugs() -> tuple[str, str]:
    return "ml-engineer-0-0", "certified-engineer-0-0"


@dataclass
class Measurement:
    page: str
    url: str
    status: int
    median_ms: float
    min_ms: float
    # This process's CPU only (SQLite runs in-process; a PostgreSQL server's work is not in it),
    # so other processes on a busy machine barely move it.
    min_cpu_ms: float
    queries: int
    html_bytes: int
    gzip_bytes: int
    # SQLite's virtual-machine steps for one render's queries (None on another database): what
    # the queries make the database read and compute, counted exactly, whatever the machine.
    database_steps: int | None = None


def measure(page: Page, runs: int = 15) -> Measurement | None:
    """Render the page `runs` times in-process (no page cache) and return its figures."""
    from careerportal import cache as page_cache

    url = page.url(*first_slugs())
    if url is None:
        return None
    client = Client()
    if page.signed_in:
        client.force_login(get_user_model().objects.get(email=LEARNER_EMAIL))
    # As careerportal.wsgi serves each request: without it the renders mapped and unmapped
    # Python's frame-stack chunks at each call depth crossing, which the site's workers never
    # do (career page, 10x data: 92 -> 7 page faults and 0.8-1.2 -> 0.2-0.3 ms of system time
    # a render).
    get = in_a_chunk_of_its_own(client.get)
    page_cache.ENABLED = False
    try:
        response = get(url)  # warm up: templates, URL resolver, connection
        times, cpu_times = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        with CaptureQueriesContext(connection) as queries, _database_steps() as steps:
            response = client.get(url)
    finally:
        page_cache.ENABLED = True
    return Measurement(
        page=page.name,
        url=url,
        status=response.status_code,
        median_ms=statistics.median(times),
        min_ms=min(times),
        min_cpu_ms=min(cpu_times),
        queries=len(queries),
        html_bytes=len(response.content),
        gzip_bytes=len(gzip.compress(response.content, compresslevel=6)),
        database_steps=steps[0] if connection.vendor == "sqlite" else None,
    )


@contextlib.contextmanager
def _database_steps():
    """Count SQLite's virtual-machine steps while the block runs, in a one-item list."""
    steps = [0]
    if connection.vendor != "sqlite":
        yield steps
        return

    def count():
        steps[0] += STEPS_PER_CALL
        return 0  # go on

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, STEPS_PER_CALL)
    try:
        yield steps
    finally:
        connection.connection.set_progress_handler(None, 0)


STEPS_PER_CALL = 50


def describe(page: Page) -> list[str]:
    """The SQL one render of the page runs (for budgets' comments and debugging)."""
    url = page.url(*first_slugs())
    client = Client()
    if page.signed_in:
        client.force_login(get_user_model().objects.get(email=LEARNER_EMAIL))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"][:160] for q in queries]
