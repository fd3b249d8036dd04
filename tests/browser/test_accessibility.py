"""axe-core finds no serious or critical accessibility violation on the main public pages."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/careers/",
    "/careers/ai-ml-engineer/",
    "/certifications/aws-certified-ai-practitioner/",
    "/search/?q=MLflow",
    "/search/?q=no-such-thing",
    "/search/?q=machne+lerning",  # answered with the respelled search
    "/careers/?q=enginer",  # "Did you mean"
    "/careers/compare/?careers=ai-ml-engineer&careers=data-engineer",
    "/certifications/compare/?certifications=aws-certified-ai-practitioner"
    "&certifications=aws-certified-machine-learning-engineer-associate",
    "/certifications/",
    "/employers/",
    "/employers/google-deepmind/",
    "/careers/no-such-career/",  # the 404 page
    "/careers/no-such-ai-ml-engineer/",  # the 404 page offering the page meant
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# Phone width in the dark theme, desktop width in the light one: both layouts and both
# colour palettes are checked without running every page four times.
@pytest.mark.parametrize(("width", "color_scheme"), [(360, "dark"), (1440, "light")])
def test_public_pages_have_no_serious_accessibility_violations(
    browser, live_server, ai_ml_engineer, axe, width, color_scheme
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=color_scheme
    )
    page = context.new_page()
    problems = []
    try:
        for path in PAGES:
            _visit(page, live_server.url + path)
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def _visit(page, url):
    """Open a page, making sure it is the page meant: a mistyped address would check the 404
    page in its place."""
    status = page.goto(url).status
    assert status == (404 if "/no-such-" in url else 200), f"{url} answered {status}"


def test_the_accessibility_check_does_catch_a_serious_violation(page, axe):
    # Guards the test above: an image without alt text must be reported.
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    impacts = {v["id"]: v["impact"] for v in axe.run(page).response["violations"]}
    assert impacts.get("image-alt") in ("serious", "critical")


SIGNED_IN_PAGES = [
    "/dashboard/",
    "/careers/ai-ml-engineer/",
    "/certifications/aws-certified-ai-practitioner/",
    "/accounts/settings/",
    "/accounts/email/",
    "/accounts/password/change/",
]
ENTRANCE_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def _violations(page, axe, base_url, paths):
    problems = []
    for path in paths:
        _visit(page, base_url + path)
        for details in page.locator("details").all():  # the progress forms, opened
            details.evaluate("element => element.open = true")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    return problems


@pytest.mark.parametrize(("width", "color_scheme"), [(360, "dark"), (1440, "light")])
def test_learner_pages_have_no_serious_accessibility_violations(
    browser, live_server, ai_ml_engineer, learner, axe, width, color_scheme
):
    """Signed in with a booked exam, a pass about to expire and an unconfirmed address (the
    dashboard's notice); and the learner's public page as anyone sees it."""
    import datetime

    from django.utils import timezone

    from certifications.models import LearnerProfile
    from certifications.services.progress import career_follow, progress_update

    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    career_follow(user=learner, career=ai_ml_engineer)
    steps = list(ai_ml_engineer.roadmap_steps.select_related("certification").order_by("position"))
    today = timezone.localdate()
    progress_update(
        user=learner,
        certification=steps[0].certification,
        status="passed",
        passed_on=today - datetime.timedelta(days=3 * 365 - 20),
    )
    progress_update(
        user=learner,
        certification=steps[3].certification,
        status="booked",
        exam_date=today + datetime.timedelta(days=9),
    )
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=color_scheme
    )
    page = context.new_page()
    try:
        problems = _violations(page, axe, live_server.url, [*ENTRANCE_PAGES, "/u/ada/"])
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("E-mail address").fill("learner@example.com")
        page.get_by_label("Password").fill("learner-password-123")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/dashboard/")
        problems += _violations(page, axe, live_server.url, SIGNED_IN_PAGES)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# What a screen reader says for a field: a row's cells sit under column headings, which name
# no field when it is reached with Tab, and the boxes that search as one types (select2) named
# none at all: "combobox" or the value chosen, never the field.
FIELD_NAMES = {"label", "select-name", "label-title-only", "aria-input-field-name"}


def _as_staff(page, live_server, staff):
    from django.test import Client

    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _unnamed_fields(page, axe, base_url, paths):
    problems = []
    for path in paths:
        _visit(page, base_url + path)
        for violation in axe.run(page).response["violations"]:
            if violation["id"] in FIELD_NAMES:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} {len(violation['nodes'])} {targets}")
    return problems


def test_an_editor_hears_the_name_of_every_field_of_a_careers_rows_and_list(
    page, live_server, staff, ai_ml_engineer, axe
):
    """The roadmap, salary, employer, responsibility and day-in-the-life rows of the career
    form, and the list's Featured boxes, each name their field (and the list's, its career)."""
    _as_staff(page, live_server, staff)
    paths = [f"/admin/careers/career/{ai_ml_engineer.pk}/change/", "/admin/careers/career/"]
    problems = _unnamed_fields(page, axe, live_server.url, paths)
    assert not problems, "\n".join(problems)
    featured = page.get_by_role("checkbox", name=f"Featured: {ai_ml_engineer.title}")
    expect(featured).to_be_checked()


def test_an_editor_hears_which_field_each_search_as_you_type_box_chooses(
    page, live_server, staff, ai_ml_engineer, axe
):
    """A certification's Successor (empty) and Prerequisites, a roadmap row's Certification,
    and the salary list's career filter: each says its field, then what it holds."""
    from certifications.models import Certification

    _as_staff(page, live_server, staff)
    step = ai_ml_engineer.roadmap_steps.order_by("position").select_related("certification")[0]
    certification = Certification.objects.exclude(pk=step.certification.pk).first()
    paths = [
        f"/admin/certifications/certification/{certification.pk}/change/",
        "/admin/careers/salaryfigure/",
        f"/admin/careers/career/{ai_ml_engineer.pk}/change/",
    ]
    problems = _unnamed_fields(page, axe, live_server.url, paths)
    assert not problems, "\n".join(problems)
    roadmap = page.locator("#roadmap_steps-group")
    expect(
        roadmap.get_by_role("combobox", name=f"Certification {step.certification}", exact=True)
    ).to_have_count(1)
    page.goto(f"{live_server.url}{paths[0]}")
    expect(page.get_by_role("combobox", name="Successor", exact=True)).to_have_count(1)
    expect(page.get_by_role("searchbox", name="Prerequisites", exact=True)).to_have_count(1)


def test_an_editor_tells_the_admins_links_in_text_from_the_text_without_colour(
    page, live_server, staff, ai_ml_engineer, axe
):
    """The breadcrumbs above a form and the links in its help ("import salary figures",
    "export them as CSV") differed from the words around them by colour alone."""
    _as_staff(page, live_server, staff)
    figure = ai_ml_engineer.salary_figures.first()
    problems = []
    for path in [
        "/admin/careers/career/add/",
        f"/admin/careers/career/{ai_ml_engineer.pk}/change/",
        f"/admin/careers/salaryfigure/{figure.pk}/change/",
        "/admin/careers/salaryfigure/import/",
    ]:
        _visit(page, live_server.url + path)
        for violation in axe.run(page).response["violations"]:
            if violation["id"] == "link-in-text-block":
                problems.append(f"{path}: {[node['target'] for node in violation['nodes']]}")
    assert not problems, "\n".join(problems)
