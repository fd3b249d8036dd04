"""A learner whose session ran out while filling in their progress gets back what they typed
once signed in again (static/js/form-draft.js); a save the server confirms forgets it, and so
does a save of the same progress from anywhere else (the draft was typed over older data)."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from certifications.models import CertificationProgress
from tests.factories import CertificationFactory, RoadmapStepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Booked a study slot with Sam; revise chapter 4 first."
RESTORED = "Restored what you typed before signing in."


def _sign_in(page, base_url):
    page.get_by_label("E-mail address").fill("learner@example.com")
    page.get_by_label("Password").fill("learner-password-123")
    page.get_by_role("button", name="Sign in").click()


def _drafts(page):
    return page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('draft:'))")


def _fill_then_lose_the_session(page, live_server, certification):
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    form.get_by_label("Status").select_option("studying")
    form.get_by_label("Credential ID").fill("ABC-123")
    form.get_by_label("Private notes").fill(NOTES)

    Session.objects.all().delete()  # the session runs out while the learner types
    form.get_by_role("button", name="Save my progress").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "/accounts/login/" in page.url
    assert not CertificationProgress.objects.exists()


def test_what_a_learner_typed_before_their_session_ran_out_is_back_after_signing_in(
    page, live_server, learner
):
    errors = []  # a script the site's CSP refused would say so here
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    certification = CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-900")
    _fill_then_lose_the_session(page, live_server, certification)

    _sign_in(page, live_server.url)

    # Back on the certification's page (the form's address answers a GET with it).
    assert page.url.startswith(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    expect(form.get_by_text(RESTORED)).to_be_visible()
    expect(form.get_by_label("Private notes")).to_have_value(NOTES)
    expect(form.get_by_label("Credential ID")).to_have_value("ABC-123")
    expect(form.get_by_label("Status")).to_have_value("studying")

    form.get_by_role("button", name="Save my progress").click()
    expect(page.locator("#my-progress .alert-success")).to_be_visible()
    progress = CertificationProgress.objects.get(user=learner)
    assert (progress.status, progress.notes, progress.credential_id) == (
        "studying",
        NOTES,
        "ABC-123",
    )
    assert _drafts(page) == []

    page.reload()
    expect(page.locator("#my-progress").get_by_label("Private notes")).to_have_value(NOTES)
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    assert errors == []


def test_a_restored_draft_can_be_discarded(page, live_server, learner):
    certification = CertificationFactory()
    _fill_then_lose_the_session(page, live_server, certification)
    _sign_in(page, live_server.url)
    form = page.locator("#my-progress")

    form.get_by_role("button", name="Discard it").click()

    expect(form.get_by_text(RESTORED)).to_have_count(0)
    expect(form.get_by_label("Private notes")).to_have_value("")
    expect(form.get_by_label("Credential ID")).to_have_value("")
    assert _drafts(page) == []
    page.reload()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    expect(page.locator("#my-progress").get_by_label("Private notes")).to_have_value("")


def test_someone_else_signing_in_in_that_tab_never_sees_the_last_learners_draft(
    page, live_server, learner, other_learner
):
    """A shared computer: the first learner's session ran out mid-form and they walked away;
    the next person signs in in the same tab and opens the same certification."""
    certification = CertificationFactory()
    _fill_then_lose_the_session(page, live_server, certification)

    page.get_by_label("E-mail address").fill("other@example.com")
    page.get_by_label("Password").fill("other-password-123")
    page.get_by_role("button", name="Sign in").click()

    assert page.url.startswith(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    expect(form.get_by_label("Status")).to_be_visible()
    expect(form.get_by_text(RESTORED)).to_have_count(0)
    expect(form.get_by_label("Private notes")).to_have_value("")
    expect(form.get_by_label("Credential ID")).to_have_value("")


@pytest.mark.parametrize("where", ["same tab", "another tab"])
def test_a_draft_is_not_put_back_over_progress_saved_since_from_a_career_page(
    page, live_server, learner, where
):
    """The learner types notes on the certification's page, then records the same exam from a
    career page's step (in this tab or another): back on the certification's page, the older
    draft is not offered, so Save there cannot undo the newer save."""
    step = RoadmapStepFactory(certification=CertificationFactory(), position=1)
    certification = step.certification
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    page.locator("#my-progress").get_by_label("Private notes").fill(NOTES)
    assert len(_drafts(page)) == 1

    career_tab = page if where == "same tab" else page.context.new_page()
    career_tab.goto(live_server.url + step.career.get_absolute_url())
    on_step = career_tab.locator("#step-1")
    on_step.get_by_text("Update my progress").click()
    on_step.get_by_label("Status").select_option("studying")
    on_step.get_by_role("button", name="Save").click()
    expect(career_tab.locator("#step-1 .alert-success")).to_be_visible()

    page.goto(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    expect(form.get_by_label("Status")).to_have_value("studying")
    expect(form.get_by_text(RESTORED)).to_have_count(0)
    expect(form.get_by_label("Private notes")).to_have_value("")
    assert _drafts(page) == []
    progress = CertificationProgress.objects.get(user=learner)
    assert (progress.status, progress.notes) == ("studying", "")
