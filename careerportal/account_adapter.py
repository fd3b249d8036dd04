"""allauth's account adapter: its e-mails sign off as CareerPortal with the site's address
(templates/account/email/base_message.txt), and a mail server that fails does not fail the page.

allauth sends its e-mails inside the request. With the mail server down, signing up answered
a server error after the account was made (so signing up again said the address was taken),
and asking for a password reset answered one too. Now the page goes on, a message says which
e-mail did not go and what to do, and the failure is logged.
"""

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib import messages

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
}
OTHER = "We could not send you an e-mail just now: our mail server did not answer."


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        context_ = {**context_, "site_url": settings.SITE_URL}
        try:
            super().send_mail(template_prefix, email, context_)
        except (smtplib.SMTPException, OSError) as error:
            name = template_prefix.rsplit("/", 1)[-1]
            logger.error("E-mail %s not sent: %s", name, error)
            messages.error(context.request, NOT_SENT.get(name, OTHER))
