"""Editors who are not superusers: `manage.py create_editor` makes staff in the Editors group,
who edit the content in the admin but cannot see accounts or learners' progress; every
`migrate` keeps the group's permissions as careerportal/editors.py says."""

import datetime
import getpass
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse

from careerportal.editors import EDITORS_GROUP, editor_permissions
from careers.models import FAQ, Career, Employer, FormerSlug, SalaryFigure
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    LearnerProfile,
    Provider,
    ReleasedHandle,
    ReminderSent,
    RoadmapStep,
)
from tests.careers.test_admin import _grow_career, admin_url, assert_saved, form_data
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    FAQFactory,
    HiringFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)
from tests.test_create_editor import PASSWORD, Terminal

pytestmark = pytest.mark.django_db

CONTENT = [Career, FAQ, SalaryFigure, Employer, FormerSlug, Provider, Certification, RoadmapStep]
ACTIONS = ("view", "add", "change", "delete")
NOT_FOR_EDITORS = [
    *[CertificationProgress, CareerFollow, LearnerProfile, ReleasedHandle, ReminderSent],
    *[get_user_model(), EmailAddress, Group, Permission, Session, LogEntry],
]


def _create_editor(monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "writer")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "writer@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("create_editor", "--noinput", stdout=out)
    # The README's next step: sign in with that address, then open the admin.
    client.post(reverse("account_login"), {"login": "writer@example.org", "password": PASSWORD})
    return out.getvalue()


def test_an_editor_edits_careers_and_certifications_without_being_a_superuser(client, monkeypatch):
    career = CareerFactory(tagline="Builds models.")
    certification = CertificationFactory()
    said = _create_editor(monkeypatch, client)

    assert said.splitlines() == [
        "Editor created successfully: writer, in the Editors group (content only: not a superuser)."
    ]
    editor = get_user_model().objects.get(username="writer")
    assert (editor.is_staff, editor.is_superuser) == (True, False)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    listed = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert {"Career", "Certification", "SalaryFigure", "Employer", "Provider"} <= listed
    assert not listed & {"User", "Group", "CertificationProgress", "CareerFollow", "EmailAddress"}

    url = admin_url(Career, "change", career.pk)
    data = {**form_data(client.get(url)), "tagline": "Builds and ships models."}
    assert_saved(client.post(url, data))
    career.refresh_from_db()
    assert career.tagline == "Builds and ships models."
    url = admin_url(Certification, "change", certification.pk)
    data = {**form_data(client.get(url)), "name": "Renamed by an editor"}
    assert_saved(client.post(url, data))
    certification.refresh_from_db()
    assert certification.name == "Renamed by an editor"
    assert client.get(admin_url(Career, "history", career.pk)).status_code == 200


def test_an_editor_cannot_open_accounts_or_learners_progress(
    client, monkeypatch, learner, career_with_roadmap
):
    step = career_with_roadmap.roadmap_steps.first()
    progress = CertificationProgress.objects.create(
        user=learner, certification=step.certification, notes="my private notes"
    )
    CareerFollow.objects.create(user=learner, career=career_with_roadmap)
    _create_editor(monkeypatch, client)

    for url in [
        admin_url(get_user_model(), "changelist"),
        admin_url(get_user_model(), "change", learner.pk),
        admin_url(get_user_model(), "password_change", learner.pk),
        admin_url(Group, "changelist"),
        admin_url(EmailAddress, "changelist"),
        admin_url(CertificationProgress, "changelist"),
        admin_url(CertificationProgress, "change", progress.pk),
        admin_url(CareerFollow, "changelist"),
        admin_url(ReleasedHandle, "changelist"),
    ]:
        assert client.get(url).status_code == 403, url
    editor = get_user_model().objects.get(username="writer")
    response = client.post(
        admin_url(get_user_model(), "change", editor.pk),
        {"username": "writer", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 403  # nor can an editor make themselves a superuser
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_the_editors_group_holds_the_content_and_nothing_of_learners_or_accounts(db):
    group = Group.objects.get(name=EDITORS_GROUP)
    editor = get_user_model().objects.create_user("writer", is_staff=True)
    editor.groups.add(group)

    def holds(model):
        opts = model._meta
        return [editor.has_perm(f"{opts.app_label}.{a}_{opts.model_name}") for a in ACTIONS]

    assert {model: holds(model) for model in CONTENT} == {model: [True] * 4 for model in CONTENT}
    assert {model: holds(model) for model in NOT_FOR_EDITORS} == {
        model: [False] * 4 for model in NOT_FOR_EDITORS
    }


@isolate_apps("careers")
def test_a_content_model_pointing_at_learners_rows_of_another_app_is_not_for_editors():
    """A content model added later that points at an account's row kept by another app (an
    e-mail address, an admin history entry) holds learners' data as one pointing at the
    account does; the next migrate gave the Editors group all of it (their addresses too)."""
    from django.apps import apps
    from django.db import models

    class Testimonial(models.Model):  # noqa: DJ008 (in the test's registry only)
        address = models.ForeignKey(EmailAddress, on_delete=models.CASCADE)

        class Meta:
            app_label = "careers"

    class Mention(models.Model):  # noqa: DJ008
        testimonial = models.ForeignKey(Testimonial, on_delete=models.CASCADE)

        class Meta:
            app_label = "careers"

    class Quote(models.Model):  # noqa: DJ008 (content: points at content only)
        career = models.ForeignKey(Career, on_delete=models.CASCADE)

        class Meta:
            app_label = "careers"

    careers = Testimonial._meta.apps.get_app_config("careers")
    assert careers.apps is not apps  # the test's own registry
    given = {model for model, _codename in editor_permissions(careers)}
    assert given == {"quote"}


def test_the_editors_group_survives_another_migrate_and_is_set_back_to_its_permissions(db):
    group = Group.objects.get(name=EDITORS_GROUP)
    member = get_user_model().objects.create_user("writer", is_staff=True)
    member.groups.add(group)
    before = set(group.permissions.values_list("pk", flat=True))
    group.permissions.remove(Permission.objects.get(codename="change_career"))
    group.permissions.add(Permission.objects.get(codename="view_certificationprogress"))

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)

    group = Group.objects.get(name=EDITORS_GROUP)
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert list(group.user_set.all()) == [member]
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1


def test_an_editor_typed_at_a_terminal_is_made_an_editor_too(client, monkeypatch):
    # Django asks for the username (again after a taken one), then the address, then the
    # password twice.
    get_user_model().objects.create_user("taken", "taken@example.org")
    typed = iter(["taken", "chief", "Chief@Example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(typed))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="Password: ": PASSWORD)
    out = StringIO()
    call_command("create_editor", stdin=Terminal(), stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines()[-1].startswith("Editor created successfully: chief,")
    editor = get_user_model().objects.get(username="chief")
    assert (editor.email, editor.is_superuser) == ("chief@example.org", False)
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS_GROUP]


def test_a_taken_username_given_at_a_terminal_makes_no_superuser_nor_demotes_its_owner(
    monkeypatch,
):
    """`create_editor --username admin` at a terminal, "admin" being the administrator's:
    Django says it is taken and asks for another ("chief"), and made chief a superuser, not
    an editor, while the administrator lost their superuser rights and joined the Editors."""
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    typed = iter(["chief", "Chief@Example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(typed))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="Password: ": PASSWORD)
    out = StringIO()
    call_command(
        "create_editor", "--username", "admin", stdin=Terminal(), stdout=out, stderr=StringIO()
    )

    assert out.getvalue().splitlines()[-1].startswith("Editor created successfully: chief,")
    editor = get_user_model().objects.get(username="chief")
    assert not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    admin.refresh_from_db()
    assert admin.is_superuser and not admin.groups.exists()


def test_without_a_terminal_to_ask_at_an_existing_account_is_left_alone(monkeypatch):
    """Run where nothing can be typed (a script, `docker exec` without -t), `create_editor
    --username admin` makes no account, as Django says, and took the administrator's
    superuser rights instead."""
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    out = StringIO()
    call_command("create_editor", "--username", "admin", stdin=StringIO(), stdout=out)

    assert "skipped due to not running in a TTY" in out.getvalue()
    assert "Editor created" not in out.getvalue()
    admin.refresh_from_db()
    assert admin.is_superuser and not admin.groups.exists()


def test_without_the_group_no_editor_is_made(monkeypatch):
    Group.objects.filter(name=EDITORS_GROUP).delete()
    with pytest.raises(CommandError, match=r"run `manage\.py migrate`, which makes it"):
        _create_editor(monkeypatch, None)
    assert not get_user_model().objects.filter(username="writer").exists()


@pytest.mark.parametrize("rows", [1, 7])
def test_an_editors_career_page_takes_two_queries_more_than_a_superusers(
    client, django_assert_num_queries, rows
):
    career = CareerFactory()
    _grow_career(career, rows)
    editor = get_user_model().objects.create_user("writer", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)
    url = admin_url(Career, "change", career.pk)
    client.get(url)  # Django caches content types on the first
    # The superuser's 10 (tests/careers/test_admin.py), and the editor's permissions, read
    # once for the page: their own, their groups'.
    with django_assert_num_queries(10 + 2):
        response = client.get(url)
    assert response.status_code == 200


def _page_as_seen(response) -> str:
    """An admin page without what tells two signed-in people apart: the side menu (listing
    the models each may open), the greeting, and the per-request tokens."""
    html = response.content.decode()
    html = re.sub(r'<nav[^>]*id="nav-sidebar".*?</nav>', "", html, flags=re.S)
    html = re.sub(r'<div id="user-tools">.*?</div>', "", html, flags=re.S)
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)


def test_an_editor_sees_every_content_page_as_a_superuser_does(staff, group_editor):
    # Every button, link, inline row, action and choice a superuser has on the content pages,
    # an editor has too: a permission missing from the group shows here as a missing "Delete"
    # box, "+" link, action or a 403. (Accounts and learners' rows are refused: above.)
    career = CareerFactory(status=Career.Status.DRAFT)
    for factory in [ResponsibilityFactory, DayInTheLifeEntryFactory, FAQFactory, HiringFactory]:
        factory(career=career)
    SalaryFigureFactory(career=career)
    RoadmapStepFactory(career=career)
    successor = CertificationFactory()
    retired_on = datetime.date(2026, 1, 5)
    CertificationFactory(status="retired", successor=successor, retired_on=retired_on)
    FormerSlug.objects.create(model="careers.career", slug="old-title", target_id=career.pk)
    superuser, editor = Client(), Client()
    superuser.force_login(staff)
    editor.force_login(group_editor)
    clients = (superuser, editor)

    seen = 0
    for model in [Career, SalaryFigure, Employer, FormerSlug, Provider, Certification, RoadmapStep]:
        row = model._default_manager.order_by("pk").first()
        views = [("changelist", ()), ("add", ()), ("add", (), "?_to_field=id&_popup=1")]
        views += [(view, (row.pk,)) for view in ("change", "history", "delete")]
        for view, args, *query in views:
            url = admin_url(model, view, *args) + "".join(query)
            if view == "add" and model is FormerSlug:
                continue  # made by renaming a page, by no one by hand
            as_superuser, as_editor = superuser.get(url), editor.get(url)
            assert (as_editor.status_code, url) == (200, url)
            assert _page_as_seen(as_editor) == _page_as_seen(as_superuser), url
            seen += 1
    url = reverse("admin:careers_salaryfigure_import")
    assert _page_as_seen(editor.get(url)) == _page_as_seen(superuser.get(url))
    assert seen == 7 * 6 - 2  # 7 models' 6 pages, less the former slugs' two add pages

    # The pickers (select2 asks these as the editor types) list the same rows, and "View on
    # site" leads to the same pages.
    for model_name, field_name in [
        *[("salaryfigure", "career"), ("hiring", "employer"), ("roadmapstep", "career")],
        *[("roadmapstep", "certification"), ("certification", "provider")],
        *[("certification", "successor"), ("certification", "prerequisites")],
    ]:
        app_label = "careers" if model_name in ("salaryfigure", "hiring") else "certifications"
        asked = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        as_superuser, as_editor = (c.get(reverse("admin:autocomplete"), asked) for c in clients)
        assert as_editor.json() == as_superuser.json() and as_editor.json()["results"], asked
    for row in [career, successor, Employer.objects.first()]:
        url = reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(row).pk, row.pk]
        )
        as_superuser, as_editor = (c.get(url) for c in clients)
        assert (
            as_editor["Location"]
            == as_superuser["Location"]
            == f"http://testserver{row.get_absolute_url()}"
        )


def test_an_editor_reaches_no_learner_through_a_content_page(client, group_editor, learner):
    # The pages an editor may open name no learner: the pickers of accounts are refused, a
    # content list filtered by its learners' addresses is a 400, and the delete page of a
    # followed career counts the learner records without naming them.
    career = CareerFactory(title="Data Engineer")
    step = RoadmapStepFactory(career=career)
    CareerFollow.objects.create(user=learner, career=career)
    CertificationProgress.objects.create(user=learner, certification=step.certification)
    client.force_login(group_editor)

    for app_label, model_name, field_name in [
        ("certifications", "certificationprogress", "user"),
        ("certifications", "careerfollow", "user"),
        ("certifications", "releasedhandle", "former_owner"),
        ("account", "emailaddress", "user"),
    ]:
        asked = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        response = client.get(reverse("admin:autocomplete"), {**asked, "term": "l"})
        assert (response.status_code, model_name) == (403, model_name)
    for model, lookup in [
        (Career, "follows__user__email__startswith"),
        (Certification, "progress_rows__user__email__startswith"),
        (Certification, "progress_rows__notes__icontains"),
        (SalaryFigure, "career__follows__user__email__startswith"),
        (RoadmapStep, "certification__progress_rows__user__username"),
    ]:
        url = f"{admin_url(model, 'changelist')}?{lookup}=l"
        assert client.get(url).status_code == 400, url

    page = client.get(admin_url(Career, "delete", career.pk)).content.decode()
    assert "would erase 1 learner record" in page
    assert "learner@example.com" not in page and ">learner<" not in page
