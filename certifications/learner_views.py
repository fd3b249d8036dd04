"""Learner pages and actions: the dashboard, progress updates, follows and the study plan.

Actions are POST-only (a GET is sent on to the form's page: careerportal/actions.py), act on
request.user's own rows, call one service and redirect back (POST/redirect/GET); invalid input
re-renders the form with its errors, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe

from careerportal.actions import placed_message, post_only
from careers.former_slugs import get_by_slug_or_former
from careers.models import Career
from certifications.dashboard import dashboard_for
from certifications.forms import PlanForm, ProgressForm
from certifications.models import Certification
from certifications.roadmap import expiry_date
from certifications.services.account import SettingsConflict, learner_plan_update
from certifications.services.progress import (
    ProgressConflict,
    Removed,
    career_follow,
    career_unfollow,
    progress_problems,
    progress_update,
)


def _next_url(request, fallback: str) -> str:
    """Where to go back to: a same-site `next` (e.g. /careers/x/#step-3) or the fallback."""
    candidate = request.POST.get("next", "")
    # Only a path on this site: a bare word would be read by redirect() as a view name.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _certification(slug):
    return get_by_slug_or_former(Certification.objects.public(), slug)


def _followable(slug):
    return get_by_slug_or_former(Career.objects.published(), slug)


def _unfollowable(request, slug):
    # A career the learner follows stays unfollowable even if it went back to draft.
    careers = Career.objects.filter(
        Q(status=Career.Status.PUBLISHED) | Q(follows__user=request.user)
    )
    return get_by_slug_or_former(careers.distinct(), slug)


def _removed(request, what: str):
    """An editor deleted the page while the learner's change was on its way: say so on the
    dashboard (the page is a 404 now) rather than fail."""
    messages.error(
        request,
        f"{what} was removed from the site a moment ago, so your change to it was not saved.",
    )
    return redirect("dashboard")


def _career_page_or_dashboard(career) -> str:
    return career.get_absolute_url() if career.is_published else reverse("dashboard")


@login_required
@require_safe
def dashboard(request):
    """The learner's followed careers, next steps, exams, renewals and plan."""
    return render(request, "certifications/dashboard.html", dashboard_for(request.user))


@login_required
@post_only(lambda request: reverse("dashboard") + "#plan")
def plan_update(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            learner_plan_update(
                user=request.user,
                weekly_hours=form.cleaned_data["weekly_hours"],
                target_date=form.cleaned_data["target_date"],
                seen=form.cleaned_data["seen"] or None,
            )
        except SettingsConflict as conflict:
            # Shown again knowing the other save: Save plan again replaces it on purpose.
            form.data = form.data.copy()
            form.data["seen"] = conflict.seen
            form.add_error(None, conflict)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        context = dashboard_for(request.user)
        context["plan_form"] = form
        return render(request, "certifications/dashboard.html", context, status=400)
    back = reverse("dashboard") + "#plan"
    placed_message(request, messages.SUCCESS, "Your study plan is saved.", url=back)
    return redirect(back)


@login_required
@post_only(lambda request, slug: _certification(slug).get_absolute_url())
def progress_update_view(request, slug):
    certification = _certification(slug)
    back = _next_url(request, certification.get_absolute_url())
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            progress = progress_update(
                user=request.user,
                certification=certification,
                status=data["status"],
                exam_date=data["exam_date"],
                passed_on=data["passed_on"],
                credential_id=data["credential_id"],
                verification_url=data["verification_url"],
                notes=data["notes"],
                seen=data["seen"] or None,
            )
        except Removed:
            return _removed(request, certification.name)
        except ProgressConflict as conflict:
            # Shown again knowing the other save: Save again replaces it on purpose.
            form.data = form.data.copy()
            form.data["seen"] = conflict.seen
            form.add_error(None, conflict)
        except ValidationError as error:
            form.add_error(None, error)
    elif "status" in form.cleaned_data:
        # Also the rules the save checks, on the fields that were read: a bad link and a
        # future pass date are both reported now, not the second one on the next attempt.
        read = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in form.errors and name != "seen"
        }
        problems = progress_problems(user=request.user, certification=certification, **read)
        for field, texts in problems.items():
            if field not in form.errors:
                form.add_error(None if field == "__all__" else field, texts)
    if form.errors:
        context = {"certification": certification, "form": form, "next": back}
        return render(request, "certifications/progress_form.html", context, status=400)
    placed_message(request, messages.SUCCESS, _saved_text(certification, progress), url=back)
    return redirect(back)


def _saved_text(certification, progress) -> str:
    """ "AWS Certified AI Practitioner: passed.", or for a pass date so long ago that the pass
    has expired (the step beside it then says "Expired: renew"), when it expired."""
    text = f"{certification.name}: {progress.get_status_display().lower()}"
    expires_on = expiry_date(progress.passed_on, certification.validity_months)
    if progress.status == progress.Status.PASSED and expires_on and expires_on <= localdate():
        expired = date_format(expires_on, "j F Y")
        return f"{text}, but it expired on {expired}: pass it again to count it."
    return f"{text}."


@login_required
@post_only(lambda request, slug: _followable(slug).get_absolute_url())
def career_follow_view(request, slug):
    career = _followable(slug)
    try:
        career_follow(user=request.user, career=career)
    except Removed:
        return _removed(request, career.title)
    back = _next_url(request, career.get_absolute_url())
    text = f"You follow {career.title}: it is on your dashboard."
    placed_message(request, messages.SUCCESS, text, url=back)
    return redirect(back)


@login_required
@post_only(lambda request, slug: _career_page_or_dashboard(_unfollowable(request, slug)))
def career_unfollow_view(request, slug):
    career = _unfollowable(request, slug)
    career_unfollow(user=request.user, career=career)
    back = _next_url(request, _career_page_or_dashboard(career))
    placed_message(request, messages.SUCCESS, f"You no longer follow {career.title}.", url=back)
    return redirect(back)
