"""Account pages beyond allauth: plan and sharing, calendar feed URL, data export, deletion."""

import json

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from allauth.account.views import EmailView as AllauthEmailView
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_not_required, login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from careerportal import address_release, confirmation_next
from careerportal.account_adapter import longest_wait
from careerportal.account_forms import AccountDeleteForm, AccountSettingsForm
from careerportal.actions import post_only, too_many_writes, write_allowed
from careerportal.mail import masked_address
from careerportal.sessions import ACCOUNT_DELETED, session_ending_by_deletion
from certifications import timezones
from certifications.models import LearnerProfile, ReleasedHandle
from certifications.reminders import stop_token_user_id
from certifications.services.account import (
    SettingsConflict,
    account_delete,
    account_export,
    calendar_token_revoke,
    calendar_token_rotate,
    hash_calendar_token,
    profile_update,
    reminders_stop,
)

# The new calendar token waits here between the POST that made it and the page that shows its
# URL once; only its hash is kept in the database.
NEW_FEED_SESSION_KEY = "account_new_calendar_url"


def _new_feed_url(request, profile) -> tuple[str | None, bool]:
    """The new calendar URL to show once, and whether one was made but replaced before it
    could be shown: with "Make a new URL" double-clicked, the first request can save the
    session last and leave its token there after the second request replaced it."""
    kept = request.session.pop(NEW_FEED_SESSION_KEY, None)
    if not kept:
        return None, False
    token = kept.rsplit("/", 1)[-1].removesuffix(".ics")  # a whole URL, as sessions once held
    if hash_calendar_token(token) != profile.calendar_token_hash:
        return None, bool(profile.calendar_token_hash)
    # On SITE_URL, as every e-mailed link: the request's Host may be an internal name.
    return settings.SITE_URL + reverse("calendar-feed", kwargs={"token": token}), False


def _calendar_settings(request) -> str:
    return reverse("account-settings") + "#calendar"


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request):
    # Never created on GET: an unsaved profile stands in until the learner saves.
    profile = LearnerProfile.objects.filter(user=request.user).with_kept_handles().first()
    profile = profile or LearnerProfile(user=request.user)
    # The handles they gave up that are kept for them: the page says until when.
    kept_handles = []
    if getattr(profile, "has_kept_handles", False):
        kept_handles = list(ReleasedHandle.objects.kept_for(request.user))
    # Read before binding: an invalid form leaves its unsaved values on the instance.
    public_handle = profile.handle if profile.pk and profile.is_public else None
    feed_active = bool(profile.calendar_token_hash)
    feed_since = profile.calendar_token_created_at
    if request.method == "POST" and not write_allowed(request):
        return too_many_writes(request, reverse("account-settings"))
    form = AccountSettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                user=request.user,
                handle=form.cleaned_data["handle"],
                is_public=form.cleaned_data["is_public"],
                weekly_hours=form.cleaned_data["weekly_hours"],
                target_date=form.cleaned_data["target_date"],
                time_zone=form.cleaned_data["time_zone"],
                reminder_emails=form.cleaned_data["reminder_emails"],
                seen=form.cleaned_data["seen"] or None,
            )
        except SettingsConflict as conflict:
            # Shown again knowing the other save: Save settings again replaces it on purpose.
            form.data = form.data.copy()
            form.data["seen"] = conflict.seen
            form.add_error(None, conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            timezones.remember(request, form.cleaned_data["time_zone"])
            messages.success(request, "Your settings are saved.")
            return redirect("account-settings")
    new_feed_url, feed_url_replaced = _new_feed_url(request, profile)
    return render(
        request,
        "account/settings.html",
        {
            "form": form,
            "public_handle": public_handle,
            "kept_handles": kept_handles,
            "feed_active": feed_active,
            "feed_since": feed_since,
            "new_feed_url": new_feed_url,
            "feed_url_replaced": feed_url_replaced,
            # For the script that picks the browser's zone: some browsers name it the old way.
            "time_zone_aliases": timezones.alias_map(),
        },
    )


@login_required
@post_only(_calendar_settings)
def calendar_rotate(request):
    request.session[NEW_FEED_SESSION_KEY] = calendar_token_rotate(user=request.user)
    messages.success(request, "Your private calendar URL is ready. Any earlier URL has stopped.")
    return redirect(_calendar_settings(request))


@login_required
@post_only(_calendar_settings)
def calendar_revoke(request):
    calendar_token_revoke(user=request.user)
    request.session.pop(NEW_FEED_SESSION_KEY, None)
    messages.success(request, "Your calendar feed is switched off; its URL no longer works.")
    return redirect(_calendar_settings(request))


@never_cache
@login_required
@require_safe
def account_export_json(request):
    data = account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="careerportal-data-{stamp}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete_view(request):
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=request.user
    ):
        # A stolen session must not become a password-guessing oracle.
        return ratelimit.respond_429(request)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with session_ending_by_deletion(request):
            logout(request)
            account_delete(user=user)
        messages.success(request, ACCOUNT_DELETED)
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})


@never_cache
@login_not_required
@csrf_exempt  # the signed token is the proof; mail clients' one-click POST carries no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def reminders_stop_view(request, token):
    """The link at the foot of every reminder and in its List-Unsubscribe header: GET asks
    (link scanners and previews open links without anyone clicking), POST switches reminder
    e-mails off, from the page's button or a mail client's one-click unsubscribe (RFC 8058).
    No sign-in: the learner reads the e-mail where they are not signed in."""
    user_id = stop_token_user_id(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "account/reminders_stop.html", {"broken": True}, status=400)
    stopped = request.method == "POST"
    if stopped:
        reminders_stop(user=user)
    return render(
        request,
        "account/reminders_stop.html",
        {"address": masked_address(user.email), "stopped": stopped, "action": request.path},
    )


class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's confirmation page, which also names the account's other addresses when the
    one being confirmed is not its only one, and offers to take it off instead: someone who
    never made the account (another person signed up with their address) should not confirm
    it for them, and can free it to sign up themselves (careerportal/address_release.py)."""

    confirmed = False

    def get_context_data(self, **kwargs) -> dict:
        context_ = super().get_context_data(**kwargs)
        if not context_.get("confirmation"):
            context_.update(_unusable_link(self.kwargs["key"]))
        if context_.get("can_confirm"):
            address = self.object.email_address
            if self._destination():  # the Confirm button's POST carries it on
                context_["then"] = self._then()
            rows = address_release.addresses_of(address.user)
            if address_release.releasable(address.user, address.email, rows):
                others = address_release.other_addresses(address.user, address.email, rows)
                context_["other_addresses"] = [masked_address(other) for other in others]
                context_["release_path"] = address_release.release_path(address.user, address.email)
        return context_

    def _then(self) -> str:
        return self.request.POST.get(confirmation_next.PARAM) or self.request.GET.get(
            confirmation_next.PARAM, ""
        )

    def _destination(self) -> str | None:
        then = self._then()
        return then and confirmation_next.destination(self.object.email_address, then)

    def respond(self, success):
        self.confirmed = success
        return super().respond(success)

    def get_redirect_url(self) -> str:
        """Once confirmed in a browser that is not the one signing up (which allauth signs in
        and takes on to its own `next`), the page the link was sent from: by way of the
        sign-in page unless this browser is signed in to the account already."""
        path = self.confirmed and not self.get_next_url() and self._destination()
        if not path:
            return super().get_redirect_url()
        if self.request.user.is_authenticated:
            return path
        return confirmation_next.sign_in_then(path)


# What allauth's EmailView reads from the name of the button pressed.
EMAIL_ACTIONS = ("action_add", "action_send", "action_remove", "action_primary")


class EmailView(AllauthEmailView):
    """allauth's page of the account's addresses, where "Re-send confirmation" of an address
    already confirmed sends nothing and says so: it mailed the address a link "to add" it to
    the account it was on, and the page said "Confirmation email sent" (the radio starts on
    the primary address, confirmed more often than not). The button shows only while an
    address is unconfirmed (templates/account/email.html). Re-sent within allauth's limit of
    one link per address per 3 minutes, it sent nothing without a word either: it says so."""

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "")
        if not any(action in request.POST for action in EMAIL_ACTIONS):
            return self._post_without_action(request, email, *args, **kwargs)
        # An address holding a NUL byte is none: PostgreSQL refuses it in a query (a server
        # error), and allauth's own check below answers it as an address not on the account.
        if "action_send" not in request.POST or "\x00" in email:
            return super().post(request, *args, **kwargs)
        confirmed = EmailAddress.objects.filter(
            user=request.user, email__iexact=email, verified=True
        ).first()
        if confirmed:
            messages.info(request, f"{confirmed.email} is confirmed already: we sent no e-mail.")
            return redirect("account_email")
        response = super().post(request, *args, **kwargs)
        if getattr(self, "_did_send_verification_email", None) is False:
            address = EmailAddress.objects.filter(user=request.user, email__iexact=email).first()
            if address:  # on the account, unconfirmed: only the limit stopped the e-mail
                wait = longest_wait(allauth_settings.RATE_LIMITS.get("confirm_email", ""))
                messages.info(
                    request,
                    f"We e-mailed a link to {address.email} less than {wait} ago, so we sent no "
                    f"other: look for that one (in the spam folder too), or ask again in {wait}.",
                )
        return response

    def _post_without_action(self, request, email, *args, **kwargs):
        """A form sent without the name of a button (a script, a page from before the add form
        named its action in a hidden field): allauth redirected it with nothing done or said.
        An address not on the account is added, as the add form would; one on it is told."""
        listed = None
        if "\x00" not in email:  # PostgreSQL refuses NUL in a query; the add form refuses it
            listed = EmailAddress.objects.filter(user=request.user, email__iexact=email).first()
        if listed is None:
            request.POST = request.POST.copy()
            request.POST["action_add"] = ""
            return super().post(request, *args, **kwargs)
        messages.info(request, f"{listed.email} is on your account already: nothing changed.")
        return redirect("account_email")

    def get_context_data(self, **kwargs) -> dict:
        context_ = super().get_context_data(**kwargs)
        context_["unconfirmed"] = [row for row in context_["emailaddresses"] if not row.verified]
        return context_


def _unusable_link(key: str) -> dict:
    """Why a confirmation link confirms nothing: {"confirmed": its address} when the address
    is confirmed already (the link opened a second time, from the e-mail or the browser's
    history), else {"expired": True} when it is too old, else {} (not a link we sent, or its
    address is gone). One query for a link we signed."""
    max_age = 60 * 60 * 24 * allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
    try:
        pk = signing.loads(key, salt=allauth_settings.SALT)
    except signing.BadSignature:
        return {}
    address = EmailAddress.objects.filter(pk=pk).only("email", "verified").first()
    if address is None:
        return {}
    if address.verified:
        return {"confirmed": address.email}
    try:
        signing.loads(key, salt=allauth_settings.SALT, max_age=max_age)
    except signing.SignatureExpired:
        return {"expired": True}
    return {}


@never_cache
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def address_release_view(request, token):
    """The link in the e-mails telling someone that an account they may not have made holds
    their unconfirmed address: GET says what following it does (link scanners open links
    without anyone clicking), POST takes the address off the account, whose remaining address
    is told. Anyone holding the link reads that address's mail: it was sent only there."""
    named = address_release.read_token(token)
    if named is None:
        context_ = {"broken": True, "days": address_release.link_days()}
        return render(request, "account/address_release.html", context_, status=400)
    user_id, email = named
    if request.method == "POST":
        user = address_release.release(user_id, email)
        if user is not None:
            get_adapter(request).send_mail(
                "account/email/address_released",
                user.email,
                {"user": user, "released_email": email},
            )
            return render(
                request, "account/address_release.html", {"released": True, "email": email}
            )
    user = get_user_model().objects.filter(pk=user_id).first()
    rows = address_release.addresses_of(user) if user else []
    wanted = email.lower()
    on_account = user is not None and (
        (user.email or "").lower() == wanted or any(r.email.lower() == wanted for r in rows)
    )
    context_ = {"email": email, "action": request.path}
    if not on_account:
        context_["gone"] = True
    elif address_release.releasable(user, email, rows):
        others = address_release.other_addresses(user, email, rows)
        context_["other_addresses"] = [masked_address(other) for other in others]
    elif any(r.email.lower() == wanted and r.verified for r in rows):
        context_["confirmed"] = True
    else:
        context_["only"] = True
    return render(request, "account/address_release.html", context_)
