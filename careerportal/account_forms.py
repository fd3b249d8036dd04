"""Forms for the account pages beyond allauth (plan and sharing, deletion) and the one
allauth form we change: adding an e-mail address."""

import re

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms

from careerportal.account_adapter import belongs_to_another_account, normalize_email
from certifications.models import LearnerProfile
from certifications.timezones import time_zone_choices


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = LearnerProfile
        fields = [
            "handle",
            "is_public",
            "weekly_hours",
            "target_date",
            "time_zone",
            "reminder_emails",
        ]
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
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}

    handle = forms.RegexField(
        regex=re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", re.IGNORECASE | re.ASCII),
        max_length=40,
        required=False,
        strip=True,
        label="Handle",
        help_text="Letters, digits and hyphens; your page will be /u/your-handle/.",
        error_messages={
            "invalid": "Use 1-40 letters, digits or hyphens, not starting or ending with a hyphen.",
            # The model's uniqueness check runs first; it speaks as the service does.
            "unique": "That handle is taken.",
        },
    )
    weekly_hours = forms.IntegerField(
        min_value=1,
        max_value=168,
        required=False,
        label="Study hours per week",
        help_text="Used to project when you will finish.",
    )

    time_zone = forms.ChoiceField(
        required=False,
        label="Time zone",
        help_text=(
            "Pass dates, exam countdowns and renewals count days in this zone. "
            "Your browser's zone is chosen for you when none is saved."
        ),
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(time_zone_choices())
        saved = self.instance.time_zone
        if saved and saved not in dict(choices):  # a legacy alias a browser once reported
            choices.append((saved, saved))
        self.fields["time_zone"].choices = choices
        self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = ""

    def clean_handle(self):
        return (self.cleaned_data.get("handle") or "").lower() or None

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


class AddEmailForm(AllauthAddEmailForm):
    """allauth's form, refusing an address another account has: allauth would add it here
    unconfirmed and let whichever account confirms it first take it over. Sign-up already
    says when an address is taken, so saying it here tells nobody anything new."""

    def clean_email(self):
        email = super().clean_email()
        if belongs_to_another_account(email, self.user):
            raise forms.ValidationError(
                "This e-mail address belongs to another account.", code="email_taken"
            )
        return email


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, reading the address in the spelling accounts are kept in (an
    address typed decomposed, or with its domain in DNS form, finds its account)."""

    def clean_login(self):
        return normalize_email(super().clean_login())
