"""What a refused form says, and where: an announced error summary the fields point at and
"Error: " in the page title (WCAG 3.3.1)."""

import datetime
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
