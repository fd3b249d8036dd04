"""The certification form in the admin as editors use it: what a save accepts and refuses."""

import datetime
import re

import factory
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
)
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from careerportal import admin_site
from careers.models import Career, Employer
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    Provider,
    Replacement,
    RoadmapStep,
)
from tests.careers.test_admin import (
    add_rows,
    admin_url,
    assert_edit_page_queries,
    assert_saved,
    form_data,
)
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    FAQFactory,
    HiringFactory,
    ProviderFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db


def post_change(client, certification, **changes):
    """POST the certification's change form with `changes` applied; the response."""
    url = admin_url(Certification, "change", certification.pk)
    data = form_data(client.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    return client.post(url, data)


def refused(response, message):
    assert response.status_code == 200, "the form was saved"
    html = response.content.decode()
    assert message in html
    assert "Constraint “" not in html
    return html


# Plain messages, not constraint names


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exam_fee": "-5"}, "The exam fee cannot be negative"),
        ({"validity_months": "0"}, "Validity is at least a month"),
        ({"fee_currency": "QQQ"}, "“QQQ” is not a currency code"),
        ({"fee_currency": "XXX"}, "“XXX” is not a currency code"),
    ],
)
def test_a_bad_exam_fact_is_refused_with_a_plain_message(client_as_staff, changes, message):
    certification = CertificationFactory(exam_fee=150, validity_months=24, fee_currency="USD")
    refused(post_change(client_as_staff, certification, **changes), message)
    certification.refresh_from_db()
    assert (certification.exam_fee, certification.validity_months) == (150, 24)
    assert certification.fee_currency == "USD"


def test_a_lowercase_fee_currency_is_saved_in_capitals(client_as_staff):
    certification = CertificationFactory(fee_currency="USD")
    assert_saved(post_change(client_as_staff, certification, fee_currency=" eur"))
    certification.refresh_from_db()
    assert certification.fee_currency == "EUR"


def test_every_check_constraint_has_a_message_for_editors():
    for app in ("careers", "certifications"):
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.CheckConstraint):
                    message = constraint.get_violation_error_message()
                    assert "Constraint" not in message, (model, constraint.name)


# Successors and prerequisites never go round in a circle


def test_a_successor_that_leads_back_is_refused(client_as_staff):
    ckad = CertificationFactory(name="Kubernetes Developer", exam_code="CKAD")
    cka = CertificationFactory(name="Kubernetes Administrator", exam_code="CKA", successor=ckad)
    refused(
        post_change(client_as_staff, ckad, successor=cka.pk),
        "Successors cannot go round in a circle: Kubernetes Developer (CKAD) is replaced by "
        "Kubernetes Administrator (CKA), Kubernetes Administrator (CKA) is replaced by "
        "Kubernetes Developer (CKAD).",
    )
    ckad.refresh_from_db()
    assert ckad.successor is None


def test_a_successor_form_opened_before_a_colleague_named_the_other_way_is_refused(
    client_as_staff,
):
    """Two editors open AZ-103's and AZ-104's forms; the first names AZ-104 as AZ-103's
    successor. The second, naming AZ-103 as AZ-104's, reads why at the successor field, with
    the rest of what they typed still in the form (PostgreSQL's concurrent saves:
    tests/certifications/test_chain_races.py)."""
    az103, az104 = (
        CertificationFactory(name="Azure Administrator", exam_code=code, exam_fee=150)
        for code in ("AZ-103", "AZ-104")
    )
    url = admin_url(Certification, "change", az104.pk)
    opened = form_data(client_as_staff.get(url))
    assert_saved(post_change(client_as_staff, az103, successor=az104.pk))

    response = client_as_staff.post(url, opened | {"successor": az103.pk, "exam_fee": "123.45"})

    refused(response, "Successors cannot go round in a circle: Azure Administrator (AZ-104)")
    form = response.context["adminform"].form
    assert list(form.errors) == ["successor"]
    assert 'value="123.45"' in response.content.decode()
    az104.refresh_from_db()
    assert (az104.successor_id, az104.exam_fee) == (None, 150)


def test_a_longer_successor_loop_is_refused(client_as_staff):
    first = CertificationFactory(name="First")
    third = CertificationFactory(name="Third", successor=first)
    second = CertificationFactory(name="Second", successor=third)
    refused(
        post_change(client_as_staff, first, successor=second.pk),
        "Successors cannot go round in a circle",
    )
    first.refresh_from_db()
    assert first.successor is None


def test_a_draft_successor_is_refused(client_as_staff):
    certification = CertificationFactory()
    draft = CertificationFactory(name="Next Exam", exam_code="NX-1", status="draft")
    refused(
        post_change(client_as_staff, certification, successor=draft.pk),
        "“Next Exam (NX-1)” is a draft, which visitors cannot see",
    )
    certification.refresh_from_db()
    assert certification.successor is None


def test_a_successor_moved_back_to_draft_warns_and_never_blocks_its_predecessors_form(
    client_as_staff,
):
    successor = CertificationFactory(name="Next Exam", exam_code="NX-1")
    certification = CertificationFactory(name="Old Exam", exam_code="OX-1", successor=successor)

    response = client_as_staff.post(
        admin_url(Certification, "changelist"),
        {"action": "back_to_draft", "_selected_action": [successor.pk]},
        follow=True,
    )

    assert "“Old Exam (OX-1)” names a certification now in draft as successor" in (
        response.content.decode()
    )
    assert_saved(post_change(client_as_staff, certification, summary="A typo fixed."))
    certification.refresh_from_db()
    assert (certification.summary, certification.successor) == ("A typo fixed.", successor)


def test_retiring_a_successor_says_which_certifications_to_point_at_the_newer_exam(
    client_as_staff,
):
    az104 = CertificationFactory(name="Azure Administrator", exam_code="AZ-104")
    az103 = CertificationFactory(name="Azure Administrator", exam_code="AZ-103")
    CertificationFactory(name="Azure Infrastructure", exam_code="AZ-100", status="retired",
                         successor=az103)  # fmt: skip
    CertificationFactory(name="Azure Deployment", exam_code="AZ-101", status="retired",
                         successor=az103)  # fmt: skip

    response = post_change(
        client_as_staff, az103, status="retired", retired_on="2026-11-01", successor=az104.pk
    )

    assert_saved(response)
    html = client_as_staff.get(response["Location"]).content.decode()
    for old in ("Azure Infrastructure (AZ-100)", "Azure Deployment (AZ-101)"):
        assert (
            f"“{old}” names “Azure Administrator (AZ-103)” as its successor, which is now "
            "retired too: roadmap steps on it offer no exam to book until you choose "
            "“Azure Administrator (AZ-104)” as its successor instead. Learners who passed "
            "“Azure Administrator (AZ-103)” keep holding those steps."
        ) in html


def test_following_the_advice_to_name_the_newer_exam_keeps_what_learners_passed(
    client_as_staff, learner
):
    """AZ-100 was replaced by AZ-103, which a learner passed: it holds their AZ-100 step.
    AZ-103 is retired in turn for AZ-104, and the admin advises naming AZ-104 as AZ-100's
    successor; done, the learner's valid AZ-103 still counts for the step (it said "You hold
    0 of 1 required" and "Start with Azure Administrator (AZ-104)")."""
    az104 = CertificationFactory(name="Azure Administrator", exam_code="AZ-104")
    az103 = CertificationFactory(name="Azure Administrator", exam_code="AZ-103")
    az100 = CertificationFactory(name="Azure Infrastructure", exam_code="AZ-100",
                                 status="retired", successor=az103)  # fmt: skip
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=az100)
    passed = timezone.localdate() - datetime.timedelta(days=30)
    CertificationProgress.objects.create(
        user=learner, certification=az103, status="passed", passed_on=passed
    )
    client = Client()
    client.force_login(learner)
    assert "You hold 1 of 1 required" in client.get(career.get_absolute_url()).content.decode()

    assert_saved(post_change(client_as_staff, az103, status="retired",
                             retired_on="2026-11-01", successor=az104.pk))  # fmt: skip
    assert "You hold 1 of 1 required" in client.get(career.get_absolute_url()).content.decode()
    assert_saved(post_change(client_as_staff, az100, successor=az104.pk))

    az100.refresh_from_db()
    assert (az100.successor, chain_codes(az100)) == (az104, {"AZ-103", "AZ-104"})
    assert "You hold 1 of 1 required" in client.get(career.get_absolute_url()).content.decode()


def chain_codes(certification) -> set:
    """The exam codes of the exams recorded as having replaced `certification`."""
    return set(
        Replacement.objects.filter(replaced=certification).values_list("exam__exam_code", flat=True)
    )


def test_correcting_a_successor_to_another_line_of_exams_keeps_no_earlier_successor(
    client_as_staff, learner
):
    """Naming an exam the old successor does not lead to is a correction: a pass of the old
    one no longer holds the step (only moving on along the successors keeps it)."""
    wrong = CertificationFactory(name="Azure Developer", exam_code="AZ-203")
    right = CertificationFactory(name="Azure Administrator", exam_code="AZ-104")
    az100 = CertificationFactory(name="Azure Infrastructure", exam_code="AZ-100",
                                 status="retired", successor=wrong)  # fmt: skip
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=az100)
    CertificationProgress.objects.create(
        user=learner, certification=wrong, status="passed",
        passed_on=timezone.localdate() - datetime.timedelta(days=30),
    )  # fmt: skip

    assert_saved(post_change(client_as_staff, az100, successor=right.pk))

    az100.refresh_from_db()
    assert (az100.successor, chain_codes(az100)) == (right, {"AZ-104"})
    client = Client()
    client.force_login(learner)
    assert "You hold 0 of 1 required" in client.get(career.get_absolute_url()).content.decode()


def test_retiring_a_successor_in_bulk_warns_about_what_named_it(client_as_staff):
    successor = CertificationFactory(name="Next Exam", exam_code="NX-1")
    CertificationFactory(name="Old Exam", exam_code="OX-1", status="retired", successor=successor)

    response = client_as_staff.post(
        admin_url(Certification, "changelist"),
        {"action": "retire", "_selected_action": [successor.pk]},
        follow=True,
    )

    assert (
        "“Old Exam (OX-1)” names “Next Exam (NX-1)” as its successor, which is now retired too: "
        "roadmap steps on it offer no exam to book until you choose the exam that replaced it "
        "as its successor."
    ) in response.content.decode()


def test_a_retired_successor_is_refused_and_its_own_successor_suggested(client_as_staff):
    certification = CertificationFactory()
    newest = CertificationFactory(name="Newest", exam_code="N-3")
    retired = CertificationFactory(
        name="Older", exam_code="O-2", status="retired", successor=newest
    )
    refused(
        post_change(client_as_staff, certification, successor=retired.pk),
        "“Older (O-2)” is retired itself: choose its successor, “Newest (N-3)”.",
    )
    certification.refresh_from_db()
    assert certification.successor is None


def test_a_successor_retired_since_it_was_chosen_does_not_block_other_edits(client_as_staff):
    successor = CertificationFactory(status="retired")
    certification = CertificationFactory(successor=successor, summary="Old words.")
    assert_saved(post_change(client_as_staff, certification, summary="New words."))
    certification.refresh_from_db()
    assert certification.summary == "New words."


def test_a_published_successor_still_saves(client_as_staff):
    old, new = CertificationFactory(), CertificationFactory()
    CertificationFactory(successor=old)  # a chain into `old` is no loop
    assert_saved(post_change(client_as_staff, old, successor=new.pk))
    old.refresh_from_db()
    assert old.successor == new


def test_a_prerequisite_that_requires_this_certification_is_refused(client_as_staff):
    cissp = CertificationFactory(name="CISSP", exam_code="")
    cc = CertificationFactory(name="Certified in Cybersecurity", exam_code="CC")
    cc.prerequisites.add(cissp)
    url = admin_url(Certification, "change", cissp.pk)
    data = form_data(client_as_staff.get(url))
    data["prerequisites"] = [str(cc.pk)]
    refused(
        client_as_staff.post(url, data),
        "Prerequisites cannot go round in a circle: CISSP requires Certified in Cybersecurity "
        "(CC), Certified in Cybersecurity (CC) requires CISSP.",
    )
    assert not cissp.prerequisites.exists()


def test_a_longer_prerequisite_loop_is_refused_and_a_chain_is_not(client_as_staff):
    a, b, c, d = (CertificationFactory() for _ in range(4))
    b.prerequisites.add(c)
    c.prerequisites.add(a)
    d.prerequisites.add(a)
    url = admin_url(Certification, "change", a.pk)
    data = form_data(client_as_staff.get(url))
    data["prerequisites"] = [str(b.pk)]
    refused(client_as_staff.post(url, data), "Prerequisites cannot go round in a circle")
    data["prerequisites"] = [str(b.pk)]
    c.prerequisites.clear()
    assert_saved(client_as_staff.post(url, data))
    assert list(a.prerequisites.all()) == [b]


# Deleting what learners track


def tracked(kind):
    """A certification with a learner's progress, or a career a learner follows."""
    learner = get_user_model().objects.create_user("tracker", "tracker@example.com", "pw-12345678")
    if kind == "certification":
        page = CertificationFactory()
        CertificationProgress.objects.create(user=learner, certification=page)
    else:
        page = CareerFactory()
        CareerFollow.objects.create(user=learner, career=page)
    return page


@pytest.mark.parametrize(
    ("kind", "advice"),
    [("certification", "Retire it instead"), ("career", "Unpublish it instead")],
)
def test_deleting_a_page_learners_track_says_why_and_what_to_do(client_as_staff, kind, advice):
    page = tracked(kind)
    url = admin_url(type(page), "delete", page.pk)
    html = client_as_staff.get(url).content.decode()
    assert f"Learners track this {kind}, so it cannot be deleted" in html
    assert "would erase 1 learner record " in html
    assert advice in html
    assert "permission" not in html
    assert client_as_staff.post(url, {"post": "yes"}).status_code == 403
    assert type(page).objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize(("kind", "advice"), [("certification", "Retire"), ("career", "Unpublish")])
def test_bulk_deleting_pages_learners_track_says_why_and_what_to_do(client_as_staff, kind, advice):
    page = tracked(kind)
    model = type(page)
    other = (CertificationFactory if kind == "certification" else CareerFactory)()
    selected = {"action": "delete_selected", "_selected_action": [page.pk, other.pk]}
    response = client_as_staff.post(admin_url(model, "changelist"), selected)
    html = response.content.decode()
    assert f"Learners track a selected {kind}, so it cannot be deleted" in html
    assert f"{advice} them instead" in html
    assert "permission" not in html
    client_as_staff.post(admin_url(model, "changelist"), {**selected, "post": "yes"})
    assert model.objects.filter(pk__in=[page.pk, other.pk]).count() == 2


def test_a_page_nobody_tracks_can_still_be_deleted(client_as_staff):
    certification = CertificationFactory()
    url = admin_url(Certification, "delete", certification.pk)
    assert "Are you sure" in client_as_staff.get(url).content.decode()
    assert client_as_staff.post(url, {"post": "yes"}).status_code == 302
    assert not Certification.objects.filter(pk=certification.pk).exists()


def test_deleting_a_certification_on_a_roadmap_says_what_to_do_instead(
    client_as_staff, django_assert_num_queries
):
    """Django's page said deleting it "would require deleting the following protected related
    objects" and offered nothing else: neither how to take it off the roadmaps it names nor
    that retiring it was the way to keep those roadmaps right."""
    step = RoadmapStepFactory(career__title="Cloud Engineer", position=1)
    url = admin_url(Certification, "delete", step.certification.pk)
    # session, user, the certification, what the delete collects (prerequisites both ways,
    # replacements both ways, roadmap steps, progress, reminders sent), and the step's career
    # and certification for its name: the advice costs none
    with django_assert_num_queries(12):
        html = client_as_staff.get(url).content.decode()
    assert "Roadmaps hold this certification as a step, so it cannot be deleted" in html
    assert "Cloud Engineer #1" in html
    assert "(tick the step\u2019s Delete box on the career\u2019s page" in html
    assert "or retire it instead" in html
    assert "would require deleting" not in html

    selected = {"action": "delete_selected", "_selected_action": [step.certification.pk]}
    html = client_as_staff.post(admin_url(Certification, "changelist"), selected)
    html = html.content.decode()
    assert "Roadmaps hold a selected certification as a step, so it cannot be deleted" in html
    assert "would require deleting" not in html


def test_deleting_a_provider_of_certifications_says_what_to_do_instead(client_as_staff):
    certification = CertificationFactory(provider__name="Acme")
    url = admin_url(Provider, "delete", certification.provider.pk)
    html = client_as_staff.get(url).content.decode()
    assert "Certifications name this provider, so it cannot be deleted" in html
    assert "first give each of these certifications another provider on its page" in html
    assert "would require deleting" not in html


@pytest.mark.parametrize("advanced", [3, 30])
def test_deleting_a_prerequisite_names_the_certifications_that_require_it(
    client_as_staff, django_assert_num_queries, advanced
):
    # Django named the links "From_certification-to_certification relationship:
    # Certification_prerequisites object (1)", which told the editor nothing.
    base = CertificationFactory(name="Base Exam", exam_code="B-1")
    for n in range(advanced):
        CertificationFactory(name=f"Advanced {n:02}", exam_code="").prerequisites.add(base)
    url = admin_url(Certification, "delete", base.pk)
    client_as_staff.get(url)  # Django caches content types on the first
    # session, user, the certification with its provider, one query a relation (prerequisite
    # links both ways, predecessors, chain rows both ways, roadmap steps, progress,
    # reminders), for up to 20 links named one by one the certifications requiring it, and
    # the certifications naming it as their successor.
    with django_assert_num_queries(12 if advanced <= 20 else 11):
        html = client_as_staff.get(url).content.decode()
    assert f"<li>Prerequisites links: {advanced}</li>" in html
    if advanced <= 20:
        assert html.count(": Base Exam (B-1)</li>") == advanced
        assert "<li>Prerequisites of Advanced 00: Base Exam (B-1)</li>" in html
    else:
        assert f"Prerequisites links: {advanced} (too many to list one by one" in html
    assert "relationship" not in html
    assert "object (" not in html


def _retired_with_successor(name):
    successor = CertificationFactory(name=f"{name} v2", exam_code="")
    retired = CertificationFactory(
        name=name,
        exam_code="",
        status=Certification.Status.RETIRED,
        retired_on=datetime.date(2025, 1, 1),
        successor=successor,
    )
    return retired, successor


def test_deleting_a_successor_says_which_certifications_it_leaves_without_one(
    client, client_as_staff
):
    # The database empties the predecessors' successor; the delete page listed the deleted
    # certification alone, and nothing said "Old Exam" now named none.
    retired, successor = _retired_with_successor("Old Exam")
    assert "Its successor is" in client.get(retired.get_absolute_url()).content.decode()
    url = admin_url(Certification, "delete", successor.pk)
    html = client_as_staff.get(url).content.decode()
    assert "These certifications name this certification as their successor" in html
    assert ">Old Exam</a> (retired), successor: Old Exam v2</li>" in html
    response = client_as_staff.post(url, {"post": "yes"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    link = f'<a href="{admin_url(Certification, "change", retired.pk)}">“Old Exam”</a>'
    assert (
        f"{link} named the deleted certification as its successor and now has none: choose "
        "another on its page." in shown
    )
    history = client_as_staff.get(admin_url(Certification, "history", retired.pk))
    assert "Its successor “Old Exam v2” was deleted: none now." in history.content.decode()
    # The retired exam's page, cached with the successor, shows it no more.
    assert "Its successor is" not in client.get(retired.get_absolute_url()).content.decode()


@pytest.mark.parametrize("rows", [1, 20])
def test_bulk_deleting_successors_names_the_certifications_left_without_one_in_fixed_queries(
    client_as_staff, django_assert_num_queries, rows
):
    pairs = [_retired_with_successor(f"Exam {n:02}") for n in range(rows)]
    selected = {
        "action": "delete_selected",
        "_selected_action": [successor.pk for _, successor in pairs],
    }
    url = admin_url(Certification, "changelist")
    client_as_staff.get(url)  # Django caches content types on the first
    # session, user, the list's COUNT, the action's savepoint and its release, the selected
    # rows, one query a relation (predecessors, prerequisite links both ways, chain rows both
    # ways, roadmap steps, progress, reminders), then the predecessors with their successors,
    # named above.
    with django_assert_num_queries(15):
        html = client_as_staff.post(url, selected).content.decode()
    assert "These certifications name a selected certification as their successor" in html
    assert html.count("(retired), successor: Exam ") == rows
    response = client_as_staff.post(url, {**selected, "post": "yes"}, follow=True)
    warning = next(str(m) for m in response.context["messages"] if m.level_tag == "warning")
    assert warning.count("”</a>") == rows
    assert warning.endswith(
        "as "
        + ("its" if rows == 1 else "their")
        + " successor and now "
        + (
            "has none: choose another on its page."
            if rows == 1
            else "have none: choose another on their pages."
        )
    )
    assert not Certification.objects.filter(successor__isnull=False).exists()


def test_a_name_that_holds_its_exam_code_shows_it_once_in_the_admin(client_as_staff):
    certification = CertificationFactory(
        name="Certified Kubernetes Application Developer (CKAD)", exam_code="CKAD"
    )
    response = post_change(client_as_staff, certification)
    html = client_as_staff.get(response.url).content.decode()
    assert ">Certified Kubernetes Application Developer (CKAD)</a>” was changed" in html
    assert "(CKAD) (CKAD)" not in html


def test_a_draft_certification_form_links_to_its_preview(client_as_staff):
    draft = CertificationFactory(status="draft")
    html = client_as_staff.get(admin_url(Certification, "change", draft.pk)).content.decode()
    assert f'<a href="{draft.get_absolute_url()}" class="viewsitelink">Preview draft</a>' in html
    assert "This certification is a draft: visitors cannot see it." in html
    preview = client_as_staff.get(draft.get_absolute_url()).content.decode()
    assert "Draft preview: visitors cannot see this page." in preview
    # ...and the preview links back to the form, for the fix the editor just spotted.
    change = admin_url(Certification, "change", draft.pk)
    assert f'<a href="{change}">Edit it in the admin</a>' in preview


def test_the_certification_list_links_each_page_and_a_drafts_preview(
    client_as_staff, django_assert_num_queries
):
    # The career list linked each page ("View", "Preview draft"); this list linked none.
    draft = CertificationFactory(status="draft", slug="draft-exam")
    retired = CertificationFactory(status="retired", slug="old-exam")
    url = admin_url(Certification, "changelist")
    client_as_staff.get(url)  # Django caches content types on the first
    # session, user, the COUNT (unfiltered: once), the rows with provider, successor and
    # step count
    with django_assert_num_queries(4):
        html = client_as_staff.get(url).content.decode()
    assert f'<a href="{draft.get_absolute_url()}">Preview draft</a>' in html
    assert f'<a href="{retired.get_absolute_url()}">View</a>' in html


def test_a_published_certification_form_offers_no_draft_preview(client_as_staff):
    published = CertificationFactory()
    html = client_as_staff.get(admin_url(Certification, "change", published.pk)).content.decode()
    assert "Preview draft" not in html
    assert "View on site" in html


# Plausible exam facts


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "0"}, "An exam lasts at least 1 minute"),
        ({"duration_minutes": "601"}, "An exam lasts at most 600 minutes (10 hours)."),
        ({"duration_minutes": "70000"}, "An exam lasts at most 600 minutes (10 hours)."),
        ({"study_hours": "70000"}, "Recommended study time is at most 2,000 hours."),
        ({"study_hours": "2001"}, "Recommended study time is at most 2,000 hours."),
        ({"exam_fee": "1000000"}, "An exam fee can be at most 999,999.99."),
        ({"exam_fee": "10.555"}, "Give the exam fee with at most two decimals."),
        ({"retired_on": "2026-01-31"}, "Only a retired certification has a retirement date"),
        ({"validity_months": "121"}, "A pass stays valid at most 120 months (10 years)"),
        ({"validity_months": "100000"}, "A pass stays valid at most 120 months (10 years)"),
    ],
)
def test_an_absurd_exam_fact_is_refused_with_a_message(client_as_staff, changes, message):
    certification = CertificationFactory(duration_minutes=90, study_hours=40, exam_fee=150)
    refused(post_change(client_as_staff, certification, **changes), message)
    certification.refresh_from_db()
    assert (certification.duration_minutes, certification.study_hours) == (90, 40)
    assert (certification.exam_fee, certification.retired_on) == (150, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", "-1", "An exam lasts at least 1 minute; leave it empty if unknown."),
        ("validity_months", "-3", "Validity is at least a month; empty if it never ends."),
        ("validity_months", "0", "Validity is at least a month; empty if it never ends."),
    ],
)
def test_a_length_below_zero_is_told_the_least_it_may_be(client_as_staff, field, value, message):
    # "-3" months was told "greater than or equal to 0", and the 0 typed next was refused too.
    certification = CertificationFactory(duration_minutes=90, validity_months=36)
    html = refused(post_change(client_as_staff, certification, **{field: value}), message)
    assert "greater than or equal to" not in html
    # The figure typed is kept, and the field says its least value to the browser too.
    assert f'name="{field}" value="{value}" class="vIntegerField" min="1"' in html
    certification.refresh_from_db()
    assert (certification.duration_minutes, certification.validity_months) == (90, 36)


def test_plausible_exam_facts_and_a_retirement_date_on_a_retired_exam_save(client_as_staff):
    certification = CertificationFactory()
    changes = {"duration_minutes": 600, "study_hours": 2000, "exam_fee": "999999.99"}
    response = post_change(
        client_as_staff, certification, status="retired", retired_on="2026-01-31", **changes
    )
    assert_saved(response)
    certification.refresh_from_db()
    assert certification.study_hours == 2000
    assert str(certification.retired_on) == "2026-01-31"


def test_moving_a_retired_certification_back_to_draft_clears_its_retirement_date(
    client_as_staff,
):
    certification = CertificationFactory(status="retired", retired_on="2025-03-31")
    client_as_staff.post(
        admin_url(Certification, "changelist"),
        {"action": "back_to_draft", "_selected_action": [certification.pk]},
    )
    certification.refresh_from_db()
    assert (certification.status, certification.retired_on) == ("draft", None)
    assert_saved(post_change(client_as_staff, certification, summary="Still editable."))


@pytest.mark.parametrize("roadmaps", [3, 30])
def test_a_certification_in_roadmaps_lists_them_in_a_fixed_number_of_queries(
    client_as_staff, django_assert_num_queries, roadmaps
):
    certification = CertificationFactory(name="Cloud Basics", exam_code="")
    for career in CareerFactory.create_batch(roadmaps):
        RoadmapStepFactory(career=career, certification=certification)
    url = admin_url(Certification, "delete", certification.pk)
    # session, user, the certification joined with its provider (for its name), then one
    # query a relation (prerequisite links both ways, chain rows both ways, roadmap steps,
    # progress, reminders), for up to 20 steps named one by one their careers in one query,
    # and the certifications naming it as their successor.
    with django_assert_num_queries(12 if roadmaps <= 20 else 11):
        html = client_as_staff.get(url).content.decode()
    assert "Cannot delete certification" in html
    if roadmaps <= 20:
        assert html.count(": Cloud Basics</a></li>") == roadmaps
    else:
        assert f"Roadmap steps: {roadmaps} (too many to list one by one" in html
        assert ": Cloud Basics</a></li>" not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_a_learner_with_progress_and_follows_opens_its_delete_page_in_fixed_queries(
    client_as_staff, django_assert_num_queries, rows
):
    learner = get_user_model().objects.create_user("busy", "busy@example.com")
    for certification in CertificationFactory.create_batch(rows):
        CertificationProgress.objects.create(user=learner, certification=certification)
    for career in CareerFactory.create_batch(rows):
        CareerFollow.objects.create(user=learner, career=career)
    url = admin_url(get_user_model(), "delete", learner.pk)
    # session, user, the learner, one query a relation (admin log, groups, permissions,
    # e-mail addresses, progress, follows, profile, reminders) and, for up to 20 rows named
    # one by one, the certifications and careers they name: one query each.
    with django_assert_num_queries(13 if rows <= 20 else 11):
        html = client_as_staff.get(url).content.decode()
    # Learners' rows are read-only for staff, so the page says what blocks the delete.
    assert "Cannot delete user" in html
    assert "certification progress" in html


# Selects that would list every row of a growing table are searched instead


def test_the_certification_form_searches_prerequisites_instead_of_listing_them(
    client_as_staff, monkeypatch
):
    # Up to LISTED_UP_TO certifications, each is an option too (picked without JavaScript).
    monkeypatch.setattr(admin_site, "LISTED_UP_TO", 30)
    CertificationFactory.create_batch(30, name=factory.Sequence(lambda n: f"Listed exam {n}"))
    chosen = CertificationFactory(name="Chosen prerequisite")
    certification = CertificationFactory()
    certification.prerequisites.add(chosen)
    for url in (
        admin_url(Certification, "add"),
        admin_url(Certification, "change", certification.pk),
    ):
        html = client_as_staff.get(url).content.decode()
        select = re.search(r'<select name="prerequisites".*?</select>', html, re.S).group(0)
        assert "admin-autocomplete" in select
        assert "Listed exam" not in html  # no option for every certification
    assert "Chosen prerequisite" in select  # the saved one is shown, and saves unchanged
    assert_saved(post_change(client_as_staff, certification))
    assert list(certification.prerequisites.all()) == [chosen]


def test_the_successor_and_prerequisites_selects_both_list_every_certification(
    client_as_staff, django_assert_num_queries
):
    certification = CertificationFactory(name="Edited exam", successor=CertificationFactory())
    certification.prerequisites.add(CertificationFactory())
    CertificationFactory.create_batch(3)
    url = admin_url(Certification, "change", certification.pk)
    client_as_staff.get(url)  # Django caches content types on the first

    # 1 session, 2 user, 3 the certification, 4 its prerequisites, 5 the providers listed,
    # 6 the certifications the successor and prerequisites selects both list, 7 its chain
    with django_assert_num_queries(7):
        html = client_as_staff.get(url).content.decode()

    every = [
        str(pk) for pk in Certification.objects.order_by("name", "-id").values_list("pk", flat=True)
    ]
    assert str(certification.pk) in every  # listed in both, as before
    for name, chosen in (
        ("successor", [certification.successor_id]),
        ("prerequisites", [p.pk for p in certification.prerequisites.all()]),
    ):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        assert re.findall(r'<option value="(\d+)"', select) == every
        assert re.findall(r'<option value="(\d+)"[^>]* selected', select) == [
            str(c) for c in chosen
        ]


def test_no_admin_form_lists_every_row_of_a_table_that_grows(rf, staff):
    """Careers, certifications, employers, providers and users are chosen by search (an
    autocomplete) or typed (raw id) on every admin form and inline, never from a select
    holding them all (an autocomplete lists them too while they are few: LISTED_UP_TO)."""
    growing = {Career, Certification, Employer, Provider, get_user_model()}
    request = rf.get("/")
    request.user = staff
    for model_admin in admin.site._registry.values():
        forms = [(model_admin, model_admin.get_form(request), None)]
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            forms.append((inline, formset.form, formset.fk.name))
        for owner, form, parent in forms:
            for name, field in form.base_fields.items():
                model = getattr(getattr(field, "queryset", None), "model", None)
                if model not in growing or name == parent:
                    continue
                widget = getattr(field.widget, "widget", field.widget)
                assert isinstance(
                    widget,
                    AutocompleteSelect | AutocompleteSelectMultiple | ForeignKeyRawIdWidget,
                ), f"{type(owner).__name__}.{name} lists every {model._meta.verbose_name}"


# Edit pages: a fixed number of queries however many rows


def _provider_of(rows):
    provider = ProviderFactory()
    CertificationFactory.create_batch(rows, provider=provider)
    return provider


def _certification_with(rows):
    certification = CertificationFactory(successor=CertificationFactory())
    for _ in range(rows):
        certification.prerequisites.add(CertificationFactory())
        RoadmapStepFactory(certification=certification)
    return certification


def _a_step(rows):
    RoadmapStepFactory.create_batch(rows)
    return RoadmapStepFactory()


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize(
    ("make", "queries"),
    [
        # 1 session, 2 user, 3 the provider with its certification count
        (_provider_of, 3),
        # 1 session, 2 user, 3 the certification joined with its provider and successor, 4
        # its prerequisites (the form's value), 5-6 the rows the provider select and the
        # successor and prerequisites selects list (one query for both), to be picked
        # without JavaScript (up to LISTED_UP_TO; the prerequisites' chosen values by id were
        # read instead), 7 the exams of its chain (shown under Retirement)
        (_certification_with, 7),
        # 1 session, 2 user, 3 the step joined with its career and certification (named in the
        # title), 4-5 the careers and certifications its selects list (up to LISTED_UP_TO)
        (_a_step, 5),
    ],
)
def test_edit_page_takes_a_fixed_number_of_queries_however_many_rows(
    client_as_staff, django_assert_num_queries, make, queries, rows
):
    assert_edit_page_queries(client_as_staff, django_assert_num_queries, make(rows), queries)


def test_a_provider_named_like_another_is_refused_naming_the_one_to_edit(client_as_staff):
    ProviderFactory(name="Amazon Web Services")
    response = client_as_staff.post(
        admin_url(Provider, "add"),
        {"name": "amazon web services", "slug": "aws-again"},
    )
    assert response.context["adminform"].form.errors["name"] == [
        "“Amazon Web Services” is already listed; names differing only in case are one "
        "provider. Edit that one instead."
    ]


def test_an_editor_finds_a_providers_exams_by_its_other_name(client_as_staff):
    google = ProviderFactory(name="Google Cloud", also_known_as="GCP, Google Cloud Platform")
    CertificationFactory(name="Professional Data Engineer", provider=google)
    CertificationFactory(name="Azure Fundamentals")
    response = client_as_staff.get(admin_url(Certification, "changelist"), {"q": "gcp data"})
    assert [c.name for c in response.context["cl"].result_list] == ["Professional Data Engineer"]


def test_the_certification_form_labels_the_vendors_page_plainly(client_as_staff):
    html = client_as_staff.get(admin_url(Certification, "add")).content.decode()
    assert '<label for="id_official_url">Official page:</label>' in html
    assert "Official url" not in html


def test_retiring_on_the_form_without_a_date_records_today_and_says_so(
    client_as_staff, clock_away_from_midnight
):
    certification = CertificationFactory(status="published")
    url = admin_url(Certification, "change", certification.pk)
    data = form_data(client_as_staff.get(url))
    data["status"] = "retired"

    response = client_as_staff.post(url, data, follow=True)

    certification.refresh_from_db()
    today = timezone.localdate()
    assert certification.retired_on == today
    assert f"Retirement date set to today ({today.day} {today:%B %Y})" in (
        response.content.decode()
    )
    # A date the editor gave is kept.
    data = form_data(client_as_staff.get(url))
    data["retired_on"] = "2026-03-31"
    assert_saved(client_as_staff.post(url, data))
    certification.refresh_from_db()
    assert certification.retired_on == datetime.date(2026, 3, 31)


def test_a_retirement_date_still_to_come_is_refused_and_today_is_kept(
    client_as_staff, clock_away_from_midnight
):
    """Visitors would read "Retired on 1 January 2030" of an exam they can still book."""
    certification = CertificationFactory(status="published")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(
        post_change(client_as_staff, certification, status="retired", retired_on=tomorrow),
        "The retirement date cannot be in the future",
    )
    certification.refresh_from_db()
    assert (certification.status, certification.retired_on) == ("published", None)

    today = timezone.localdate()
    assert_saved(post_change(client_as_staff, certification, status="retired", retired_on=today))
    certification.refresh_from_db()
    assert (certification.status, certification.retired_on) == ("retired", today)


@pytest.mark.parametrize("with_successor", [False, True])
def test_retiring_on_the_form_warns_when_no_successor_is_named_as_the_list_action_does(
    client_as_staff, with_successor
):
    certification = CertificationFactory(status="published", name="Old Exam")
    changes = {"status": "retired"}
    if with_successor:
        changes["successor"] = CertificationFactory(status="published").pk
    url = admin_url(Certification, "change", certification.pk)
    data = form_data(client_as_staff.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    page = client_as_staff.post(url, data, follow=True).content.decode()
    certification.refresh_from_db()
    assert certification.status == "retired"
    warned = "No successor set for: Old Exam" in page
    assert warned is not with_successor


@pytest.mark.parametrize("status", ["published", "draft"])
def test_a_retired_certification_published_again_on_its_form_loses_its_retirement_date(
    client_as_staff, status
):
    certification = CertificationFactory(status="retired", retired_on="2025-03-31")
    assert_saved(post_change(client_as_staff, certification, status=status))
    certification.refresh_from_db()
    assert (certification.status, certification.retired_on) == (status, None)

    # A date typed in the same save is the editor's own: refused with the reason, not dropped.
    certification = CertificationFactory(status="retired", retired_on="2025-03-31")
    refused(
        post_change(client_as_staff, certification, status=status, retired_on="2025-04-30"),
        "Only a retired certification has a retirement date",
    )


# A public career's roadmap shows steps on published or retired exams only


def _public_career_on_one_exam(title, exam):
    """A published career with a row in every section, its roadmap one step on `exam`."""
    career = CareerFactory(title=title)
    ResponsibilityFactory(career=career)
    DayInTheLifeEntryFactory(career=career)
    FAQFactory(career=career)
    HiringFactory(career=career)
    SalaryFigureFactory(career=career)
    RoadmapStepFactory(career=career, certification=exam)
    return career


@pytest.mark.parametrize("careers", [1, 3])
def test_moving_a_public_careers_only_exam_back_to_draft_names_the_career_left_without_a_roadmap(
    client, client_as_staff, django_assert_num_queries, careers
):
    # The roadmap hides steps on drafts: the career page lost its roadmap without a word.
    exam = CertificationFactory(name="Only Exam")
    made = [_public_career_on_one_exam(f"Analyst {n}", exam) for n in range(careers)]
    assert "Only Exam" in client.get(made[0].get_absolute_url()).content.decode()
    url = admin_url(Certification, "changelist")
    ContentType.objects.get_for_model(Certification)  # cached once a process, for the history
    # session, user, the list's COUNT, the steps on the selected exams that visitors see and
    # the public careers left without one (two, for any number of careers), the exams, the
    # update and its history, their predecessors; then the list again. The message goes in
    # a cookie: no session write to keep it, none when the list shows it.
    with django_assert_num_queries(13):
        response = client_as_staff.post(
            url, {"action": "back_to_draft", "_selected_action": [exam.pk]}, follow=True
        )
    warning = next(str(m) for m in response.context["messages"] if m.level_tag == "warning")
    assert warning.count("”</a>") == careers
    pages, them = ("its page", "it") if careers == 1 else ("their pages", "them")
    assert warning.endswith(
        f"public without a certification roadmap now: add one on {pages}, or move {them} back "
        "to draft."
    )


def test_moving_an_exam_back_to_draft_on_its_form_names_the_career_left_without_a_roadmap(
    client_as_staff,
):
    exam = CertificationFactory(name="Only Exam")
    career = _public_career_on_one_exam("Zeta Analyst", exam)
    kept = _public_career_on_one_exam("Kept Analyst", exam)
    RoadmapStepFactory(career=kept)  # another exam stays on its roadmap
    response = post_change(client_as_staff, exam, status="draft")
    assert_saved(response)
    html = client_as_staff.get(response["Location"]).content.decode()
    link = f'<a href="{admin_url(Career, "change", career.pk)}">“Zeta Analyst”</a>'
    assert f"{link} is public without a certification roadmap now" in html
    assert "Kept Analyst" not in html


def test_a_career_whose_roadmap_is_all_draft_exams_is_not_published(client_as_staff):
    career = _public_career_on_one_exam("Half Ready", CertificationFactory(status="draft"))
    Career.objects.filter(pk=career.pk).update(status=Career.Status.DRAFT)
    response = client_as_staff.post(
        admin_url(Career, "changelist"),
        {"action": "publish", "_selected_action": [career.pk]},
        follow=True,
    )
    assert (
        "“Half Ready” was not published: add a certification roadmap first. A roadmap step "
        "counts once its certification is published: visitors see no other."
    ) in [str(m) for m in response.context["messages"]]
    career.refresh_from_db()
    assert career.status == Career.Status.DRAFT


STEP_ON = "A roadmap step counts once its certification is published: visitors see no other."


@pytest.mark.parametrize("change", ["publish with a new step", "replace the step", "move the step"])
def test_a_roadmap_step_on_a_draft_exam_in_the_same_save_does_not_count_on_the_career_form(
    client_as_staff, django_assert_num_queries, change
):
    """The form counted any new or changed step, though the page hides those on drafts: a
    career went public with no roadmap on its page, or a public one lost it."""
    exam, draft = CertificationFactory(name="Live Exam"), CertificationFactory(status="draft")
    career = _public_career_on_one_exam("Half Ready", exam)
    if change == "publish with a new step":
        career.roadmap_steps.all().delete()
        Career.objects.filter(pk=career.pk).update(status=Career.Status.DRAFT)
    url = admin_url(Career, "change", career.pk)
    data = {**form_data(client_as_staff.get(url)), "status": "published"}
    if change == "move the step":
        data["roadmap_steps-0-certification"] = str(draft.pk)
    else:
        if change == "replace the step":
            data["roadmap_steps-0-DELETE"] = "on"
        step = {"certification": str(draft.pk), "reason": "Later.", "phase": "core"}
        data = add_rows(data, "roadmap_steps", [step])
    # The form shown again, its errors included; counting the new step asks nothing more, and
    # the sections a public career shows now are read with those it would show after.
    # PostgreSQL alone locks the career while the form is checked (LockedWhileSaving).
    queries = {"publish with a new step": 48, "replace the step": 51, "move the step": 49}
    with django_assert_num_queries(queries[change] + (connection.vendor == "postgresql")):
        response = client_as_staff.post(url, data)

    html, visitor = response.content.decode(), Client()
    if change == "publish with a new step":
        assert "Not published yet: add a certification roadmap first (" in html
        assert visitor.get(career.get_absolute_url()).status_code == 404
    else:
        assert "A public career cannot be left without a certification roadmap: keep" in html
        assert "Live Exam" in visitor.get(career.get_absolute_url()).content.decode()
    assert STEP_ON in html
    assert list(career.roadmap_steps.values_list("certification", flat=True)) == (
        [] if change == "publish with a new step" else [exam.pk]
    )

    # A step on a retired exam is shown, and counts.
    draft.status = Certification.Status.RETIRED
    draft.save()
    assert_saved(client_as_staff.post(url, data))
    page = visitor.get(career.get_absolute_url()).content.decode()
    assert draft.name in page and "Live Exam" not in page


# One certification per provider's exam code


def _new_certification(client, **fields):
    """The add form's POST, filled in as an editor would."""
    data = form_data(client.get(admin_url(Certification, "add")))
    data.update(level="associate", summary="Proves a skill.", fee_currency="USD", status="draft")
    data.update({name: str(value) for name, value in fields.items()})
    return data


def test_a_second_certification_of_a_providers_exam_code_is_refused_linking_the_first(
    client_as_staff, django_assert_num_queries
):
    aws = ProviderFactory(name="Amazon Web Services")
    first = CertificationFactory(
        name="AWS Certified Machine Learning Engineer", exam_code="MLA-C01", provider=aws
    )
    data = _new_certification(
        client_as_staff,
        name="AWS ML Engineer Associate",
        slug="aws-ml-engineer-associate",
        exam_code="mla-c01",
        provider=aws.pk,
    )
    # session, user, a savepoint, the slug's two checks, the provider's fetch and check, three
    # constraints' checks (three each), the certification holding the code, the savepoint
    # released, the providers and certifications (once for both selects) the form's selects
    # list again: finding it costs one query.
    with django_assert_num_queries(20):
        response = client_as_staff.post(admin_url(Certification, "add"), data)
    link = admin_url(Certification, "change", first.pk)
    assert response.context["adminform"].form.errors["exam_code"] == [
        f'Amazon Web Services exam MLA-C01 is already <a href="{link}">AWS Certified Machine '
        "Learning Engineer (MLA-C01)</a>: edit that certification, or correct the exam code."
    ]
    assert f'<a href="{link}">' in response.content.decode()
    assert 'value="AWS ML Engineer Associate"' in response.content.decode()
    assert Certification.objects.count() == 1
    # Nor can another certification take the code on its own form.
    other = CertificationFactory(name="Another exam", exam_code="MLS-C01", provider=aws)
    refused(post_change(client_as_staff, other, exam_code="MLA-C01"), "is already <a href=")
    other.refresh_from_db()
    assert other.exam_code == "MLS-C01"


def test_one_name_on_two_exam_codes_or_one_code_at_two_providers_still_saves(client_as_staff):
    microsoft, other = ProviderFactory(name="Microsoft"), ProviderFactory(name="Other Vendor")
    CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-900", provider=microsoft)
    for slug, code, provider in [("ai-901", "AI-901", microsoft), ("other-900", "AI-900", other)]:
        data = _new_certification(
            client_as_staff,
            name="Azure AI Fundamentals",
            slug=slug,
            exam_code=code,
            provider=provider.pk,
        )
        assert_saved(client_as_staff.post(admin_url(Certification, "add"), data))
    assert Certification.objects.filter(name="Azure AI Fundamentals").count() == 3


def test_a_step_the_roadmap_has_already_is_named_and_linked_on_the_step_page(
    client_as_staff, django_assert_num_queries
):
    """Adding a step, on its own page, for a certification the career's roadmap has, or moving
    one to a career that has it, said "Roadmap step with this Career and Certification already
    exists." without saying where that step is."""
    there = RoadmapStepFactory(
        career__title="Cloud Engineer",
        certification__name="Azure Administrator",
        certification__exam_code="AZ-104",
    )
    row = {
        "career": str(there.career_id),
        "certification": str(there.certification_id),
        "position": "4",
        "phase": "core",
        "reason": "Covers Azure.",
    }
    # session, user, a savepoint, the career and the certification chosen, both checked, the
    # key checked, the step found (the one query the message adds), a content type, the
    # savepoint released, then the form again: its careers and certifications listed
    ContentType.objects.clear_cache()
    with django_assert_num_queries(13):
        response = client_as_staff.post(admin_url(RoadmapStep, "add"), row)

    page = response.content.decode()
    assert (
        "Cloud Engineer\u2019s roadmap already has Azure Administrator (AZ-104): "
        f'<a href="{admin_url(RoadmapStep, "change", there.pk)}">edit that step</a>, or choose '
        "another career or certification."
    ) in page
    assert "already exists" not in page
    assert RoadmapStep.objects.count() == 1


def test_a_steps_own_page_takes_a_position_from_1_to_999_and_saves_a_stored_0_unchanged(
    client_as_staff, django_assert_num_queries
):
    """The step's own page said "less than or equal to 9223372036854775807" on SQLite (its
    column's range) for a position typed too large, and took 0 or a negative number."""
    step = RoadmapStepFactory(position=0)  # as code makes steps: the model's default
    url = admin_url(RoadmapStep, "change", step.pk)
    opened = form_data(client_as_staff.get(url))
    assert_saved(client_as_staff.post(url, opened))  # its stored 0 kept as it is
    opened = form_data(client_as_staff.get(url))
    for typed in ["1000", "-1", "9223372036854775808"]:
        response = client_as_staff.post(url, {**opened, "position": typed})
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count("Enter a whole number from 1 to 999.") == 1
        assert "less than or equal to" not in page
    # session, user, a savepoint, the step, its career (locked on PostgreSQL) and
    # certification, the career, certification and pair checked, a content type, the
    # savepoint released, the form again (its careers and certifications): the range costs
    # none.
    ContentType.objects.clear_cache()
    locks = int(connection.features.has_select_for_update)
    with django_assert_num_queries(13 + locks):
        assert client_as_staff.post(url, {**opened, "position": "1000"}).status_code == 200
    assert_saved(client_as_staff.post(url, {**opened, "position": "999"}))
    step.refresh_from_db()
    assert step.position == 999
