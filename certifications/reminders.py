"""Reminder e-mails: exams 7 days ahead, certifications expiring in 90 and 30 days, to
confirmed addresses only (the dashboard asks a learner with an unconfirmed one to confirm it).

Each reminder is recorded in ReminderSent in the same transaction as the e-mail is sent, and
the table's unique constraint (user, certification, kind, event date) makes a second run, or
two runs at once, send nothing twice. Windows rather than exact days, so a missed daily run
still reminds the learner the next day.

A learner who wants none switches them off in account settings, or with the link at the foot
of each reminder, which works without signing in (reminders are read on a phone, where the
learner often is not). The same link goes in the List-Unsubscribe header with
List-Unsubscribe-Post (RFC 8058), so the mail client offers a one-click "Unsubscribe" beside
"Report spam": Gmail and Yahoo ask it of senders of routine mail, and a spam report about a
reminder would also cost the delivery of password resets sent from the same address. Account
e-mails (confirmations, resets) carry no such header: nobody can opt out of those. The
HTML part (emails/reminder_body.html) carries the same link, from the same context.

One SMTP connection carries the whole run. While the mail server is down the run stops at
the first failed connection instead of waiting EMAIL_TIMEOUT for every reminder in turn.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from careerportal import mail
from certifications.models import CertificationProgress, ReminderSent
from certifications.querysets import AddMonths
from certifications.roadmap import (
    BOOKED,
    STUDYING,
    ProgressSnapshot,
    expiry_date,
    next_exam,
    standing,
)
from certifications.timezones import today_in

logger = logging.getLogger(__name__)

EXAM_DAYS_AHEAD = 7
EXPIRY_WINDOWS = [  # (kind, more than N days left, at most M days left)
    (ReminderSent.Kind.EXPIRY_90D, 30, 90),
    (ReminderSent.Kind.EXPIRY_30D, 0, 30),
]


@dataclass(frozen=True)
class Reminder:
    user: object
    certification: object
    kind: str
    event_date: datetime.date
    days_left: int
    # An expiry reminder's renewal: the exam that replaced a retired certification (the one
    # to book), and where the learner is with the renewal ("studying" or "booked", or "").
    replacement: object = None
    renewal_status: str = ""
    renewal_exam_date: datetime.date | None = None

    @property
    def key(self):
        return (self.user.pk, self.certification.pk, self.kind, self.event_date)


def verified_address_exists(prefix: str = ""):
    """Exists(): the user's (at `prefix`) e-mail address is one they confirmed. Reminders go
    only there: an address typed wrongly at sign-up belongs to someone else, who never asked
    for CareerPortal's mail (and whose spam reports would hurt every learner's delivery)."""
    from allauth.account.models import EmailAddress

    return Exists(
        EmailAddress.objects.filter(
            user=OuterRef(f"{prefix}pk"), email__iexact=OuterRef(f"{prefix}email"), verified=True
        )
    )


STOP_SALT = "certifications.reminders.stop"


def stop_token(user) -> str:
    """A signed token naming `user`, for the link that switches their reminders off."""
    return signing.dumps(user.pk, salt=STOP_SALT)


def stop_token_user_id(token: str) -> int | None:
    """The id of the user a stop link was made for, or None when the token is not ours.
    Links never expire: switching one's own reminders off is harmless, and an e-mail read
    months later must still keep its promise."""
    try:
        user_id = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def stop_url(user) -> str:
    return settings.SITE_URL + reverse("reminders-stop", kwargs={"token": stop_token(user)})


def _rows():
    return (
        CertificationProgress.objects.filter(
            user__is_active=True,
            certification__status__in=["published", "retired"],
        )
        .filter(verified_address_exists("user__"))
        .filter(
            Q(user__learner_profile__isnull=True) | Q(user__learner_profile__reminder_emails=True)
        )
        .select_related("user", "user__learner_profile", "certification")
    )


def _learners_today(user, *, today: datetime.date) -> datetime.date:
    """`today` (the site's, UTC) moved to the day it is now where the learner lives: "in 7
    days" in their e-mail counts their days, as their dashboard does."""
    try:
        name = user.learner_profile.time_zone
    except ObjectDoesNotExist:
        return today
    return today + (today_in(name) - timezone.localdate())


def _renewal(row, *, today: datetime.date):
    """(replacement, renewal status, exam date) for an expiring pass, as the dashboard's
    renewals list sees it; None when the learner already holds an exam that replaced it,
    directly or in turn (the one they renewed it through). The replacement is the exam to
    take next: the successor, or the one on offer its chain leads to once that was retired."""
    if row.chain_held:
        return None
    # Joined by with_chain(); None when its chain has no exam on offer.
    successor = next_exam(row.certification, row.certification.chain_exam)
    if successor is None:
        progress, validity = row, row.certification.validity_months
    else:
        progress = ProgressSnapshot(
            row.successor_status or "", row.successor_exam_date, row.successor_passed_on
        )
        validity = successor.validity_months
    renewal = standing(progress, validity_months=validity, today=today)
    if successor is not None and renewal.held:
        return None
    if renewal.state not in (STUDYING, BOOKED):
        return successor, "", None
    return successor, renewal.state, renewal.exam_date


def due_reminders(*, today: datetime.date) -> list[Reminder]:
    """Reminders due on `today` that were not sent yet (three queries)."""
    due = []
    # Learners' days run up to a day either side of UTC's: the queries take a day more each
    # way, and each row is judged on its learner's own today.
    day = datetime.timedelta(days=1)
    exams = _rows().filter(
        status="booked",
        exam_date__gt=today - day,
        exam_date__lte=today + datetime.timedelta(days=EXAM_DAYS_AHEAD) + day,
    )
    for row in exams:
        days = (row.exam_date - _learners_today(row.user, today=today)).days
        if 0 < days <= EXAM_DAYS_AHEAD:
            kind = ReminderSent.Kind.EXAM_7D
            due.append(Reminder(row.user, row.certification, kind, row.exam_date, days))
    longest = max(upper for _, _, upper in EXPIRY_WINDOWS)
    # The learner's row on the exam to take next: a retired certification is renewed by it.
    on_successor = CertificationProgress.objects.filter(
        user=OuterRef("user"), certification=OuterRef("next_exam_id")
    )
    expiring = (
        _rows()
        # Any recorded pass: it still holds while the learner studies for or books the renewal.
        .filter(passed_on__isnull=False, certification__validity_months__isnull=False)
        .select_related("certification__successor")
        .with_chain(today=today)
        .annotate(
            expires_on=AddMonths(models.F("passed_on"), "certification__validity_months"),
            successor_status=Subquery(on_successor.values("status")[:1]),
            successor_exam_date=Subquery(on_successor.values("exam_date")[:1]),
            successor_passed_on=Subquery(on_successor.values("passed_on")[:1]),
        )
        .filter(
            expires_on__gt=today - day,
            expires_on__lte=today + datetime.timedelta(days=longest) + day,
        )
    )
    for row in expiring:
        learners_today = _learners_today(row.user, today=today)
        # Recomputed in Python so the date matches the dashboard to the day.
        expires_on = expiry_date(row.passed_on, row.certification.validity_months)
        days = (expires_on - learners_today).days
        renewal = _renewal(row, today=learners_today)
        if renewal is None:
            continue
        for kind, above, at_most in EXPIRY_WINDOWS:
            if above < days <= at_most:
                due.append(Reminder(row.user, row.certification, kind, expires_on, days, *renewal))
    due = [r for r in due if r.user.email]
    if not due:
        return []
    sent = set(
        ReminderSent.objects.filter(
            user__in={r.user.pk for r in due}, event_date__gte=today - day
        ).values_list("user_id", "certification_id", "kind", "event_date")
    )
    return [r for r in due if r.key not in sent]


def _message(reminder: Reminder, *, connection) -> EmailMultiAlternatives:
    """The reminder's e-mail: its plain text, then the same words and links in HTML."""
    unsubscribe = stop_url(reminder.user)
    context = {
        "user": reminder.user,
        "certification": reminder.certification,
        "kind": reminder.kind,
        "event_date": reminder.event_date,
        "days_left": reminder.days_left,
        "is_exam": reminder.kind == ReminderSent.Kind.EXAM_7D,
        "certification_url": settings.SITE_URL + reminder.certification.get_absolute_url(),
        "replacement": reminder.replacement,
        "replacement_url": (
            settings.SITE_URL + reminder.replacement.get_absolute_url()
            if reminder.replacement
            else ""
        ),
        "renewal_status": reminder.renewal_status,
        "renewal_exam_date": reminder.renewal_exam_date,
        "dashboard_url": settings.SITE_URL + reverse("dashboard"),
        "settings_url": settings.SITE_URL + reverse("account-settings"),
        "stop_url": unsubscribe,
    }
    subject = mail.subject(
        " ".join(render_to_string("emails/reminder_subject.txt", context).split())
    )
    body = render_to_string("emails/reminder_body.txt", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        to=[reminder.user.email],
        connection=connection,
        headers={
            **mail.headers(),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html = render_to_string("emails/reminder_body.html", {**context, "subject": subject})
    message.attach_alternative(html, "text/html")
    return message


def reminders_send(*, today: datetime.date) -> tuple[int, int]:
    """Send every due reminder once; return (sent, failed). A failed one is retried next run."""
    due = due_reminders(today=today)
    if not due:
        return 0, 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # the mail server is down: nothing recorded, all wait
        logger.error(
            "Mail server did not answer; %d reminder%s wait: %s",
            len(due),
            "s" * (len(due) != 1),
            error,
        )
        return 0, len(due)
    sent = failed = 0
    try:
        for reminder in due:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        user=reminder.user,
                        certification=reminder.certification,
                        kind=reminder.kind,
                        event_date=reminder.event_date,
                    )
                    _message(reminder, connection=connection).send()
            except IntegrityError:
                continue  # another run sent it a moment ago
            except Exception:  # one refused address must not stop the others; row rolled back
                logger.exception("Reminder not sent: %s", reminder.key)
                failed += 1
            else:
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # a server gone mid-run: what was sent is recorded
            logger.warning("The mail server connection did not close cleanly", exc_info=True)
    return sent, failed
