"""allauth's account adapter: its e-mails sign off as CareerPortal with the site's address
(templates/account/email/base_message.txt), and a mail server that fails does not fail the page.
Learners never choose a username, so allauth names an account by its e-mail address
(`user_display`, ACCOUNT_USER_DISPLAY), not by the username it derived from that address.

allauth sends its e-mails inside the request. With the mail server down, signing up answered
a server error after the account was made (so signing up again said the address was taken),
and asking for a password reset answered one too. Now the page goes on, a message says which
e-mail did not go and what to do, and the failure is logged.

An address is kept in one spelling (`normalize_email`), so that one mailbox is one account.

Every link in these e-mails is built on SITE_URL, as the reminders' are: allauth builds them on
the host the request came in by, which may be any name DJANGO_ALLOWED_HOSTS allows (a "www."
alias, an internal name), and a reset link should not depend on which of them was used.

Each e-mail has an HTML part beside its text: allauth renders `<name>_message.html` (in the
shared layout, templates/emails/layout.html) from the same context as `<name>_message.txt`.
"""

import contextlib
import ipaddress
import logging
import re
import unicodedata
import zoneinfo
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.utils import get_next_redirect_url
from allauth.core import context
from allauth.core.internal.httpkit import clean_client_ip
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from careerportal import address_release, confirmation_next, mail
from certifications.timezones import canonical_name, is_time_zone

logger = logging.getLogger("careerportal.mail")

CONFIRMATION = (
    "We could not send the e-mail that confirms your address: our mail server did not answer. "
    "In a few minutes, ask for it again from your e-mail settings."
)
RESET = (
    "We could not send the password reset e-mail: our mail server did not answer. "
    "Please ask again in a few minutes."
)
# By allauth's template name (account/email/<name>_subject.txt): what the learner was waiting for.
NOT_SENT = {
    "email_confirmation_signup": CONFIRMATION,
    "email_confirmation": CONFIRMATION,
    "account_already_exists": CONFIRMATION,  # the same words as a new address: no enumeration
    "password_reset_key": RESET,
    "unknown_account": RESET,
    "password_reset_unconfirmed": RESET,
}
OTHER = "We could not send you an e-mail just now: our mail server did not answer."
NOT_SENT["password_set_by_staff"] = (
    "We could not e-mail the learner that their password was set: our mail server did not answer."
)
TAKEN = (
    "This e-mail address belongs to another account, so it cannot be confirmed for this one. "
    "If it is yours, sign in to that account (or reset its password)."
)


def normalize_email(address: str) -> str:
    """The one spelling of an address that the site keeps and looks accounts up by: lower
    case, composed (NFC), and an internationalised domain in its own letters. "user@bücher.de"
    typed with "u" and a combining diaeresis, or as its DNS form "user@xn--bcher-kva.de", is the
    same mailbox, which had been three accounts. Anything that is not an address is returned
    as it came (lower case), for the form's own check to refuse."""
    address = unicodedata.normalize("NFC", address.strip()).lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    labels = []
    for label in domain.split("."):
        if label.startswith("xn--"):
            # Not a valid DNS label: kept, and the address check refuses it.
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return f"{local}@{unicodedata.normalize('NFC', '.'.join(labels))}"


def on_site_url(url: str) -> str:
    """An absolute URL of ours moved onto SITE_URL (scheme and host), path and query kept."""
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return url
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{settings.SITE_URL}{parts.path}{query}{fragment}"


def learner_time_zone(user) -> str:
    """The zone the account's owner counts days in (account settings), else UTC."""
    profile = getattr(user, "learner_profile", None)
    name = profile.time_zone if profile else ""
    return canonical_name(name) if is_time_zone(name) else "UTC"


def user_display(user) -> str:
    """How allauth's messages and e-mails name an account ("signed in as ..."): its address;
    a staff account made without one by its username, which someone did choose."""
    return user.email or user.get_username()


def belongs_to_another_account(email: str, user) -> bool:
    """Whether an account other than `user` signs in with `email` or has added it.

    allauth lets an address that is still unconfirmed sit on two accounts and gives it to the
    first that confirms it. Here a learner who had not yet confirmed her own address could be
    sent a link that moved it to someone else's account, whose password it then opened.
    """
    others = get_user_model().objects.exclude(pk=user.pk)
    return (
        others.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
    )


def holder_of(email: str):
    """The account that has `email` as an address or signs in with it, or None."""
    row = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if row is not None:
        return row.user
    return get_user_model().objects.filter(email__iexact=email).first()


def release_context(user, email: str) -> dict:
    """What the e-mails offering to take `email` off `user`'s account need."""
    return {
        "release_url": settings.SITE_URL + address_release.release_path(user, email),
        "release_days": address_release.link_days(),
    }


def reset_may_go_to(user, email: str) -> bool:
    """Whether a password reset link for `user`'s account may be sent to `email`: an address
    the account confirmed, or its only address (one query).

    allauth sends one to any address on the account. With verification optional, someone could
    sign up with another's address, add and confirm one of their own, and wait: the address's
    owner, told at sign-up that it is taken, resets the password, moves in, and the squatter
    later resets through their own address and reads everything. Neither address proves more
    than the other, but the confirmed one was at least shown to be read by the account's
    user; the other gets an e-mail saying why no link came."""
    rows = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    wanted = email.lower()
    if any(verified and address.lower() == wanted for address, verified in rows):
        return True
    addresses = {address.lower() for address, _ in rows} | {(user.email or "").lower()}
    return addresses - {"", wanted} == set()


UNUSUAL_ADDRESS = (
    "Enter your address as name@example.com: an address with its name in quotes, or at a "
    "number in brackets instead of a domain name, cannot be used here."
)


# A rate's period as allauth writes it: "m", "5m", "1h", "30s", "d".
_PERIOD = re.compile(r"^(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def longest_wait(rates: str) -> str:
    """The longest period of allauth's rates ("10/m/ip,5/5m/key"), in words ("5 minutes"):
    how long a refused sign-in waits at most before it is counted afresh."""
    seconds = 0
    for rate in filter(None, rates.split(",")):
        parts = rate.strip().split("/")
        match = _PERIOD.match(parts[1]) if len(parts) > 1 else None
        if match:
            seconds = max(seconds, int(match[1] or 1) * _SECONDS[match[2]])
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    minutes = max(-(-seconds // 60), 1)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's "A user is already registered with this email address." left the owner of the
    # address with no next step; a reset through it also finds the way to take it back when
    # someone else signed up with it (careerportal/address_release.py).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The site spells it "e-mail" (allauth: "The email address and/or password ...").
        "email_password_mismatch": (
            "The e-mail address and/or password you specified are not correct."
        ),
        "email_taken": (
            "An account already uses this e-mail address. If it is yours, sign in, or choose a "
            "new password through “Forgot your password?” on the sign-in page."
        ),
        # allauth: "This email address is already associated with this account."
        "duplicate_email": "This e-mail address is on your account already.",
        # allauth: "Please type your current password.", to a learner who had typed one.
        "enter_current_password": "That is not your current password.",
    }

    def validation_error(self, code, *args) -> ValidationError:
        """allauth's errors, with the sign-in lockout saying how long it lasts and what to do
        meanwhile: "Try again later" left a learner retrying blind, each try counting again."""
        if code == "too_many_login_attempts":
            wait = longest_wait(settings.ACCOUNT_RATE_LIMITS.get("login_failed", ""))
            return ValidationError(
                f"Too many failed login attempts. Wait {wait} before trying again, or choose "
                "a new password through “Forgot your password?”.",
                code=code,
            )
        return super().validation_error(code, *args)

    def get_client_ip(self, request) -> str:
        """The visitor's address, which the sign-in, sign-up and reset limits count by and the
        account e-mails name: allauth's (the X-Forwarded-For entry the farthest of the
        TRUSTED_PROXY_COUNT proxies appended). A request that came round an outer proxy to the
        nearest one carries fewer entries than that; allauth raised ImproperlyConfigured, a
        server error on every sign-in, sign-up and reset of such a visitor. Its first entry,
        which the proxy it did pass appended, names it instead.

        An IPv4 address written as IPv6 (::ffff:203.0.113.7, as a dual-stack socket reports
        IPv4 visitors) is given as the IPv4 address: the limits count an IPv6 address by its
        /64, which is "::" for every one of those, so all IPv4 visitors shared one count."""
        count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
        forwarded = request.headers.get("x-forwarded-for", "")
        entries = forwarded.split(",")
        if forwarded and len(entries) < count:
            ip = clean_client_ip(entries[0])
            if not ip:
                raise PermissionDenied("Unable to determine client IP address")
        else:
            ip = super().get_client_ip(request)
        address = ipaddress.ip_address(ip)  # clean_client_ip let only addresses through
        mapped = address.ipv4_mapped if address.version == 6 else None
        return str(mapped) if mapped else ip

    def clean_email(self, email: str) -> str:
        """Every address a learner types to sign up, add or reset, in the spelling kept; one
        with its name in quotes ("alice"@example.com, alice@example.com's mailbox under a
        second spelling) or at an address in brackets (someone@[10.0.0.5], which had the mail
        server connect to whatever machine that names) is refused."""
        email = normalize_email(super().clean_email(email))
        local, _at, domain = email.rpartition("@")
        if local.startswith('"') or domain.startswith("["):
            raise ValidationError(UNUSUAL_ADDRESS, code="unusual_address")
        return email

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """allauth's link, carrying the page the learner signed up (or signed in) from, for a
        browser that did not sign up to be led there (careerportal/confirmation_next.py)."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        path = get_next_redirect_url(request) if request is not None else None
        return url + confirmation_next.link_query(emailconfirmation.email_address, path)

    def confirm_email(self, request, email_address) -> bool:
        """Confirm an address only for the one account that holds it."""
        if belongs_to_another_account(email_address.email, email_address.user):
            messages.error(request, TAKEN)
            return False
        return super().confirm_email(request, email_address)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        """allauth's notice that the account changed (ACCOUNT_EMAIL_NOTIFICATIONS): its password
        or its addresses, with when (in the owner's own time zone), from which browser and
        address, and what to do if it was not them."""
        zone_name = learner_time_zone(user)
        changed_at = timezone.localtime(timezone=zoneinfo.ZoneInfo(zone_name))
        super().send_notification_mail(
            template_prefix,
            user,
            {
                "changed_at": dateformat.format(changed_at, "l j F Y, H:i"),
                "time_zone": zone_name,
                **(context or {}),
            },
            email,
        )

    def send_password_reset_mail(self, user, email: str, context_: dict) -> None:
        """The reset link, where `reset_may_go_to` allows it; else an e-mail saying why none."""
        if reset_may_go_to(user, email):
            super().send_password_reset_mail(user, email, context_)
        else:
            self.send_mail(
                "account/email/password_reset_unconfirmed",
                email,
                {"user": user, **release_context(user, email)},
            )

    def send_account_already_exists_mail(self, email: str) -> None:
        """allauth's "an account already uses this address" e-mail, which offers a reset. When
        the account holding the address would send no reset link to it (`reset_may_go_to`),
        it offers the link that takes the address off that account instead."""
        user = holder_of(email)
        if user is not None and not reset_may_go_to(user, email):
            context_ = {"user": user, **release_context(user, email)}
            self.send_mail("account/email/account_already_exists", email, context_)
            return
        super().send_account_already_exists_mail(email)

    def render_mail(self, template_prefix, email, context_, headers=None):
        """allauth's e-mail, with the site's Message-ID (careerportal/mail.py). allauth adds
        `<prefix>_message.html` as the HTML part, which is titled with the subject."""
        subject = render_to_string(f"{template_prefix}_subject.txt", context_)
        context_ = {
            **context_,
            "subject": self.format_email_subject(" ".join(subject.splitlines()).strip()),
        }
        return super().render_mail(
            template_prefix, email, context_, {**mail.headers(), **(headers or {})}
        )

    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        links = {
            key: on_site_url(value)
            for key, value in context_.items()
            if key.endswith("_url") and isinstance(value, str)
        }
        context_ = {
            **context_,
            **links,
            "site_url": settings.SITE_URL,
            # How long a reset link works (Django's token, PASSWORD_RESET_TIMEOUT: 3 days).
            "reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        try:
            super().send_mail(template_prefix, email, context_)
        except OSError as error:  # smtplib's SMTPException is one too
            name = template_prefix.rsplit("/", 1)[-1]
            logger.error("E-mail %s not sent: %s", name, error)
            messages.error(context.request, NOT_SENT.get(name, OTHER))
