"""Learner actions: progress updates, follows and the plan. Owner, other learner, anonymous;
CSRF on every POST; nothing changes on GET; fuzzed input never gives a 500."""

import datetime
import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import Career
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    LearnerProfile,
)
from certifications.roadmap import add_months
from certifications.services.account import learner_plan_update
from certifications.services.progress import career_follow, progress_update
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]

TODAY = timezone.localdate


@pytest.fixture
def cert(career_with_roadmap):
    return career_with_roadmap.roadmap_steps.order_by("position").first().certification


def snapshot():
    """Everything a learner action could change."""
    return (
        sorted(
            CertificationProgress.objects.values_list(
                "user_id", "certification_id", "status", "exam_date", "passed_on", "notes"
            )
        ),
        sorted(CareerFollow.objects.values_list("user_id", "career_id")),
        sorted(LearnerProfile.objects.values_list("user_id", "weekly_hours", "target_date")),
    )


def action_urls(career, cert):
    """(url, valid POST data) for every learner action."""
    return [
        (reverse("progress-update", args=[cert.slug]), {"status": "studying", "notes": "x"}),
        (reverse("career-follow", args=[career.slug]), {}),
        (reverse("career-unfollow", args=[career.slug]), {}),
        (reverse("plan-update"), {"weekly_hours": "5"}),
    ]


def test_anonymous_actions_redirect_to_login_and_change_nothing(client, career_with_roadmap, cert):
    before = snapshot()
    for url, data in action_urls(career_with_roadmap, cert):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert snapshot() == before


def test_get_on_an_action_url_goes_to_the_forms_page_and_changes_nothing(
    client_as_learner, learner, career_with_roadmap, cert
):
    # The form's error page keeps the action's address; Enter in the address bar GETs it.
    career_follow(user=learner, career=career_with_roadmap)
    before = snapshot()
    form_pages = [
        cert.get_absolute_url(),
        career_with_roadmap.get_absolute_url(),
        career_with_roadmap.get_absolute_url(),
        reverse("dashboard") + "#plan",
    ]
    for (url, _), page in zip(action_urls(career_with_roadmap, cert), form_pages, strict=True):
        response = client_as_learner.get(url)
        assert (response.status_code, response["Location"]) == (302, page), url
        assert client_as_learner.head(url)["Location"] == page
        followed = client_as_learner.get(page)
        assert followed.status_code == 200
        assert "Nothing was saved from that link" in followed.content.decode()
    assert snapshot() == before


def test_get_on_unfollow_of_a_career_back_in_draft_goes_to_the_dashboard(
    client_as_learner, learner, career_with_roadmap
):
    career_follow(user=learner, career=career_with_roadmap)
    Career.objects.filter(pk=career_with_roadmap.pk).update(status=Career.Status.DRAFT)
    response = client_as_learner.get(reverse("career-unfollow", args=[career_with_roadmap.slug]))
    assert response["Location"] == reverse("dashboard")
    assert CareerFollow.objects.exists()


def test_signing_in_again_after_the_session_ended_mid_form_returns_to_the_form(
    client, learner, cert
):
    response = client.post(
        reverse("progress-update", args=[cert.slug]), {"status": "booked"}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("account_login")
    login = response.redirect_chain[-1][0]
    response = client.post(
        login, {"login": learner.email, "password": "learner-password-123"}, follow=True
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == cert.get_absolute_url()
    assert "Nothing was saved from that link" in response.content.decode()
    assert not CertificationProgress.objects.exists()


def test_another_method_on_an_action_url_gets_the_sites_405_page(
    client_as_learner, career_with_roadmap, cert
):
    for url, _ in action_urls(career_with_roadmap, cert):
        response = client_as_learner.put(url)
        assert response.status_code == 405
        assert "POST" in response["Allow"]
        body = response.content.decode()
        assert "This address is not a page" in body and reverse("dashboard") in body


def test_every_post_needs_a_csrf_token(learner, career_with_roadmap, cert):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    before = snapshot()
    for url, data in action_urls(career_with_roadmap, cert):
        assert client.post(url, data).status_code == 403
    assert snapshot() == before


def test_a_post_with_the_pages_csrf_token_works(learner, career_with_roadmap, cert):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(career_with_roadmap.get_absolute_url())
    token = client.cookies["csrftoken"].value
    url = reverse("progress-update", args=[cert.slug])
    response = client.post(url, {"status": "studying", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).status == "studying"


def test_a_form_from_a_stale_page_says_nothing_was_saved_and_links_back(
    learner, career_with_roadmap, cert
):
    # The page was opened before signing in: its token no longer matches the cookie.
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = career_with_roadmap.get_absolute_url()
    client.get(page)
    response = client.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "csrfmiddlewaretoken": "x" * 64},
        HTTP_REFERER=f"http://testserver{page}?from=roadmap",
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body and "we did not save anything" in body
    assert f'<a href="{page}?from=roadmap">Back to the page you were on</a>' in body
    assert reverse("dashboard") in body  # the site's own page, signed in
    assert not CertificationProgress.objects.exists()


NOTES = "Booked for Friday.\nRevise <IAM> policies & VPC peering first."


def _stale_post(client, url, data, **headers):
    """`data` posted with a token that no longer matches the cookie (a page opened before
    signing in or out)."""
    return client.post(url, {**data, "csrfmiddlewaretoken": "x" * 64}, **headers)


def test_notes_sent_from_a_stale_page_are_shown_back_to_copy(learner, career_with_roadmap, cert):
    # Without JavaScript nothing kept them: the page now shows them, to copy and send again.
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(career_with_roadmap.get_absolute_url())
    url = reverse("progress-update", args=[cert.slug])
    data = {"status": "studying", "credential_id": "ABC-123", "notes": NOTES, "seen": "none"}
    response = _stale_post(client, url, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    body = response.content.decode()
    assert "What you wrote" in body
    assert (
        '<label class="form-label" for="typed-1">Notes</label>\n    <textarea class="form-control"'
        ' id="typed-1" rows="4" readonly>Booked for Friday.\nRevise &lt;IAM&gt; policies &amp; VPC'
        " peering first.</textarea>"
    ) in body
    # A single word, code or date is quick to give again; only the notes are shown.
    assert 'id="typed-2"' not in body and "ABC-123" not in body
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example.com"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example.com/form"},
        {},
    ],
    ids=["other origin", "opaque origin", "other referer", "neither"],
)
def test_another_sites_form_gets_no_words_of_its_own_on_the_page(learner, cert, headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = reverse("progress-update", args=[cert.slug])
    response = _stale_post(
        client, url, {"notes": "Call +1 555 0100 to unlock your account"}, **headers
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "What you wrote" not in body and "555 0100" not in body


def test_a_password_sent_from_a_stale_page_is_never_shown(client):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    data = {"login": "someone@example.com", "password": "correct horse battery staple"}
    response = _stale_post(client, reverse("account_login"), data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    assert "battery" not in response.content.decode()


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example.com/x",
        "javascript:alert(1)",
        "",
        # Our own host, whose path alone is another site's address in an href.
        "http://testserver//evil.example.com/x",
        "http://testserver/\\evil.example.com",
        "http://testserver/\\/evil.example.com",
        "http://testserver/\t/evil.example.com",
    ],
)
def test_the_stale_form_page_never_links_off_site(learner, cert, referer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(reverse("dashboard"))
    response = client.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "csrfmiddlewaretoken": "x" * 64},
        HTTP_REFERER=referer,
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Back to the page you were on" not in body
    assert "evil.example.com" not in body and "javascript:" not in body


def test_a_form_sent_without_the_cookie_asks_to_allow_cookies(learner, cert):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("progress-update", args=[cert.slug]), {"status": "passed"})
    assert response.status_code == 403
    assert "Allow cookies for this site" in response.content.decode()
    assert not CertificationProgress.objects.exists()


def test_progress_update_returns_to_the_same_step(client_as_learner, learner, career_with_roadmap):
    step = career_with_roadmap.roadmap_steps.order_by("position")[1]
    back = f"{career_with_roadmap.get_absolute_url()}#step-{step.position}"
    response = client_as_learner.post(
        reverse("progress-update", args=[step.certification.slug]),
        {"status": "passed", "passed_on": TODAY().isoformat(), "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    row = CertificationProgress.objects.get(user=learner)
    assert (row.certification_id, row.status, row.passed_on) == (
        step.certification_id,
        "passed",
        TODAY(),
    )


@pytest.mark.parametrize(
    "evil", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"]
)
def test_progress_update_never_redirects_off_site(client_as_learner, cert, evil):
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "studying", "next": evil}
    )
    assert response["Location"] == cert.get_absolute_url()


def test_invalid_progress_re_renders_with_errors_and_saves_nothing(client_as_learner, cert):
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "booked"}
    )
    assert response.status_code == 400
    assert "Enter the date your exam is booked for." in response.content.decode()
    assert "Please check the highlighted fields" in response.content.decode()
    assert not CertificationProgress.objects.exists()


def test_a_future_pass_date_is_refused(client_as_learner, cert):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "passed_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert not CertificationProgress.objects.exists()


def test_a_credential_id_that_reads_backwards_is_refused_keeping_what_was_typed(
    client_as_learner, cert
):
    # U+202E shows the stored "ABC-\u202e321" as "ABC-123" on a page: no ID holds one.
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "studying", "credential_id": "ABC-\u202e321", "notes": "chapter 3"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Remove the invisible character U+202E from the credential ID" in page
    assert "chapter 3" in page
    assert not CertificationProgress.objects.exists()


def test_every_problem_of_a_progress_form_is_told_at_once(client_as_learner, cert):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "passed_on": tomorrow.isoformat(), "verification_url": "not a link"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a link that starts with http:// or https://." in page  # the form's check
    assert "The pass date cannot be in the future." in page  # a rule the save checks
    assert not CertificationProgress.objects.exists()


def test_progress_on_a_draft_or_unknown_certification_is_404(client_as_learner):
    draft = CertificationFactory(status=Certification.Status.DRAFT)
    for slug in (draft.slug, "no-such-cert"):
        response = client_as_learner.post(
            reverse("progress-update", args=[slug]), {"status": "studying"}
        )
        assert response.status_code == 404
    assert not CertificationProgress.objects.exists()


def test_another_learners_post_never_touches_my_row(
    client, learner, other_learner, career_with_roadmap, cert
):
    progress_update(user=learner, certification=cert, status="studying", notes="mine")
    career_follow(user=learner, career=career_with_roadmap)
    mine = (
        list(CertificationProgress.objects.filter(user=learner).values()),
        list(CareerFollow.objects.filter(user=learner).values()),
    )
    client.force_login(other_learner)
    for url, data in action_urls(career_with_roadmap, cert):
        client.post(url, data)
    assert (
        list(CertificationProgress.objects.filter(user=learner).values()),
        list(CareerFollow.objects.filter(user=learner).values()),
    ) == mine
    assert CertificationProgress.objects.get(user=other_learner).notes == "x"


def test_another_learners_dashboard_never_shows_my_data(
    client, learner, other_learner, career_with_roadmap, cert
):
    progress_update(user=learner, certification=cert, status="studying", notes="secret-note")
    career_follow(user=learner, career=career_with_roadmap)
    client.force_login(other_learner)
    page = client.get(reverse("dashboard")).content.decode()
    assert career_with_roadmap.title not in page
    other_page = client.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert "secret-note" not in other_page
    assert "Follow this career" in other_page


def test_follow_then_unfollow(client_as_learner, learner, career_with_roadmap):
    url = reverse("career-follow", args=[career_with_roadmap.slug])
    assert client_as_learner.post(url).status_code == 302
    assert client_as_learner.post(url).status_code == 302  # twice: still one follow
    assert CareerFollow.objects.filter(user=learner).count() == 1
    response = client_as_learner.post(
        reverse("career-unfollow", args=[career_with_roadmap.slug]),
        {"next": reverse("dashboard")},
    )
    assert response["Location"] == reverse("dashboard")
    assert not CareerFollow.objects.exists()


def test_following_a_draft_or_unknown_career_is_404(client_as_learner):
    draft = CareerFactory(status=Career.Status.DRAFT)
    for slug in (draft.slug, "no-such-career"):
        assert client_as_learner.post(reverse("career-follow", args=[slug])).status_code == 404
    assert not CareerFollow.objects.exists()


def test_a_followed_career_that_went_back_to_draft_can_still_be_unfollowed(
    client_as_learner, learner
):
    career = CareerFactory()
    career_follow(user=learner, career=career)
    Career.objects.filter(pk=career.pk).update(status=Career.Status.DRAFT)
    response = client_as_learner.post(reverse("career-unfollow", args=[career.slug]))
    assert response["Location"] == reverse("dashboard")
    assert not CareerFollow.objects.exists()


def test_plan_update_saves_and_refuses_bad_input(client_as_learner, learner):
    target = TODAY() + datetime.timedelta(days=200)
    response = client_as_learner.post(
        reverse("plan-update"), {"weekly_hours": "6", "target_date": target.isoformat()}
    )
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 6
    response = client_as_learner.post(reverse("plan-update"), {"weekly_hours": "500"})
    assert response.status_code == 400
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 6


def test_career_page_signed_in_shows_each_steps_status_and_form(
    client_as_learner, learner, career_with_roadmap
):
    steps = list(career_with_roadmap.roadmap_steps.order_by("position"))
    progress_update(
        user=learner, certification=steps[0].certification, status="passed", passed_on=TODAY()
    )
    progress_update(
        user=learner,
        certification=steps[1].certification,
        status="booked",
        exam_date=TODAY() + datetime.timedelta(days=10),
    )
    page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert (
        page.count(
            'action="{}"'.format(reverse("progress-update", args=[steps[0].certification.slug]))
        )
        == 1
    )
    assert "Passed" in page and "Exam booked" in page and "Not started" in page
    assert f'value="{career_with_roadmap.get_absolute_url()}#step-{steps[2].position}"' in page
    assert "You hold 1 of 3 required" in page
    assert f"Next: {steps[1].certification.name}" in page
    assert "Follow this career" in page


def test_a_retired_steps_form_records_the_successor_the_dashboard_points_at(
    client_as_learner, learner
):
    """The dashboard's next step is AI-901; the AI-900 step's form must book AI-901, not the
    retired exam, and say where to record an old pass of the retired one."""
    career, retired, successor = career_on_a_renamed_exam()
    progress_update(user=learner, certification=successor, status="studying", notes="ch. 3")
    page = client_as_learner.get(career.get_absolute_url()).content.decode()

    assert f'action="{reverse("progress-update", args=[successor.slug])}"' in page
    assert f'action="{reverse("progress-update", args=[retired.slug])}"' not in page
    assert "Update my progress on Microsoft Azure AI Fundamentals (AI-901)</summary>" in page
    assert "\nch. 3</textarea>" in page  # filled from the successor's row
    # Named, with its code, as a screen reader's list of links reads it out of the sentence.
    retired_link = f'<a href="{retired.get_absolute_url()}">the {retired.name} (AI-900) page</a>'
    assert f"Record that on {retired_link}" in page

    response = client_as_learner.post(
        reverse("progress-update", args=[successor.slug]),
        {"status": "booked", "exam_date": (TODAY() + datetime.timedelta(days=9)).isoformat(),
         "next": f"{career.get_absolute_url()}#step-0"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client_as_learner.get(career.get_absolute_url()).content.decode()
    assert 'state-booked">Exam booked</span>' in page
    assert not CertificationProgress.objects.filter(certification=retired).exists()


@pytest.mark.parametrize(
    ("successor_status", "shown"),
    [
        ("studying", "renewing through {link}: studying"),
        ("booked", 'renewing through {link}: exam booked for <time datetime="{day:%Y-%m-%d}">'),
        ("passed", "also passed {link} on {today:%-d %B %Y}"),
        ("skipped", None),
    ],
)
def test_a_held_retired_step_shows_its_renewal_through_the_replacement(
    client_as_learner, learner, successor_status, shown
):
    """Holding the retired AI-900 while working on AI-901, the step says both: the pass it
    still holds and how the renewal through the replacement stands."""
    career, retired, successor = career_on_a_renamed_exam()
    retired.validity_months = 12
    retired.save()
    passed_on = TODAY() - datetime.timedelta(days=300)
    progress_update(user=learner, certification=retired, status="passed", passed_on=passed_on)
    day = TODAY() + datetime.timedelta(days=20)
    progress_update(
        user=learner,
        certification=successor,
        status=successor_status,
        exam_date=day if successor_status == "booked" else None,
        passed_on=TODAY() if successor_status == "passed" else None,
    )
    page = client_as_learner.get(career.get_absolute_url()).content.decode()

    assert f"· passed {passed_on:%-d %B %Y}" in page  # the retired pass still holds the step
    link = f'<a href="{successor.get_absolute_url()}">{successor.name_with_code}</a>'
    if shown is None:
        assert "renewing through" not in page
        assert "also passed" not in page
    else:
        assert " ".join(shown.format(link=link, day=day, today=TODAY()).split()) in " ".join(
            page.split()
        )


def test_anonymous_career_page_shows_no_progress_forms(client, career_with_roadmap):
    page = client.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert "Update my progress" not in page
    assert "Sign in</a> to follow this career" in page


def test_notes_with_markup_are_escaped_on_the_career_page(
    client_as_learner, learner, career_with_roadmap, cert
):
    progress_update(
        user=learner, certification=cert, status="studying", notes="<script>alert(1)</script>"
    )
    page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_career_page_signed_in_makes_eight_queries(
    client_as_learner, learner, career_with_roadmap, django_assert_num_queries
):
    for step in career_with_roadmap.roadmap_steps.all():
        progress_update(user=learner, certification=step.certification, status="studying")
    career_follow(user=learner, career=career_with_roadmap)
    # 1 session, 2 user, 3 career + EXISTS(follow), 4 salary figures, 5 hirings+employers,
    # 6 roadmap steps + certification/provider/successor + the learner's progress (LEFT JOINs),
    # 7 responsibilities/day/FAQs UNION, 8 related careers.
    with django_assert_num_queries(8):
        response = client_as_learner.get(career_with_roadmap.get_absolute_url())
    assert response.status_code == 200


def test_career_page_signed_in_queries_do_not_grow_with_learners_and_rows(
    client_as_learner, learner, career_with_roadmap, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    for n in range(10):
        other = get_user_model().objects.create_user(f"other{n}", f"o{n}@example.com", "pw")
        for step in career_with_roadmap.roadmap_steps.all():
            progress_update(user=other, certification=step.certification, status="studying")
        career_follow(user=other, career=career_with_roadmap)
    for position in range(3, 30):
        step = RoadmapStepFactory(career=career_with_roadmap, position=position)
        progress_update(user=learner, certification=step.certification, status="studying")
    career_follow(user=learner, career=career_with_roadmap)
    with django_assert_num_queries(8):
        response = client_as_learner.get(career_with_roadmap.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("Update my progress") == 30


dates = st.one_of(
    st.just(""),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
    st.text(max_size=12),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    status=st.one_of(st.sampled_from(CertificationProgress.Status.values), st.text(max_size=12)),
    exam_date=dates,
    passed_on=dates,
    credential_id=st.text(max_size=140),
    verification_url=st.one_of(
        st.text(max_size=40),
        st.sampled_from(["https://ok.example.com/v", "javascript:alert(1)", "http://x"]),
    ),
    notes=st.text(max_size=200),
)
def test_fuzzed_progress_posts_never_500_or_break_a_rule(
    client_as_learner, learner, career_with_roadmap, cert, **data
):
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    response = client_as_learner.post(reverse("progress-update", args=[cert.slug]), data)
    assert response.status_code in (302, 400)
    assert CertificationProgress.objects.filter(user=learner).count() <= 1
    row = CertificationProgress.objects.filter(user=learner).first()
    if row is not None:
        assert row.status in CertificationProgress.Status.values
        assert row.status != "booked" or row.exam_date is not None
        assert row.exam_date is None or row.exam_date >= TODAY()  # never booked in the past
        assert row.status != "passed" or (row.passed_on and row.passed_on <= TODAY())
        assert not row.verification_url or row.verification_url.startswith(("http://", "https://"))
    page = client_as_learner.get(career_with_roadmap.get_absolute_url())
    assert page.status_code == 200
    if row is not None and "<" in row.notes:
        assert row.notes not in page.content.decode()
    assert client_as_learner.get(reverse("dashboard")).status_code == 200


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    weekly_hours=st.one_of(st.integers(-(10**6), 10**6).map(str), st.text(max_size=8)),
    target_date=dates,
)
def test_fuzzed_plan_posts_never_500_or_break_a_rule(client_as_learner, learner, **data):
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    response = client_as_learner.post(reverse("plan-update"), data)
    assert response.status_code in (302, 400)
    profile = LearnerProfile.objects.filter(user=learner).first()
    if profile is not None and profile.weekly_hours is not None:
        assert 1 <= profile.weekly_hours <= 168
    assert client_as_learner.get(reverse("dashboard")).status_code == 200


def _listed_careers(learner, count):
    for _ in range(count):
        career = CareerFactory()
        for position in range(3):
            step = RoadmapStepFactory(career=career, position=position)
            if position == 0:
                progress_update(
                    user=learner,
                    certification=step.certification,
                    status="passed",
                    passed_on=TODAY(),
                )


def test_career_cards_show_the_learners_progress(client_as_learner, learner):
    _listed_careers(learner, 2)
    page = client_as_learner.get(reverse("careers:list")).content.decode()
    assert page.count("You hold 1 of 3 required") == 2


def test_career_cards_show_no_progress_to_visitors(client, learner):
    _listed_careers(learner, 2)
    page = client.get(reverse("careers:list")).content.decode()
    assert "You hold" not in page


@pytest.mark.parametrize("rows", [3, 12])
def test_signed_in_career_list_adds_session_user_and_exam_queries(
    client_as_learner, learner, django_assert_num_queries, rows
):
    _listed_careers(learner, rows)
    # 1 session, 2 user, 3 distinct categories, 4 COUNT for the paginator, 5 the page of
    # careers with cert count and salary, 6 the learner's exams (held, skipped, tracked:
    # read once, they enter the next query as lists), 7 the held/required counts of the
    # page's careers only.
    with django_assert_num_queries(7):
        response = client_as_learner.get(reverse("careers:list"))
    assert response.status_code == 200


def test_certification_page_shows_my_progress_form_prefilled(client_as_learner, learner, cert):
    progress_update(
        user=learner,
        certification=cert,
        status="booked",
        exam_date=TODAY() + datetime.timedelta(days=9),
        notes="<b>bring ID</b>",
    )
    page = client_as_learner.get(cert.get_absolute_url()).content.decode()
    assert "Your progress" in page and "Exam booked" in page
    assert f'action="{reverse("progress-update", args=[cert.slug])}"' in page
    assert f'value="{cert.get_absolute_url()}#my-progress"' in page
    assert "&lt;b&gt;bring ID&lt;/b&gt;" in page and "<b>bring ID</b>" not in page


def test_certification_page_invites_visitors_to_sign_in(client, cert):
    page = client.get(cert.get_absolute_url()).content.decode()
    assert "Your progress" not in page
    assert "to track this certification" in page


def test_certification_page_signed_in_adds_only_session_and_user_queries(
    client, learner, cert, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as anonymous:
        client.get(cert.get_absolute_url())
    progress_update(user=learner, certification=cert, status="studying")
    client.force_login(learner)
    # The anonymous page's queries + 1 session + 1 user: the progress is a LEFT JOIN.
    with django_assert_num_queries(len(anonymous) + 2):
        response = client.get(cert.get_absolute_url())
    assert "Studying" in response.content.decode()


def test_certification_page_renders_the_learners_form_and_no_roadmap_steps_status(
    client, learner, cert, django_assert_num_queries
):
    RoadmapStepFactory(certification=cert)
    progress_update(user=learner, certification=cert, status="studying")
    client.force_login(learner)
    # 1 session, 2 user, 3 the certification with the learner's progress joined, 4 its
    # prerequisites, 5 the published careers' steps using it.
    with django_assert_num_queries(5):
        response = client.get(cert.get_absolute_url())
    rendered = [template.name for template in response.templates]
    assert rendered.count("certifications/includes/_progress_certification.html") == 1
    # A roadmap step's status belongs on a career's roadmap: this page has no step to show.
    assert "certifications/includes/_step_status.html" not in rendered
    assert response.content.decode().count("Save my progress") == 1


def test_reading_learner_pages_changes_nothing(
    client_as_learner, learner, career_with_roadmap, cert
):
    progress_update(user=learner, certification=cert, status="studying")
    career_follow(user=learner, career=career_with_roadmap)
    before = snapshot()
    for url in (
        reverse("dashboard"),
        career_with_roadmap.get_absolute_url(),
        cert.get_absolute_url(),
        reverse("careers:list"),
    ):
        assert client_as_learner.get(url).status_code == 200
    assert snapshot() == before


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    next_url=st.one_of(st.text(max_size=60), st.sampled_from(["//x.example", "/\\\\x", "http:x"]))
)
def test_fuzzed_return_addresses_always_stay_on_this_site(
    client_as_learner, career_with_roadmap, next_url
):
    response = client_as_learner.post(
        reverse("career-follow", args=[career_with_roadmap.slug]),
        {"next": next_url.replace("\x00", "")},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


def test_home_cards_show_the_learners_progress_with_one_more_query(
    client_as_learner, learner, django_assert_num_queries
):
    _listed_careers(learner, 2)
    # 1 session, 2 user, 3 featured careers, 4 the learner's exams, 5 the held/required
    # counts of those careers, 6 popular certifications.
    with django_assert_num_queries(6):
        page = client_as_learner.get(reverse("home")).content.decode()
    assert page.count("You hold 1 of 3 required") == 2


class _FormControls(HTMLParser):
    """Labels (by their `for`), element ids, and the visible controls with their attributes."""

    def __init__(self):
        super().__init__()
        self.label_for, self.ids, self.controls = set(), set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs)


def test_each_steps_progress_form_has_labelled_bootstrap_controls_filled_with_my_progress(
    client_as_learner, learner, career_with_roadmap
):
    steps = list(career_with_roadmap.roadmap_steps.all())
    exam_day = TODAY() + datetime.timedelta(days=90)  # a fixed date would pass by
    progress_update(
        user=learner, certification=steps[0].certification, status="booked", exam_date=exam_day
    )
    html = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    found = _FormControls()
    found.feed(html)

    controls = [c for c in found.controls if c.get("id", "").startswith("id_step")]
    assert len(controls) == 6 * len(steps)
    for control in controls:
        assert control["id"] in found.label_for, control
        assert {"form-control", "form-select"} & set(control["class"].split()), control
        if "aria-describedby" in control:
            assert control["aria-describedby"] in found.ids  # the help text it points at
    first = f"id_step{steps[0].position}"
    exam_date = next(c for c in controls if c["id"] == f"{first}_exam_date")
    assert exam_date["value"] == exam_day.isoformat()
    assert 'value="booked" selected' in html


def test_a_refused_plan_shows_why_beside_the_field_and_keeps_what_was_typed(
    client_as_learner, learner
):
    past = TODAY() - datetime.timedelta(days=1)
    response = client_as_learner.post(
        reverse("plan-update"), {"weekly_hours": "5", "target_date": past.isoformat()}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div id="id_target_date_error" class="invalid-feedback">' in html
    assert "Choose a target date from today on." in html
    assert 'aria-describedby="id_target_date_error"' in html
    assert 'name="weekly_hours" value="5"' in html


def test_a_booked_renewal_shows_the_exam_and_the_pass_still_valid(
    client_as_learner, learner, career_with_roadmap, cert
):
    passed_on, exam_day = TODAY() - datetime.timedelta(days=400), TODAY() + datetime.timedelta(9)
    progress_update(user=learner, certification=cert, status="passed", passed_on=passed_on)
    progress_update(
        user=learner, certification=cert, status="booked", exam_date=exam_day, passed_on=passed_on
    )
    expires = f"expires on {add_months(passed_on, 24):%-d %B %Y}"
    for url in (cert.get_absolute_url(), career_with_roadmap.get_absolute_url()):
        text = " ".join(
            re.sub(r"<[^>]+>", " ", client_as_learner.get(url).content.decode()).split()
        )
        assert f"Exam booked on {exam_day:%-d %B %Y}" in text
        assert expires in text


def test_an_empty_pass_date_clears_one_entered_by_mistake(
    client_as_learner, learner, career_with_roadmap, cert
):
    url = reverse("progress-update", args=[cert.slug])
    mistake = (TODAY() - datetime.timedelta(days=30)).isoformat()  # not yet expired
    client_as_learner.post(url, {"status": "studying", "passed_on": mistake})
    career = career_with_roadmap.get_absolute_url()
    assert "You hold 1 of 3 required" in client_as_learner.get(career).content.decode()

    response = client_as_learner.post(url, {"status": "studying", "passed_on": ""})

    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).passed_on is None
    page = client_as_learner.get(cert.get_absolute_url()).content.decode()
    assert f'value="{mistake}"' not in page
    assert "You hold 1 of 3" not in client_as_learner.get(career).content.decode()


def test_a_passed_status_still_needs_its_pass_date(client_as_learner, learner, cert):
    url = reverse("progress-update", args=[cert.slug])
    client_as_learner.post(url, {"status": "passed", "passed_on": "2025-05-05"})

    response = client_as_learner.post(url, {"status": "passed", "passed_on": ""})

    assert response.status_code == 400
    assert "Enter the date you passed." in response.content.decode()
    assert CertificationProgress.objects.get(user=learner).passed_on == datetime.date(2025, 5, 5)


def test_notes_at_the_limit_the_browser_counts_are_saved_with_their_line_breaks(
    client_as_learner, learner, cert
):
    typed = "\n".join(["line"] * 1000) + "."  # 5000 characters, as textarea.value.length
    sent = typed.replace("\n", "\r\n")  # how the browser submits the line breaks
    url = reverse("progress-update", args=[cert.slug])

    response = client_as_learner.post(url, {"status": "studying", "notes": sent})

    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).notes == typed
    too_long = client_as_learner.post(url, {"status": "studying", "notes": sent + "x"})
    assert too_long.status_code == 400
    assert "at most 5000 characters (it has 5001)" in too_long.content.decode()


def test_notes_pasted_past_the_limit_are_not_cut_but_shown_back_whole_with_why(
    client_as_learner, learner, cert, django_assert_num_queries
):
    """The textarea's maxlength had the browser cut a longer paste at 5,000 characters
    without a word, and the end of the notes was lost on saving. Now nothing is cut: the
    page counts the characters as they are typed (static/js/char-count.js), and a save over
    the limit, with or without the script, is refused with all of the text put back."""
    page = client_as_learner.get(cert.get_absolute_url()).content.decode()
    [notes] = re.findall(r'<textarea name="notes"[^>]*>', page)
    assert 'data-count-max="5000"' in notes and "maxlength" not in notes
    assert "js/char-count.js" in page
    pasted = "Chapter notes. " * 346 + "The end."  # 5,198 characters
    url = reverse("progress-update", args=[cert.slug])

    # session, user, certification; the learner's row, for the other rules checked on what
    # was read. Nothing is written.
    with django_assert_num_queries(4):
        response = client_as_learner.post(url, {"status": "studying", "notes": pasted})

    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 5000 characters (it has 5198)" in page
    assert f"\n{pasted}</textarea>" in page  # all of it, to shorten
    assert "js/char-count.js" in page
    assert not CertificationProgress.objects.filter(user=learner).exists()


@pytest.mark.parametrize("with_successor", [True, False])
def test_an_exam_after_the_certifications_retirement_is_refused_naming_its_successor(
    client_as_learner, learner, with_successor
):
    _, retired, _ = career_on_a_renamed_exam()
    retired.retired_on = datetime.date(2024, 5, 1)
    if not with_successor:
        retired.successor = None
    retired.save()
    url = reverse("progress-update", args=[retired.slug])
    exam_day = (TODAY() + datetime.timedelta(days=30)).isoformat()

    booking = client_as_learner.post(url, {"status": "booked", "exam_date": exam_day})
    passing = client_as_learner.post(url, {"status": "passed", "passed_on": "2024-06-01"})

    for response, what in ((booking, "no exam can be taken"), (passing, "it cannot be passed")):
        assert response.status_code == 400
        text = " ".join(response.content.decode().split())
        assert f"(AI-900) was retired on 1 May 2024, so {what} after that." in text
        named = "Microsoft Azure AI Fundamentals (AI-901), which replaced it." in text
        assert named == with_successor
    assert not CertificationProgress.objects.exists()
    on_the_day = client_as_learner.post(url, {"status": "passed", "passed_on": "2024-05-01"})
    assert on_the_day.status_code == 302  # passed before it was retired: still counts


def test_skipped_with_a_pass_date_is_refused_and_keeps_what_was_typed(
    client_as_learner, learner, cert, career_with_roadmap
):
    passed_on = TODAY() - datetime.timedelta(days=30)
    progress_update(user=learner, certification=cert, status="passed", passed_on=passed_on)

    # Changing a pass to Skipped and leaving the pre-filled pass date.
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "skipped", "passed_on": passed_on.isoformat(), "notes": "Not for me"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "empty the Pass date to skip it, or choose Passed" in page
    assert passed_on.isoformat() in page and "Not for me" in page
    row = CertificationProgress.objects.get(user=learner)
    assert (row.status, row.passed_on) == ("passed", passed_on)

    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]), {"status": "skipped", "passed_on": ""}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.passed_on) == ("skipped", None)
    career_page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert "held, passed" not in career_page and "You hold 0 of" in career_page


def test_a_learner_sending_changes_faster_than_a_person_gets_the_429_page_after_60(
    client_as_learner, learner, other_learner, career_with_roadmap, cert, monkeypatch
):
    # All in one clock minute: 61 posts take about a second, and one run in 60 crossed a minute.
    monkeypatch.setattr("careerportal.actions.clock_minute", lambda: 30_000_000)
    url = reverse("progress-update", args=[cert.slug])
    statuses = ["planning", "studying"]
    for n in range(60):
        assert client_as_learner.post(url, {"status": statuses[n % 2]}).status_code == 302, n

    response = client_as_learner.post(url, {"status": "booked", "exam_date": "2099-01-31"})

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "nothing was saved from this one" in page and "wait a minute" in page
    # What was sent waits in a "Send again" form, with a fresh token, and a way back.
    assert f'<form method="post" action="{url}">' in page
    assert '<input type="hidden" name="status" value="booked">' in page
    assert '<input type="hidden" name="exam_date" value="2099-01-31">' in page
    assert 'name="csrfmiddlewaretoken"' in page and ">Send again</button>" in page
    assert f'href="{cert.get_absolute_url()}"' in page
    assert CertificationProgress.objects.get(user=learner).status == "studying"
    # Every other learner action counts too; another learner is not held up.
    for other_url, data in action_urls(career_with_roadmap, cert):
        assert client_as_learner.post(other_url, data).status_code == 429, other_url
    assert client_as_learner.post(reverse("account-settings"), {}).status_code == 429
    client_as_learner.force_login(other_learner)
    assert client_as_learner.post(url, {"status": "studying"}).status_code == 302


def test_the_write_limit_starts_again_the_next_minute(client_as_learner, learner, cert, settings):
    from unittest import mock

    settings.LEARNER_WRITES_PER_MINUTE = 2
    url = reverse("progress-update", args=[cert.slug])
    with mock.patch("careerportal.actions.time.time", return_value=1_800_000_059.0):
        assert client_as_learner.post(url, {"status": "planning"}).status_code == 302
        assert client_as_learner.post(url, {"status": "studying"}).status_code == 302
        assert client_as_learner.post(url, {"status": "planning"}).status_code == 429
    with mock.patch("careerportal.actions.time.time", return_value=1_800_000_060.0):
        assert client_as_learner.post(url, {"status": "planning"}).status_code == 302
    assert CertificationProgress.objects.get(user=learner).status == "planning"


def test_a_learner_who_skipped_the_first_step_is_not_told_to_start_with_it(
    client_as_learner, learner, career_with_roadmap
):
    career_with_roadmap.cta_text = "Begin with step one and build from there."
    career_with_roadmap.save()
    steps = list(career_with_roadmap.roadmap_steps.order_by("position"))
    progress_update(user=learner, certification=steps[0].certification, status="skipped")

    page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    cta = page.split('id="cta-heading"', 1)[1].split("</section>", 1)[0]
    assert "Begin with step one" not in cta
    assert f"Start with {steps[0].certification.name}" not in cta
    assert "Your next step on this roadmap:" in cta
    second = steps[1].certification
    assert f'href="{second.get_absolute_url()}">Next: {second.name_with_code}</a>' in cta


def test_a_learner_whose_first_pass_expired_is_asked_to_renew_it(
    client_as_learner, learner, career_with_roadmap
):
    career_with_roadmap.cta_text = "Begin with step one and build from there."
    career_with_roadmap.save()
    first = career_with_roadmap.roadmap_steps.order_by("position").first().certification
    first.validity_months = 12
    first.save()
    passed_on = add_months(TODAY(), -13)
    progress_update(user=learner, certification=first, status="passed", passed_on=passed_on)

    page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    cta = page.split('id="cta-heading"', 1)[1].split("</section>", 1)[0]
    assert "Begin with step one" not in cta
    assert f'href="{first.get_absolute_url()}">Renew {first.name_with_code}</a>' in cta


def test_a_learner_on_the_way_is_shown_their_next_step_not_where_to_start(
    client_as_learner, learner, career_with_roadmap
):
    first = career_with_roadmap.roadmap_steps.order_by("position").first().certification
    progress_update(user=learner, certification=first, status="passed", passed_on=TODAY())

    page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    assert '<h2 id="cta-heading">Your next step</h2>' in page
    assert "Where to start" not in page
    # A visitor, or a learner yet to begin, is still told where to start.
    visitor = Client().get(career_with_roadmap.get_absolute_url()).content.decode()
    assert '<h2 id="cta-heading">Where to start</h2>' in visitor


@pytest.mark.parametrize("hours", ["0", "169"])
def test_a_plan_of_no_hours_or_more_than_a_week_says_the_range_and_saves_nothing(
    client_as_learner, learner, hours
):
    learner_plan_update(user=learner, weekly_hours=6, target_date=None)

    plan = client_as_learner.post(reverse("plan-update"), {"weekly_hours": hours})
    settings_page = client_as_learner.post(
        reverse("account-settings"), {"weekly_hours": hours, "handle": "ada"}
    )

    assert plan.status_code == 400
    for response in (plan, settings_page):
        assert "Enter between 1 and 168 hours a week, or leave it empty." in (
            response.content.decode()
        )
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.weekly_hours == 6 and profile.handle is None


@pytest.mark.parametrize(
    ("validity_months", "after"),
    [(None, "does not expire"), (120, "expires on {expires:%-d %B %Y}")],
)
def test_a_pass_reads_the_same_on_its_page_and_its_step(
    client_as_learner, learner, career_with_roadmap, validity_months, after
):
    """Both say "Passed on <day>, …": the certification page said "Passed · passed <day>;
    does not expire", the step "Passed · passed <day>, does not expire"."""
    step = career_with_roadmap.roadmap_steps.order_by("position").first()
    cert = step.certification
    cert.validity_months = validity_months
    cert.save()
    passed_on = TODAY() - datetime.timedelta(days=2000)
    progress_update(user=learner, certification=cert, status="passed", passed_on=passed_on)
    said = f"Passed on {passed_on:%-d %B %Y}, " + after.format(
        expires=add_months(passed_on, validity_months or 0)
    )

    own_page = client_as_learner.get(cert.get_absolute_url()).content.decode()
    progress = own_page.split('id="my-progress-heading"', 1)[1].split("<form", 1)[0]
    career_page = client_as_learner.get(career_with_roadmap.get_absolute_url()).content.decode()
    step_status = career_page.split(f'id="step-{step.position}"', 1)[1].split("<details", 1)[0]

    for part in (progress, step_status):
        text = " ".join(re.sub(r"<[^>]+>", "", part).split())
        assert said in text
        assert text.lower().count("passed") == 1


def test_recording_a_pass_that_has_since_expired_says_so_beside_the_step(
    client_as_learner, career_with_roadmap
):
    """It said "passed." above a step that read "Expired: renew"."""
    step = career_with_roadmap.roadmap_steps.order_by("position").first()
    cert = step.certification
    cert.validity_months = 12
    cert.save()
    back = f"{career_with_roadmap.get_absolute_url()}#step-{step.position}"

    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "passed", "passed_on": "2020-03-02", "next": back},
        follow=True,
    )

    step_html = response.content.decode().split(f'id="step-{step.position}"', 1)[1]
    text = html.unescape(step_html.split("<details", 1)[0])
    assert f"{cert.name}: passed, but it expired on 2 March 2021: pass it again to count it." in (
        text
    )
    assert "Expired: renew" in text


PAST_EXAM = "That date has passed: enter the day your exam is booked for, today or later."


@pytest.mark.parametrize("page", ["certification", "career"])
def test_booking_an_exam_on_a_day_gone_by_is_refused_beside_the_date_keeping_what_was_typed(
    client_as_learner, learner, cert, career_with_roadmap, page
):
    # The certification page's form and each roadmap step's form on the career page post here.
    back = (
        cert.get_absolute_url()
        if page == "certification"
        else f"{career_with_roadmap.get_absolute_url()}#step-1"
    )
    yesterday = TODAY() - datetime.timedelta(days=1)
    typed = {
        "status": "booked",
        "exam_date": yesterday.isoformat(),
        "credential_id": "ABC-123",
        "notes": "Booked at the test centre",
        "next": back,
    }

    response = client_as_learner.post(reverse("progress-update", args=[cert.slug]), typed)

    assert response.status_code == 400
    page_text = response.content.decode()
    assert PAST_EXAM in page_text
    assert "If you already sat it, choose Passed and enter the pass date" in page_text
    field = re.search(r'<input[^>]*name="exam_date"[^>]*>', page_text).group(0)
    assert 'aria-invalid="true"' in field and f'value="{yesterday.isoformat()}"' in field
    assert "ABC-123" in page_text and "Booked at the test centre" in page_text
    assert f'value="{back}"' in page_text  # Save again still returns to the same place
    assert not CertificationProgress.objects.filter(user=learner).exists()


def test_an_exam_booked_for_today_is_accepted(client_as_learner, learner, cert):
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "booked", "exam_date": TODAY().isoformat()},
    )

    assert response.status_code == 302
    assert CertificationProgress.objects.get(user=learner).exam_date == TODAY()


def test_moving_a_booking_to_a_day_gone_by_is_refused_and_keeps_the_booking(
    client_as_learner, learner, cert
):
    next_week = TODAY() + datetime.timedelta(days=7)
    progress_update(user=learner, certification=cert, status="booked", exam_date=next_week)

    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "booked", "exam_date": (TODAY() - datetime.timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 400 and PAST_EXAM in response.content.decode()
    assert CertificationProgress.objects.get(user=learner).exam_date == next_week


def test_a_booking_whose_day_has_gone_by_still_asks_how_it_went_and_saves_other_changes(
    client_as_learner, learner, cert, career_with_roadmap
):
    # Booked before the day came (or before this rule): the row holds a date now past.
    last_week = TODAY() - datetime.timedelta(days=7)
    CertificationProgress.objects.create(
        user=learner, certification=cert, status="booked", exam_date=last_week
    )
    CareerFollow.objects.create(user=learner, career=career_with_roadmap)

    for url in (cert.get_absolute_url(), reverse("dashboard")):
        assert "How did it go?" in client_as_learner.get(url).content.decode()
    # Its form is sent back as it was pre-filled, with a note added.
    response = client_as_learner.post(
        reverse("progress-update", args=[cert.slug]),
        {"status": "booked", "exam_date": last_week.isoformat(), "notes": "Waiting for results"},
    )

    assert response.status_code == 302
    row = CertificationProgress.objects.get(user=learner)
    assert (row.exam_date, row.notes) == (last_week, "Waiting for results")
