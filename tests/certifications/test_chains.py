"""Chains of retirements: AZ-100 retired for AZ-101, AZ-101 for AZ-102, AZ-102 for AZ-104,
each retired exam's successor moved on to the newest as the admin advises. A valid pass of
any exam of the chain holds the steps on the oldest, wherever a learner looks; reminders,
the calendar and the retired exam's own page say the same."""

import datetime
import itertools
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.feeds import feed_events
from certifications.models import Certification, CertificationProgress, LearnerProfile
from certifications.reminders import reminders_send
from certifications.services.progress import career_follow
from tests.careers.test_admin import admin_url, assert_saved
from tests.certifications.test_admin import post_change, refused
from tests.certifications.test_dashboard import learner_count_pages
from tests.certifications.test_reminders import confirm
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory, retire_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]

RETIRED_ON = "2025-01-01"  # the form refuses a retirement date to come


def retire_in_the_admin(staff, old, new):
    """An editor retires `old` for `new` on its change form (or, once retired, moves its
    successor on to `new`, as the warning on retiring its successor advises)."""
    assert_saved(post_change(staff, old, status="retired", retired_on=RETIRED_ON, successor=new.pk))


def chain_in_the_admin(staff, *, advice_for_all=True):
    """AZ-100 <- AZ-101 <- AZ-102 <- AZ-104 through the admin, the career's step on AZ-100
    moved on to each newer exam as advised (the retired AZ-101 too unless `advice_for_all`
    is False): (career, [az100, az101, az102, az104])."""
    exams = [
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-101", "AZ-102", "AZ-104")
    ]
    az100, az101, az102, az104 = exams
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=az100)
    retire_in_the_admin(staff, az100, az101)
    retire_in_the_admin(staff, az101, az102)
    retire_in_the_admin(staff, az100, az102)
    retire_in_the_admin(staff, az102, az104)
    retire_in_the_admin(staff, az100, az104)
    if advice_for_all:
        retire_in_the_admin(staff, az101, az104)
    return career, exams


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def pass_of(user, exam, passed_on):
    return CertificationProgress.objects.create(
        user=user, certification=exam, status="passed", passed_on=passed_on
    )


@pytest.mark.parametrize("passed", ["AZ-101", "AZ-102"])
def test_a_valid_pass_of_any_exam_of_a_chain_holds_the_step_on_every_page(
    client_as_staff, learner, django_assert_num_queries, passed
):
    """Three retirements in a row: a valid pass of the first replacement (AZ-101) said "You
    hold 0 of 1 required" and "Start with AZ-104" on the career page, and 0 of 1 on the
    dashboard, the career cards and the public page (only one exam moved past was kept)."""
    career, exams = chain_in_the_admin(client_as_staff)
    exam = next(e for e in exams if e.exam_code == passed)
    passed_on = timezone.localdate() - datetime.timedelta(days=30)
    pass_of(learner, exam, passed_on)
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    client = signed_in(learner)

    # session + user, the visitor's six (the exam on offer rides on the steps query), and the
    # learner's passes of the exams moved past (AZ-101, AZ-102): one query for every chain
    with django_assert_num_queries(9):
        html = client.get(career.get_absolute_url()).content.decode()
    assert "You hold 1 of 1 required" in html and "Start with" not in html
    status = re.sub(r"\s+", " ", html.split('class="step-progress"')[1].split("</p>")[0])
    assert (
        f'through <a href="{exam.get_absolute_url()}">Azure Administrator ({passed})</a>, '
        f"which replaced it · passed {passed_on.day} {passed_on:%B %Y}"
    ) in status

    # Not followed yet: "closest careers" finds it by the pass (in SQL).
    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client.get(reverse("dashboard")).content.decode()
    assert "1 of 1 required (100%)" in page.split('id="closest-heading"')[1]

    career_follow(user=learner, career=career)
    # session, user, then each page's own: the dashboard's four; the career list's
    # categories, COUNT, page and the learner's counts (one query for their exams, one
    # for the counts); the public page's profile, careers with their counts, passes.
    # The career page's ninth: the learner's passes of the exams moved past, as above.
    queries = {"dashboard": 6, "career page": 9, "career cards": 7, "public page": 5}
    for name, url in learner_count_pages(career, handle="ada").items():
        with django_assert_num_queries(queries[name]):
            page = client.get(url).content.decode()
        assert "1 of 1" in page and "0 of 1" not in page, name
    assert "Every required certification held" in client.get(reverse("dashboard")).content.decode()


def test_a_pass_of_the_oldest_exam_does_not_hold_the_newest_exams_steps(client_as_staff, learner):
    """The chain holds steps on the exams it replaced, not the other way round: a step on
    AZ-104 asks for AZ-104 itself."""
    career, exams = chain_in_the_admin(client_as_staff)
    on_newest = CareerFactory(title="Azure Engineer")
    RoadmapStepFactory(career=on_newest, certification=exams[-1])
    pass_of(learner, exams[0], timezone.localdate() - datetime.timedelta(days=30))
    client = signed_in(learner)

    assert "You hold 1 of 1 required" in client.get(career.get_absolute_url()).content.decode()
    assert "You hold 0 of 1" in client.get(on_newest.get_absolute_url()).content.decode()


def test_a_retired_exams_page_says_which_exam_of_its_chain_holds_it(
    client_as_staff, learner, django_assert_num_queries
):
    """AZ-100's own page said "Not started" alone to a learner whose AZ-101 holds its steps."""
    _career, (az100, az101, _az102, _az104) = chain_in_the_admin(client_as_staff)
    passed_on = timezone.localdate() - datetime.timedelta(days=30)
    pass_of(learner, az101, passed_on)
    client = signed_in(learner)

    # session, user, the certification with the learner's progress joined, its
    # prerequisites, the careers' steps using it, the learner's passes of its chain's exams
    with django_assert_num_queries(6):
        html = client.get(az100.get_absolute_url()).content.decode()
    box = re.sub(r"\s+", " ", html.split('id="my-progress"')[1].split("</form>")[0])
    expires = passed_on.replace(year=passed_on.year + 2)
    assert (
        f'You hold it through <a href="{az101.get_absolute_url()}">Azure Administrator '
        f"(AZ-101)</a>, which replaced it · passed {passed_on.day} {passed_on:%B %Y}, "
        f"expires on {expires.day} {expires:%B %Y}"
    ) in box


# Reminders and the calendar

TODAY = datetime.date(2026, 6, 1)
EXPIRES = datetime.date(2026, 7, 1)  # 30 days after TODAY: the second reminder is due
PASSED = datetime.date(2024, 7, 1)  # valid 24 months (the factory's): expires on EXPIRES


@pytest.fixture
def confirmed(learner):
    confirm(learner)  # reminders go to confirmed addresses only
    return learner


def test_a_reminder_to_renew_a_pass_counted_through_a_later_exam_names_the_exam_to_take(
    client_as_staff, confirmed
):
    """AZ-101 (passed) holds the AZ-100 step; AZ-101's own successor is still AZ-102, itself
    retired (the editor moved on only the roadmap's exam). The reminder said "renew it by
    taking Azure Administrator (AZ-102)", an exam nobody can book."""
    _career, (_az100, az101, _az102, az104) = chain_in_the_admin(
        client_as_staff, advice_for_all=False
    )
    pass_of(confirmed, az101, PASSED)

    assert reminders_send(today=TODAY) == (1, 0)

    body = mail.outbox[0].body
    assert "Azure Administrator (AZ-101) certification expires on 1 July 2026" in body
    assert "renew it by taking Azure Administrator (AZ-104), which replaced it" in body
    assert f"The exam to book: {settings.SITE_URL}{az104.get_absolute_url()}" in body
    assert "AZ-102" not in body


def test_no_reminder_to_renew_a_pass_already_renewed_through_an_exam_of_its_chain(
    client_as_staff, confirmed
):
    """The learner passed AZ-100, then AZ-101 which replaced it (valid): AZ-100's expiry is
    nothing to renew. They were told to renew it by taking AZ-104, and the calendar showed
    it expiring."""
    _career, (az100, az101, _az102, _az104) = chain_in_the_admin(client_as_staff)
    pass_of(confirmed, az100, PASSED)
    pass_of(confirmed, az101, datetime.date(2025, 1, 1))

    assert reminders_send(today=TODAY) == (0, 0)
    assert mail.outbox == []
    summaries = [event["summary"] for event in feed_events(confirmed)]
    assert summaries == ["Azure Administrator (AZ-101) expires"]


def test_a_pass_whose_successor_was_deleted_is_renewed_by_the_exam_on_offer_in_its_chain(
    client_as_staff, confirmed
):
    """AZ-100 retired for AZ-103, AZ-103 for AZ-104, and an editor deleted AZ-103 (the delete
    page asks to choose another successor; AZ-100 was left with none). A pass of AZ-104 still
    holds AZ-100's steps, but the reminder said AZ-100 "cannot be renewed: from that day it no
    longer counts on your roadmaps", and the dashboard named no exam to renew it by."""
    az100, az103, az104 = (
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-103", "AZ-104")
    )
    retire_in_the_admin(client_as_staff, az100, az103)
    retire_in_the_admin(client_as_staff, az103, az104)
    deleted = client_as_staff.post(
        reverse("admin:certifications_certification_delete", args=[az103.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    row = pass_of(confirmed, az100, PASSED)

    assert reminders_send(today=TODAY) == (1, 0)
    body = mail.outbox[0].body
    assert "renew it by taking Azure Administrator (AZ-104), which replaced it" in body
    assert "cannot be renewed" not in body
    row.passed_on = timezone.localdate() - datetime.timedelta(days=700)  # expires within 90
    row.save()
    page = signed_in(confirmed).get(reverse("dashboard")).content.decode()
    renewals = page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]
    assert "renew it by taking" in renewals and az104.get_absolute_url() in renewals


def test_the_dashboard_lists_no_renewal_of_a_pass_renewed_through_its_chain(
    client_as_staff, learner, django_assert_num_queries
):
    """The renewals list said "AZ-100 expires … renew it by taking AZ-104" to a learner who
    holds AZ-101, which replaced it."""
    _career, (az100, az101, _az102, _az104) = chain_in_the_admin(client_as_staff)
    today = timezone.localdate()
    pass_of(learner, az100, today - datetime.timedelta(days=700))  # expires within 90 days
    pass_of(learner, az101, today - datetime.timedelta(days=30))
    client = signed_in(learner)

    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client.get(reverse("dashboard")).content.decode()

    renewals = page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]
    assert "AZ-100" not in renewals


@pytest.mark.parametrize("codes", [("AZ-100", "AZ-104"), ("AZ-100", "AZ-102", "AZ-104")])
def test_a_pass_of_an_exam_of_the_chain_back_in_draft_renews_nothing(confirmed, codes):
    """AZ-100 retired for AZ-104 (directly, or through AZ-102), AZ-104 moved back to draft
    (its page a 404): the learner's pass of AZ-104 still counted as AZ-100's renewal, so no
    reminder came, the calendar dropped AZ-100's expiry and the dashboard listed nothing to
    renew, while a draft holds nothing."""
    exams = [CertificationFactory(name="Azure Administrator", exam_code=code) for code in codes]
    for older, newer in itertools.pairwise(exams):
        retire_for(older, newer)
    az100, az104 = exams[0], exams[-1]
    own = pass_of(confirmed, az100, PASSED)
    pass_of(confirmed, az104, datetime.date(2025, 1, 1))
    az104.status = "draft"
    az104.save()

    assert reminders_send(today=TODAY) == (1, 0)
    assert "Azure Administrator (AZ-100) certification expires" in mail.outbox[0].body
    summaries = [event["summary"] for event in feed_events(confirmed)]
    assert "Azure Administrator (AZ-100) expires" in summaries
    own.passed_on = timezone.localdate() - datetime.timedelta(days=700)  # expires within 90
    own.save()
    page = signed_in(confirmed).get(reverse("dashboard")).content.decode()
    renewals = page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]
    assert "Azure Administrator (AZ-100)" in renewals


# Loops


def test_a_successor_that_its_chain_says_it_replaced_is_refused_in_plain_words(
    client_as_staff,
):
    """AZ-101 replaced AZ-100 (the chain keeps it though AZ-100 now names AZ-104). AZ-100
    published again by mistake and named as AZ-101's successor made the chain go round:
    refused, saying why, with nothing saved."""
    _career, (az100, az101, _az102, az104) = chain_in_the_admin(client_as_staff)
    Certification.objects.filter(pk=az100.pk).update(status="published", retired_on=None)

    response = post_change(client_as_staff, az101, successor=az100.pk)

    refused(
        response,
        "Successors cannot go round in a circle: “Azure Administrator (AZ-101)” already "
        "replaced “Azure Administrator (AZ-100)”, directly or in turn, so “Azure "
        "Administrator (AZ-100)” cannot replace it.",
    )
    az101.refresh_from_db()
    assert az101.successor == az104


# The data migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_what_the_earlier_successors_held():
    """0019 records, for each exam, every exam its successor and the earlier successor the
    site kept (0018) lead to, so the passes those held keep holding the steps; 0021 keeps
    with each exam its chain and the exam on offer it leads to, which the pages read."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("certifications", "0018_certification_earlier_successor")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    provider = old.get_model("certifications", "Provider").objects.create(name="Microsoft")
    made = {}
    for code in ("AZ-104", "AZ-103", "AZ-102", "AZ-100", "AZ-500"):
        made[code] = old.get_model("certifications", "Certification").objects.create(
            name="Azure Administrator", slug=code.lower(), exam_code=code, provider=provider,
            level="associate", summary="Proves a skill.", status="retired",
        )  # fmt: skip
    made["AZ-104"].status = "published"
    made["AZ-104"].save()
    # AZ-100 -> AZ-104, having been moved on from AZ-103 (kept); AZ-103 -> AZ-104 after
    # AZ-102 (kept), and AZ-102 -> AZ-104. AZ-500 stands alone.
    for code, successor, earlier in [
        ("AZ-100", "AZ-104", "AZ-103"),
        ("AZ-103", "AZ-104", "AZ-102"),
        ("AZ-102", "AZ-104", None),
    ]:
        made[code].successor = made[successor]
        made[code].earlier_successor = made[earlier] if earlier else None
        made[code].save()

    executor = MigrationExecutor(connection)
    # On to the latest (0021 keeps each exam's chain fields), as a deployment migrates: a
    # database left at 0020 would lack them for the tests that follow on it.
    executor.migrate(executor.loader.graph.leaf_nodes())

    from certifications.models import Replacement

    recorded = set(Replacement.objects.values_list("replaced__exam_code", "exam__exam_code"))
    assert recorded == {
        ("AZ-100", "AZ-104"),
        ("AZ-100", "AZ-103"),
        ("AZ-100", "AZ-102"),
        ("AZ-103", "AZ-104"),
        ("AZ-103", "AZ-102"),
        ("AZ-102", "AZ-104"),
    }
    # 0021: the exam on offer each chain leads to, kept with the exam it replaced.
    leads_to = dict(Certification.objects.values_list("exam_code", "chain_exam__exam_code"))
    assert leads_to == {
        "AZ-100": "AZ-104", "AZ-103": "AZ-104", "AZ-102": "AZ-104", "AZ-104": None,
        "AZ-500": None,
    }  # fmt: skip
    az100 = Certification.objects.get(exam_code="AZ-100")
    assert az100.chain_ids == [made[code].pk for code in ("AZ-104", "AZ-103", "AZ-102")]


# The exam on offer a chain leads to, kept with each exam (Certification.chain_exam)

START_WITH = "Start with Azure Administrator (AZ-104)"


def az100_moved_past_az102(staff):
    """AZ-100 retired for AZ-102, itself retired for AZ-104 in the admin (AZ-100's successor
    left on AZ-102): the career's step on AZ-100 books AZ-104, the chain's exam on offer."""
    exams = [
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-102", "AZ-104")
    ]
    retire_in_the_admin(staff, exams[0], exams[1])
    retire_in_the_admin(staff, exams[1], exams[2])
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=exams[0])
    assert START_WITH in Client().get(career.get_absolute_url()).content.decode()
    return career, exams


def back_to_draft_from_the_list(staff, exam):
    changelist = admin_url(Certification, "changelist")
    staff.post(changelist, {"action": "back_to_draft", "_selected_action": [exam.pk]})


def publish_from_the_list(staff, exam):
    changelist = admin_url(Certification, "changelist")
    staff.post(changelist, {"action": "publish", "_selected_action": [exam.pk]})


def back_to_draft_on_its_form(staff, exam):
    assert_saved(post_change(staff, exam, status="draft"))


def publish_on_its_form(staff, exam):
    assert_saved(post_change(staff, exam, status="published"))


@pytest.mark.parametrize(
    ("to_draft", "publish"),
    [
        (back_to_draft_from_the_list, publish_from_the_list),
        (back_to_draft_on_its_form, publish_on_its_form),
    ],
)
def test_a_chains_last_exam_drafted_then_published_in_the_admin_is_booked_again(
    client_as_staff, to_draft, publish
):
    """The site keeps, with each retired exam, the exam on offer its chain leads to: an editor
    moving AZ-104 back to draft (its page a 404) or publishing it again, from the list or on
    its form, changes what AZ-100's step books, with nothing else saved."""
    career, (_az100, _az102, az104) = az100_moved_past_az102(client_as_staff)

    to_draft(client_as_staff, az104)
    drafted = Client().get(career.get_absolute_url()).content.decode()
    publish(client_as_staff, az104)
    published = Client().get(career.get_absolute_url()).content.decode()

    assert "Start with" not in drafted and az104.get_absolute_url() not in drafted
    assert START_WITH in published


def test_a_fixture_without_the_chains_exam_on_offer_is_loaded_with_it(client_as_staff, tmp_path):
    """A fixture dumped before the site kept each exam's chain (its Replacement rows only):
    once loaded, AZ-100's step books AZ-104, the exam on offer its chain leads to."""
    from django.core import serializers
    from django.core.management import call_command
    from django.core.serializers.json import DjangoJSONEncoder

    from certifications.models import Replacement

    exams = [
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-102", "AZ-104")
    ]
    retire_for(exams[0], exams[1])
    retire_for(exams[1], exams[2])
    rows = serializers.serialize("python", [*exams, *Replacement.objects.all()])
    for row in rows:
        for field in ("chain_ids", "chain_exam"):
            row["fields"].pop(field, None)
    fixture = tmp_path / "chain.json"
    fixture.write_text(json.dumps(rows, cls=DjangoJSONEncoder))
    Certification.objects.all().delete()

    call_command("loaddata", str(fixture), verbosity=0)
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=Certification.objects.get(exam_code="AZ-100"))

    html = Client().get(career.get_absolute_url()).content.decode()
    assert START_WITH in html


# Deleting an exam of a chain


def az100_to_az104_then_az105(staff):
    """AZ-100 retired for AZ-103, AZ-103 for AZ-104 in the admin (AZ-100's successor left on
    AZ-103), and AZ-104's successor named ahead of its retirement: AZ-105, on offer too. The
    career's step on AZ-100 books AZ-104, the first exam on offer its chain recorded."""
    exams = [
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-103", "AZ-104", "AZ-105")
    ]
    az100, az103, az104, az105 = exams
    retire_in_the_admin(staff, az100, az103)
    retire_in_the_admin(staff, az103, az104)
    assert_saved(post_change(staff, az104, successor=az105.pk))
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=az100)
    assert START_WITH in Client().get(career.get_absolute_url()).content.decode()
    return career, exams


def delete_in_the_admin(staff, exam):
    url = reverse("admin:certifications_certification_delete", args=[exam.pk])
    deleted = staff.post(url, {"post": "yes"})
    assert deleted.status_code == 302


def test_deleting_the_exam_a_chain_leads_to_books_the_next_one_on_offer(
    client_as_staff, django_assert_num_queries
):
    """An editor deleted AZ-104, the exam on offer AZ-100's chain led to: AZ-100's step
    booked nothing (its chain's exam on offer emptied with the row) though AZ-105, on offer,
    replaced it too, and AZ-100 and AZ-103 still listed the deleted exam in their chains."""
    career, (_az100, az103, az104, az105) = az100_to_az104_then_az105(client_as_staff)
    url = reverse("admin:certifications_certification_delete", args=[az104.pk])
    # The 30 of the delete before the site kept chains on deletes (PostgreSQL: and the
    # chains' lock, the edit lock and the row lock, three more), then the exams whose chains
    # held it (one query, before the rows cascade away) and their chains kept (two).
    with django_assert_num_queries(33 + 3 * (connection.vendor == "postgresql")):
        deleted = client_as_staff.post(url, {"post": "yes"})
    assert deleted.status_code == 302

    page = Client().get(career.get_absolute_url())
    assert page.status_code == 200
    assert "Start with Azure Administrator (AZ-105)" in page.content.decode()
    chains = dict(Certification.objects.values_list("exam_code", "chain_ids"))
    assert chains["AZ-100"] == [az103.pk, az105.pk] and chains["AZ-103"] == [az105.pk]


def test_deleting_the_last_exam_on_offer_of_a_chain_says_none_is(client_as_staff):
    """The same with AZ-105 deleted in the list first: nothing left on offer, AZ-100's step
    says so, and no page fails on the exams that are gone."""
    career, (az100, az103, az104, az105) = az100_to_az104_then_az105(client_as_staff)
    changelist = admin_url(Certification, "changelist")
    action = {"action": "delete_selected", "_selected_action": [az105.pk], "post": "yes"}
    assert client_as_staff.post(changelist, action).status_code == 302
    assert START_WITH in Client().get(career.get_absolute_url()).content.decode()
    delete_in_the_admin(client_as_staff, az104)

    page = Client().get(career.get_absolute_url())
    assert page.status_code == 200
    assert "Start with" not in page.content.decode()
    assert Certification.objects.get(pk=az100.pk).chain_ids == [az103.pk]
    assert Client().get(az100.get_absolute_url()).status_code == 200


# Related careers follow chains


def test_careers_on_a_retired_exam_and_on_the_exam_its_chain_leads_to_are_related(
    client_as_staff, django_assert_num_queries
):
    """A career whose step is on AZ-100 (retired for AZ-103, retired in turn for AZ-104) books
    AZ-104: a career on AZ-104 listed it among its related careers, but it did not list the
    other (nor did the compare page suggest it), AZ-100's successor being retired."""
    old, _exams = az100_moved_past_az102(client_as_staff)
    new = CareerFactory(title="Cloud Administrator", category="Cloud")  # not AZ-100's
    RoadmapStepFactory(career=new, certification=Certification.objects.get(exam_code="AZ-104"))

    for career, other in ((old, new), (new, old)):
        with django_assert_num_queries(6):  # as test_career_page_runs_six_queries names them
            response = Client().get(career.get_absolute_url())
        related = {c.title: c.shared_count for c in response.context["related_careers"]}
        assert related == {other.title: 1}
        compare = Client().get(reverse("careers:compare"), {"careers": [career.slug]})
        assert [s["label"] for s in compare.context["suggestions"]] == [other.title]
