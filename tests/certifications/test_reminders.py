"""send_reminders: exams 7 days ahead, expiry in 90 and 30 days, never twice."""

import datetime
import smtplib
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from certifications.models import CertificationProgress, ReminderSent
from certifications.reminders import due_reminders, reminders_send
from tests.email_parts import assert_html_says_what_the_text_says, html_part, read_html
from tests.factories import CertificationFactory, career_on_a_renamed_exam

TODAY = datetime.date(2026, 12, 1)


def confirm(user, verified=True):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": verified, "primary": True}
    )


@pytest.fixture
def learner(learner):
    confirm(learner)  # reminders go to confirmed addresses only (tested below)
    return learner


@pytest.fixture
def other_learner(other_learner):
    confirm(other_learner)
    return other_learner


def run(day=TODAY):
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def booked(user, days_ahead, **cert):
    return CertificationProgress.objects.create(
        user=user,
        certification=CertificationFactory(**cert),
        status="booked",
        exam_date=TODAY + datetime.timedelta(days=days_ahead),
    )


def passed(user, passed_on, validity_months=12, **cert):
    return CertificationProgress.objects.create(
        user=user,
        certification=CertificationFactory(validity_months=validity_months, **cert),
        status="passed",
        passed_on=passed_on,
    )


def test_exam_seven_days_ahead_gets_one_email(learner):
    booked(learner, 7, name="Azure AI Engineer")

    output = run()

    assert "Sent 1 reminder." in output
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learner@example.com"]
    assert "Azure AI Engineer" in message.subject
    assert "7 days" in message.subject
    assert "Tuesday 8 December 2026" in message.body
    assert ReminderSent.objects.get().kind == "exam_7d"


def test_a_reminder_names_the_site_in_its_subject_and_message_id(learner, settings):
    settings.SITE_URL = "https://careers.example.org"
    settings.DEFAULT_FROM_EMAIL = "noreply@example.org"  # .env.example's: no display name
    booked(learner, 7, name="Azure AI Engineer", exam_code="AI-102")

    run()

    message = mail.outbox[0].message()
    assert message["From"] == "noreply@example.org"
    assert message["Subject"] == "[CareerPortal] Your Azure AI Engineer (AI-102) exam is in 7 days"
    assert message["Message-ID"].endswith("@careers.example.org>")


def test_a_second_run_sends_nothing(learner):
    booked(learner, 7)
    passed(learner, datetime.date(2026, 2, 1))  # expires 1 Feb 2027: 62 days

    assert "Sent 2 reminders." in run()
    assert "Sent 0 reminders." in run()
    assert "Sent 0 reminders." in run(TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_exams_further_off_or_past_get_nothing(learner):
    booked(learner, 8)
    booked(learner, 0)
    booked(learner, -3)

    assert "Sent 0 reminders." in run()
    assert mail.outbox == []


def test_a_missed_daily_run_still_reminds_the_next_day(learner):
    booked(learner, 6)

    run()

    assert "6 days" in mail.outbox[0].subject


def test_expiry_reminded_at_90_and_again_at_30_days(learner):
    # Passed 1 Mar 2024, valid 36 months: expires 1 Mar 2027 (90 days after 1 Dec 2026).
    passed(
        learner,
        datetime.date(2024, 3, 1),
        validity_months=36,
        name="Cloud Practitioner",
        exam_code="CLF-C02",
    )

    run()
    run(TODAY + datetime.timedelta(days=30))  # 60 days left: already told
    run(TODAY + datetime.timedelta(days=60))  # 30 days left

    assert [m.subject for m in mail.outbox] == [
        "[CareerPortal] Your Cloud Practitioner (CLF-C02) certification expires in 90 days",
        "[CareerPortal] Your Cloud Practitioner (CLF-C02) certification expires in 30 days",
    ]
    assert list(ReminderSent.objects.order_by("sent_at", "pk").values_list("kind", flat=True)) == [
        "expiry_90d",
        "expiry_30d",
    ]


def test_month_end_expiry_is_clamped(learner):
    # 31 May 2024 + 30 months = 30 Nov 2026 is past; + 31 months: 31 Dec 2026 (30 days left).
    passed(learner, datetime.date(2024, 5, 31), validity_months=31)

    run()

    assert ReminderSent.objects.get().event_date == datetime.date(2026, 12, 31)
    assert ReminderSent.objects.get().kind == "expiry_30d"


def test_a_pass_recorded_the_day_before_it_expires_is_told_1_day_not_1_days(learner):
    # Recorded late: passed 2 Dec 2024, valid 24 months, so it expires tomorrow.
    passed(learner, datetime.date(2024, 12, 2), validity_months=24, name="Security+", exam_code="")

    run()

    message = mail.outbox[0]
    assert message.subject == "[CareerPortal] Your Security+ certification expires in 1 day"
    assert "expires on 2 December 2026, 1 day from now." in message.body


def test_expired_never_expiring_and_far_off_passes_get_nothing(learner):
    passed(learner, datetime.date(2020, 1, 1), validity_months=24)  # long expired
    passed(learner, datetime.date(2026, 1, 1), validity_months=None)  # never expires
    passed(learner, datetime.date(2026, 6, 1), validity_months=36)  # years away

    assert "Sent 0 reminders." in run()


def test_renewing_gives_a_new_expiry_and_new_reminders(learner):
    row = passed(learner, datetime.date(2024, 3, 1), validity_months=36)
    run()
    row.passed_on = datetime.date(2025, 3, 1)  # renewed early: expires 1 Mar 2028
    row.save()

    run(datetime.date(2027, 12, 2))

    assert ReminderSent.objects.count() == 2
    assert {r.event_date for r in ReminderSent.objects.all()} == {
        datetime.date(2027, 3, 1),
        datetime.date(2028, 3, 1),
    }


def test_each_learner_gets_only_their_own_reminders(learner, other_learner):
    booked(learner, 7, name="Mine")
    booked(other_learner, 3, name="Theirs")

    run()

    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert "Mine" in by_recipient["learner@example.com"]
    assert "Theirs" in by_recipient["other@example.com"]


def test_inactive_learners_and_draft_certifications_get_nothing(learner, other_learner):
    other_learner.is_active = False
    other_learner.save()
    booked(other_learner, 7)
    booked(learner, 7, status="draft")

    assert "Sent 0 reminders." in run()


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one recipient (a full mailbox, say) and takes the rest."""

    refused = "learner@example.com"

    def send_messages(self, messages):
        if any(self.refused in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({self.refused: (552, b"Mailbox full")})
        return super().send_messages(messages)


class DownBackend(locmem.EmailBackend):
    """A mail server that does not answer: every connection attempt fails (after
    EMAIL_TIMEOUT, 10 s, in real life)."""

    attempts = 0

    def open(self):
        DownBackend.attempts += 1
        raise TimeoutError("timed out")

    def send_messages(self, messages):
        self.open()


def test_a_failed_send_is_not_recorded_and_is_retried(learner, other_learner, settings):
    booked(learner, 7)
    booked(other_learner, 7)
    settings.EMAIL_BACKEND = "tests.certifications.test_reminders.RefusingBackend"

    # One refused address does not stop the others.
    assert reminders_send(today=TODAY) == (1, 1)
    assert [m.to for m in mail.outbox] == [["other@example.com"]]
    assert [r.user for r in ReminderSent.objects.all()] == [other_learner]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send(today=TODAY) == (1, 0)
    assert [m.to for m in mail.outbox] == [["other@example.com"], ["learner@example.com"]]


def test_with_the_mail_server_down_the_run_tries_once_and_everything_waits(
    learner, other_learner, settings
):
    for days in (5, 6, 7):
        booked(learner, days)
    booked(other_learner, 7)
    settings.EMAIL_BACKEND = "tests.certifications.test_reminders.DownBackend"
    DownBackend.attempts = 0
    out = StringIO()

    # The run fails (exit status 1, which cron and systemd report), saying what waits.
    with pytest.raises(CommandError, match=r"^4 could not be sent; retried next run\.$"):
        call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)

    # One wait for the server, not one per reminder (4 x EMAIL_TIMEOUT).
    assert DownBackend.attempts == 1
    assert out.getvalue() == "Sent 0 reminders.\n"
    assert not ReminderSent.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Sent 4 reminders." in run()


def test_the_log_counts_one_waiting_reminder_in_the_singular(learner, settings, caplog):
    booked(learner, 7)
    settings.EMAIL_BACKEND = "tests.certifications.test_reminders.DownBackend"

    assert reminders_send(today=TODAY) == (0, 1)

    assert "Mail server did not answer; 1 reminder wait: timed out" in caplog.messages


def test_a_reminder_recorded_by_a_concurrent_run_is_not_sent_again(learner):
    row = booked(learner, 7)
    due = due_reminders(today=TODAY)
    assert len(due) == 1
    with transaction.atomic():
        ReminderSent.objects.create(
            user=learner, certification=row.certification, kind="exam_7d", event_date=row.exam_date
        )

    # The unique constraint refuses the duplicate row, so nothing is sent.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("certifications.reminders.due_reminders", lambda today: due)
        assert reminders_send(today=TODAY) == (0, 0)
    assert mail.outbox == []


def test_due_reminders_cost_three_queries(learner, django_assert_num_queries):
    for days in range(1, 8):
        booked(learner, days)
    passed(learner, datetime.date(2026, 2, 1))
    # 1: booked rows with user and certification; 2: expiring passes; 3: reminders sent.
    with django_assert_num_queries(3):
        assert len(due_reminders(today=TODAY)) == 8


def test_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "1 December")


def test_command_has_help():
    from certifications.management.commands.send_reminders import Command

    assert "90 and 30" in Command.help


@pytest.mark.parametrize("address", ["unconfirmed", "missing"])
def test_an_address_never_confirmed_gets_no_reminder(learner, address):
    if address == "unconfirmed":
        confirm(learner, verified=False)
    else:
        EmailAddress.objects.filter(user=learner).delete()  # made by an editor, say
    booked(learner, 7)

    assert "Sent 0 reminders." in run()
    assert mail.outbox == []

    confirm(learner)
    assert "Sent 1 reminder." in run()


def test_the_dashboard_asks_to_confirm_the_address_reminders_need(client, learner):
    client.force_login(learner)
    confirmed = client.get(reverse("dashboard")).content.decode()
    confirm(learner, verified=False)
    unconfirmed = client.get(reverse("dashboard")).content.decode()

    assert "only to a confirmed address" not in confirmed
    assert "only to a confirmed address" in unconfirmed
    assert f'href="{reverse("account_email")}">Confirm learner@example.com</a>' in unconfirmed


def test_a_pass_whose_renewal_is_booked_still_gets_its_expiry_reminder(learner):
    row = passed(learner, datetime.date(2025, 12, 20))  # expires 20 Dec 2026, in 19 days
    row.status, row.exam_date = "booked", datetime.date(2026, 12, 15)
    row.save()

    assert [r.kind for r in due_reminders(today=TODAY)] == [ReminderSent.Kind.EXPIRY_30D]


def test_a_retired_certifications_expiry_email_names_the_exam_that_replaced_it(learner):
    _career, retired, successor = career_on_a_renamed_exam()
    retired.validity_months = 12
    retired.save()
    # Expires 15 Jan 2027, 45 days after 1 Dec 2026.
    CertificationProgress.objects.create(
        user=learner, certification=retired, status="passed", passed_on=datetime.date(2026, 1, 15)
    )

    run()

    # The subject tells the retired exam from its namesake that replaced it, as the body does.
    assert mail.outbox[0].subject == (
        "[CareerPortal] Your Microsoft Azure AI Fundamentals (AI-900) certification "
        "expires in 45 days"
    )
    body = mail.outbox[0].body
    assert (
        "Microsoft Azure AI Fundamentals (AI-900) certification expires on 15 January 2027" in body
    )
    assert "renew it by taking Microsoft Azure AI Fundamentals (AI-901)" in body
    assert f"The exam to book: {settings.SITE_URL}{successor.get_absolute_url()}" in body
    assert "Plan your renewal" in body


@pytest.mark.parametrize("through", ["own", "replacement"])
def test_an_expiry_email_does_not_ask_to_plan_a_renewal_already_booked(learner, through):
    _career, retired, successor = career_on_a_renamed_exam()
    if through == "own":
        retired.status, retired.successor = "published", None
    retired.validity_months = 12
    retired.save()
    exam_day = datetime.date(2027, 1, 10)
    CertificationProgress.objects.create(
        user=learner,
        certification=retired,
        status="booked" if through == "own" else "passed",
        exam_date=exam_day if through == "own" else None,
        passed_on=datetime.date(2026, 1, 15),
    )
    if through == "replacement":
        CertificationProgress.objects.create(
            user=learner, certification=successor, status="booked", exam_date=exam_day
        )

    run()

    body = mail.outbox[0].body
    assert "Plan your renewal" not in body
    assert "Your renewal exam is booked for Sunday 10 January 2027. Good luck." in body


def test_no_expiry_email_once_the_exam_that_replaced_it_is_passed(learner):
    _career, retired, successor = career_on_a_renamed_exam()
    retired.validity_months = 12
    retired.save()
    CertificationProgress.objects.create(
        user=learner, certification=retired, status="passed", passed_on=datetime.date(2026, 1, 15)
    )
    CertificationProgress.objects.create(
        user=learner, certification=successor, status="passed", passed_on=datetime.date(2026, 11, 1)
    )

    assert due_reminders(today=TODAY) == []


def test_a_retired_exam_with_no_replacement_is_not_offered_a_renewal(learner):
    # Expires 1 Mar 2027, 90 days after 1 Dec 2026; nothing replaced it.
    passed(learner, datetime.date(2024, 3, 1), validity_months=36, status="retired")

    run()

    body = mail.outbox[0].body
    assert "It was retired with no exam to replace it, so it cannot be renewed" in body
    assert "Plan your renewal" not in body


# The HTML part of a reminder (after its plain text, which stays first and as it was).


def expiring_while(status):
    def make(user):
        row = passed(user, datetime.date(2025, 12, 20))  # expires 20 Dec 2026, in 19 days
        row.status = status
        row.exam_date = datetime.date(2026, 12, 15) if status == "booked" else None
        row.save()

    return make


def retired_and_replaced(user, name="Microsoft Azure AI Fundamentals"):
    _career, retired, _successor = career_on_a_renamed_exam(name)
    retired.validity_months = 12
    retired.save()
    CertificationProgress.objects.create(
        user=user, certification=retired, status="passed", passed_on=datetime.date(2026, 1, 15)
    )


# Each wording a reminder has.
REMINDERS = {
    "exam": lambda user: booked(user, 7, name="Azure AI Engineer", exam_code="AI-102"),
    "expiry": lambda user: passed(user, datetime.date(2024, 3, 1), validity_months=36),
    "expiry, renewal studied": expiring_while("studying"),
    "expiry, renewal booked": expiring_while("booked"),
    "retired, replaced": retired_and_replaced,
    "retired, not replaced": lambda user: passed(
        user, datetime.date(2024, 3, 1), validity_months=36, status="retired"
    ),
}


@pytest.mark.parametrize("reminder", REMINDERS.values(), ids=REMINDERS.keys())
def test_every_reminder_has_an_html_part_saying_what_its_text_says(learner, reminder):
    reminder(learner)

    run()

    (message,) = mail.outbox
    reader = assert_html_says_what_the_text_says(message)
    assert all(href.startswith(settings.SITE_URL + "/") for href in reader.hrefs)
    assert len(reader.hrefs) >= 4  # the certification, the dashboard, stop, settings


def test_a_certification_named_like_a_script_is_escaped_in_a_reminders_html(learner):
    hostile = "<script>alert(1)</script> & Co"
    booked(learner, 7, name=hostile, exam_code="")
    retired_and_replaced(learner, name=hostile)

    run()

    exam, expiry = sorted(mail.outbox, key=lambda message: "exam" not in message.subject)
    assert exam.subject == f"[CareerPortal] Your {hostile} exam is in 7 days"
    assert f"Your {hostile} exam is on Tuesday 8 December 2026" in exam.body
    for message in (exam, expiry):
        html = html_part(message)
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
        reader = assert_html_says_what_the_text_says(message)
        assert hostile in "".join(reader.text)
    assert f"renew it by taking {hostile} (AI-901)" in "".join(read_html(expiry).text)
