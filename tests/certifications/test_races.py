"""A learner's save and an editor's delete of the same page, in every order they can meet.

Each test stages one interleaving: the editor's delete lands after the learner's request
fetched the page, or while the learner's save is in the database, or after the admin counted
the learners' rows that stop a delete. Whatever the order, the learner is never told "saved"
for a row that is then gone, and nobody gets a server error.
"""

import datetime
import threading
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from careerportal.admin_deletion import ListsDeletionsBriefly
from careers.models import Career
from certifications import learner_views
from certifications.models import CareerFollow, Certification, CertificationProgress
from certifications.services import progress as progress_services
from tests.careers.test_admin import add_rows, assert_saved, form_data
from tests.factories import CareerFactory, CertificationFactory
from tests.interleave import InThread, needs_postgresql, until_done_or_waiting

pytestmark = pytest.mark.django_db(transaction=True)

REMOVED = "was removed from the site a moment ago, so your change to it was not saved."


def _learner_client(learner) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer to check, not a crash
    client.force_login(learner)
    return client


def _deleted_after_fetch(monkeypatch, name):
    """The view's `name` lookup returns the page, which an editor then deletes at once."""
    real = getattr(learner_views, name)

    def fetch_then_delete(slug):
        page = real(slug)
        type(page).objects.filter(pk=page.pk).delete()
        return page

    monkeypatch.setattr(learner_views, name, fetch_then_delete)


def test_saving_progress_on_a_certification_deleted_meanwhile_says_so(monkeypatch, learner):
    certification = CertificationFactory(name="Cloud Basics")
    _deleted_after_fetch(monkeypatch, "_certification")
    client = _learner_client(learner)

    response = client.post(
        f"/certifications/{certification.slug}/progress/", {"status": "studying"}
    )

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    page = client.get(response.url).content.decode()
    assert f"Cloud Basics {REMOVED}" in page
    assert not CertificationProgress.objects.exists()


def test_following_a_career_deleted_meanwhile_says_so(monkeypatch, learner):
    career = CareerFactory(title="Data Wrangler")
    _deleted_after_fetch(monkeypatch, "_followable")
    client = _learner_client(learner)

    response = client.post(f"/careers/{career.slug}/follow/")

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert f"Data Wrangler {REMOVED}" in client.get(response.url).content.decode()
    assert not CareerFollow.objects.exists()


@pytest.fixture
def editor_client():
    editor = get_user_model().objects.create_user(
        "editor", "editor@example.com", "editor-password-123", is_staff=True, is_superuser=True
    )
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    return client


def _delete_url(certification):
    return f"/admin/certifications/certification/{certification.pk}/delete/"


@needs_postgresql
def test_a_first_save_sent_after_a_delete_was_counted_is_refused_not_erased(
    monkeypatch, learner, editor_client
):
    """The editor confirms the delete; the admin counts no learner rows; the learner's first
    save comes in before the delete itself. It used to be saved, reported as saved, and
    erased with the certification a moment later."""
    certification = CertificationFactory(name="Cloud Basics")
    learner_client = _learner_client(learner)
    counted = ListsDeletionsBriefly.get_deleted_objects
    learner_request = []

    def count_then_let_the_learner_in(self, objs, request):
        result = counted(self, objs, request)
        if request.method == "POST":
            save = InThread(
                lambda: learner_client.post(
                    f"/certifications/{certification.slug}/progress/", {"status": "studying"}
                )
            )
            until_done_or_waiting(save)
            learner_request.append(save)
        return result

    monkeypatch.setattr(ListsDeletionsBriefly, "get_deleted_objects", count_then_let_the_learner_in)

    deleted = editor_client.post(_delete_url(certification), {"post": "yes"})
    saved = learner_request[0].result()

    assert deleted.status_code == 302
    assert not Certification.objects.filter(pk=certification.pk).exists()
    assert (saved.status_code, saved.url) == (302, "/dashboard/")
    assert f"Cloud Basics {REMOVED}" in learner_client.get(saved.url).content.decode()


def _pause_after_writing_a_learner_row(monkeypatch):
    """Make the next learner save (progress or follow) pause once its row is written and not
    committed: returns (written, finish), the events it sets and then waits for."""
    written, finish = threading.Event(), threading.Event()
    create = progress_services._create_or_lock

    def create_then_pause(model, **kwargs):
        row = create(model, **kwargs)
        written.set()
        assert finish.wait(20)
        return row

    monkeypatch.setattr(progress_services, "_create_or_lock", create_then_pause)
    return written, finish


@needs_postgresql
def test_a_delete_confirmed_while_a_first_save_is_being_written_is_refused(
    monkeypatch, learner, editor_client
):
    """The learner's first save has written its row but not committed when the editor
    confirms the delete. The delete used to go through (the row was not visible yet) and the
    learner's save then failed with a server error."""
    certification = CertificationFactory(name="Cloud Basics")
    learner_client = _learner_client(learner)
    written, finish = _pause_after_writing_a_learner_row(monkeypatch)

    save = InThread(
        lambda: learner_client.post(
            f"/certifications/{certification.slug}/progress/", {"status": "studying"}
        )
    )
    assert written.wait(20)
    delete = InThread(lambda: editor_client.post(_delete_url(certification), {"post": "yes"}))
    until_done_or_waiting(delete)
    finish.set()
    saved, deleted = save.result(), delete.result()

    assert saved.status_code == 302
    assert saved.url == f"/certifications/{certification.slug}/"
    assert CertificationProgress.objects.filter(user=learner, status="studying").exists()
    assert deleted.status_code == 403  # as for any page learners track
    assert Certification.objects.filter(pk=certification.pk).exists()


@needs_postgresql
def test_a_career_deleted_in_bulk_while_a_learner_follows_it_is_kept(
    monkeypatch, learner, editor_client
):
    """The bulk delete action, with the learner's follow being written as it is confirmed."""
    career = CareerFactory(title="Data Wrangler")
    learner_client = _learner_client(learner)
    written, finish = _pause_after_writing_a_learner_row(monkeypatch)

    follow = InThread(lambda: learner_client.post(f"/careers/{career.slug}/follow/"))
    assert written.wait(20)
    selected = {"action": "delete_selected", "_selected_action": [career.pk], "post": "yes"}
    delete = InThread(lambda: editor_client.post("/admin/careers/career/", selected))
    until_done_or_waiting(delete)
    finish.set()
    followed, deleted = follow.result(), delete.result()

    assert (followed.status_code, followed.url) == (302, f"/careers/{career.slug}/")
    assert CareerFollow.objects.filter(user=learner, career=career).exists()
    assert deleted.status_code == 403
    assert Career.objects.filter(pk=career.pk).exists()


@pytest.mark.django_db
def test_saving_progress_holds_the_certification_in_one_query(django_assert_num_queries, learner):
    certification = CertificationFactory()
    progress_services.progress_update(user=learner, certification=certification, status="planning")
    # SAVEPOINT, the certification held (FOR KEY SHARE on PostgreSQL), the learner's row
    # locked, its UPDATE, RELEASE SAVEPOINT.
    with django_assert_num_queries(5):
        progress_services.progress_update(
            user=learner, certification=certification, status="studying"
        )


# A form from a stale tab, or sent again from the browser's history.


class _ProgressForm(HTMLParser):
    """The fields the first progress form on a page would send, as a browser sends them."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/progress/" in (attrs.get("action") or "") and not self.data:
            self._in_form = True
        elif not self._in_form:
            return
        elif tag == "input" and attrs.get("name"):
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs["value"]
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form_in(html: str) -> dict:
    parser = _ProgressForm()
    parser.feed(html)
    assert parser.data, "no progress form on the page"
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def _progress_form(client, url) -> dict:
    return _form_in(client.get(url).content.decode())


@pytest.mark.parametrize("page", ["certification", "career"])
@pytest.mark.django_db
def test_a_form_from_a_stale_tab_does_not_undo_a_save_made_in_another(
    client_as_learner, learner, career_with_roadmap, page
):
    certification = career_with_roadmap.roadmap_steps.order_by("position")[0].certification
    progress_services.progress_update(
        user=learner, certification=certification, status="studying", notes="Chapter 1 done."
    )
    url = (
        career_with_roadmap.get_absolute_url()
        if page == "career"
        else certification.get_absolute_url()
    )
    stale = _progress_form(client_as_learner, url)  # tab 1 is opened...
    fresh = _progress_form(client_as_learner, url)  # ...and tab 2, where a note is added
    action = f"/certifications/{certification.slug}/progress/"
    fresh["notes"] = "Chapter 1 done.\nChapter 2 done."
    assert client_as_learner.post(action, fresh).status_code == 302

    stale["status"] = "booked"  # back in tab 1, the exam is booked
    stale["exam_date"] = str(timezone.localdate() + datetime.timedelta(days=30))
    response = client_as_learner.post(action, stale)

    assert response.status_code == 400
    html = response.content.decode()
    assert "in another tab or window after this page was loaded" in html
    assert "highlighted fields" not in html  # none is: the form is fine, only stale
    row = CertificationProgress.objects.get(user=learner)
    assert (row.status, row.notes) == ("studying", "Chapter 1 done.\nChapter 2 done.")

    again = _form_in(html)  # Save again, on purpose
    assert again["status"] == "booked"  # what tab 1 sent is still there
    assert client_as_learner.post(action, again).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.notes) == ("booked", "Chapter 1 done.")


@pytest.mark.django_db
def test_a_double_clicked_save_is_saved_once_without_a_conflict(
    client_as_learner, learner, career_with_roadmap
):
    certification = career_with_roadmap.roadmap_steps.order_by("position")[0].certification
    form = _progress_form(client_as_learner, certification.get_absolute_url())
    form.update(status="studying", notes="Started.")
    action = f"/certifications/{certification.slug}/progress/"

    first, second = client_as_learner.post(action, form), client_as_learner.post(action, form)

    assert (first.status_code, second.status_code) == (302, 302)
    assert CertificationProgress.objects.get(user=learner).notes == "Started."


@pytest.mark.django_db
def test_a_form_from_before_the_first_save_does_not_undo_it(
    client_as_learner, learner, career_with_roadmap
):
    certification = career_with_roadmap.roadmap_steps.order_by("position")[0].certification
    stale = _progress_form(client_as_learner, certification.get_absolute_url())  # no progress yet
    progress_services.progress_update(
        user=learner, certification=certification, status="studying", notes="From my phone."
    )
    stale["status"] = "planning"

    response = client_as_learner.post(f"/certifications/{certification.slug}/progress/", stale)

    assert response.status_code == 400
    assert CertificationProgress.objects.get(user=learner).notes == "From my phone."


@pytest.mark.django_db
def test_a_stale_tab_is_told_of_the_other_tabs_result_not_that_its_exam_day_passed(
    client_as_learner, learner, career_with_roadmap, monkeypatch, django_assert_num_queries
):
    """Tab 1 records the result of an exam whose day has gone by; tab 2, opened before, adds a
    note: it is told of tab 1's save, not asked to rebook an exam already passed."""
    now = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    certification = career_with_roadmap.roadmap_steps.order_by("position")[0].certification
    CertificationProgress.objects.create(
        user=learner, certification=certification, status="booked", exam_date="2026-03-05"
    )
    url = certification.get_absolute_url()
    stale, fresh = _progress_form(client_as_learner, url), _progress_form(client_as_learner, url)
    action = f"/certifications/{certification.slug}/progress/"
    fresh.update(status="passed", passed_on="2026-03-05")
    now += datetime.timedelta(minutes=1)
    assert client_as_learner.post(action, fresh).status_code == 302

    stale["notes"] = "Result due within 24 hours."
    # session, user, certification; in a savepoint (3) holding it and the learner's row (the
    # rollback: 1): no query more to say so (the message goes in a cookie)
    with django_assert_num_queries(8):
        response = client_as_learner.post(action, stale)

    assert response.status_code == 400
    html = response.content.decode()
    assert "in another tab or window after this page was loaded" in html
    assert "That date has passed" not in html
    row = CertificationProgress.objects.get(user=learner)
    assert (row.status, str(row.passed_on), row.notes) == ("passed", "2026-03-05", "")


# An editor adds a certification to a roadmap while another deletes that certification.


def _career_form_adding(client, career, certification) -> dict:
    url = f"/admin/careers/career/{career.pk}/change/"
    row = {
        "certification": str(certification.pk),
        "phase": "core",
        "reason": "Why.",
        "position": "9",
    }
    return add_rows(form_data(client.get(url)), "roadmap_steps", [row])


@needs_postgresql
def test_deleting_a_certification_being_added_to_a_roadmap_is_refused(monkeypatch, editor_client):
    """The career form has written its new step and not committed when the delete is
    confirmed: the delete used to go through and the career form got a server error."""
    career, certification = CareerFactory(), CertificationFactory(name="Cloud Basics")
    colleague = _learner_client(get_user_model().objects.create_superuser("c", "c@x.org", "pw"))
    data = _career_form_adding(colleague, career, certification)
    career_admin = admin.site.get_model_admin(Career)
    save_related, written, finish = career_admin.save_related, threading.Event(), threading.Event()

    def save_then_pause(*args, **kwargs):
        save_related(*args, **kwargs)
        written.set()
        assert finish.wait(20)

    monkeypatch.setattr(career_admin, "save_related", save_then_pause)
    save = InThread(lambda: colleague.post(f"/admin/careers/career/{career.pk}/change/", data))
    assert written.wait(20)
    delete = InThread(lambda: editor_client.post(_delete_url(certification), {"post": "yes"}))
    until_done_or_waiting(delete)
    finish.set()
    saved, deleted = save.result(), delete.result()

    assert_saved(saved)
    assert deleted.status_code == 200  # the delete page, listing the roadmap step it protects
    assert "Cannot delete certification" in deleted.content.decode()
    assert "Roadmap step" in deleted.content.decode()
    assert career.roadmap_steps.filter(certification=certification).exists()


@needs_postgresql
def test_adding_a_certification_being_deleted_to_a_roadmap_says_it_is_gone(
    monkeypatch, editor_client
):
    """The delete has counted what it protects and not committed when the career form with
    the new step is saved: that save used to fail with a server error."""
    career, certification = CareerFactory(), CertificationFactory(name="Cloud Basics")
    colleague = _learner_client(get_user_model().objects.create_superuser("c", "c@x.org", "pw"))
    data = _career_form_adding(colleague, career, certification)
    counted, started, finish = (
        ListsDeletionsBriefly.get_deleted_objects,
        threading.Event(),
        threading.Event(),
    )

    def count_then_pause(self, objs, request):
        result = counted(self, objs, request)
        if request.method == "POST":
            started.set()
            assert finish.wait(20)
        return result

    monkeypatch.setattr(ListsDeletionsBriefly, "get_deleted_objects", count_then_pause)
    delete = InThread(lambda: editor_client.post(_delete_url(certification), {"post": "yes"}))
    assert started.wait(20)
    save = InThread(lambda: colleague.post(f"/admin/careers/career/{career.pk}/change/", data))
    until_done_or_waiting(save)
    finish.set()
    deleted, saved = delete.result(), save.result()

    assert deleted.status_code == 302
    assert saved.status_code == 200
    assert "Cloud Basics was deleted a moment ago" in saved.content.decode()
    assert not career.roadmap_steps.exists()
