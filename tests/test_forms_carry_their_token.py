"""Every form a learner's pages offer can be sent as a browser sends it: with the page's
CSRF token, which a template included `only` does not see unless it is passed on (Django
then renders an empty `{% csrf_token %}`, and the POST is refused as "This form has
expired"). The test client skips CSRF checks unless told, so these tests send the forms
with the checks on, as they come in the page."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from careers.models import Career
from certifications.models import CareerFollow
from certifications.services.progress import career_follow, progress_update
from tests.factories import CareerFactory, RoadmapStepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]


class _PostForms(HTMLParser):
    """Each POST form of a page: its action and the values of its hidden inputs."""

    def __init__(self):
        super().__init__()
        self.forms, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = {"action": attrs.get("action"), "fields": {}}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("type") == "hidden":
            self._open["fields"][attrs.get("name")] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict]:
    parser = _PostForms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def browser_like(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    return client


@pytest.fixture
def busy_learner(learner, career_with_roadmap):
    """A learner following a public career and one gone back to draft, with progress."""
    career_follow(user=learner, career=career_with_roadmap)
    step = career_with_roadmap.roadmap_steps.order_by("position").first()
    progress_update(user=learner, certification=step.certification, status="studying")
    gone = CareerFactory(title="Gone Back To Draft")
    RoadmapStepFactory(career=gone)
    career_follow(user=learner, career=gone)
    Career.objects.filter(pk=gone.pk).update(status=Career.Status.DRAFT)
    return learner


def test_a_learner_unfollows_a_career_with_the_dashboards_button(
    browser_like, busy_learner, career_with_roadmap
):
    page = browser_like.get(reverse("dashboard")).content.decode()
    action = reverse("career-unfollow", args=[career_with_roadmap.slug])
    (form,) = [f for f in post_forms(page) if f["action"] == action]

    response = browser_like.post(action, form["fields"])

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert not CareerFollow.objects.filter(career=career_with_roadmap).exists()


def test_a_learner_unfollows_a_career_back_in_draft_from_the_dashboard(browser_like, busy_learner):
    gone = Career.objects.get(title="Gone Back To Draft")
    page = browser_like.get(reverse("dashboard")).content.decode()
    action = reverse("career-unfollow", args=[gone.slug])
    (form,) = [f for f in post_forms(page) if f["action"] == action]

    response = browser_like.post(action, form["fields"])

    assert response.status_code == 302
    assert not CareerFollow.objects.filter(career=gone).exists()


def test_every_post_form_on_a_learners_pages_carries_the_pages_token(
    browser_like, busy_learner, career_with_roadmap
):
    step = career_with_roadmap.roadmap_steps.order_by("position").first()
    pages = [
        reverse("home"),
        reverse("dashboard"),
        career_with_roadmap.get_absolute_url(),
        step.certification.get_absolute_url(),
        reverse("account-settings"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account-delete"),
    ]
    for url in pages:
        response = browser_like.get(url)
        assert response.status_code == 200, url
        forms = post_forms(response.content.decode())
        assert forms, url
        for form in forms:
            assert form["fields"].get("csrfmiddlewaretoken"), (url, form["action"])
