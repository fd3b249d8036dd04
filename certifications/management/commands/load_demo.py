from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from careerportal.management.commands.backup_db import refuse_an_empty_database
from careers.models import Career, Employer, SalaryFigure
from certifications.demo import DEFAULT_PATH, DemoContentError, demo_load
from certifications.models import Certification, Provider


class Command(BaseCommand):
    help = (
        "Load the demo careers, certifications, providers and employers from fixtures/ "
        "(idempotent: a second run creates and changes nothing; objects that already exist "
        "keep editors' changes unless --refresh is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_PATH), help="Folder of data files.")
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Put existing demo objects back to the files' values (undoes editors' edits).",
        )

    def handle(self, *args, **options):
        refuse_an_empty_database(connection, nothing="no demo content loaded")
        try:
            summary = demo_load(path=options["path"], refresh=options["refresh"])
        except DemoContentError as exc:
            raise CommandError(f"Demo content not loaded: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {Career.objects.count()} careers "
                f"({Career.objects.published().count()} published), "
                f"{Certification.objects.count()} certifications from "
                f"{Provider.objects.count()} providers, {Employer.objects.count()} employers, "
                f"{SalaryFigure.objects.count()} salary figures."
            )
        )
        verdict = "Changes this run" if summary.changed else "Already up to date"
        self.stdout.write(self.style.SUCCESS(f"{verdict}: {summary.line()}"))
