"""What a screen reader's lists of links and buttons say out of context: no two links on a
career page share a name but not a place, each step's Save and each goal's Unfollow name what
they act on, the theme switch is a toggle whose name does not change when it is pressed, and a
filtered list's title (read first on arrival) says which filters it holds."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse

from certifications.services.progress import career_follow
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    HiringFactory,
    career_on_a_renamed_exam,
)

pytestmark = pytest.mark.django_db


def _text(fragment):
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


def test_no_two_links_on_a_career_page_share_a_name_but_not_a_place(client_as_learner):
    # A retired step (its form records the successor and links the retired exam's page) and
    # an employer (the site menu's Employers and the page's own list of sections).
    career, retired, _successor = career_on_a_renamed_exam()
    HiringFactory(career=career, employer=EmployerFactory())
    html = client_as_learner.get(career.get_absolute_url()).content.decode()
    places = defaultdict(set)
    for href, body in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S):
        places[_text(body).lower()].add(href)
    assert "top employers hiring" in places and retired.get_absolute_url() in str(places)
    shared = {name: hrefs for name, hrefs in places.items() if len(hrefs) > 1}
    assert not shared


def _button_names(html):
    return [_text(body) for body in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)]


def test_each_roadmap_step_save_button_names_its_exam(client_as_learner, career_with_roadmap):
    html = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    saves = [name for name in _button_names(html) if name.startswith("Save")]
    steps = career_with_roadmap.roadmap_steps.select_related("certification")
    assert sorted(saves) == sorted(
        f"Save my progress on {step.certification.name_with_code}" for step in steps
    )


def test_each_unfollow_button_on_the_dashboard_names_its_career(client_as_learner, learner):
    careers = [CareerFactory(title="Data Engineer"), CareerFactory(title="Cloud Engineer")]
    for career in careers:
        career_follow(user=learner, career=career)
    html = client_as_learner.get(reverse("dashboard")).content.decode()
    unfollows = [name for name in _button_names(html) if name.startswith("Unfollow")]
    assert sorted(unfollows) == ["Unfollow Cloud Engineer", "Unfollow Data Engineer"]


def test_the_theme_switch_is_a_toggle_named_for_what_pressing_it_turns_on(client):
    html = client.get(reverse("home")).content.decode()
    toggle = re.search(r"<button[^>]*data-theme-toggle[^>]*>", html).group(0)
    # static/js/theme.js sets aria-pressed; the name must not change with it.
    assert 'aria-label="Dark theme"' in toggle


def _title(html):
    return re.search(r"<title>(.*?) · CareerPortal</title>", html, re.S).group(1)


def test_a_filtered_career_list_says_its_filters_in_its_title(client):
    CareerFactory(category="Data & AI", demand="very_high")
    url = reverse("careers:list")
    assert _title(client.get(url).content.decode()) == "Careers"
    filtered = client.get(url, {"category": "Data & AI", "demand": "very_high"})
    assert _title(filtered.content.decode()) == "Careers in Data &amp; AI, very high demand"


def test_a_filtered_certification_list_says_its_filters_in_its_title(client):
    certification = CertificationFactory(level="associate")
    provider = certification.provider
    response = client.get(
        reverse("certifications:list"),
        {"level": "associate", "provider": provider.slug, "q": certification.name},
    )
    assert _title(response.content.decode()) == (
        f"Associate certifications from {provider.name} matching “{certification.name}”"
    )
