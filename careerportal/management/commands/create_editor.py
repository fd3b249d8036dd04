from django.core.management.base import CommandError
from django.db import transaction
from django.db.models.signals import post_save

from careerportal.editors import EDITORS_GROUP, editors_group
from careerportal.management.commands import createsuperuser


class Command(createsuperuser.Command):
    """createsuperuser's questions and checks (an e-mail address the editor can sign in
    with, the site's password rules, the same DJANGO_SUPERUSER_* variables with --noinput),
    making a staff member in the Editors group instead of a superuser: content only, no
    accounts or learners' progress (careerportal/editors.py)."""

    help = (
        "Create an editor who is not a superuser: staff in the Editors group, who signs in "
        "(the site's sign-in, which the admin uses) with the e-mail address given here and "
        "edits the content, not accounts or learners' progress."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Django's help for --username and --noinput speaks of the superuser it makes.
        for action in parser._actions:
            if action.help:
                action.help = action.help.replace("superuser", "editor").replace(
                    "Superusers", "Editors"
                )

    def handle(self, *args, **options):
        database = options["database"]
        group = editors_group(using=database)
        if group is None:
            raise CommandError(
                f"There is no {EDITORS_GROUP} group on this database yet: run "
                "`manage.py migrate`, which makes it, then this command again."
            )
        made = []

        def account_made(sender, instance, created, **kwargs):
            if created:
                made.append(instance)

        # The account Django's command makes, not one looked up by the username given: that
        # may be another's (Django then asks for one more), or Django made none (no terminal).
        post_save.connect(account_made, sender=self.UserModel, weak=False)
        try:
            with transaction.atomic(using=database):
                # Django's says "Superuser created": its line is left out, this one's said.
                super().handle(*args, **{**options, "verbosity": 0})
                if not made:  # Django skipped it: no terminal to ask at, and said so
                    return
                editor = made[0]
                editor.is_superuser = False
                editor.save(update_fields=["is_superuser"])
                editor.groups.add(group)
        finally:
            post_save.disconnect(account_made, sender=self.UserModel)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Editor created successfully: {editor.get_username()}, in the {EDITORS_GROUP} "
                "group (content only: not a superuser)."
            )
