import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from careerportal.account_adapter import normalize_email


class Command(createsuperuser.Command):
    """Django's createsuperuser, except that the e-mail address is required, unused and kept
    in the spelling sign-in looks it up by: the site signs in by address alone (the admin
    included), so an editor made without one, or with another account's, could never sign in."""

    help = (
        "Create an editor: a superuser who signs in (the site's sign-in, which the admin uses) "
        "with the e-mail address given here, one no other account has."
    )

    def handle(self, *args, **options):
        self._database = options["database"]
        given = options["email"]
        if given is None and not options["interactive"]:
            given = os.environ.get("DJANGO_SUPERUSER_EMAIL")
        if given is not None:
            options["email"] = self._sign_in_address(given)
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password:
            # Django checks a typed password but takes this one as it is ("123" made an editor).
            try:
                password_validation.validate_password(password)
            except ValidationError as error:
                raise CommandError(
                    "DJANGO_SUPERUSER_PASSWORD: " + " ".join(error.messages)
                ) from error
        super().handle(*args, **options)
        if not options["interactive"] and not password:
            username = options.get(self.UserModel.USERNAME_FIELD) or os.environ.get(
                "DJANGO_SUPERUSER_USERNAME", ""
            )
            self.stdout.write(
                f"{username} has no password (DJANGO_SUPERUSER_PASSWORD was not set), so cannot "
                f"sign in until one is set: manage.py changepassword {username}"
            )

    def get_input_data(self, field, message, default=None):
        value = super().get_input_data(field, message, default)
        if field.name != "email" or value is None:
            return value
        try:
            return self._sign_in_address(value)
        except CommandError as error:
            self.stderr.write(f"Error: {error}")
            return None  # Django's command asks again

    def _sign_in_address(self, value: str) -> str:
        email = normalize_email(value)
        if not email:
            raise CommandError("Editors sign in with their e-mail address: give one.")
        users = get_user_model()._default_manager.db_manager(self._database)
        if (
            users.filter(email__iexact=email).exists()
            or EmailAddress.objects.using(self._database).filter(email__iexact=email).exists()
        ):
            raise CommandError(
                f"Another account signs in with {email}: give another address, or make that "
                "account an editor in the admin."
            )
        return email
