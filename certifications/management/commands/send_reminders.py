import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from careerportal.management.commands.backup_db import refuse_an_empty_database
from certifications.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail learners about exams 7 days ahead and certifications expiring in 90 and 30 "
        "days; never sends the same reminder twice. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Treat this day (YYYY-MM-DD) as today; default: today (UTC)."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be a day written YYYY-MM-DD.") from None
        refuse_an_empty_database(connection, nothing="no reminders sent")
        sent, failed = reminders_send(today=today)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder{'s' * (sent != 1)}."))
        if failed:
            # A non-zero exit, so that cron mails it and a systemd timer's unit shows failed:
            # with the mail server down every run would otherwise succeed and send nothing.
            raise CommandError(f"{failed} could not be sent; retried next run.")
