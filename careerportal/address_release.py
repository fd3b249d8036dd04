"""Giving an address back to the person who reads it, when someone else's account holds it.

Verification is optional, so anyone can sign up with another person's address. When that
account also has an address of its own, the address's owner is stuck: signing up says the
address is taken, and a reset sends no link (`reset_may_go_to`), rightly, since a new password
would hand them an account its maker can reset back into. The e-mails that tell them so carry
a signed link, sent only to the address itself: following it takes the address off that
account (which keeps its other address), and its owner can then sign up with it.

Only an unconfirmed address on an account with another address can be released this way:
a confirmed one was shown to be read by the account's user, and an account's only address
already gets reset links.
"""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger(__name__)

SALT = "careerportal.address-release"


def release_path(user, email: str) -> str:
    """The link's path for `email` on `user`'s account (a signed, expiring token)."""
    token = signing.dumps([user.pk, email.lower()], salt=SALT, compress=True)
    return reverse("address-release", kwargs={"token": token})


def link_days() -> int:
    """How long a link works: as long as a password reset link (PASSWORD_RESET_TIMEOUT)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def read_token(token: str) -> tuple[int, str] | None:
    """The account id and address a link names, or None for a link we did not make (or
    made too long ago)."""
    try:
        user_id, email = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(email, str):
        return None
    return user_id, email


def addresses_of(user) -> list[EmailAddress]:
    """The account's addresses, confirmed and primary first (one query)."""
    return list(EmailAddress.objects.filter(user=user).order_by("-verified", "-primary", "pk"))


def releasable(user, email: str, rows: list[EmailAddress]) -> bool:
    """Whether `email` may be taken off `user`'s account: it is on it, unconfirmed, and the
    account has another address to sign in with."""
    wanted = email.lower()
    mine = [row for row in rows if row.email.lower() == wanted]
    on_account = bool(mine) or (user.email or "").lower() == wanted
    others = {row.email.lower() for row in rows} | {(user.email or "").lower()}
    return on_account and not any(row.verified for row in mine) and bool(others - {"", wanted})


def other_addresses(user, email: str, rows: list[EmailAddress]) -> list[str]:
    """The account's addresses besides `email`, in the order `addresses_of` gives."""
    wanted = email.lower()
    return [row.email for row in rows if row.email.lower() != wanted]


def release(user_id: int, email: str):
    """Take `email` off the account, if it may still be (see `releasable`); return the account
    (whose sign-in address is now one of its others) or None when nothing changed."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return None
        rows = addresses_of(user)
        if not releasable(user, email, rows):
            return None
        wanted = email.lower()
        EmailAddress.objects.filter(user=user, email__iexact=wanted).delete()
        kept = [row for row in rows if row.email.lower() != wanted]
        if kept and not any(row.primary for row in kept):
            EmailAddress.objects.filter(pk=kept[0].pk).update(primary=True)
        if (user.email or "").lower() == wanted:  # then `releasable` saw another row: kept[0]
            user.email = next((row.email for row in kept if row.primary), kept[0].email)
            user.save(update_fields=["email"])
    logger.info("address released from account %s by its reader", user.pk)
    return user
