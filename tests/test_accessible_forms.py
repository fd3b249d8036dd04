"""What a refused form and a saved one say, and where: an announced error summary the fields
point at, "Error: " in the page title, and a confirmation beside the step or button the learner
used rather than at the top of a long page (WCAG 3.3.1, 4.1.3)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _tag(html, pattern):
    """The first start tag matching `pattern`."""
    return re.search(rf"<[^>]*{pattern}[^>]*>", html).group(0)


def test_a_wrong_password_is_announced_and_every_field_points_at_why(client, learner):
    response = client.post(
        reverse("account_login"), {"login": "learner@example.com", "password": "wrong-one-1234"}
    )
    html = response.content.decode()

    summary = _tag(html, 'id="form-errors"')
    assert 'role="alert"' in summary
    for name in ("login", "password"):
        field = _tag(html, f'name="{name}"')
        assert 'aria-invalid="true"' in field
        described = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
        assert described[0] == "form-errors"
    assert _title(html).startswith("Error: Sign in")


def test_a_sign_in_page_without_errors_has_no_error_marks(client, learner):
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="form-errors"' not in html
    assert "aria-invalid" not in html
    assert _title(html).startswith("Sign in")


def test_a_refused_sign_up_says_error_in_the_title(client):
    signup = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "a long passphrase 42", "password2": "other"},
    )
    assert _title(signup.content.decode()).startswith("Error: Create an account")


def test_refused_settings_say_error_in_the_title(client_as_learner):
    settings = client_as_learner.post(
        reverse("account-settings"), {"weekly_hours": "500", "time_zone": "UTC"}
    )
    assert _title(settings.content.decode()).startswith("Error: Your account")


def test_a_refused_progress_form_says_error_in_the_title(client_as_learner, career_with_roadmap):
    cert = career_with_roadmap.roadmap_steps.first().certification
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "booked"}
    )
    assert response.status_code == 400
    assert _title(response.content.decode()).startswith("Error: Update your progress")


def test_a_refused_plan_lands_at_the_plan_form_with_an_announced_summary(client_as_learner):
    html = client_as_learner.get(reverse("dashboard")).content.decode()
    # The form's address keeps #plan, so the page it answers with opens at the form.
    assert f'action="{reverse("plan-update")}#plan"' in html
    assert not _title(html).startswith("Error")

    past = datetime.date(2020, 6, 1)
    response = client_as_learner.post(
        reverse("plan-update"), {"weekly_hours": "5", "target_date": past.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _title(html).startswith("Error: Your dashboard")
    plan = html[html.index('id="plan"') :]
    summary = _tag(plan, 'id="plan-errors"')
    assert 'role="alert"' in summary
    assert 'href="#id_target_date"' in plan[: plan.index("</form>")]


TOP_MESSAGES = 'class="container mt-3" role="status"'


def _between(html, start, end):
    tail = html[html.index(start) :]
    return tail[: tail.index(end)]


def test_saved_progress_is_confirmed_beside_its_step(client_as_learner, career_with_roadmap):
    step = career_with_roadmap.roadmap_steps.order_by("position")[1]
    back = f"{career_with_roadmap.get_absolute_url()}#step-{step.position}"
    response = client_as_learner.post(
        reverse("progress-update", args=[step.certification.slug]),
        {"status": "studying", "next": back},
        follow=True,
    )
    html = response.content.decode()
    text = f"{step.certification.name}: studying."
    assert html.count(text) == 1
    assert TOP_MESSAGES not in html
    in_step = _between(html, f'id="step-{step.position}"', f'id="step-{step.position + 1}"')
    assert text in _between(in_step, 'class="placed-messages"', "</form>")
    # Announced, and focusable for the script that moves focus to it on arrival.
    box = _tag(in_step, 'class="placed-messages"')
    assert 'role="status"' in box and 'tabindex="-1"' in box


def test_following_is_confirmed_beside_the_follow_button(client_as_learner, career_with_roadmap):
    url = career_with_roadmap.get_absolute_url()
    response = client_as_learner.post(
        reverse("career-follow", args=[career_with_roadmap.slug]),
        {"next": f"{url}#roadmap"},
        follow=True,
    )
    html = response.content.decode()
    text = f"You follow {career_with_roadmap.title}: it is on your dashboard."
    assert html.count(text) == 1
    assert TOP_MESSAGES not in html
    roadmap = _between(html, 'id="roadmap"', 'class="roadmap"')
    assert text in roadmap and "Following · Unfollow" in roadmap


def test_a_saved_plan_is_confirmed_in_the_plan_panel(client_as_learner):
    target = timezone.localdate() + datetime.timedelta(days=200)
    response = client_as_learner.post(
        reverse("plan-update"),
        {"weekly_hours": "6", "target_date": target.isoformat()},
        follow=True,
    )
    html = response.content.decode()
    assert "Your study plan is saved." in _between(html, 'id="plan"', "</form>")
    assert TOP_MESSAGES not in html


def test_a_confirmation_for_a_step_the_page_lacks_still_shows(
    client_as_learner, career_with_roadmap
):
    cert = career_with_roadmap.roadmap_steps.first().certification
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "studying", "next": f"{career_with_roadmap.get_absolute_url()}#step-99"},
        follow=True,
    )
    html = response.content.decode()
    assert html.count(f"{cert.name}: studying.") == 1


def test_a_confirmation_without_a_spot_shows_at_the_top(client_as_learner, career_with_roadmap):
    cert = career_with_roadmap.roadmap_steps.first().certification
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "studying"}, follow=True
    )
    html = response.content.decode()
    assert f"{cert.name}: studying." in _between(html, TOP_MESSAGES, "</div>\n</div>")


def _summary_links(html):
    """The refused form's summary: its start tag and the (target, text) of each link in it."""
    start = html.index('id="form-errors"')
    box = html[html.rindex("<div", 0, start) : html.index("</div>", start)]
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', box)
    return _tag(box, 'id="form-errors"'), links


def test_a_refused_sign_up_opens_with_a_summary_linking_each_field(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-address"})
    html = response.content.decode()

    tag, links = _summary_links(html)
    # Announced, and focusable for the script that moves focus to it on arrival.
    assert 'role="alert"' in tag and 'tabindex="-1"' in tag and "data-error-summary" in tag
    assert [target for target, _ in links] == ["id_email", "id_password1", "id_password2"]
    assert links[0][1].startswith("E-mail address: ")
    for target, _ in links:  # each link leads to a field that says why it was refused
        field = _tag(html, f'id="{target}"')
        assert 'aria-invalid="true"' in field and f"{target}_error" in field


@pytest.mark.parametrize(
    ("url", "data", "target"),
    [
        ("account-settings", {"weekly_hours": "500", "time_zone": "UTC"}, "id_weekly_hours"),
        ("account_change_password", {"oldpassword": "wrong"}, "id_oldpassword"),
    ],
)
def test_refused_account_forms_open_with_a_summary(client_as_learner, url, data, target):
    html = client_as_learner.post(reverse(url), data).content.decode()
    tag, links = _summary_links(html)
    assert 'role="alert"' in tag and "data-error-summary" in tag
    assert links[0][0] == target


def test_a_refused_progress_form_opens_with_a_summary(client_as_learner, career_with_roadmap):
    cert = career_with_roadmap.roadmap_steps.first().certification
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "booked"}
    )
    tag, links = _summary_links(response.content.decode())
    assert "data-error-summary" in tag
    assert [target for target, _ in links] == ["id_exam_date"]


def test_a_confirmation_at_the_top_can_take_the_focus(client_as_learner):
    response = client_as_learner.post(
        reverse("account-settings"), {"weekly_hours": "5", "time_zone": "UTC"}, follow=True
    )
    html = response.content.decode()
    box = _tag(html, TOP_MESSAGES)
    # static/js/messages.js focuses it: a status region there from the start is not read out.
    assert 'tabindex="-1"' in box and "data-messages" in box
    assert "Your settings are saved." in _between(html, TOP_MESSAGES, "</div>\n</div>")
