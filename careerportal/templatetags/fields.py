"""A form field drawn as crispy's Bootstrap 5 pack draws it, for much less: `{% field_row %}`.

crispy's per-field templates took a quarter to half of a filtered list's render and most of a
learner's career page (seven progress forms of six fields). Text inputs and selects, the only
kinds those pages show, go through this; everything else keeps crispy. The row was a template
include until it was a sixth of a learner's career page (42 includes, 7 of 43 ms); it is now
drawn in Python, byte for byte as that template drew it (tests/test_form_fields.py keeps the
template and compares).

A form whose fields are the same on every instance says so with `fixed_fields = True`; its rows,
unbound and without errors, are then drawn once per process per field (per status for a select)
and each form fills in only its own ids and value: each of a learner's career page's 42 progress
fields costs a dictionary look-up and a few escapes instead of a widget built and drawn.
"""

import re
from html import escape

from django import forms, template
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def bootstrap_widget(field):
    """The field's widget with Bootstrap's class, `is-invalid` when it has errors, and
    `aria-describedby` naming its error text and help text."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        raise TypeError(f"{field.name}: draw checkboxes and radios with crispy")
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    classes = [widget.attrs.get("class", ""), kind, "is-invalid" if field.errors else ""]
    attrs = {"class": " ".join(c for c in classes if c)}
    described = [f"{field.auto_id}_error"] if field.errors else []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    # Unless errors_described (below) set it, naming the form's error summary too.
    if described and "aria-describedby" not in widget.attrs:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def choice_label(field, value):
    """The label `field` shows for the choice `value` ("" for none of its choices)."""
    return dict(field.field.choices).get(value, "") if value else ""


@register.filter
def errors_described(form, summary_id="form-errors"):
    """`form`, each field marked invalid and described by the error summary `summary_id`
    when the form has an error of no one field (a wrong e-mail and password pair), so a
    screen reader says why on every field; its own error and help text are still named."""
    if form and form.non_field_errors():
        for field in form.visible_fields():
            described = [summary_id]
            if field.errors:
                described.append(f"{field.auto_id}_error")
            if field.help_text:
                described.append(f"{field.auto_id}_helptext")
            field.field.widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": " ".join(described)}
            )
    return form


@register.simple_tag
def field_row(field):
    """One text input or select with its label, errors and help text."""
    html = _fixed_row(field)
    return _row(field) if html is None else html


def _row(field):
    auto_id = conditional_escape(field.auto_id)
    required = field.field.required
    label_class = "form-label requiredField" if required else "form-label"
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    errors = ""
    if field.errors:
        paragraphs = "".join(
            f'<p id="error_{number}_{auto_id}"><strong>{conditional_escape(error)}</strong></p>'
            for number, error in enumerate(field.errors, start=1)
        )
        errors = f'<div id="{auto_id}_error" class="invalid-feedback">{paragraphs}</div>'
    help_text = ""
    if field.help_text:
        help_text = (
            f'<div id="{auto_id}_helptext" class="form-text">'
            f"{conditional_escape(field.help_text)}</div>"
        )
    return mark_safe(
        f'\n<div id="div_{auto_id}" class="mb-3">\n'
        f'  <label for="{conditional_escape(field.id_for_label)}" class="{label_class}">'
        f"{conditional_escape(field.label)}{asterisk}</label>\n"
        f"  {bootstrap_widget(field)}\n"
        f"  {errors}\n"
        f"  {help_text}\n"
        "</div>\n"
    )


# Stand-ins for a field's id and value in the rows drawn once: letters of both cases and digits,
# which escaping leaves as they are (and a filter such as |lower would not).
_ID, _VALUE = "Q7iDzq", "Q7vAlUezq"
_SLOTS = re.compile(f"({_ID}|{_VALUE})")
_STOCK = "django/forms/widgets/"
_OPTION = _STOCK + "select_option.html"
_drawn: dict[tuple, list[str] | None] = {}  # the rows drawn once, split at their slots
_DRAWN_MAX = 500  # a select draws a row per value shown: a bound on odd values' rows


def _fixed_row(field) -> str | None:
    """The row of an unbound field of a `fixed_fields` form, from the one drawn for its class
    with this field's id and value put in; None where that would not draw it exactly."""
    form, widget = field.form, field.field.widget
    if not getattr(form, "fixed_fields", False) or form.is_bound or form.errors:
        return None
    if not _drawable(field, widget):
        return None
    value = widget.format_value(field.value())
    if isinstance(widget, forms.Select):
        kind = tuple(value)  # the options selected: a row for each status, say
    elif value is None:
        kind = None
    elif type(value) is str:
        kind = _VALUE
    else:
        return None
    key = (type(form), field.name, form.renderer, form.use_required_attribute, kind)
    pieces = _drawn.get(key, False)
    if pieces is False:
        if len(_drawn) >= _DRAWN_MAX:
            return None
        pieces = _drawn[key] = _draw_once(field, kind)
    if pieces is None:
        return None
    slots = {_ID: escape(field.auto_id), _VALUE: escape(value) if kind == _VALUE else ""}
    return SafeString("".join([slots.get(piece, piece) for piece in pieces]))


def _drawable(field, widget) -> bool:
    """A stock input, text area or single select, with an id and no form prefix."""
    if isinstance(widget, forms.Select):
        stock = widget.option_template_name == _OPTION and not widget.allow_multiple_selected
    elif isinstance(widget, Input):
        stock = not isinstance(widget, forms.FileInput | forms.CheckboxInput)
    else:
        stock = isinstance(widget, forms.Textarea)
    return (
        stock
        and widget.template_name.startswith(_STOCK)
        and type(widget).render is forms.Widget.render
        and not field.field.localize
        and field.form.prefix is None
        and bool(field.auto_id)
    )


def _draw_once(field, kind) -> list[str] | None:
    """The field's row drawn for a fresh form of its class, with stand-ins for its id and (for
    an input or text area) its value, split at them; None when a stand-in does not come out
    once, as it went in (a widget doing more with its value than show it escaped)."""
    form = type(field.form)(
        auto_id=_ID + "%s",
        initial={field.name: field.value() if isinstance(kind, tuple) else kind},
        renderer=field.form.renderer,
        use_required_attribute=field.form.use_required_attribute,
    )
    html = _row(form[field.name])
    if form[field.name].auto_id != _ID + field.name or html.count(_ID + field.name) == 0:
        return None
    if html.count(_ID) != html.count(_ID + field.name) or html.count(_VALUE) != (kind == _VALUE):
        return None
    return _SLOTS.split(html.replace(_ID + field.name, _ID))
