"""Template helpers for the learner's progress on roadmap steps (formatting only)."""

from django import template

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
