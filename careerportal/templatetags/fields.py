"""A form field drawn as crispy's Bootstrap 5 pack draws it, for much less: `{% field_row %}`.

crispy's per-field templates took a quarter to half of a filtered list's render and most of a
learner's career page (seven progress forms of six fields). Text inputs and selects, the only
kinds those pages show, go through this; everything else keeps crispy. The row was a template
include until it was a sixth of a learner's career page (42 includes, 7 of 43 ms); it is now
drawn in Python, byte for byte as that template drew it (tests/test_form_fields.py keeps the
template and compares).
"""

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
