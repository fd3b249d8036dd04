"""The opt-in public page /u/<handle>/ and its share image."""

import datetime
import io
import itertools
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from PIL import Image

from certifications.models import (
    CareerFollow,
    CertificationProgress,
    LearnerProfile,
    ReleasedHandle,
)
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)

pytestmark = pytest.mark.usefixtures("clock_away_from_midnight")

TELLTALE = "TELLTALE-PRIVATE-7f3a"

# The plan's target year: one no other date on the page (a pass, its expiry) can fall in.
PLAN_YEAR = timezone.localdate().year + 9


@pytest.fixture
def shared(learner, career_with_roadmap):
    """A learner sharing publicly: follows ML Engineer, passed its first cert, with notes."""
    LearnerProfile.objects.create(
        user=learner,
        handle="ada",
        is_public=True,
        weekly_hours=5,
        target_date=datetime.date(PLAN_YEAR, 9, 30),
    )
    CareerFollow.objects.create(user=learner, career=career_with_roadmap)
    first, second, _ = [s.certification for s in career_with_roadmap.roadmap_steps.all()]
    CertificationProgress.objects.create(
        user=learner,
        certification=first,
        status="passed",
        passed_on=timezone.localdate() - datetime.timedelta(days=200),  # valid 24 months
        credential_id=f"CRED-{TELLTALE}",
        verification_url=f"https://example.com/{TELLTALE}",
        notes=f"my notes {TELLTALE}",
    )
    CertificationProgress.objects.create(
        user=learner, certification=second, status="studying", notes=f"more {TELLTALE}"
    )
    learner.email = f"{TELLTALE}@example.com"
    learner.username = f"user-{TELLTALE}"
    learner.first_name = TELLTALE
    learner.save()
    return learner


def profile_url(handle="ada"):
    return reverse("profile", kwargs={"handle": handle})


def card_url(handle="ada"):
    return reverse("profile-card", kwargs={"handle": handle})


def test_public_page_shows_careers_progress_and_passed_certifications(client, shared):
    response = client.get(profile_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "@ada" in html
    assert "ML Engineer" in html
    bar = re.search(r'<progress class="flex-grow-1" max="3" value="1"[^>]*>', html)[0]
    # Each says of what: it said only "1 of 3".
    assert 'aria-label="ML Engineer: 1 of 3 required certifications held"' in bar
    assert ">1 of 3 required certifications held</span>" in html
    passed = shared.certification_progress.get(status="passed")
    assert passed.certification.name in html
    assert f"{passed.passed_on:%B %Y}" in html


def test_public_page_tells_two_passed_exams_of_the_same_name_apart(
    client, shared, django_assert_num_queries
):
    _, retired, successor = career_on_a_renamed_exam()
    # Both passes still valid (24 months) whatever day the test runs.
    today = timezone.localdate()
    passes = ((retired, today - datetime.timedelta(days=600)), (successor, today))
    for certification, passed_on in passes:
        CertificationProgress.objects.create(
            user=shared, certification=certification, status="passed", passed_on=passed_on
        )

    with django_assert_num_queries(3):  # the exam codes come with the names
        html = client.get(profile_url()).content.decode()

    assert "Microsoft Azure AI Fundamentals (AI-901)</a>" in html
    assert "Microsoft Azure AI Fundamentals (AI-900)</a>" in html


def test_public_page_never_shows_notes_email_or_credentials(client, shared):
    html = client.get(profile_url()).content.decode()

    assert TELLTALE not in html
    assert str(PLAN_YEAR) not in html  # nor the plan (weekly hours, target date)


def test_public_page_is_noindex(client, shared):
    response = client.get(profile_url())

    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]


def test_public_page_points_og_image_at_the_card(client, shared, settings):
    settings.SITE_URL = "https://careers.example.org"
    html = client.get(profile_url()).content.decode()

    assert f'<meta property="og:image" content="https://careers.example.org{card_url()}">' in html


def test_shared_links_are_on_site_url_whatever_host_the_page_was_asked_on(client, shared, settings):
    # A link pasted from the settings page, or the preview a chat app draws from og:url and
    # og:image, would carry an internal host name (the app server behind the proxy).
    settings.SITE_URL = "https://careers.example.org"
    settings.ALLOWED_HOSTS = ["careers.example.org", "app-1.internal"]
    page = client.get(profile_url(), HTTP_HOST="app-1.internal").content.decode()
    client.force_login(shared)
    own = client.get(reverse("account-settings"), HTTP_HOST="app-1.internal").content.decode()

    assert f'<meta property="og:url" content="https://careers.example.org{profile_url()}">' in page
    assert f'content="https://careers.example.org{card_url()}"' in page
    assert f">https://careers.example.org{profile_url()}</a>" in own
    assert "app-1.internal" not in page + own


def test_sharing_is_off_by_default(client, learner):
    LearnerProfile.objects.create(user=learner, handle="ada")

    assert client.get(profile_url()).status_code == 404
    assert client.get(card_url()).status_code == 404


def test_a_handle_typed_with_capitals_moves_for_good_to_the_lowercase_one(client, shared):
    for url, lowercase in ((profile_url("Ada"), profile_url()), (card_url("ADA"), card_url())):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (301, lowercase)
    assert client.get(profile_url("Ada"), follow=True).status_code == 200


def test_unknown_handle_is_404(client, shared):
    assert client.get(profile_url("nobody")).status_code == 404
    assert client.get(profile_url("NOBODY"), follow=True).status_code == 404


def test_stopping_sharing_hides_the_page_and_card_at_once(client, shared):
    LearnerProfile.objects.filter(user=shared).update(is_public=False)

    assert client.get(profile_url()).status_code == 404
    assert client.get(card_url()).status_code == 404


@pytest.mark.parametrize("url", [profile_url, card_url])
def test_no_proxy_or_browser_may_show_the_page_or_card_again_without_asking(client, shared, url):
    assert client.get(url())["Cache-Control"] == "no-cache"


def test_a_signed_in_visitors_copy_of_the_page_is_kept_by_no_cache(client, shared, other_learner):
    client.force_login(other_learner)  # the page's menu names them

    cache_control = client.get(profile_url())["Cache-Control"]

    assert "no-store" in cache_control
    assert "private" in cache_control


@pytest.mark.parametrize("change", ["new handle", "account deleted"])
def test_the_old_page_and_card_stop_at_once_when_the_handle_changes_or_the_account_goes(
    client, shared, change
):
    assert client.get(profile_url()).status_code == 200  # seen once: any cache had its chance
    if change == "new handle":
        LearnerProfile.objects.filter(user=shared).update(handle="grace")
    else:
        shared.delete()

    assert client.get(profile_url()).status_code == 404
    assert client.get(card_url()).status_code == 404


def test_a_deactivated_learners_page_is_404(client, shared):
    shared.is_active = False
    shared.save()

    assert client.get(profile_url()).status_code == 404


def test_public_page_opens_without_signing_in(shared):
    client = Client()
    assert client.get(profile_url()).status_code == 200
    assert client.get(card_url()).status_code == 200


def test_draft_careers_and_certifications_stay_hidden(client, shared):
    draft_career = CareerFactory(title="Secret Draft Career", status="draft")
    CareerFollow.objects.create(user=shared, career=draft_career)
    CertificationProgress.objects.create(
        user=shared,
        certification=CertificationFactory(name="Draft Cert", status="draft"),
        status="passed",
        passed_on=datetime.date(2026, 1, 1),
    )

    html = client.get(profile_url()).content.decode()

    assert "Secret Draft Career" not in html
    assert "Draft Cert" not in html


def test_an_expired_pass_is_not_listed_as_passed(client, shared):
    CertificationProgress.objects.create(
        user=shared,
        certification=CertificationFactory(name="Long Expired", validity_months=12),
        status="passed",
        passed_on=datetime.date(2020, 1, 1),
    )

    assert "Long Expired" not in client.get(profile_url()).content.decode()


def test_card_is_a_1200_by_630_png(client, shared):
    response = client.get(card_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_card_draws_a_progress_bar_in_the_accent_colour(client, shared):
    image = Image.open(io.BytesIO(client.get(card_url()).content)).convert("RGB")
    # First career's bar: one third filled with the accent, the rest the grey track.
    bar_y = 210 + 46 + 9
    assert image.getpixel((100, bar_y)) == (0x25, 0x63, 0xEB)
    assert image.getpixel((1100, bar_y)) == (0xE2, 0xE8, 0xF0)


def test_card_copes_with_long_titles_and_many_careers(client, shared):
    for n in range(6):
        # 120 characters: the longest title the database accepts.
        career = CareerFactory(title=("Very long career title " * 6)[:118] + f" {n}")
        RoadmapStepFactory(career=career)
        CareerFollow.objects.create(user=shared, career=career)

    assert client.get(card_url()).status_code == 200


def test_a_card_of_many_careers_draws_no_line_over_another(client, shared, drawn_texts):
    for n in range(6):
        career = CareerFactory(title=f"Career {n}")
        RoadmapStepFactory(career=career)
        CareerFollow.objects.create(user=shared, career=career)

    assert client.get(card_url()).status_code == 200

    texts = [(drawn.text, drawn.box) for drawn in drawn_texts]
    for (one, a), (other, b) in itertools.combinations(texts, 2):
        overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        assert not overlap, f"{one!r} {a} is drawn over {other!r} {b}"
    # 7 followed: three careers drawn, then the other four counted.
    assert [text for text, _ in texts][-2:] == ["and 4 more", "1 certification held"]


def test_page_and_card_are_get_only(client, shared):
    assert client.post(profile_url()).status_code == 405
    assert client.post(card_url()).status_code == 405


def test_public_page_costs_three_queries(client, shared, django_assert_num_queries):
    # 1: profile by handle with its user; 2: followed careers with held/required counts;
    # 3: certifications held, with provider.
    with django_assert_num_queries(3):
        assert client.get(profile_url()).status_code == 200


def _follow_careers_held(learner, careers):
    """`careers` more followed careers, each of three certifications the learner passed."""
    for _ in range(careers):
        career = CareerFactory()
        for _ in range(3):
            cert = CertificationFactory()
            RoadmapStepFactory(career=career, certification=cert)
            CertificationProgress.objects.create(
                user=learner, certification=cert, status="passed", passed_on=timezone.localdate()
            )
        CareerFollow.objects.create(user=learner, career=career)


def test_public_page_query_count_does_not_grow_with_more_rows(
    client, shared, django_assert_num_queries
):
    _follow_careers_held(shared, 10)
    with django_assert_num_queries(3):
        response = client.get(profile_url())
    assert response.content.decode().count("<progress") == 11


@pytest.mark.parametrize("careers", [0, 10])
def test_card_costs_the_pages_three_queries_however_many_rows(
    client, shared, django_assert_num_queries, careers
):
    _follow_careers_held(shared, careers)
    # The public page's: 1 profile by handle with its user, 2 followed careers with
    # held/required counts, 3 certifications held, with provider.
    with django_assert_num_queries(3):
        response = client.get(card_url())
    assert response["Content-Type"] == "image/png"


def test_a_card_asked_for_again_unchanged_is_not_drawn_again(
    client, shared, django_assert_num_queries, monkeypatch
):
    """A link preview or browser revalidating the card it holds (no-cache) is told it is
    current: the same three queries, no drawing, no image sent again."""
    first = client.get(card_url())
    etag = first["ETag"]
    monkeypatch.setattr(
        "certifications.sharing.draw_card", lambda shared: pytest.fail("drawn again")
    )

    with django_assert_num_queries(3):
        again = client.get(card_url(), headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "no-cache"
    assert again["X-Robots-Tag"] == "noindex, nofollow"


def test_a_card_whose_progress_or_career_changed_is_drawn_anew(client, shared):
    etag = client.get(card_url())["ETag"]
    CertificationProgress.objects.filter(user=shared, status="studying").update(
        status="passed", passed_on=timezone.localdate()
    )
    passed = client.get(card_url(), headers={"if-none-match": etag})
    assert passed.status_code == 200
    assert Image.open(io.BytesIO(passed.content)).size == (1200, 630)

    career = CareerFollow.objects.get(user=shared).career
    career.title = "Machine Learning Engineer"
    career.save()
    renamed = client.get(card_url(), headers={"if-none-match": passed["ETag"]})
    assert renamed.status_code == 200
    assert len({etag, passed["ETag"], renamed["ETag"]}) == 3


def test_a_card_no_longer_shared_is_gone_whatever_copy_is_held(client, shared):
    etag = client.get(card_url())["ETag"]
    LearnerProfile.objects.filter(user=shared).update(is_public=False)

    assert client.get(card_url(), headers={"if-none-match": etag}).status_code == 404


def test_page_and_card_answer_head_requests(client, shared):
    response = client.head(profile_url())

    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    assert client.head(card_url()).status_code == 200


@pytest.mark.parametrize("next_status", ["booked", "studying"])
def test_a_valid_pass_stays_on_the_public_page_while_the_renewal_is_booked(
    client, shared, next_status
):
    row = shared.certification_progress.get(status="passed")
    row.status = next_status
    exam_day = timezone.localdate() + datetime.timedelta(days=60)
    row.exam_date = exam_day if next_status == "booked" else None
    row.save()

    html = client.get(profile_url()).content.decode()

    assert "1 of 3 required certifications held" in html
    assert row.certification.name in html and f"{row.passed_on:%B %Y}" in html


def test_card_draws_accented_and_cyrillic_titles_letter_for_letter(client, shared, drawn_texts):
    # Pillow's own font has ASCII alone: each "é" or "И" used to be an empty box.
    for title in ("Ingénieur de données", "Инженер данных"):
        career = CareerFactory(title=title)
        RoadmapStepFactory(career=career)
        CareerFollow.objects.create(user=shared, career=career)

    assert client.get(card_url()).status_code == 200
    texts = {drawn.text: drawn.boxes for drawn in drawn_texts}
    assert texts["Ingénieur de données"] == []
    assert texts["Инженер данных"] == []
    assert all(boxes == [] for boxes in texts.values()), texts


def test_card_leaves_out_the_emoji_no_font_draws_rather_than_draw_boxes(
    client, shared, drawn_texts
):
    career = CareerFactory(title="🚀 Cloud Engineer 👩🏽‍💻 ★")
    RoadmapStepFactory(career=career)
    CareerFollow.objects.create(user=shared, career=career)

    assert client.get(card_url()).status_code == 200

    [title] = [drawn for drawn in drawn_texts if "Cloud Engineer" in drawn.text]
    assert title.boxes == []
    assert "★" in title.text  # a symbol the font has is drawn


def test_a_shared_link_previews_the_learners_progress_not_the_site(client, shared):
    """Link previews read the first og:title and twitter:card: the page has one of each."""
    html = client.get(profile_url()).content.decode()

    assert re.findall(r'<meta property="og:title" content="([^"]*)"', html) == [
        "@ada's certification progress"
    ]
    assert re.findall(r'<meta name="twitter:card" content="([^"]*)"', html) == [
        "summary_large_image"
    ]
    for prop in ("og:type", "og:description", "og:url", "og:site_name", "og:image"):
        assert html.count(f'<meta property="{prop}"') == 1, prop


# --- a handle given up is kept for its former owner -------------------------------------

SETTINGS = reverse("account-settings")
PASSWORD = "learner-password-123"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def claim(client, handle):
    return client.post(SETTINGS, {"handle": handle, "is_public": "on"})


def kept_message(until: datetime.date) -> str:
    return (
        f"That handle was given up recently and is kept for its former owner until "
        f"{until:%-d %B %Y}, so that links to their old page never show someone else&#x27;s. "
        "Choose another."
    )


def in_days(days) -> datetime.date:
    return (timezone.now() + datetime.timedelta(days=days)).date()


@pytest.mark.parametrize("give_up", ["change handle", "stop sharing and clear it"])
def test_a_handle_given_up_is_refused_to_others_and_its_old_links_stay_404(
    client, shared, other_learner, give_up
):
    owner = signed_in(shared)
    data = {"handle": "grace", "is_public": "on"} if give_up == "change handle" else {"handle": ""}
    assert owner.post(SETTINGS, data).status_code == 302

    response = claim(signed_in(other_learner), "ADA")

    assert response.status_code == 200
    assert kept_message(in_days(30)) in response.content.decode()
    assert not LearnerProfile.objects.filter(user=other_learner, handle="ada").exists()
    # Reserved but nobody's: an unknown handle, as before.
    assert client.get(profile_url()).status_code == 404
    assert client.get(card_url()).status_code == 404


def test_the_former_owner_is_told_and_takes_the_handle_back(client, shared, settings):
    settings.HANDLE_RESERVATION_DAYS = 45
    owner = signed_in(shared)
    owner.post(SETTINGS, {"handle": "grace", "is_public": "on"})

    page = owner.get(SETTINGS).content.decode()
    assert f"Your former handle “ada” is kept for you until {in_days(45):%-d %B %Y}" in page

    assert claim(owner, "ada").status_code == 302
    assert client.get(profile_url()).status_code == 200  # the old links work again
    assert "Your former handle “grace”" in owner.get(SETTINGS).content.decode()


def test_settings_list_every_handle_kept_for_the_learner_and_no_one_elses(
    shared, other_learner, monkeypatch
):
    LearnerProfile.objects.create(user=other_learner, handle="zed", is_public=True)
    signed_in(other_learner).post(SETTINGS, {"handle": "zoe", "is_public": "on"})
    owner = signed_in(shared)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    with monkeypatch.context() as past:
        past.setattr(timezone, "now", lambda: ten_days_ago)
        owner.post(SETTINGS, {"handle": "grace", "is_public": "on"})
    owner.post(SETTINGS, {"handle": "hopper", "is_public": "on"})

    page = owner.get(SETTINGS).content.decode()

    # The first to be lost first; each may still be taken back.
    kept = re.findall(r"<li>“(\w+)” until ([^<]+)</li>", page)
    assert kept == [("ada", f"{in_days(20):%-d %B %Y}"), ("grace", f"{in_days(30):%-d %B %Y}")]
    assert "“zed”" not in page
    assert claim(owner, "ada").status_code == 302
    assert claim(owner, "grace").status_code == 302


@pytest.mark.parametrize("changes", [2, 4])
def test_settings_with_kept_handles_cost_four_queries_however_many(
    shared, django_assert_num_queries, changes
):
    owner = signed_in(shared)
    for handle in ["grace", "hopper", "lovelace", "noether"][:changes]:
        owner.post(SETTINGS, {"handle": handle, "is_public": "on"})
    owner.get(SETTINGS)  # shows "Your settings are saved." once
    # 1 session, 2 user, 3 the profile with whether a handle is kept for them, 4 those handles
    with django_assert_num_queries(4):
        page = owner.get(SETTINGS).content.decode()
    assert page.count("<li>“") == changes


@pytest.mark.parametrize(("days", "kept_for"), [(30, 31), (7, 8)])
def test_anyone_may_take_a_handle_once_its_days_are_over(
    client, shared, other_learner, settings, monkeypatch, days, kept_for
):
    settings.HANDLE_RESERVATION_DAYS = days
    signed_in(shared).post(SETTINGS, {"handle": "grace", "is_public": "on"})
    later = timezone.now() + datetime.timedelta(days=kept_for)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no job ran meanwhile

    other = signed_in(other_learner)
    assert claim(other, "ada").status_code == 302
    assert "Your former handle" not in signed_in(shared).get(SETTINGS).content.decode()
    assert client.get(profile_url()).status_code == 200
    assert "ada" not in ReleasedHandle.objects.values_list("handle", flat=True)


def test_a_deleted_accounts_handle_is_kept_with_no_more_than_the_handle_and_day(
    client, shared, other_learner
):
    signed_in(shared).post(reverse("account-delete"), {"password": PASSWORD})

    assert list(ReleasedHandle.objects.values_list("handle", "former_owner")) == [("ada", None)]
    response = claim(signed_in(other_learner), "ada")
    assert kept_message(in_days(30)) in response.content.decode()
    assert client.get(profile_url()).status_code == 404


def test_staff_deleting_an_account_keep_its_handle_too(client_as_staff, learner, other_learner):
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)

    delete = reverse("admin:auth_user_delete", args=[learner.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 302

    assert list(ReleasedHandle.objects.values_list("handle", "former_owner")) == [("ada", None)]
    assert claim(signed_in(other_learner), "ada").status_code == 200


def test_staff_see_kept_handles_and_may_free_one_early(
    client_as_staff, shared, other_learner, django_assert_num_queries
):
    signed_in(shared).post(SETTINGS, {"handle": "grace", "is_public": "on"})
    kept = ReleasedHandle.objects.get(handle="ada")
    changelist = reverse("admin:certifications_releasedhandle_changelist")

    client_as_staff.get(changelist)  # the session's first request loads more
    # session, user, COUNT, the page of handles with their former owners (one join)
    with django_assert_num_queries(4):
        page = client_as_staff.get(changelist, {"q": "ada"}).content.decode()
    until = formats.date_format(timezone.localtime(kept.kept_until), "DATETIME_FORMAT")
    assert ">ada<" in page and shared.username in page and f">{until}<" in page
    assert (
        client_as_staff.get(reverse("admin:certifications_releasedhandle_add")).status_code == 403
    )

    delete = reverse("admin:certifications_releasedhandle_delete", args=[kept.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 302
    assert claim(signed_in(other_learner), "ada").status_code == 302


def test_the_data_export_lists_the_handles_kept_for_the_learner(shared):
    owner = signed_in(shared)
    owner.post(SETTINGS, {"handle": "grace", "is_public": "on"})

    exported = owner.get(reverse("account-export")).json()["released_handles"]

    assert [(row["handle"], row["kept_until"][:10]) for row in exported] == [
        ("ada", in_days(30).isoformat())
    ]


@pytest.mark.parametrize("handle", ["admin", "Support", "careerportal-team"])
def test_a_handle_that_reads_as_the_sites_own_page_is_refused_with_why(shared, handle):
    response = claim(signed_in(shared), handle)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"“{handle.lower()}” would read as the site&#x27;s own page" in page
    assert LearnerProfile.objects.get(user=shared).handle == "ada"  # the old one is kept


def test_a_learner_who_already_holds_such_a_handle_keeps_it_through_other_changes(shared):
    LearnerProfile.objects.filter(user=shared).update(handle="support")
    data = {"handle": "support", "is_public": "on", "weekly_hours": "9"}

    assert signed_in(shared).post(SETTINGS, data).status_code == 302
    assert LearnerProfile.objects.get(user=shared).weekly_hours == 9


def test_the_card_says_what_its_count_is_as_the_public_page_does(client, shared, drawn_texts):
    # The page says "1 of 3 required certifications held"; the card said "1 of 3".
    career = CareerFactory(title=("Very long career title " * 6)[:120])  # the longest allowed
    RoadmapStepFactory(career=career)
    CareerFollow.objects.create(user=shared, career=career)

    assert client.get(card_url()).status_code == 200
    assert "1 of 3 required certifications held" in client.get(profile_url()).content.decode()

    texts = [drawn.text for drawn in drawn_texts]
    assert "1 of 3 required certifications held" in texts
    assert "0 of 1 required certification held" in texts
    [title] = [text for text in texts if text.startswith("Very long")]
    assert title.endswith("…") and len(title) > 30  # cut to fit beside the count, not dropped
    for drawn in drawn_texts:  # everything within the card's 80-pixel margins
        assert drawn.box[0] >= 80 and drawn.box[2] <= 1200 - 80, (drawn.text, drawn.box)


@pytest.mark.parametrize("handle", ["émile", "ana-maría", "ﻣﻬﻨﺪس"])
def test_a_handle_with_accents_or_another_script_is_told_which_letters_it_may_hold(learner, handle):
    response = signed_in(learner).post(SETTINGS, {"handle": handle, "is_public": "on"})

    page = response.content.decode()
    assert "Use 1-40 letters a-z (without accents), digits or hyphens" in page
    assert f'value="{handle}"' in page  # kept, to correct
    assert not LearnerProfile.objects.filter(user=learner, handle__isnull=False).exists()


@pytest.mark.parametrize("handle", ["a" * 41, "émile-" * 8])
def test_a_handle_over_40_characters_gets_one_message_saying_so(
    learner, handle, django_assert_num_queries
):
    """Typed past the field's maxlength (a browser that ignores it, a script), a handle too
    long got two messages at once: Django's "at most 40 characters" and the site's rule for
    letters, which a handle of 41 plain letters did not break."""
    client = signed_in(learner)
    # session, user, profile (none yet: no kept handles to read); the model's constraints,
    # checked in a savepoint (3). Nothing is written.
    with django_assert_num_queries(6):
        response = client.post(SETTINGS, {"handle": handle, "is_public": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"A handle has at most 40 characters; this one has {len(handle)}." in page
    assert "error_1_id_handle" in page and "error_2_id_handle" not in page
    assert "Use 1-40 letters" not in page
    assert not LearnerProfile.objects.filter(user=learner, handle__isnull=False).exists()


def test_a_learner_whose_only_pass_expired_is_not_said_to_have_passed_none(client, shared):
    """The page lists what the learner holds today; an expired pass is neither shown nor
    denied ("Certifications passed: None yet" was untrue)."""
    shared.certification_progress.all().delete()
    CertificationProgress.objects.create(
        user=shared,
        certification=CertificationFactory(name="Long Expired", validity_months=12),
        status="passed",
        passed_on=datetime.date(2020, 1, 1),
    )

    html = client.get(profile_url()).content.decode()

    assert "Certifications held" in html
    assert "None held today." in html
    assert "passed" not in html.lower()
