"""Forms for the account pages beyond allauth (plan and sharing, deletion) and the allauth
forms we change: adding an e-mail address, signing in and signing up."""

import datetime
import hashlib
import re

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import EmailAddress, Login
from allauth.account.utils import get_next_redirect_url, has_verified_email
from allauth.core import context
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, router, transaction
from django.utils import timezone

from careerportal.account_adapter import belongs_to_another_account, normalize_email
from careerportal.dates import DayField, DayInput
from certifications.forms import WeeklyHoursField
from certifications.models import LearnerProfile
from certifications.services.account import SETTINGS_SHOWN, settings_seen
from certifications.timezones import canonical_name, time_zone_choices

# Handles a visitor would take for the site's or its staff's own page (/u/admin/, /u/support/).
RESERVED_HANDLES = frozenset(
    [
        "abuse",
        "admin",
        "administrator",
        "careerportal",
        "career-portal",
        "contact",
        "editor",
        "editors",
        "help",
        "helpdesk",
        "hostmaster",
        "info",
        "moderator",
        "no-reply",
        "noreply",
        "official",
        "postmaster",
        "root",
        "security",
        "staff",
        "support",
        "sysadmin",
        "system",
        "team",
        "webmaster",
    ]
)


def speaks_for_the_site(handle: str | None) -> bool:
    return bool(handle) and (handle in RESERVED_HANDLES or handle.startswith("careerportal"))


class TimeZoneField(forms.ChoiceField):
    """A zone from the list; an old name of one ("Asia/Calcutta", sent by a page from before
    the list dropped it) is read as the listed name ("Asia/Kolkata")."""

    def to_python(self, value):
        return canonical_name(super().to_python(value))


class HandleField(forms.RegexField):
    """A handle: one message for each refusal. One over 40 characters (the browser's
    maxlength bypassed) was told at once that it was too long and which letters to use,
    though 41 plain letters broke only the first rule; the length is said, alone."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = LearnerProfile
        fields = list(SETTINGS_SHOWN)  # each of them in the stale-tab check's digest
        labels = {
            "is_public": "Share my progress on a public page",
            "reminder_emails": "E-mail me reminders",
            "target_date": "Target date",
        }
        help_texts = {
            "is_public": (
                "Shows your followed careers, progress and passed certifications. "
                "Never your notes or e-mail address."
            ),
            "target_date": "When you aim to finish your roadmap.",
            "reminder_emails": (
                "A week before a booked exam, and 90 and 30 days before a certification expires."
            ),
        }
        widgets = {"target_date": DayInput()}
        field_classes = {"target_date": DayField}

    handle = HandleField(
        regex=re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", re.IGNORECASE | re.ASCII),
        max_length=40,
        required=False,
        strip=True,
        label="Handle",
        help_text="Letters a-z, digits and hyphens; your page will be /u/your-handle/.",
        error_messages={
            # "émile" was told to use letters: say which ones an address may hold.
            "invalid": (
                "Use 1-40 letters a-z (without accents), digits or hyphens, not starting or "
                "ending with a hyphen."
            ),
            # The model's uniqueness check runs first; it speaks as the service does.
            "unique": "That handle is taken.",
            "max_length": "A handle has at most 40 characters; this one has %(show_value)d.",
        },
    )
    weekly_hours = WeeklyHoursField(
        label="Study hours per week", help_text="Used to project when you will finish."
    )

    time_zone = TimeZoneField(
        required=False,
        label="Time zone",
        help_text=(
            "Pass dates, exam countdowns and renewals count days in this zone. "
            "Your browser's zone is chosen for you when none is saved."
        ),
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    # The settings as the page showed them (settings_seen), so that a stale tab's save does
    # not undo a change saved since.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["seen"] = settings_seen(self.instance)
        choices = list(time_zone_choices())
        # A zone saved by an old name ("Asia/Calcutta") shows as its listed one, chosen, and
        # is saved by that name with the form.
        saved = self.initial["time_zone"] = canonical_name(self.instance.time_zone)
        if saved and saved not in dict(choices):  # a legacy name no listed zone stands for
            choices.append((saved, saved))
        self.fields["time_zone"].choices = choices
        self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = ""

    def clean_handle(self):
        handle = (self.cleaned_data.get("handle") or "").lower() or None
        if handle != self.instance.handle and speaks_for_the_site(handle):
            raise forms.ValidationError(
                f"“{handle}” would read as the site's own page; choose another handle.",
                code="reserved",
            )
        return handle

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_public") and not cleaned.get("handle") and "handle" not in self.errors:
            self.add_error("handle", "Choose a handle to share a public page.")
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


# Addresses one account may hold, its sign-up address included: each one added is e-mailed,
# and an account kept every address it added, 10 a minute. (Checked here on adding, rather
# than with allauth's ACCOUNT_MAX_EMAIL_ADDRESSES, which counts them on every view of the
# page as well.)
MAX_EMAIL_ADDRESSES = 5


# The site spells it "e-mail": allauth labels its address fields "Email", with the placeholder
# "Email address" (and Django refuses "a valid email address"), on the sign-up, sign-in,
# password reset and add-address forms.
EMAIL_LABEL = "E-mail address"


class _EmailLabel:
    address_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.address_field)
        if field is not None:
            field.label = EMAIL_LABEL
            field.widget.attrs["placeholder"] = EMAIL_LABEL
            field.error_messages["invalid"] = "Enter a valid e-mail address."
            # Django's field takes 320 characters, the accounts' column 254: allauth cut a
            # longer address to fit and made the account for another one ("…@wal").
            limit = allauth_settings.EMAIL_MAX_LENGTH
            field.max_length = limit
            field.widget.attrs["maxlength"] = str(limit)
            field.validators.append(
                MaxLengthValidator(
                    limit,
                    f"An e-mail address has at most {limit} characters; this one has "
                    "%(show_value)d.",
                )
            )


class AddEmailForm(_EmailLabel, AllauthAddEmailForm):
    """allauth's form, refusing an address another account has: allauth would add it here
    unconfirmed and let whichever account confirms it first take it over. Sign-up already
    says when an address is taken, so saying it here tells nobody anything new. An account
    holds at most MAX_EMAIL_ADDRESSES."""

    def clean_email(self):
        email = super().clean_email()
        if belongs_to_another_account(email, self.user):
            raise forms.ValidationError(
                "This e-mail address belongs to another account.", code="email_taken"
            )
        if EmailAddress.objects.filter(user=self.user).count() >= MAX_EMAIL_ADDRESSES:
            raise forms.ValidationError(
                f"Your account holds {MAX_EMAIL_ADDRESSES} addresses, as many as an account "
                "may: remove one to add another.",
                code="max_email_addresses",
            )
        return email


class LoginForm(_EmailLabel, AllauthLoginForm):
    """allauth's sign-in form, reading the address in the spelling accounts are kept in (an
    address typed decomposed, or with its domain in DNS form, finds its account). "Remember
    Me" says how long: unticked, the session ends when the browser closes."""

    address_field = "login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            days = settings.SESSION_COOKIE_AGE // 86400
            self.fields["remember"].label = f"Keep me signed in for {days} days"

    def clean_login(self):
        return normalize_email(super().clean_login())


# The site's labels are in sentence case, as the sign-up form's: allauth's password forms
# said "Current Password", "New Password" and "New Password (again)".
PASSWORD_LABELS = {
    "oldpassword": "Current password",
    "password1": "New password",
    "password2": "New password (again)",
}


class _PasswordLabels:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = PASSWORD_LABELS.get(name, field.label)


class ChangePasswordForm(_PasswordLabels, AllauthChangePasswordForm):
    def clean(self):
        # The current password typed again changes nothing, yet the change would switch the
        # calendar feed off (its URL in the learner's calendar app stops) and e-mail a warning.
        cleaned = super().clean()
        new = cleaned.get("password1")
        if new and "oldpassword" in cleaned and new == cleaned["oldpassword"]:
            self.add_error(
                "password1",
                "That is your current password: type a new one, or leave this page to keep it.",
            )
        return cleaned


class ResetPasswordKeyForm(_PasswordLabels, AllauthResetPasswordKeyForm):
    pass


class ResetPasswordForm(_EmailLabel, AllauthResetPasswordForm):
    pass


# Tries at a username (allauth draws one from the address, with random digits when taken)
# before a sign-up gives up: each retry follows a concurrent sign-up taking the last one.
USERNAME_DRAWS = 3
# How long a sign-up sent again with the same address and password signs in to the account
# it made, rather than saying the address is taken (SignupForm).
REPEAT_MINUTES = 10
SIGNED_UP_ALREADY = (
    "Your account was made when you first pressed “Sign up”, and you are signed in. "
    "We sent one confirmation e-mail, to {email}."
)


def _lock_address(email: str) -> None:
    """Make sign-ups with `email` wait for each other until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on a hash of the address. SQLite: none is
    needed, the transaction is the only writer (BEGIN IMMEDIATE)."""
    connection = transaction.get_connection(router.db_for_write(get_user_model()))
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _signup_page(request, form):
    """The sign-up page showing `form` with its errors, as allauth's view draws it."""
    from allauth.account.views import SignupView

    view = SignupView()
    view.setup(request)
    return view.form_invalid(form)


class SignupForm(_EmailLabel, AllauthSignupForm):
    """allauth's sign-up form, making one account per address however many requests bring it.

    The form checks that the address is free, and the save comes later: a double-clicked
    "Sign up" passed the check twice and made two accounts for one mailbox (the second under
    random digits, or a server error when both drew the same username), and two people whose
    addresses share the part before the @ drew one username at once and one got a server
    error. The save now locks the address, checks again, and draws another username when a
    concurrent sign-up has just taken the one drawn.

    The same sign-up sent again (a browser without JavaScript whose "Sign up" was pressed twice:
    the browser drops the first answer and shows the second) answers as the first did, rather
    than "An account already uses this e-mail address" about the account it just made: the
    account made in the last REPEAT_MINUTES with that address and password is signed in (or,
    where addresses must be confirmed first, the "check your inbox" page), and no second
    confirmation e-mail goes out. Only the password's holder gets this, checked as signing in
    checks it (the same failed sign-in limit), so it tells nobody more than sign-in does."""

    repeat_of = None  # the account this same sign-up, sent before, made

    def validate_unique_email(self, value):
        # Called while the fields are cleaned (before password1 is) and again under the lock.
        password = self.cleaned_data.get("password1") or self.data.get(self.add_prefix("password1"))
        try:
            email = super().validate_unique_email(value)
        except ValidationError:
            if self._made_by_this_sign_up(value, password):
                return value
            raise
        if self.account_already_exists and self._made_by_this_sign_up(value, password):
            self.account_already_exists = False
        return email

    def _made_by_this_sign_up(self, email: str, password) -> bool:
        """Whether an account made in the last REPEAT_MINUTES holds `email` and `password`
        (then `repeat_of`); a wrong password counts as a failed sign-in."""
        since = timezone.now() - datetime.timedelta(minutes=REPEAT_MINUTES)
        if not password or not isinstance(password, str):
            return False
        fresh = get_user_model().objects.filter(email__iexact=email, date_joined__gte=since)
        fresh_ids = set(fresh.values_list("pk", flat=True))
        if not fresh_ids:
            return False
        try:
            user = get_adapter().authenticate(context.request, email=email, password=password)
        except ValidationError:  # too many failed sign-ins for the address
            return False
        if user is None or user.pk not in fresh_ids:
            return False
        self.repeat_of = user
        return True

    def try_save(self, request):
        if self.repeat_of is not None:
            return self.repeat_of, self._answer_again(request)
        email = self.cleaned_data.get("email")
        if not email or self.account_already_exists:
            return super().try_save(request)
        with transaction.atomic():
            _lock_address(email)
            try:
                self.validate_unique_email(email)  # may set account_already_exists
            except ValidationError as error:
                taken = error
            else:
                if self.repeat_of is None and not self.account_already_exists:
                    return self._save_drawing_usernames(request)
                taken = None
        if self.repeat_of is not None:  # the same sign-up, sent at the same moment, won
            return self.repeat_of, self._answer_again(request)
        if taken is not None:
            self.add_error("email", taken)
            return None, _signup_page(request, self)
        # Taken, where allauth must not say so (mandatory confirmation): its e-mail to the
        # owner goes out after the lock is released.
        return super().try_save(request)

    def _answer_again(self, request):
        """What the first sending of this sign-up answered, with no second e-mail."""
        user, email = self.repeat_of, self.cleaned_data["email"]
        verification = allauth_settings.EMAIL_VERIFICATION
        if verification == allauth_settings.EmailVerificationMethod.MANDATORY and (
            not has_verified_email(user, email)
        ):
            return get_adapter().respond_email_verification_sent(request, user)
        messages.info(request, SIGNED_UP_ALREADY.format(email=email))
        login = Login(
            user=user,
            email_verification=verification,
            redirect_url=get_next_redirect_url(request),
            email=email,
        )
        return perform_login(request, login)

    def _save_drawing_usernames(self, request):
        for _ in range(USERNAME_DRAWS - 1):
            try:
                with transaction.atomic():  # a savepoint: a lost draw leaves the rest usable
                    return super().try_save(request)
            except IntegrityError:
                continue  # the username went to a sign-up that just finished: draw again
        return super().try_save(request)
