"""Two editors retiring exams of one chain at the same moment: whatever the order their saves
commit in, the chain holds every exam that replaced another, directly or in turn."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from certifications.admin import certification as certification_admin
from certifications.models import CertificationProgress
from certifications.services import chains
from tests.careers.test_admin import assert_saved
from tests.certifications.test_admin import post_change
from tests.certifications.test_chains import RETIRED_ON
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory
from tests.interleave import InThread, needs_postgresql, until_done_or_waiting

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def _editor_client(username) -> Client:
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw", is_staff=True, is_superuser=True
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _stopped_once_recorded(monkeypatch, certification):
    """Make the admin's save of `certification` stop once its chain is recorded, before its
    transaction commits: (set once it stopped, set to let it go on)."""
    recorded, go_on = threading.Event(), threading.Event()
    real = certification_admin.successor_chain_record

    def record_then_wait(**kwargs):
        result = real(**kwargs)
        if kwargs["certification"].pk == certification.pk:
            recorded.set()
            assert go_on.wait(30)
        return result

    monkeypatch.setattr(certification_admin, "successor_chain_record", record_then_wait)
    return recorded, go_on


def test_two_editors_retiring_one_after_the_other_at_once_keep_the_whole_chain(
    monkeypatch, learner
):
    """One editor retires AZ-100 for AZ-103 while another retires AZ-103 for AZ-104. Each save
    read the chains before the other's was in: AZ-104 was recorded as replacing AZ-103 only,
    and a learner who passed AZ-104 read "You hold 0 of 1 required" on a career asking for
    AZ-100."""
    az100, az103, az104 = (
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-103", "AZ-104")
    )
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=az100)
    first, second = _editor_client("first"), _editor_client("second")

    # The first editor's save stops, its chain recorded, before its transaction commits.
    recorded, go_on = _stopped_once_recorded(monkeypatch, az100)
    retire = {"status": "retired", "retired_on": RETIRED_ON}
    saving_az100 = InThread(lambda: post_change(first, az100, **retire, successor=az103.pk))
    assert recorded.wait(30)
    saving_az103 = InThread(lambda: post_change(second, az103, **retire, successor=az104.pk))
    until_done_or_waiting(saving_az103)
    go_on.set()
    assert_saved(saving_az100.result())
    assert_saved(saving_az103.result())

    CertificationProgress.objects.create(
        user=learner,
        certification=az104,
        status="passed",
        passed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    client = Client()
    client.force_login(learner)
    assert "You hold 1 of 1 required" in client.get(career.get_absolute_url()).content.decode()


def test_two_editors_naming_each_others_exam_at_once_never_save_a_loop(monkeypatch):
    """One editor retires AZ-103 for AZ-104 while another retires AZ-104 for AZ-103. Each
    form's loop check read the successors before the other's save was in, both saved, and
    the successors went round in a circle. The second editor now reads why at the successor,
    with the rest of what they typed still in the form."""
    az103, az104 = (
        CertificationFactory(name="Azure Administrator", exam_code=code, exam_fee=150)
        for code in ("AZ-103", "AZ-104")
    )
    first, second = _editor_client("first"), _editor_client("second")

    # The first editor's save stops, its chain recorded, before its transaction commits.
    recorded, go_on = _stopped_once_recorded(monkeypatch, az103)
    retire = {"status": "retired", "retired_on": RETIRED_ON}
    saving_az103 = InThread(lambda: post_change(first, az103, **retire, successor=az104.pk))
    assert recorded.wait(30)
    saving_az104 = InThread(
        lambda: post_change(second, az104, **retire, successor=az103.pk, exam_fee="123.45")
    )
    until_done_or_waiting(saving_az104)
    go_on.set()
    assert_saved(saving_az103.result())
    response = saving_az104.result()

    assert response.status_code == 200, "the second save went through"
    form = response.context["adminform"].form
    assert form.errors["successor"] == [
        "Successors cannot go round in a circle: Azure Administrator (AZ-104) is replaced by "
        "Azure Administrator (AZ-103), Azure Administrator (AZ-103) is replaced by "
        "Azure Administrator (AZ-104)."
    ]
    assert list(form.errors) == ["successor"]
    assert 'value="123.45"' in response.content.decode()  # nothing else they typed is lost
    az103.refresh_from_db()
    az104.refresh_from_db()
    assert (az103.successor_id, az104.successor_id) == (az104.pk, None)
    assert (az104.status, az104.exam_fee) == ("published", 150)


def test_an_editor_saving_an_exam_whose_chain_a_colleagues_save_keeps_waits_never_errs(
    monkeypatch,
):
    """One editor names AZ-104 as the successor of AZ-103, retired, and the save keeps the
    chain of AZ-100 (retired for AZ-103) under the chains' lock. Meanwhile another editor
    moved AZ-100's successor on to AZ-104: that save locked AZ-100's row, then waited for the
    chains' lock, while the first waited for AZ-100's row, and PostgreSQL broke the deadlock
    by failing one of the two saves with a server error. Both now save, one after the other."""
    az100, az103, az104 = (
        CertificationFactory(name="Azure Administrator", exam_code=code)
        for code in ("AZ-100", "AZ-103", "AZ-104")
    )
    first, second = _editor_client("first"), _editor_client("second")
    retire = {"status": "retired", "retired_on": RETIRED_ON}
    assert_saved(post_change(first, az100, **retire, successor=az103.pk))
    assert_saved(post_change(first, az103, **retire))  # with no successor yet

    # The first editor's save stops, holding the chains' lock, before it keeps AZ-100's chain.
    reached, go_on = threading.Event(), threading.Event()
    keep = chains.keep_chain_fields

    def wait_then_keep(fields):
        if az100.pk in fields and not reached.is_set():
            reached.set()
            assert go_on.wait(30)
        return keep(fields)

    monkeypatch.setattr(chains, "keep_chain_fields", wait_then_keep)
    saving_az103 = InThread(lambda: post_change(first, az103, successor=az104.pk))
    assert reached.wait(30)
    saving_az100 = InThread(lambda: post_change(second, az100, successor=az104.pk))
    until_done_or_waiting(saving_az100)
    go_on.set()

    responses = saving_az103.result(), saving_az100.result()
    assert [r.status_code for r in responses] == [302, 302]
    az100.refresh_from_db()
    assert (az100.successor_id, az100.chain_exam_id) == (az104.pk, az104.pk)
