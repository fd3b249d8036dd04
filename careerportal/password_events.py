"""What a new password switches off: anything that still opens the learner's data without it.

Changing or resetting a password ends every other session (Django checks a hash of the
password in each), but the private calendar feed URL is a bearer link that outlived it: an
attacker who signed up first with someone's address, or who held a stolen session, kept
reading the owner's exam dates after the owner took the account back. Now a reset, change or
first password switches the feed off; a reset (account recovery) also makes the public page
private, since whoever held the account before may have published it. The learner is told
on the next page what was switched off and that settings can turn it on again.
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
            f"{' and '.join(switched_off)}. You can switch "
            f"{'it' if len(switched_off) == 1 else 'them'} on again on your Account page.",
        )


def _on_reset(sender, request, user, **kwargs):
    _switch_off(request, user, public_page=True)


def _on_changed_or_set(sender, request, user, **kwargs):
    _switch_off(request, user, public_page=False)


def connect() -> None:
    signals.password_reset.connect(_on_reset, dispatch_uid="careerportal-password-reset")
    for signal in (signals.password_changed, signals.password_set):
        signal.connect(_on_changed_or_set, dispatch_uid=f"careerportal-{signal!r}")
