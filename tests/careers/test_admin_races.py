"""Two editors pressing Save on one page at the same moment (two database connections).

The edit-conflict check (careerportal/admin_conflicts.py) compares the time the row was saved
with the time the editor's page saw. When both saves ran at once, each read the row before
the other had committed, both passed, and the second wrote over the first without a word.
On SQLite the admin's whole save is one write transaction (BEGIN IMMEDIATE), so the second
waits and is stopped; these tests stage the overlap where it can happen, on PostgreSQL.
"""

import threading

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from careers.models import Career, Employer, SalaryFigure
from certifications.models import Certification, Provider, RoadmapStep
from tests.careers.test_admin import add_rows, assert_saved, form_data
from tests.careers.test_admin_conflicts import _career_with_parts, change_url
from tests.factories import CareerFactory, CertificationFactory, EmployerFactory, ProviderFactory
from tests.interleave import InThread, needs_postgresql, until_done_or_waiting

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def _editor(name):
    user = get_user_model().objects.create_user(
        name, f"{name}@example.com", "editor-password-123", is_staff=True, is_superuser=True
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _saves_at_once(monkeypatch, model, url, mine, theirs):
    """Their save writes its row and pauses before committing; mine is sent meanwhile and
    runs until it finishes or waits for theirs; then theirs commits. Returns both answers."""
    model_admin = admin.site.get_model_admin(model)
    save_model = model_admin.save_model
    written, finish = threading.Event(), threading.Event()

    def save_then_pause(request, obj, form, change):
        save_model(request, obj, form, change)
        if not written.is_set():
            written.set()
            assert finish.wait(20)

    monkeypatch.setattr(model_admin, "save_model", save_then_pause)
    me, colleague = _editor("me"), _editor("colleague")
    mine, theirs = mine(me), theirs(colleague)  # both open the page first
    their_save = InThread(lambda: colleague.post(url, theirs))
    assert written.wait(20)
    my_save = InThread(lambda: me.post(url, mine))
    until_done_or_waiting(my_save)
    finish.set()
    return my_save.result(), their_save.result()


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (CareerFactory, "tagline"),
        (CertificationFactory, "summary"),
        (EmployerFactory, "description"),
        (ProviderFactory, "also_known_as"),
    ],
)
def test_two_editors_saving_a_page_at_once_do_not_undo_each_other(monkeypatch, factory, field):
    page = factory()
    url = change_url(page)

    def edit(words):
        return lambda client: {**form_data(client.get(url)), field: words}

    mine, theirs = _saves_at_once(
        monkeypatch, type(page), url, edit("My words."), edit("Their words.")
    )

    assert_saved(theirs)
    assert mine.status_code == 200
    # The colleague's save is in the admin history: the message names them.
    assert "colleague (colleague@example.com) saved this" in mine.content.decode()
    assert "My words." in mine.content.decode()  # my input is still on the page
    page.refresh_from_db()
    assert getattr(page, field) == "Their words."


@pytest.mark.parametrize(
    ("part", "field", "mine_value", "their_value"),
    [
        ("figure", "p75", "90000", "61000"),
        ("step", "reason", "My reason.", "Their reason."),
    ],
)
def test_two_editors_saving_a_part_page_at_once_do_not_undo_each_other(
    monkeypatch, part, field, mine_value, their_value
):
    _, figure, step = _career_with_parts()
    row = {"figure": figure, "step": step}[part]
    url = change_url(row)

    def edit(name, value):
        return lambda client: {**form_data(client.get(url)), name: value}

    their_field = "median" if part == "figure" else field
    mine, theirs = _saves_at_once(
        monkeypatch, type(row), url, edit(field, mine_value), edit(their_field, their_value)
    )

    assert_saved(theirs)
    assert mine.status_code == 200
    assert f"colleague (colleague@example.com) saved this {row._meta.verbose_name}, or its" in (
        mine.content.decode()
    )
    row.refresh_from_db()
    assert str(getattr(row, their_field)) == their_value


def test_a_career_saved_while_a_colleague_saves_one_of_its_steps_stops(monkeypatch):
    """Different pages, one career: the step page marks the career saved (its parts stand in
    for it) and the career form, saved at the same moment, must not write the old step back."""
    career, _, step = _career_with_parts()
    step_url, career_url = change_url(step), change_url(career)
    me, colleague = _editor("me"), _editor("colleague")
    mine = {**form_data(me.get(career_url)), "tagline": "Only the tagline changed."}
    theirs = {**form_data(colleague.get(step_url)), "reason": "A colleague's better reason."}
    touch = admin.site.get_model_admin(RoadmapStep)._touch_careers
    written, finish = threading.Event(), threading.Event()

    def touch_then_pause(request, changes):
        touch(request, changes)
        written.set()
        assert finish.wait(20)

    monkeypatch.setattr(admin.site.get_model_admin(RoadmapStep), "_touch_careers", touch_then_pause)
    their_save = InThread(lambda: colleague.post(step_url, theirs))
    assert written.wait(20)
    my_save = InThread(lambda: me.post(career_url, mine))
    until_done_or_waiting(my_save)
    finish.set()
    mine, theirs = my_save.result(), their_save.result()

    assert_saved(theirs)
    assert mine.status_code == 200
    assert "colleague (colleague@example.com) saved this career" in mine.content.decode()
    step.refresh_from_db()
    assert step.reason == "A colleague's better reason."


def test_every_page_that_checks_for_conflicts_locks_while_saving():
    """The pages raced above are all there are: a new one must lock too."""
    from careerportal.admin_conflicts import EditConflictForm, LockedWhileSaving

    checked = {
        model: isinstance(model_admin, LockedWhileSaving)
        for model, model_admin in admin.site._registry.items()
        if issubclass(model_admin.form, EditConflictForm)
    }
    assert checked == dict.fromkeys(
        [Career, Certification, Employer, Provider, SalaryFigure, RoadmapStep], True
    )


def test_adding_an_employer_being_deleted_to_a_career_says_it_is_gone(monkeypatch):
    """A colleague's delete of the employer has run and not committed when the career form
    naming it among the employers hiring is saved: that save failed with a server error as
    it committed (the hiring pointed at a row that was gone)."""
    career, employer = CareerFactory(), EmployerFactory(name="Acme Robotics")
    employer_admin = admin.site.get_model_admin(Employer)
    delete_model = employer_admin.delete_model
    deleted, finish = threading.Event(), threading.Event()

    def delete_then_pause(request, obj):
        delete_model(request, obj)
        deleted.set()
        assert finish.wait(20)

    monkeypatch.setattr(employer_admin, "delete_model", delete_then_pause)
    me, colleague = _editor("me"), _editor("colleague")
    url = change_url(career)
    row = {"employer": str(employer.pk), "note": "Research", "position": "1"}
    data = add_rows(form_data(me.get(url)), "hirings", [row])
    delete_url = f"/admin/careers/employer/{employer.pk}/delete/"
    their_delete = InThread(lambda: colleague.post(delete_url, {"post": "yes"}))
    assert deleted.wait(20)
    my_save = InThread(lambda: me.post(url, data))
    until_done_or_waiting(my_save)
    finish.set()
    removed, saved = their_delete.result(), my_save.result()

    assert removed.status_code == 302
    assert saved.status_code == 200
    assert "Acme Robotics was deleted a moment ago" in saved.content.decode()
    assert not career.hirings.exists()
