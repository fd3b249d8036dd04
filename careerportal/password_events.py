"""What a new password switches off: anything that still opens the learner's data without it.

Changing or resetting a password ends every other session (Django checks a hash of the
password in each), but the private calendar feed URL is a bearer link that outlived it: an
attacker who signed up first with someone's address, or who held a stolen session, kept
reading the owner's exam dates after the owner took the account back. Now a reset, change or
first password switches the feed off; a reset (account recovery) also makes the public page
private, since whoever held the account before may have published it. The learner is told
on the next page what was switched off and that settings can turn it on again.

A password staff set in the admin (or password sign-in they switched off) is account
recovery too, with no allauth signal: the user admin calls `admin_password_set`, and the
staff member is told what was switched off for that learner.
"""

from allauth.account import signals
from allauth.account.adapter import get_adapter
from allauth.core import context
from django.contrib import messages
from django.db import transaction

from certifications.services.account import sharing_switch_off


def _switch_off(request, user, *, public_page: bool) -> None:
    switched_off = sharing_switch_off(user=user, public_page=public_page)
    if switched_off:
        messages.info(
            request,
            f"To keep your account safe with its new password, we switched off "
            f"{' and '.join(f'your {thing}' for thing in switched_off)}. You can switch "
            f"{'it' if len(switched_off) == 1 else 'them'} on again on your Account page.",
        )


def admin_password_set(request, user) -> None:
    """Staff set `user`'s password in the admin, or switched their password sign-in off:
    switch off what a reset does, tell the staff member what that was, and e-mail the owner
    (once the change is saved), as allauth does after a change of their own."""
    _notify_once_saved(
        request, user, "password_set_by_staff", {"has_password": user.has_usable_password()}
    )
    switched_off = sharing_switch_off(user=user, public_page=True)
    if switched_off:
        messages.info(
            request,
            f"As after a password reset, we switched off "
            f"{user.email or user.get_username()}'s {' and '.join(switched_off)}. "
            f"They can switch {'it' if len(switched_off) == 1 else 'them'} on again on their "
            f"Account page.",
        )


def own_password_changed(request, user) -> None:
    """The signed-in user changed their own password: switch off what it does."""
    _switch_off(request, user, public_page=False)


def admin_own_password_changed(request, user) -> None:
    """Staff changed their own password on the admin's form: what allauth's change does."""
    own_password_changed(request, user)
    _notify_once_saved(request, user, "password_changed")


def _notify_once_saved(request, user, name: str, extra=None) -> None:
    """E-mail the owner allauth's notice account/email/<name> once the change is committed
    (never for a change rolled back), as sent by allauth from the request."""

    def send():
        with context.request_context(request):
            get_adapter(request).send_notification_mail(f"account/email/{name}", user, extra)

    transaction.on_commit(send)


def _on_reset(sender, request, user, **kwargs):
    _switch_off(request, user, public_page=True)


def _on_changed_or_set(sender, request, user, **kwargs):
    own_password_changed(request, user)


def connect() -> None:
    signals.password_reset.connect(_on_reset, dispatch_uid="careerportal-password-reset")
    for signal in (signals.password_changed, signals.password_set):
        signal.connect(_on_changed_or_set, dispatch_uid=f"careerportal-{signal!r}")
