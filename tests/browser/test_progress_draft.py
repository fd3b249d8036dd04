"""A learner whose session ran out while filling in their progress gets back what they typed
once signed in again (static/js/form-draft.js); a save the server confirms forgets it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from certifications.models import CertificationProgress
from certifications.services.progress import progress_update
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Booked a study slot with Sam; revise chapter 4 first."
RESTORED = "Restored what you typed earlier, which is not saved."


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
    # Nor finds it in the tab's storage with the browser's tools: it was kept there.
    assert _drafts(page) == []


def test_signing_out_leaves_no_draft_in_the_tab_for_the_next_person(page, live_server, learner):
    """A shared computer: a learner typed a private note, did not save it and signed out. The
    note stayed in the tab's storage, for the next person at the computer to read there."""
    certification = CertificationFactory()
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    page.goto(live_server.url + certification.get_absolute_url())
    page.locator("#my-progress").get_by_label("Private notes").fill(NOTES)
    assert len(_drafts(page)) == 1

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert _drafts(page) == []


def test_cancel_on_a_refused_save_does_not_bring_back_what_was_typed(page, live_server, learner):
    """The learner typed a note and a bad link, the save was refused, and they cancel: the
    certification's page shows their progress as saved, not the cancelled typing again."""
    certification = CertificationFactory()
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    form.get_by_label("Private notes").fill(NOTES)
    form.get_by_label("Verification link").evaluate("(field) => { field.type = 'text'; }")
    form.get_by_label("Verification link").fill("my credly page")  # a pasted word, not a link
    form.get_by_role("button", name="Save my progress").click()
    expect(
        page.get_by_text("Enter a link that starts with http:// or https://.").first
    ).to_be_visible()

    page.get_by_role("link", name="Cancel").click()

    form = page.locator("#my-progress")
    expect(form.get_by_label("Private notes")).to_have_value("")
    expect(form.get_by_label("Verification link")).to_have_value("")
    expect(form.get_by_text(RESTORED)).to_have_count(0)
    assert _drafts(page) == []
    assert not CertificationProgress.objects.exists()


def test_a_form_left_unsaved_comes_back_saying_it_is_not_saved(page, live_server, learner):
    """No session ran out: the learner typed a note, followed a link away and came back. The
    note is back, and the page does not speak of a sign-in that never happened."""
    certification = CertificationFactory()
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    page.locator("#my-progress").get_by_label("Private notes").fill(NOTES)

    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.go_back()

    form = page.locator("#my-progress")
    expect(form.get_by_label("Private notes")).to_have_value(NOTES)
    expect(form.get_by_text(RESTORED)).to_be_visible()
    expect(page.get_by_text("before signing in")).to_have_count(0)


def test_a_draft_typed_before_a_save_elsewhere_does_not_undo_that_save(
    page, live_server, learner, clock_away_from_midnight
):
    """The learner typed a note in this tab and left it; on their phone they then recorded
    the pass. Back in the tab the draft comes back, and its Save is told of the pass (the
    conflict message of a stale page) instead of booking the exam again and emptying the pass
    date and credential the draft held as the page showed them."""
    certification = CertificationFactory()
    CertificationProgress.objects.create(
        user=learner,
        certification=certification,
        status="booked",
        exam_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + certification.get_absolute_url())
    page.locator("#my-progress").get_by_label("Private notes").fill(NOTES)

    progress_update(  # on the phone
        user=learner,
        certification=certification,
        status="passed",
        passed_on=timezone.localdate(),
        credential_id="HC-123",
    )
    page.reload()
    form = page.locator("#my-progress")
    expect(form.get_by_text(RESTORED)).to_be_visible()
    form.get_by_role("button", name="Save my progress").click()

    expect(page.get_by_text("in another tab or window after this page was loaded")).to_be_visible()
    row = CertificationProgress.objects.get(user=learner)
    assert (row.status, row.passed_on, row.credential_id) == (
        "passed",
        timezone.localdate(),
        "HC-123",
    )


def _career_of_two_steps():
    career = CareerFactory()
    for position in (1, 2):
        RoadmapStepFactory(career=career, certification=CertificationFactory(), position=position)
    return career


def test_a_note_typed_on_a_roadmap_step_outlives_the_session_too(page, live_server, learner):
    """As on the certification's page: the session ran out while the learner typed in a step
    of a career page; signed in again, they are on the exam's page with their note back."""
    career = _career_of_two_steps()
    certification = career.roadmap_steps.get(position=1).certification
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + career.get_absolute_url())
    step = page.locator("#step-1")
    step.get_by_text("Update my progress").click()
    step.get_by_label("Private notes").fill(NOTES)

    Session.objects.all().delete()
    step.get_by_role("button", name="Save").click()
    _sign_in(page, live_server.url)

    assert page.url.startswith(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    expect(form.get_by_label("Private notes")).to_have_value(NOTES)
    expect(form.get_by_text(RESTORED)).to_be_visible()


def _on_the_career_page(page, live_server, career):
    """Signed in, on `career`'s page with the forms of steps 1 and 2 open."""
    page.goto(live_server.url + "/accounts/login/")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
    page.goto(live_server.url + career.get_absolute_url())
    first, second = page.locator("#step-1"), page.locator("#step-2")
    first.get_by_text("Update my progress").click()
    second.get_by_text("Update my progress").click()
    return first, second


def test_saving_one_roadmap_step_keeps_the_draft_typed_in_another(page, live_server, learner):
    """On a career page the learner typed a note in step 1 and, before saving it, saved
    step 2: back on the page, step 1's note is restored, not forgotten with step 2's save."""
    first, second = _on_the_career_page(page, live_server, _career_of_two_steps())
    first.get_by_label("Private notes").fill(NOTES)

    second.get_by_label("Status").select_option("studying")
    second.get_by_role("button", name="Save").click()

    expect(second.locator(".placed-messages .alert-success")).to_be_visible()
    expect(first.get_by_label("Private notes")).to_have_value(NOTES)  # its form open: below
    expect(first.get_by_text(RESTORED)).to_be_visible()
    assert CertificationProgress.objects.get(user=learner).status == "studying"


def test_back_on_a_career_page_the_step_holding_an_unsaved_note_opens_with_it(
    page, live_server, learner
):
    """The learner typed a note in step 1, then followed a link away without saving. Back on
    the career page the note was put back inside the step's closed "Update my progress":
    the step said "Not started" and nothing showed that anything typed was kept."""
    career = _career_of_two_steps()
    first, second = _on_the_career_page(page, live_server, career)
    first.get_by_label("Private notes").fill(NOTES)

    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    page.goto(live_server.url + career.get_absolute_url())

    first, second = page.locator("#step-1"), page.locator("#step-2")
    expect(first.get_by_text(RESTORED)).to_be_visible()
    expect(first.get_by_label("Private notes")).to_have_value(NOTES)
    expect(second.get_by_label("Private notes")).to_be_hidden()  # nothing typed there: shut


@pytest.mark.parametrize("where", ["same tab", "another tab"])
def test_a_draft_never_undoes_progress_saved_since_from_a_career_page(
    page, live_server, learner, where
):
    """The learner types notes on the certification's page, then records the same exam from a
    career page's step. In this tab the step's form holds the draft too, so that save takes the
    notes and the draft is gone. From another tab (its own storage) the draft comes back on the
    certification's page without turning the status back, and its Save is told of the newer
    save instead of undoing it."""
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
    if where == "another tab":  # in the same tab the step holds the draft, and opens with it
        on_step.get_by_text("Update my progress").click()
    on_step.get_by_label("Status").select_option("studying")
    on_step.get_by_role("button", name="Save").click()
    expect(career_tab.locator("#step-1 .alert-success")).to_be_visible()

    page.goto(live_server.url + certification.get_absolute_url())
    form = page.locator("#my-progress")
    expect(form.get_by_label("Status")).to_have_value("studying")
    progress = CertificationProgress.objects.get(user=learner)
    if where == "same tab":
        expect(form.get_by_text(RESTORED)).to_have_count(0)
        expect(form.get_by_label("Private notes")).to_have_value(NOTES)
        assert _drafts(page) == []
        assert (progress.status, progress.notes) == ("studying", NOTES)
        return
    expect(form.get_by_text(RESTORED)).to_be_visible()
    expect(form.get_by_label("Private notes")).to_have_value(NOTES)
    form.get_by_role("button", name="Save my progress").click()
    expect(page.get_by_text("in another tab or window after this page was loaded")).to_be_visible()
    progress.refresh_from_db()
    assert (progress.status, progress.notes) == ("studying", "")


def _career_with_a_retired_step_and_its_successor():
    """Step 1 is an exam retired for step 2's: both steps' forms record step 2's exam."""
    from certifications.models import Certification

    successor = CertificationFactory(name="New exam", exam_code="NEW-2")
    retired = CertificationFactory(
        name="Old exam", exam_code="OLD-1", status=Certification.Status.RETIRED, successor=successor
    )
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=retired, position=1)
    RoadmapStepFactory(career=career, certification=successor, position=2)
    return career


def _stored(page):
    import json

    (value,) = page.evaluate(
        "Object.keys(sessionStorage).filter((k) => k.startsWith('draft:'))"
        ".map((k) => sessionStorage.getItem(k))"
    )
    return json.loads(value)


def test_what_is_typed_in_two_steps_recording_one_exam_is_kept_whole_and_shown_in_both(
    page, live_server, learner
):
    """Notes typed in step 1 (retired, recording step 2's exam) and a status then chosen in
    step 2 were one draft of the status alone: back on the page, both forms showed "Studying",
    each with its own "Restored" note, and the notes were gone."""
    career = _career_with_a_retired_step_and_its_successor()
    first, second = _on_the_career_page(page, live_server, career)

    first.get_by_label("Private notes").fill(NOTES)
    expect(second.get_by_label("Private notes")).to_have_value(NOTES)
    mirrored = "Not saved yet. Step 1 records the same exam, New exam (NEW-2)"
    expect(second.get_by_text(mirrored)).to_be_visible()
    expect(second.get_by_text(f"{len(NOTES)} / 5,000 characters")).to_be_visible()
    second.get_by_label("Status").select_option("studying")
    expect(first.get_by_label("Status")).to_have_value("studying")
    # Still only what was changed, and the page's `seen`.
    assert set(_stored(page)) == {"status", "notes", "input[type=hidden][name=seen]"}

    page.goto(live_server.url + career.get_absolute_url())
    for step, other in ((first, "Step 2"), (second, "Step 1")):
        step.get_by_text("Update my progress").click()
        expect(step.get_by_label("Private notes")).to_have_value(NOTES)
        expect(step.get_by_label("Status")).to_have_value("studying")
        expect(step.locator("[data-draft-note]")).to_have_text(
            f"{RESTORED} {other} records the same exam, New exam (NEW-2): what you type here "
            "shows there too, and either Save saves it. Discard it"
        )


def test_a_save_in_one_step_takes_what_was_typed_in_the_other_for_that_exam(
    page, live_server, learner
):
    """The notes typed in step 1 were neither sent by step 2's Save nor kept: the save
    cleared the exam's draft."""
    career = _career_with_a_retired_step_and_its_successor()
    first, second = _on_the_career_page(page, live_server, career)
    first.get_by_label("Private notes").fill(NOTES)

    second.get_by_label("Status").select_option("studying")
    second.get_by_role("button", name="Save").click()

    expect(second.locator(".placed-messages .alert-success")).to_be_visible()
    progress = CertificationProgress.objects.get(user=learner)
    assert (progress.certification.exam_code, progress.status, progress.notes) == (
        "NEW-2",
        "studying",
        NOTES,
    )
    assert _drafts(page) == []


def test_discarding_the_exams_draft_in_one_step_empties_both(page, live_server, learner):
    career = _career_with_a_retired_step_and_its_successor()
    first, second = _on_the_career_page(page, live_server, career)
    first.get_by_label("Private notes").fill(NOTES)
    page.goto(live_server.url + career.get_absolute_url())  # both steps open with the draft

    second.get_by_role("button", name="Discard it").click()

    for step in (first, second):
        expect(step.get_by_label("Private notes")).to_have_value("")
        expect(step.locator("[data-draft-note]")).to_have_count(0)
    assert _drafts(page) == []
    page.reload()
    expect(page.locator("[data-draft-note]")).to_have_count(0)
