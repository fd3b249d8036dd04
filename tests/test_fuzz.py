"""Whatever a visitor, a learner or an editor types, or a bot sends, the answer is never a
server error.

Arbitrary values for every parameter the public pages read (NUL bytes too, which PostgreSQL
refuses in a query), arbitrary posts to the learner's forms, and odd values in every field of
every admin form. Run on SQLite and, in CI, on PostgreSQL: the two fail differently.
"""

import re
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import Career
from certifications.models import CertificationProgress
from certifications.services.account import calendar_token_rotate
from tests.factories import HiringFactory, SalaryFigureFactory, career_on_a_renamed_exam

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "-1", "0", "1e309", "9" * 40, "NaN", "<b>", "a\x00b", "é"]),
    st.from_regex(r"\A[a-z0-9-]{1,20}\Z"),
)
PARAMETERS = {
    "/careers/": ["q", "category", "demand", "sort", "country", "level", "page"],
    "/careers/compare/": ["careers", "careers", "careers", "country"],
    "/certifications/": ["q", "provider", "level", "fee_min", "fee_max", "status", "sort", "page"],
    "/search/": ["q", "page"],
    "/employers/": ["page", "q"],
}


def query(values: list[str], names: list[str]) -> str:
    return urlencode(list(zip(names, values, strict=False)))


@pytest.fixture
def content(db):
    return career_on_a_renamed_exam()[0]


@pytest.mark.parametrize("path", PARAMETERS)
@FUZZ
@given(data=st.data())
def test_any_query_on_a_public_page_answers_without_a_server_error(client, content, path, data):
    names = PARAMETERS[path]
    values = data.draw(st.lists(junk, min_size=len(names), max_size=len(names)))

    response = client.get(f"{path}?{query(values, names)}")

    assert response.status_code in (200, 301, 302, 400), response.status_code


# Any date, the ends of the calendar more often than chance would pick them.
day = st.one_of(st.dates().map(str), st.sampled_from(["9999-12-31", "0001-01-01", "2024-02-29"]))
progress_post = st.fixed_dictionaries(
    {
        "status": st.one_of(st.sampled_from(CertificationProgress.Status.values), junk),
        "exam_date": st.one_of(day, junk),
        "passed_on": st.one_of(day, junk),
        "credential_id": junk,
        "verification_url": st.one_of(junk, st.just("https://example.com/v")),
        "notes": junk,
        "next": junk,
    }
)


@FUZZ
@given(post=progress_post)
def test_any_progress_post_saves_or_explains_and_never_errs(client_as_learner, learner, post):
    """And whatever is saved, every page that shows it still renders."""
    career, _retired, successor = career_on_a_renamed_exam()
    career.follows.create(user=learner)
    feed = f"/calendar/{calendar_token_rotate(user=learner)}.ics"

    response = client_as_learner.post(f"/certifications/{successor.slug}/progress/", post)

    assert response.status_code in (200, 302, 400)
    saved = CertificationProgress.objects.filter(user=learner, certification=successor).first()
    if response.status_code == 302:
        assert saved is not None and saved.status == post["status"]
    else:
        assert saved is None  # refused: nothing half-written
    for page in ("/dashboard/", career.get_absolute_url(), successor.get_absolute_url(), feed):
        assert client_as_learner.get(page).status_code == 200, page


@FUZZ
@given(hours=junk, target=st.one_of(junk, day))
def test_any_plan_post_saves_or_explains_and_never_errs(client_as_learner, hours, target):
    response = client_as_learner.post(
        "/dashboard/plan/", {"weekly_hours": hours, "target_date": target}
    )

    assert response.status_code in (200, 302, 400)
    assert client_as_learner.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("path", ["/careers/", "/certifications/", "/search/"])
def test_a_control_character_in_a_search_is_a_space(client, content, path):
    response = client.get(f"{path}?q=Career%01x")

    assert response.status_code == 200
    assert 'value="Career x"' in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=Career%00x",
        "/careers/?q=%00",
        "/admin/careers/career/?status__exact=%00",
        "/admin/certifications/certification/?status__exact=a%00",
        "/calendar/a%00b.ics",
    ],
)
def test_a_nul_byte_in_an_address_is_a_bad_request_in_the_site_style(
    client_as_staff, content, address
):
    """PostgreSQL refuses NUL in a query: an admin filter given one was a server error there."""
    response = client_as_staff.get(address)

    assert response.status_code == 400
    assert "We could not read that address" in response.content.decode()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_nul_byte_in_an_address_is_logged_on_one_line_without_a_traceback(client, caplog):
    """Refused as it should be, each scanner's probe logged an 8-line traceback at WARNING."""
    with caplog.at_level("INFO"):
        assert client.get("/careers/?demand=%00").status_code == 400

    assert [record.exc_info for record in caplog.records if record.exc_info] == []
    assert any(getattr(r, "status", None) == 400 for r in caplog.records)  # the request's line


def test_an_empty_to_field_in_an_admin_address_opens_the_page_as_without_it(
    client_as_staff, content
):
    """`?_to_field=` (a popup's address cut short) was looked up as a field named "": a
    server error on every change and delete page, and on a change form's save."""
    SalaryFigureFactory(career=content)
    for model in admin.site._registry:
        if (row := model.objects.first()) is None:
            continue
        for view in ("change", "delete"):
            url = admin_url(model, view, row.pk)
            response = client_as_staff.get(f"{url}?_to_field=")

            assert response.status_code in (200, 403), url  # 403: learners' rows, read-only
            assert response.status_code == client_as_staff.get(url).status_code, url
    url = admin_url(Career, "change", content.pk)
    response = client_as_staff.post(f"{url}?_to_field=", {"title": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("id__in=a,b", "id__in=a,b"),
        ("nope=1&o=1", "nope=1"),
        ("updated_at__lt=abc&q=Career", "updated_at__lt=abc"),
        ("e=1&status__exact=draft&nope=1", "status__exact=draft, nope=1"),
    ],
)
def test_a_filter_the_admin_list_cannot_use_is_named_not_dropped_in_silence(
    client_as_staff, content, query, named
):
    """Django sent the list to `?e=1` unfiltered without a word (an editor took the whole
    list for the filtered one), and an address holding `e=1` already got "Database error:
    something's wrong with your database installation"."""
    response = client_as_staff.get(f"{admin_url(Career, 'changelist')}?{query}", follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "database installation" not in page
    assert f"A filter in the address cannot be used ({named})" in page
    assert response.context["cl"].result_count == Career.objects.count()


# A cookie's value may spell a NUL byte as a quoted octal escape, which any proxy passes on.
@pytest.mark.parametrize("session_id", ['"aaaaaaaa\\000bbbb"', "aaaaaaaa\x00bbbb"])
@pytest.mark.parametrize("path", ["/", "/careers/", "/search/?q=x", "/accounts/login/"])
def test_a_session_cookie_the_site_never_made_is_no_session_not_an_error(
    client, content, learner, session_id, path
):
    """PostgreSQL refuses NUL in a query: every page read such a session as a server error."""
    response = client.get(path, HTTP_COOKIE=f"sessionid={session_id}")

    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
    # The visitor can still sign in: the new session replaces the bad cookie.
    client.cookies.load(f"sessionid={session_id}")
    client.post("/accounts/login/", {"login": learner.email, "password": "learner-password-123"})
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("action", ["action_send", "action_remove", "action_primary"])
def test_an_address_holding_a_nul_byte_on_the_addresses_page_is_none_not_an_error(
    client_as_learner, learner, learner_db_state, mailoutbox, action
):
    """PostgreSQL refuses NUL in a query: "Re-send confirmation" of such a value was a server
    error there."""
    EmailAddress.objects.create(user=learner, email=learner.email, primary=True)
    before = learner_db_state()

    response = client_as_learner.post(
        "/accounts/email/", {action: "", "email": "learner\x00@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"
    assert learner_db_state() == before
    assert mailoutbox == []


FORM_FIELD = re.compile(r'name="([^"]+)"')
MANAGEMENT = re.compile(r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d+)"')
ODD_VALUES = ["", "\x01", "-1", "99999999999999999999", "1e309", "NaN", "<b>", "2024-02-30", "é"]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def post_every_field(client, url, value):
    """Post the form at `url` with `value` in every field, its inline rows' too (the formset
    counts kept); None when there is no form to post (the learners' rows are read-only)."""
    page = client.get(url)
    if page.status_code != 200:
        return None
    html = page.content.decode()
    data = dict.fromkeys(set(FORM_FIELD.findall(html)) - {"csrfmiddlewaretoken"}, value)
    data.update(MANAGEMENT.findall(html))
    return client.post(url, data)


@pytest.mark.parametrize("value", ODD_VALUES)
def test_an_odd_value_anywhere_in_the_admin_is_an_error_message(client_as_staff, content, value):
    """Every field of every add and change form, inline rows included, and rows that cannot
    exist given to an action or edited in a list: each answers with errors, a message or a
    save, never a 500. ("abc" as an autocomplete's id, and an id past 2**63 on SQLite in a
    many-to-many field, an action or a list edit, were server errors.)"""
    SalaryFigureFactory(career=content)
    HiringFactory(career=content)
    for model in admin.site._registry:
        urls = [admin_url(model, "add")]
        if (row := model.objects.first()) is not None:
            urls.append(admin_url(model, "change", row.pk))
        for url in urls:
            response = post_every_field(client_as_staff, url, value)
            assert response is None or response.status_code in (200, 302), url

        action = {"action": "delete_selected", "_selected_action": [value], "index": "0"}
        response = client_as_staff.post(admin_url(model, "changelist"), action)

        assert response.status_code in (200, 302), model
    # A row edited in the career list (list_editable "featured"):
    rows = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": value}
    rows |= {"form-0-featured": "on", "_save": "Save"}
    response = client_as_staff.post(admin_url(Career, "changelist"), rows)
    assert response.status_code in (200, 302)


ACCOUNT_FORMS = ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]
LEARNER_FORMS = ["/accounts/settings/", "/accounts/email/", "/accounts/password/change/"]
LEARNER_FORMS += ["/accounts/delete/"]


@pytest.mark.parametrize("value", [*ODD_VALUES, "a@b", "x@" + "a" * 300 + ".com", "a" * 5000])
def test_an_odd_value_in_every_account_form_is_an_error_message(client, learner, value):
    """Signing up, in and out, resetting a password, and a learner's own settings."""
    for url in ACCOUNT_FORMS:
        assert post_every_field(client, url, value).status_code in (200, 302), url
    client.force_login(learner)
    for url in LEARNER_FORMS:
        assert post_every_field(client, url, value).status_code in (200, 302), url
        client.force_login(learner)  # a form that signs the learner out must not end the test
