"""A career or certification page printed (or saved as PDF) to take along: it reads in full on
paper, without the controls only a screen can use."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from certifications.services.progress import career_follow
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    FAQFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def printed(page, live_server):
    """print_page(path, user=None): the page at `path`, laid out as the browser prints it."""

    def print_page(path, user=None):
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
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


def test_a_printed_career_page_leaves_out_what_only_a_screen_can_use(printed, learner):
    career = CareerFactory(slug="sre")
    RoadmapStepFactory(career=career)

    visitor = printed("/careers/sre/")
    assert not visitor.get_by_text("to follow this career").is_visible()

    career_follow(user=learner, career=career)
    page = printed("/careers/sre/", user=learner)

    # The learner's standing prints, as a checklist; the buttons and forms around it do not.
    assert page.get_by_text("You hold 0 of 1 required").is_visible()
    assert page.get_by_text("Not started").is_visible()
    for control in ("Following · Unfollow", "See your dashboard", "Update my progress"):
        assert not page.get_by_text(control).is_visible(), control


def test_a_page_printed_in_the_dark_theme_prints_dark_text(browser, live_server):
    career = CareerFactory(slug="sre")
    RoadmapStepFactory(career=career)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + "/careers/sre/")
    body = page.locator("body")

    expect(body).to_have_css("color", "rgb(222, 226, 230)")  # the dark theme's light text
    # A printer leaves the dark background out: light grey text on white paper came out
    # faint (Chromium darkens it only to about 3:1). Paper gets the light theme's text...
    page.emulate_media(media="print")
    expect(body).to_have_css("color", "rgb(33, 37, 41)")
    # ...and the screen gets the visitor's theme back after printing.
    page.emulate_media(media="screen")
    expect(body).to_have_css("color", "rgb(222, 226, 230)")
    context.close()


def test_a_printed_certification_page_gives_the_learners_standing_not_their_form(printed, learner):
    certification = CertificationFactory(slug="cka", name="Kubernetes Administrator")

    visitor = printed("/certifications/cka/")
    assert not visitor.get_by_text("to track this certification").is_visible()

    page = printed("/certifications/cka/", user=learner)
    assert page.get_by_role("heading", name="Your progress").is_visible()
    assert page.get_by_text("Not started").is_visible()
    for control in (page.get_by_label("Private notes"), page.get_by_role("button", name="Save")):
        assert not control.is_visible()
    assert certification.name in page.title()


def test_a_printed_comparison_leaves_out_its_picker(printed):
    for slug, title in (("sre", "Site Reliability Engineer"), ("devops", "DevOps Engineer")):
        RoadmapStepFactory(career=CareerFactory(slug=slug, title=title))

    page = printed("/careers/compare/?careers=sre&careers=devops")

    expect(page.get_by_role("heading", name="DevOps Engineer")).to_be_visible()
    expect(page.get_by_text("Change the comparison")).to_be_hidden()


def test_a_printed_dashboard_gives_the_plan_without_its_forms(printed, learner):
    career = CareerFactory(slug="sre", title="Site Reliability Engineer")
    RoadmapStepFactory(career=career)
    career_follow(user=learner, career=career)

    page = printed("/dashboard/", user=learner)

    expect(page.get_by_role("link", name="Site Reliability Engineer").first).to_be_visible()
    expect(page.get_by_role("button", name="Unfollow Site Reliability Engineer")).to_be_hidden()
    expect(page.get_by_role("button", name="Save plan")).to_be_hidden()
