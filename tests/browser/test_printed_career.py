"""A career page printed (or saved as PDF) to take along: it reads in full on paper."""

import pytest

from tests.factories import CareerFactory, FAQFactory, RoadmapStepFactory, SalaryFigureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def printed(page, live_server):
    """print_page(path): the page at `path`, laid out as the browser prints it."""

    def print_page(path):
        page.goto(live_server.url + path)
        page.emulate_media(media="print")
        return page

    return print_page


def test_a_printed_career_page_carries_every_faq_answer(printed):
    career = CareerFactory(slug="sre")
    RoadmapStepFactory(career=career)
    FAQFactory(career=career, question="Do I need to code?", answer="Yes, every day.")

    page = printed("/careers/sre/")

    # On screen each answer opens under its question; paper cannot be clicked open.
    assert page.get_by_text("Yes, every day.").is_visible()


def test_a_printed_salary_source_gives_its_address(printed):
    career = CareerFactory(slug="sre")
    RoadmapStepFactory(career=career)
    SalaryFigureFactory(
        career=career, source_name="BLS OEWS", source_url="https://www.bls.gov/oes/"
    )

    page = printed("/careers/sre/")

    # Paper cannot be clicked: the reader needs the address to look the source up.
    source = page.locator(".salary-source a")
    after = source.evaluate("link => getComputedStyle(link, '::after').content")
    assert "https://www.bls.gov/oes/" in after
