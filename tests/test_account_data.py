"""Account settings, data export and deletion: owner, other learner, anonymous, CSRF, fuzzing."""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certifications.models import (
    CareerFollow,
    CertificationProgress,
    LearnerProfile,
    ReleasedHandle,
    ReminderSent,
)
from certifications.services.account import calendar_token_rotate
from tests.factories import CareerFactory, CertificationFactory

User = get_user_model()


@pytest.fixture
def learner_with_data(learner):
    career = CareerFactory(title="Data Engineer")
    cert = CertificationFactory(name="Cloud Data Fundamentals")
    CareerFollow.objects.create(user=learner, career=career)
    CertificationProgress.objects.create(
        user=learner,
        certification=cert,
        status="passed",
        passed_on=datetime.date(2026, 3, 1),
        credential_id="CRED-42",
        notes="secret study notes",
    )
    LearnerProfile.objects.create(user=learner, handle="ada", weekly_hours=6)
    ReminderSent.objects.create(
        user=learner, certification=cert, kind="expiry_90d", event_date=datetime.date(2027, 3, 1)
    )
    return learner


def _more_rows(learner, rows):
    """`rows` more follows, progress rows, reminders sent and e-mail addresses."""
    from allauth.account.models import EmailAddress

    for n in range(rows):
        cert = CertificationFactory()
        CareerFollow.objects.create(user=learner, career=CareerFactory())
        CertificationProgress.objects.create(user=learner, certification=cert, status="studying")
        ReminderSent.objects.create(
            user=learner,
            certification=cert,
            kind="expiry_30d",
            event_date=datetime.date(2027, 1, 1),
        )
        EmailAddress.objects.create(user=learner, email=f"other-{n}@example.com")


@pytest.mark.parametrize("rows", [0, 10])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # 1 session, 2 user, 3 the learner's profile (plan, sharing, calendar feed)
        ("account-settings", 3),
        # 1 session, 2 user, 3 profile, 4 e-mail addresses, 5 groups, 6 permissions, 7 follows
        # with their careers, 8 progress with certifications, 9 reminders sent with
        # certifications, 10 their changes in the admin, 11 the handles they gave up
        ("account-export", 11),
        # 1 session, 2 user: the form asks for the password only
        ("account-delete", 2),
    ],
)
def test_account_pages_take_a_fixed_number_of_queries_however_many_rows(
    client_as_learner, learner_with_data, django_assert_num_queries, name, queries, rows
):
    _more_rows(learner_with_data, rows)
    with django_assert_num_queries(queries):
        response = client_as_learner.get(reverse(name))
    assert response.status_code == 200
    if name == "account-export":
        data = json.loads(response.content)
        assert len(data["progress"]) == len(data["follows"]) == rows + 1
        assert len(data["reminders_sent"]) == rows + 1


# --- settings ---------------------------------------------------------------------------


def test_settings_page_shows_the_form_without_creating_a_profile(client_as_learner):
    response = client_as_learner.get(reverse("account-settings"))

    assert response.status_code == 200
    assert 'name="handle"' in response.content.decode()
    assert not LearnerProfile.objects.exists()


def test_learner_saves_plan_and_public_handle(client_as_learner, learner):
    target = timezone.localdate() + datetime.timedelta(days=200)  # a fixed date would pass by
    response = client_as_learner.post(
        reverse("account-settings"),
        {"handle": "Ada-L", "is_public": "on", "weekly_hours": "8", "target_date": target},
    )

    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.handle, profile.is_public, profile.weekly_hours) == ("ada-l", True, 8)
    assert profile.target_date == target


def test_sharing_publicly_needs_a_handle(client_as_learner, learner):
    response = client_as_learner.post(reverse("account-settings"), {"is_public": "on"})

    assert response.status_code == 200
    assert "Choose a handle" in response.content.decode()
    assert not LearnerProfile.objects.filter(user=learner).exists()


def test_a_handle_taken_by_another_learner_is_refused(client_as_learner, other_learner):
    LearnerProfile.objects.create(user=other_learner, handle="ada")

    response = client_as_learner.post(reverse("account-settings"), {"handle": "ADA"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "That handle is taken." in page and "already exists" not in page
    assert LearnerProfile.objects.filter(handle="ada").count() == 1


def test_weekly_hours_beyond_a_week_are_refused(client_as_learner, learner):
    response = client_as_learner.post(reverse("account-settings"), {"weekly_hours": "169"})

    assert response.status_code == 200
    assert not LearnerProfile.objects.filter(user=learner).exists()


def _settings_form(client) -> dict:
    """The settings form as the page shows it (the fields this test sends, and `seen`)."""
    page = client.get(reverse("account-settings")).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    data = {"seen": seen[1] if seen else "", "time_zone": "UTC"}
    data["handle"] = re.search(r'name="handle" value="([^"]*)"', page)[1]
    if re.search(r'name="is_public"[^>]*checked', page):
        data["is_public"] = "on"
    return data


def test_a_stale_settings_tab_does_not_share_again_a_page_hidden_since(
    client_as_learner, learner, django_assert_num_queries
):
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True, time_zone="UTC")
    stale, fresh = _settings_form(client_as_learner), _settings_form(client_as_learner)
    fresh.pop("is_public")  # tab 1 hides the public page
    assert client_as_learner.post(reverse("account-settings"), fresh).status_code == 302

    stale["time_zone"] = "Europe/Lisbon"  # tab 2, opened before, changes the time zone
    # session, user, profile; the form's checks: constraints (in a savepoint: 3) and the
    # handle's uniqueness; the service's savepoint locking the profile, rolled back (4).
    # Nothing is written, the session included: the message goes in a cookie.
    with django_assert_num_queries(11):
        response = client_as_learner.post(reverse("account-settings"), stale)

    page = response.content.decode()
    assert "Your settings changed after this page was loaded" in page
    assert Client().get(reverse("profile", kwargs={"handle": "ada"})).status_code == 404
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.is_public, profile.time_zone) == (False, "UTC")

    again = {**stale, "seen": re.search(r'name="seen" value="([^"]*)"', page)[1]}
    assert client_as_learner.post(reverse("account-settings"), again).status_code == 302
    profile.refresh_from_db()  # Save settings again: what tab 2 shows replaces it, on purpose
    assert (profile.is_public, profile.time_zone) == (True, "Europe/Lisbon")


def _plan_form(client) -> dict:
    """The dashboard's plan form as the page shows it."""
    page = client.get(reverse("dashboard")).content.decode()
    plan = page[page.index('action="' + reverse("plan-update")) :]
    value = re.search(r'name="seen" value="([^"]*)"', plan)[1]
    return {"seen": value, "weekly_hours": re.search(r'name="weekly_hours" value="(\d*)"', plan)[1]}


def test_a_stale_dashboard_tab_does_not_undo_study_hours_saved_on_the_settings_page(
    client_as_learner, learner, django_assert_num_queries
):
    LearnerProfile.objects.create(user=learner, handle="ada", weekly_hours=5, time_zone="UTC")
    stale_dashboard = _plan_form(client_as_learner)
    settings_form = {**_settings_form(client_as_learner), "weekly_hours": "10"}
    assert client_as_learner.post(reverse("account-settings"), settings_form).status_code == 302

    stale_dashboard["weekly_hours"] = "6"
    # session, user, profile locked (in a savepoint: 4 with the rollback); the dashboard
    # shown again with what was refused (3: the user, their exams, their careers).
    with django_assert_num_queries(9):
        response = client_as_learner.post(reverse("plan-update"), stale_dashboard)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your study plan changed after this page was loaded" in page
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 10

    plan = page[page.index('action="' + reverse("plan-update")) :]
    again = {**stale_dashboard, "seen": re.search(r'name="seen" value="([^"]*)"', plan)[1]}
    assert client_as_learner.post(reverse("plan-update"), again).status_code == 302
    # Save plan again: what the dashboard shows replaces it, on purpose.
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 6


def test_a_dashboard_tab_opened_before_a_new_handle_still_saves_the_plan(
    client_as_learner, learner
):
    """Only the hours and the date are the plan form's: a change to anything else since the
    dashboard was loaded is not undone by saving the plan, so it is not refused."""
    LearnerProfile.objects.create(user=learner, handle="ada", weekly_hours=5, time_zone="UTC")
    dashboard = _plan_form(client_as_learner)
    settings_form = {**_settings_form(client_as_learner), "handle": "grace", "weekly_hours": "5"}
    assert client_as_learner.post(reverse("account-settings"), settings_form).status_code == 302

    response = client_as_learner.post(reverse("plan-update"), {**dashboard, "weekly_hours": "6"})

    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.handle, profile.weekly_hours) == ("grace", 6)


def test_settings_save_needs_the_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(reverse("account-settings"), {"handle": "ada"})

    assert response.status_code == 403
    assert not LearnerProfile.objects.exists()


# --- export -----------------------------------------------------------------------------


def test_export_downloads_all_of_the_learners_data_as_json(client_as_learner, learner_with_data):
    response = client_as_learner.get(reverse("account-export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "learner@example.com"
    assert data["profile"]["handle"] == "ada"
    assert [f["title"] for f in data["follows"]] == ["Data Engineer"]
    assert data["progress"][0]["notes"] == "secret study notes"
    assert data["progress"][0]["credential_id"] == "CRED-42"
    assert data["reminders_sent"][0]["kind"] == "expiry_90d"
    assert "calendar_token_hash" not in response.content.decode()
    assert "password" not in data["account"]


def test_the_export_names_the_day_a_leap_day_pass_expires_as_the_dashboard_does(
    client_as_learner, learner, monkeypatch
):
    now = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    for months in (12, 48, None):
        CertificationProgress.objects.create(
            user=learner,
            certification=CertificationFactory(name=f"Valid {months}", validity_months=months),
            status="passed",
            passed_on=datetime.date(2024, 2, 29),
        )

    data = json.loads(client_as_learner.get(reverse("account-export")).content)
    dashboard = client_as_learner.get(reverse("dashboard")).content.decode()

    expiries = {p["name"]: p["expires_on"] for p in data["progress"]}
    # 12 months after 29 February is 28 February; 48 months later is a leap day again.
    assert expiries == {"Valid 12": "2025-02-28", "Valid 48": "2028-02-29", "Valid None": None}
    assert '<time datetime="2025-02-28">28 February 2025</time>' in dashboard
    assert '<time datetime="2028-02-29">29 February 2028</time>' in dashboard


def test_export_of_another_learner_holds_none_of_the_first_learners_data(
    client, learner_with_data, other_learner
):
    client.force_login(other_learner)

    data = json.loads(client.get(reverse("account-export")).content)

    assert data["account"]["email"] == "other@example.com"
    assert data["follows"] == data["progress"] == data["reminders_sent"] == []
    assert "secret study notes" not in json.dumps(data)


# Kept about a learner but never exported: secrets, and the keys that tie the rows together.
NOT_EXPORTED = {"id", "password", "calendar_token_hash"}


def _leaves(data) -> set[str]:
    """Every value in the export, as text."""
    if isinstance(data, dict):
        return set().union(*map(_leaves, data.values()))
    if isinstance(data, list):
        return set().union(*map(_leaves, data))
    return {str(data)}


def _as_exported(row, field) -> set[str]:
    """The ways the export may write a stored value: as it is, as shown to people, or a
    related row by its slug or its name."""
    value = getattr(row, field.name)
    if field.is_relation:
        return {str(getattr(value, "slug", value)), str(value)}
    if isinstance(value, datetime.date):
        return {value.isoformat()}
    shown = {str(value)}
    if field.choices:
        shown.add(str(getattr(row, f"get_{field.name}_display")()))
    return shown


def test_export_holds_every_value_the_site_keeps_about_the_learner(
    client_as_learner, learner_everywhere
):
    learner = learner_everywhere
    learner.first_name, learner.last_name = "Ada", "Lovelace"
    learner.save()
    calendar_token_rotate(user=learner)

    data = json.loads(client_as_learner.get(reverse("account-export")).content)

    leaves = _leaves(data)
    rows = [(User, User.objects.get(pk=learner.pk))]
    for model in apps.get_models(include_auto_created=True):
        for key in model._meta.concrete_fields:
            if key.is_relation and key.related_model is User:
                rows += [(model, row) for row in model._base_manager.filter(**{key.name: learner})]
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, row in rows
        for field in model._meta.concrete_fields
        if field.name not in NOT_EXPORTED
        and field.related_model is not User
        and getattr(row, field.name) not in (None, "", True, False)
        and not _as_exported(row, field) & leaves
    ]
    assert missing == []


# --- delete -----------------------------------------------------------------------------


def test_delete_needs_the_right_password(client_as_learner, learner_with_data, learner_db_state):
    before = learner_db_state()

    response = client_as_learner.post(reverse("account-delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "not your password" in response.content.decode()
    assert learner_db_state() == before


def test_delete_removes_the_account_and_everything_in_it_and_logs_out(
    client_as_learner, learner_with_data, other_learner
):
    CareerFollow.objects.create(user=other_learner, career=CareerFactory())

    response = client_as_learner.post(
        reverse("account-delete"), {"password": "learner-password-123"}, follow=True
    )

    assert response.status_code == 200
    assert "deleted" in response.content.decode()
    assert "_auth_user_id" not in client_as_learner.session
    assert not User.objects.filter(email="learner@example.com").exists()
    assert not CertificationProgress.objects.exists()
    assert not LearnerProfile.objects.exists()
    assert not ReminderSent.objects.exists()
    assert list(CareerFollow.objects.values_list("user", flat=True)) == [other_learner.pk]


def _rows_naming(user) -> dict[str, int]:
    """How many rows each table that references a user holds for `user`, by the table's name."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                name = f"{model._meta.db_table}.{field.name}"
                counts[name] = model._base_manager.filter(**{field.name: user.pk}).count()
    return counts


def _sessions_of(user) -> int:
    return sum(
        1
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    )


@pytest.fixture
def learner_everywhere(learner_with_data, staff):
    """The learner with a row in every table that references a user, signed in on a second
    device, and named in the admin's history of a change staff made to the account."""
    from allauth.account.models import EmailAddress

    learner = learner_with_data
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    learner.groups.add(Group.objects.create(name="Beta testers"))
    learner.user_permissions.add(Permission.objects.get(codename="view_career"))
    # A handle they gave up, still kept for them to take back.
    ReleasedHandle.objects.create(
        handle="ada-old", former_owner=learner, released_at=timezone.now()
    )
    # A learner who once helped edit: their own edits are in the history too.
    LogEntry.objects.log_actions(
        user_id=learner.pk, queryset=[CareerFactory()], action_flag=CHANGE, change_message=""
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[learner], action_flag=CHANGE, change_message="Changed email."
    )
    Client().force_login(learner)  # their phone
    counts = _rows_naming(learner)
    # Every table that references a user holds a row of theirs: none escapes the check.
    assert all(counts.values()), counts
    assert _sessions_of(learner) >= 1
    return learner


def _nothing_left_of(learner, *, other):
    assert not any(_rows_naming(learner).values()), _rows_naming(learner)
    assert _sessions_of(learner) == 0
    assert _sessions_of(other) == 1  # another learner's session is theirs to keep
    about = LogEntry.objects.filter(object_id=str(learner.pk), content_type__model="user")
    assert about.exists()  # what staff did stays in the history...
    for entry in about:  # ...without naming the learner
        assert learner.username not in entry.object_repr
        assert learner.email not in entry.object_repr


def test_deleting_ones_account_leaves_no_row_or_session_naming_one(
    client_as_learner, learner_everywhere, other_learner
):
    Client().force_login(other_learner)

    response = client_as_learner.post(
        reverse("account-delete"), {"password": "learner-password-123"}
    )

    assert response.status_code == 302
    _nothing_left_of(learner_everywhere, other=other_learner)


@pytest.fixture
def account_staff_may_delete(learner, staff):
    """A learner with no progress (staff may not delete progress, so not such an account),
    signed in on their phone and named in the admin's history."""
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[learner], action_flag=CHANGE, change_message="Changed email."
    )
    Client().force_login(learner)
    return learner


def test_staff_deleting_an_account_leave_no_row_or_session_naming_it(
    client_as_staff, account_staff_may_delete, other_learner
):
    Client().force_login(other_learner)
    delete = reverse("admin:auth_user_delete", args=[account_staff_may_delete.pk])

    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 302
    _nothing_left_of(account_staff_may_delete, other=other_learner)


def test_staff_deleting_accounts_from_the_list_leave_no_session_naming_them(
    client_as_staff, account_staff_may_delete, other_learner
):
    Client().force_login(other_learner)
    response = client_as_staff.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [account_staff_may_delete.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    _nothing_left_of(account_staff_may_delete, other=other_learner)


def test_delete_needs_the_csrf_token(learner_with_data, learner_db_state):
    before = learner_db_state()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_with_data)

    response = client.post(reverse("account-delete"), {"password": "learner-password-123"})

    assert response.status_code == 403
    assert learner_db_state() == before


# --- every account URL as anonymous, other learner; GET never writes ----------------------

ACCOUNT_URLS = [
    ("account-settings", {"handle": "mallory", "is_public": "on", "weekly_hours": "1"}),
    ("account-export", {}),
    ("account-delete", {"password": "learner-password-123"}),
    ("calendar-rotate", {}),
    ("calendar-revoke", {}),
]


@pytest.mark.parametrize("name, data", ACCOUNT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(
    client, learner_with_data, learner_db_state, name, data, method
):
    before = learner_db_state()

    response = getattr(client, method)(reverse(name), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert learner_db_state() == before


@pytest.mark.parametrize("name, data", ACCOUNT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_learner_cannot_touch_the_learners_rows(
    client, learner_with_data, other_learner, name, data, method
):
    profile_before = list(LearnerProfile.objects.filter(user=learner_with_data).values())
    progress_before = list(CertificationProgress.objects.filter(user=learner_with_data).values())
    client.force_login(other_learner)

    response = getattr(client, method)(reverse(name), data)

    assert response.status_code in (200, 302, 405)
    assert "secret study notes" not in response.content.decode()
    assert list(LearnerProfile.objects.filter(user=learner_with_data).values()) == profile_before
    assert (
        list(CertificationProgress.objects.filter(user=learner_with_data).values())
        == progress_before
    )
    assert User.objects.filter(pk=learner_with_data.pk).exists()


@pytest.mark.parametrize("name", [name for name, _ in ACCOUNT_URLS])
def test_get_never_changes_anything(client_as_learner, learner_with_data, learner_db_state, name):
    before = learner_db_state()

    response = client_as_learner.get(reverse(name))

    assert response.status_code in (200, 302)  # POST-only actions send a GET to their form
    assert learner_db_state() == before


@pytest.mark.parametrize(
    "name", ["account-settings", "account-delete", "calendar-rotate", "calendar-revoke"]
)
def test_every_post_needs_the_csrf_token(learner_with_data, learner_db_state, name):
    from certifications.services.account import calendar_token_rotate

    calendar_token_rotate(user=learner_with_data)
    before = learner_db_state()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_with_data)

    response = client.post(reverse(name), {"password": "learner-password-123"})

    assert response.status_code == 403
    assert learner_db_state() == before


# --- fuzzing ------------------------------------------------------------------------------

text = st.text(max_size=60)
values = st.one_of(
    text,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates().map(str),
    st.sampled_from(["", " ", "0", "168", "169", "<script>alert(1)</script>", "9999-99-99"]),
)


@pytest.mark.django_db
@override_settings(LEARNER_WRITES_PER_MINUTE=0)  # one learner posts every example in a burst
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(handle=values, is_public=st.sampled_from(["", "on", "false", "x"]), hours=values, day=values)
def test_fuzzed_settings_never_500_and_never_break_a_constraint(handle, is_public, hours, day):
    user, _ = User.objects.get_or_create(username="fuzz", email="fuzz@example.com")
    client = Client()
    client.force_login(user)

    response = client.post(
        reverse("account-settings"),
        {"handle": handle, "is_public": is_public, "weekly_hours": hours, "target_date": day},
    )

    assert response.status_code in (200, 302)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    profile = LearnerProfile.objects.filter(user=user).first()
    if profile is not None:
        assert profile.weekly_hours is None or 1 <= profile.weekly_hours <= 168
        assert not profile.is_public or profile.handle
        assert profile.handle is None or profile.handle == profile.handle.lower()
        profile.full_clean()


def test_password_guesses_on_delete_are_rate_limited(client_as_learner, learner_with_data):
    url = reverse("account-delete")
    for n in range(10):
        assert client_as_learner.post(url, {"password": f"guess-{n}"}).status_code == 200

    response = client_as_learner.post(url, {"password": "learner-password-123"})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=learner_with_data.pk).exists()


@pytest.mark.parametrize("name", ["calendar-rotate", "calendar-revoke"])
def test_get_on_a_calendar_action_goes_to_the_settings_and_changes_nothing(
    client_as_learner, learner_with_data, learner_db_state, name
):
    before = learner_db_state()

    response = client_as_learner.get(reverse(name), follow=True)

    assert response.redirect_chain == [(reverse("account-settings") + "#calendar", 302)]
    assert "Nothing was saved from that link" in response.content.decode()
    assert learner_db_state() == before


def test_a_page_only_read_answers_a_form_with_the_sites_405_page(client_as_learner):
    response = client_as_learner.post(reverse("account-export"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "This page does not take that request" in response.content.decode()


@pytest.mark.parametrize(
    "day, message",
    [
        ("2020-01-01", "Choose a target date from today on."),
        ("0001-01-01", "Choose a target date from today on."),
        ("9999-12-31", "Choose a target date no later than 31 December {year}."),
    ],
)
def test_settings_refuse_a_past_or_absurd_target_date_as_the_dashboard_does(
    client_as_learner, learner, day, message, clock_away_from_midnight
):
    data = {"weekly_hours": "8", "target_date": day}
    message = message.format(year=timezone.localdate().year + 10)

    settings_page = client_as_learner.post(reverse("account-settings"), data)
    dashboard = client_as_learner.post(reverse("plan-update"), data)

    assert settings_page.status_code == 200 and dashboard.status_code == 400
    assert message in settings_page.content.decode() and message in dashboard.content.decode()
    assert 'value="8"' in settings_page.content.decode()  # nothing typed is lost
    assert not LearnerProfile.objects.filter(user=learner, target_date__isnull=False).exists()


def test_a_saved_target_date_now_past_does_not_block_changing_the_hours(client_as_learner, learner):
    passed = timezone.localdate() - datetime.timedelta(days=3)
    LearnerProfile.objects.create(user=learner, weekly_hours=5, target_date=passed)
    # Both forms send the saved date back as it was pre-filled.
    for url, hours in ((reverse("plan-update"), "8"), (reverse("account-settings"), "9")):
        response = client_as_learner.post(url, {"weekly_hours": hours, "target_date": passed})
        assert response.status_code == 302, response.content.decode()
        profile = LearnerProfile.objects.get(user=learner)
        assert (profile.weekly_hours, profile.target_date) == (int(hours), passed)
    response = client_as_learner.post(
        reverse("plan-update"),
        {"weekly_hours": "8", "target_date": passed - datetime.timedelta(days=1)},
    )
    assert "Choose a target date from today on." in response.content.decode()
