"""A learner pasting long notes into a progress form sees how much of the 5,000-character
limit they use (static/js/char-count.js), and nothing they pasted is cut."""

import pytest
from playwright.sync_api import expect

from certifications.models import CertificationProgress
from tests.factories import CertificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pasted_notes_are_counted_kept_whole_and_refused_with_why_past_the_limit(
    page, live_server, learner
):
    errors = []  # a script the site's CSP refused would say so here
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    certification = CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-900")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("learner@example.com")
    page.get_by_label("Password").fill("learner-password-123")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    notes = form.get_by_label("Private notes")
    expect(form.get_by_text("0 / 5,000 characters")).to_be_visible()

    notes.fill("x" * 4980)
    expect(form.get_by_text("4,980 / 5,000 characters")).to_be_visible()
    notes.fill("Line one.\n" + "y" * 5190)  # a line break counts one, as the server counts
    over = "5,200 / 5,000 characters: 200 too many, shorten your text to save it"

    expect(form.get_by_text(over).first).to_be_visible()
    assert notes.evaluate("field => field.value.length") == 5200  # nothing cut
    live = form.locator("[aria-live=polite]")
    expect(live).to_have_text(over)  # said to a screen reader once typing pauses
    assert over in notes.evaluate(
        "field => field.getAttribute('aria-describedby').split(' ')"
        ".map((id) => document.getElementById(id).textContent).join(' ')"
    )

    assert errors == []
    form.get_by_role("button", name="Save my progress").click()
    expect(page.get_by_text("at most 5000 characters (it has 5200)").first).to_be_visible()
    expect(page.get_by_label("Private notes")).to_have_value("Line one.\n" + "y" * 5190)
    expect(page.get_by_text(over).first).to_be_visible()
    assert not CertificationProgress.objects.exists()
    # The refusal's 400 is the one error: the script ran under the refusal page's CSP too.
    assert errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
