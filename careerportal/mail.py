"""What every e-mail the site sends shares, account e-mails (allauth) and reminders alike.

The subject starts with ACCOUNT_EMAIL_SUBJECT_PREFIX ("[CareerPortal] "), so an inbox names the
site even when DEFAULT_FROM_EMAIL is a bare address (.env.example's, which docker's env-file
could not quote). The Message-ID is on SITE_URL's host, not the app server's own name (Django's
default, socket.getfqdn()), which told every recipient the server's internal name.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import make_msgid


def subject(text: str) -> str:
    """`text` as the subject line every e-mail of the site has."""
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"


def headers() -> dict[str, str]:
    """Headers for a new e-mail: a Message-ID on the site's own domain."""
    return {"Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname)}


def masked_address(address: str) -> str:
    """The address with all of its name but the first letter hidden ("l•••@example.com"):
    enough for its owner to recognise, too little to harvest, for a page anyone holding a link
    can open. The dots are as many whatever the name's length, which they would give away."""
    name, at, domain = (address or "").rpartition("@")
    if not at or not name:
        return "•••"
    return f"{name[0]}•••@{domain}"
