"""A form field drawn as crispy's Bootstrap 5 pack draws it, for much less (includes/_field.html).

crispy's per-field templates took a quarter to half of a filtered list's render and most of a
learner's career page (seven progress forms of six fields). Text inputs and selects, the only
kinds those pages show, go through this; everything else keeps crispy.
"""

from django import forms, template

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
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
