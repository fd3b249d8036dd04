"""Template helpers for the learner's progress on roadmap steps (formatting only)."""

from django import template
from django.utils import timezone

from certifications import roadmap
from certifications.forms import ProgressForm

register = template.Library()


@register.simple_tag
def step_progress_form(step, certification):
    """An unbound progress form for a step annotated with the learner's progress, on
    `certification` (the step's own, or its retired exam's successor)."""
    return ProgressForm.for_step(step, certification=certification)


@register.simple_tag
def certification_progress_form(certification):
    """An unbound progress form for a certification annotated with the learner's progress."""
    return ProgressForm.for_learner(certification, id_prefix="id_progress")


@register.filter
def from_today(day) -> str:
    """ "today" or "tomorrow" for those days in the learner's time zone, else "" """
    return roadmap.day_word(day, today=timezone.localdate()) if day else ""


@register.inclusion_tag("certifications/includes/_exam_day.html")
def exam_day(day, date_format="j F Y"):
    """A booked exam's date, with "(today)" or "(tomorrow)" after it on those days."""
    return {"day": day, "date_format": date_format, "word": from_today(day)}
