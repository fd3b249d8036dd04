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
from django.contrib import messages

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
    switch off what a reset does and tell the staff member what that was."""
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
    """The signed-in user changed their own password somewhere allauth sends no signal (the
    admin's own form): as a change through the Account page."""
    _switch_off(request, user, public_page=False)


def _on_reset(sender, request, user, **kwargs):
    _switch_off(request, user, public_page=True)


def _on_changed_or_set(sender, request, user, **kwargs):
    own_password_changed(request, user)


def connect() -> None:
    signals.password_reset.connect(_on_reset, dispatch_uid="careerportal-password-reset")
    for signal in (signals.password_changed, signals.password_set):
        signal.connect(_on_changed_or_set, dispatch_uid=f"careerportal-{signal!r}")
