"""A learner signs up, follows AI / ML Engineer, passes its first certification, sees
"1 of 7" and the next step on the dashboard, and logs out; a form left open while signing out
and in is refused with a way back. In Debian's chromium, no JS needed."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_follows_a_career_passes_a_step_and_sees_the_dashboard(
    page, live_server, ai_ml_engineer
):
    # The reference roadmap has seven steps; in this journey all seven are required.
    ai_ml_engineer.roadmap_steps.update(required=True)
    steps = list(ai_ml_engineer.roadmap_steps.select_related("certification").order_by("position"))
    first, second = steps[0], steps[1]

    _sign_up(page, live_server.url, "new.learner@example.com")

    page.goto(live_server.url + ai_ml_engineer.get_absolute_url())
    page.get_by_role("button", name="Follow this career").click()
    expect(page.get_by_role("button", name="Following · Unfollow")).to_be_visible()

    step = page.locator(f"#step-{first.position}")
    step.get_by_text("Update my progress").click()
    step.get_by_label("Status").select_option("passed")
    step.get_by_label("Pass date").fill(timezone.localdate().isoformat())
    step.get_by_role("button", name="Save").click()
    assert page.url.endswith(f"{ai_ml_engineer.get_absolute_url()}#step-{first.position}")
    expect(page.locator(f"#step-{first.position} .learner-state")).to_have_text("Passed")
    expect(page.get_by_text("You hold 1 of 7 required", exact=True)).to_be_visible()

    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_text("1 of 7 required", exact=True)).to_be_visible()
    next_step = page.locator(".learner-next")
    expect(next_step).to_contain_text(second.certification.name)
    progress = page.locator("progress.learner-progress").first
    assert progress.get_attribute("value") == "1" and progress.get_attribute("max") == "7"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in page.url


def _sign_up(page, base_url, email):
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("E-mail address").first.fill(email)
    page.locator("input[name=password1]").fill("a long and unusual passphrase 42")
    page.locator("input[name=password2]").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()


def _sign_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("learner@example.com")
    page.get_by_label("Password").fill("learner-password-123")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()


def test_a_form_left_open_across_signing_out_and_in_says_nothing_was_saved(
    browser, live_server, learner, ai_ml_engineer
):
    context = browser.new_context()
    try:
        stale, step, first = _open_first_step_form(context, live_server.url, ai_ml_engineer)
        step.get_by_label("Status").select_option("studying")
        _sign_out_and_in_elsewhere(context, live_server.url)

        step.get_by_role("button", name="Save").click()
        expect(stale.get_by_role("heading", name="This form has expired")).to_be_visible()
        expect(stale.get_by_text("we did not save anything")).to_be_visible()
        stale.get_by_role("link", name="Back to the page you were on").click()
        assert stale.url.endswith(ai_ml_engineer.get_absolute_url())
        expect(stale.locator(f"#step-{first.position} .learner-state")).to_have_text("Not started")
    finally:
        context.close()


def test_notes_written_in_a_form_left_open_without_javascript_are_shown_to_copy(
    browser, live_server, learner, ai_ml_engineer
):
    # Without JavaScript no draft is kept: the refusal shows the notes, to paste back.
    context = browser.new_context(java_script_enabled=False)
    try:
        stale, step, _ = _open_first_step_form(context, live_server.url, ai_ml_engineer)
        notes = "Practice exam on Sunday, 78%.\nRevise RAG."
        step.get_by_label("Private notes").fill(notes)
        _sign_out_and_in_elsewhere(context, live_server.url)

        step.get_by_role("button", name="Save").click()
        expect(stale.get_by_role("heading", name="This form has expired")).to_be_visible()
        expect(stale.get_by_label("Notes")).to_have_value(notes)
    finally:
        context.close()


def _open_first_step_form(context, base_url, career):
    """A signed-in tab on the career page with its first step's progress form open: (the
    page, the step, the RoadmapStep)."""
    page = context.new_page()
    _sign_in(page, base_url)
    first = career.roadmap_steps.order_by("position").first()
    page.goto(base_url + career.get_absolute_url())
    step = page.locator(f"#step-{first.position}")
    step.get_by_text("Update my progress").click()
    return page, step, first


def _sign_out_and_in_elsewhere(context, base_url):
    """Meanwhile, in another tab: sign out and in again (a new form token)."""
    other = context.new_page()
    other.goto(base_url + "/dashboard/")
    other.get_by_role("button", name="Sign out").click()
    _sign_in(other, base_url)


def test_a_learner_signing_up_in_sydney_gets_sydney_days(browser, live_server):
    """The browser's zone travels with the sign-up form; the settings show it selected."""
    from certifications.models import LearnerProfile

    context = browser.new_context(timezone_id="Australia/Sydney")
    try:
        page = context.new_page()
        _sign_up(page, live_server.url, "sydney@example.com")
        assert LearnerProfile.objects.get(user__email="sydney@example.com").time_zone == (
            "Australia/Sydney"
        )

        page.goto(live_server.url + "/accounts/settings/")
        expect(page.get_by_label("Time zone")).to_have_value("Australia/Sydney")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("browser_zone", "listed"),
    [
        ("America/Los_Angeles", "America/Los_Angeles"),
        # Chrome reports India's zone as "Asia/Calcutta" (Asia/Kolkata emulated reads the
        # same), a name the list no longer offers: the list chose nothing, leaving UTC.
        ("Asia/Calcutta", "Asia/Kolkata"),
    ],
)
def test_the_settings_offer_the_browsers_zone_when_none_is_saved(
    browser, live_server, learner, browser_zone, listed
):
    from certifications.models import LearnerProfile

    context = browser.new_context(timezone_id=browser_zone)
    try:
        page = context.new_page()
        _sign_in(page, live_server.url)
        # Signing in saved the browser's zone; a learner from before that has none.
        assert LearnerProfile.objects.get(user=learner).time_zone == listed
        LearnerProfile.objects.filter(user=learner).update(time_zone="")
        page.goto(live_server.url + "/accounts/settings/")
        expect(page.get_by_label("Time zone")).to_have_value(listed)
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_text("Your settings are saved.")).to_be_visible()
        assert LearnerProfile.objects.get(user=learner).time_zone == listed
    finally:
        context.close()


def test_no_learner_page_scrolls_sideways_on_a_phone(browser, live_server, learner):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        _sign_in(page, live_server.url)
        wide = []
        for path in ["/dashboard/", "/accounts/settings/", "/accounts/email/"]:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide.append(f"{path}: {width}px")
    finally:
        context.close()
    assert not wide, wide


@pytest.mark.parametrize(
    "submit",
    [
        "form.submit()",  # a script or an extension: no button is sent
        "form.requestSubmit()",  # a keyboard shortcut's submission: no button either
    ],
)
def test_an_address_added_without_pressing_add_is_added(page, live_server, learner, submit):
    """allauth's view picks the action from the button's name: a form sent without it came
    back with the address gone and nothing said."""
    _sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/email/")
    page.get_by_label("E-mail address").fill("second@example.com")
    page.locator("form:has(input[name=email][type=email])").evaluate(f"form => {submit}")

    expect(page.get_by_text("Confirmation e-mail sent to second@example.com.")).to_be_visible()
    expect(page.get_by_text("second@example.com", exact=False).first).to_be_visible()
    assert learner.emailaddress_set.filter(email="second@example.com").exists()
