"""Write services for a learner's account: plan and sharing, calendar token, deletion."""

import datetime
import hashlib
import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from careerportal.sessions import sessions_delete_for
from certifications.models import LearnerProfile, ReleasedHandle
from certifications.roadmap import expiry_date
from certifications.services.progress import WEEKLY_HOURS_MAX, _get_or_create_locked
from certifications.timezones import canonical_name, validate_time_zone

# What the admin's history calls an account once it is deleted, instead of its username (which
# allauth draws from the e-mail address).
DELETED_ACCOUNT = "deleted account"


def hash_calendar_token(token: str) -> str:
    """The SHA-256 hex digest stored for a calendar token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


class SettingsConflict(ValidationError):
    """The settings were saved after the learner's page showed them; `seen` is what they are
    now, as a form holds it, so that sending the form again with it replaces them on purpose."""

    def __init__(self, message: str, *, seen: str):
        super().__init__(message, code="conflict")
        self.seen = seen


# What the settings page shows and writes, and the part of it the dashboard's plan form does.
SETTINGS_SHOWN = (
    "handle",
    "is_public",
    "weekly_hours",
    "target_date",
    "time_zone",
    "reminder_emails",
)
PLAN_SHOWN = ("weekly_hours", "target_date")


def settings_seen(profile: LearnerProfile | None, shown: tuple[str, ...] = SETTINGS_SHOWN) -> str:
    """What a form's `seen` holds for the `shown` settings as its page shows them ("none": no
    profile yet): a digest, as the page must not change when nothing it shows did."""
    if profile is None or profile.pk is None:
        return "none"
    values = tuple(
        canonical_name(profile.time_zone) if name == "time_zone" else getattr(profile, name)
        for name in shown
    )
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


@transaction.atomic
def profile_update(
    *,
    user: AbstractBaseUser,
    handle: str | None,
    is_public: bool,
    weekly_hours: int | None,
    target_date: datetime.date | None,
    time_zone: str | None = None,
    reminder_emails: bool | None = None,
    seen: str | None = None,
) -> LearnerProfile:
    """Save the learner's plan, sharing choice, time zone and reminder choice; a public page
    needs a handle. `seen` (settings_seen of the page's profile; None: no check) refuses a
    form from a stale tab that would undo a change saved since, with SettingsConflict: a page
    hidden in one tab was shared again by the next save of a tab opened before."""
    handle = (handle or "").strip().lower() or None
    if is_public and not handle:
        raise ValidationError({"handle": "Choose a handle to share a public page."})
    profile, created = LearnerProfile.objects.select_for_update().get_or_create(user=user)
    now = "none" if created else settings_seen(profile)
    wanted = {
        "handle": handle,
        "is_public": is_public,
        "weekly_hours": weekly_hours,
        "target_date": target_date,
        "time_zone": profile.time_zone if time_zone is None else canonical_name(time_zone),
        "reminder_emails": profile.reminder_emails if reminder_emails is None else reminder_emails,
    }
    if seen and seen != now and any(getattr(profile, k) != v for k, v in wanted.items()):
        raise SettingsConflict(
            "Your settings changed after this page was loaded (in another tab or window, say), "
            "so nothing here is saved yet. To keep that change, open this page again; to "
            "replace it with what is below, press Save settings again.",
            seen=now,
        )
    if problem := profile.target_date_problem(target_date):
        raise ValidationError({"target_date": problem})
    if handle != profile.handle:
        _handle_claim(user=user, handle=handle)
        _handle_release(handle=profile.handle, former_owner=user)
    profile.handle = handle
    profile.is_public = is_public
    profile.weekly_hours = weekly_hours
    profile.target_date = target_date
    if time_zone is not None:  # None leaves the saved zone as it is
        profile.time_zone = canonical_name(time_zone)
    if reminder_emails is not None:  # None leaves the saved choice as it is
        profile.reminder_emails = reminder_emails
    profile.full_clean(exclude=["user", "calendar_token_hash", "calendar_token_created_at"])
    try:
        # A savepoint, so a handle taken by a concurrent request leaves the outer
        # transaction usable and becomes a form error instead of a 500.
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        raise ValidationError({"handle": "That handle is taken."}) from error
    return profile


@transaction.atomic
def learner_plan_update(
    *,
    user: AbstractBaseUser,
    weekly_hours: int | None,
    target_date: datetime.date | None,
    seen: str | None = None,
) -> LearnerProfile:
    """Set the learner's weekly study hours and target date (None clears either). `seen`
    (settings_seen of the dashboard's profile for PLAN_SHOWN; None: no check) refuses, with
    SettingsConflict, a plan form from a stale dashboard tab that would undo hours or a date
    saved since, on the settings page (which writes them too) or another dashboard."""
    errors: dict[str, list[str]] = {}
    if weekly_hours is not None and not 1 <= weekly_hours <= WEEKLY_HOURS_MAX:
        errors["weekly_hours"] = [f"Enter between 1 and {WEEKLY_HOURS_MAX} hours a week."]
    profile, created = _get_or_create_locked(LearnerProfile, lookup={"user": user})
    if problem := profile.target_date_problem(target_date):  # the rule settings apply too
        errors["target_date"] = [problem]
    if errors:
        raise ValidationError(errors)
    wanted = {"weekly_hours": weekly_hours, "target_date": target_date}
    changed = [name for name, value in wanted.items() if getattr(profile, name) != value]
    now = "none" if created else settings_seen(profile, PLAN_SHOWN)
    if seen and seen != now and changed:
        raise SettingsConflict(
            "Your study plan changed after this page was loaded (on your settings page or in "
            "another tab, say), so nothing here is saved yet. To keep that change, open your "
            "dashboard again; to replace it with what is below, press Save plan again.",
            seen=now,
        )
    if changed:
        for name in changed:
            setattr(profile, name, wanted[name])
        profile.save(update_fields=changed)
    return profile


def _handle_claim(*, user: AbstractBaseUser, handle: str | None) -> None:
    """Refuse a handle another learner gave up less than HANDLE_RESERVATION_DAYS ago; forget
    the reservation of one its former owner takes back, or whose days are over."""
    if handle is None:
        return
    reservation = ReleasedHandle.objects.select_for_update().filter(handle=handle).first()
    if reservation is None:
        return
    if reservation.keeps_from(user):
        until = dateformat.format(timezone.localtime(reservation.kept_until), "j F Y")
        raise ValidationError(
            {
                "handle": "That handle was given up recently and is kept for its former owner "
                f"until {until}, so that links to their old page never show someone else's. "
                "Choose another."
            }
        )
    reservation.delete()


def _handle_release(*, handle: str | None, former_owner: AbstractBaseUser | None) -> None:
    """Keep a handle just given up from other learners for HANDLE_RESERVATION_DAYS (None for
    `former_owner`: an account being deleted, so nobody may take it back)."""
    if handle is not None:
        ReleasedHandle.objects.update_or_create(
            handle=handle, defaults={"former_owner": former_owner, "released_at": timezone.now()}
        )


def handles_release_of_deleted(*, user_ids) -> None:
    """Before accounts are deleted: keep their public handles from other learners for
    HANDLE_RESERVATION_DAYS, remembering no more than the handle and the day."""
    held = LearnerProfile.objects.filter(user_id__in=user_ids, handle__isnull=False)
    for handle in held.values_list("handle", flat=True):
        _handle_release(handle=handle, former_owner=None)


@transaction.atomic
def reminders_stop(*, user: AbstractBaseUser) -> LearnerProfile:
    """Switch the learner's reminder e-mails off (the link in every reminder)."""
    profile, _ = _get_or_create_locked(
        LearnerProfile, lookup={"user": user}, defaults={"reminder_emails": False}
    )
    if profile.reminder_emails:
        profile.reminder_emails = False
        profile.save(update_fields=["reminder_emails"])
    return profile


@transaction.atomic
def time_zone_offer(*, user: AbstractBaseUser, name: str) -> str:
    """Save `name` (a zone the learner's browser reported) unless they already have a zone;
    return the zone they have now."""
    validate_time_zone(name)
    name = canonical_name(name)
    profile, _ = _get_or_create_locked(
        LearnerProfile, lookup={"user": user}, defaults={"time_zone": name}
    )
    if not profile.time_zone:
        profile.time_zone = name
        profile.save(update_fields=["time_zone"])
    return profile.time_zone


@transaction.atomic
def calendar_token_rotate(*, user: AbstractBaseUser) -> str:
    """Issue a new secret calendar token (the old one stops working) and return it once."""
    token = secrets.token_urlsafe(32)  # 256 bits
    profile, _ = LearnerProfile.objects.select_for_update().get_or_create(user=user)
    profile.calendar_token_hash = hash_calendar_token(token)
    profile.calendar_token_created_at = timezone.now()
    profile.save(update_fields=["calendar_token_hash", "calendar_token_created_at"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user: AbstractBaseUser) -> None:
    """Switch the calendar feed off: the current URL stops working at once."""
    LearnerProfile.objects.filter(user=user).update(
        calendar_token_hash="", calendar_token_created_at=None
    )


@transaction.atomic
def sharing_switch_off(*, user: AbstractBaseUser, public_page: bool) -> list[str]:
    """After the password was reset, changed or set (or set by staff in the admin): switch the
    calendar feed off and, when `public_page` (an account recovered by e-mail or by staff),
    make the public page private too, since whoever held the account before may have made the
    feed or published the page. Returns what was switched off, in words without a possessive
    (empty when nothing was on)."""
    profile = LearnerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return []
    switched_off = []
    if profile.calendar_token_hash:
        profile.calendar_token_hash, profile.calendar_token_created_at = "", None
        switched_off.append("calendar feed (its URL no longer works)")
    if public_page and profile.is_public:
        profile.is_public = False
        switched_off.append("public progress page")
    if switched_off:
        profile.save(
            update_fields=["calendar_token_hash", "calendar_token_created_at", "is_public"]
        )
    return switched_off


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete the learner and everything that hangs off them (progress, follows, profile...),
    with what names them elsewhere (account_traces_delete); their public handle stays kept
    from others for a while (handles_release_of_deleted)."""
    pk = user.pk
    handles_release_of_deleted(user_ids=[pk])
    user.delete()
    account_traces_delete(user_ids=[pk])


def account_traces_delete(*, user_ids) -> None:
    """After accounts were deleted: delete their sessions on every device, and keep the admin's
    history of what staff did to them without their names (one pass over the sessions)."""
    ids = [str(pk) for pk in user_ids]
    sessions_delete_for(ids)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id__in=ids
    ).update(object_repr=DELETED_ACCOUNT)


def account_export(*, user: AbstractBaseUser) -> dict:
    """Everything stored about the learner, as JSON-ready data (reads only)."""
    from allauth.account.models import EmailAddress

    from certifications.models import CareerFollow, CertificationProgress, ReminderSent

    def day(value):
        return value.isoformat() if value else None

    profile = LearnerProfile.objects.filter(user=user).first()
    return {
        "format": "careerportal-export-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": day(user.date_joined),
            "last_login": day(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "groups": [str(g) for g in user.groups.order_by("name")],
            "permissions": [
                str(p) for p in user.user_permissions.select_related("content_type").order_by("pk")
            ],
        },
        "profile": {
            "handle": profile.handle if profile else None,
            "is_public": profile.is_public if profile else False,
            "weekly_hours": profile.weekly_hours if profile else None,
            "target_date": day(profile.target_date) if profile else None,
            "time_zone": (profile.time_zone if profile else "") or "UTC",
            "reminder_emails": profile.reminder_emails if profile else True,
            "calendar_feed_active": bool(profile and profile.calendar_token_hash),
            "calendar_feed_since": day(profile.calendar_token_created_at) if profile else None,
        },
        # Handles they gave up, kept for them to take back until the day named.
        "released_handles": [
            {
                "handle": r.handle,
                "released_at": day(r.released_at),
                "kept_until": day(r.kept_until),
            }
            for r in ReleasedHandle.objects.filter(former_owner=user)
        ],
        "follows": [
            {"career": f.career.slug, "title": f.career.title, "since": day(f.created_at)}
            for f in CareerFollow.objects.filter(user=user).select_related("career")
        ],
        "progress": [
            {
                "certification": p.certification.slug,
                "name": p.certification.name,
                "status": p.status,
                "exam_date": day(p.exam_date),
                "passed_on": day(p.passed_on),
                # The day the pass stops counting, as every page and reminder names it.
                "expires_on": day(expiry_date(p.passed_on, p.certification.validity_months)),
                "credential_id": p.credential_id,
                "verification_url": p.verification_url,
                "notes": p.notes,
                "created_at": day(p.created_at),
                "updated_at": day(p.updated_at),
            }
            for p in CertificationProgress.objects.filter(user=user).select_related("certification")
        ],
        "reminders_sent": [
            {
                "certification": r.certification.slug,
                "kind": r.kind,
                "event_date": day(r.event_date),
                "sent_at": day(r.sent_at),
            }
            for r in ReminderSent.objects.filter(user=user).select_related("certification")
        ],
        # What they changed in the admin, when they edited content (staff accounts).
        "admin_changes": [
            {
                "time": day(e.action_time),
                "action": e.get_action_flag_display(),
                "object_type": str(e.content_type) if e.content_type else None,
                "object_id": e.object_id,
                "object": e.object_repr,
                "message": e.get_change_message(),
            }
            for e in LogEntry.objects.filter(user=user)
            .select_related("content_type")
            .order_by("action_time", "pk")
        ],
    }
