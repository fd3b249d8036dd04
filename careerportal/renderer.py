"""The form renderer: Django's own, with its plainest widget templates drawn in Python.

A signed-in learner's career page draws seven progress forms (42 widgets) and spent 30% of
its time in Django's widget templates: each input includes attrs.html, and each option of a
select includes select_option.html and attrs.html again. The functions below produce the
same bytes as those templates (tests/test_renderer.py renders every widget and form of the
site both ways and compares them), and anything else, including a widget with a template of
its own, still goes through the templates.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeData, SafeString

OPTION = "django/forms/widgets/select_option.html"
INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        *("input", "text", "email", "url", "number", "password", "search", "tel", "color"),
        *("date", "datetime", "time", "hidden", "checkbox", "file"),
    )
}
_CONTEXT = Context(autoescape=True)  # what {{ }} localises and escapes with: the defaults


def _text(value) -> str:
    """`{{ value }}`: localised, then escaped unless marked safe."""
    if type(value) is str:  # nearly always: nothing to localise
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: str(), kept safe if it was, then escaped."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    kind, name, attrs = _text(widget["type"]), _text(widget["name"]), _attrs(widget["attrs"])
    return f'<input type="{kind}" name="{name}"{value}{attrs}>'


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None  # an option template of its own: let the templates draw it
            parts.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # select_option.html ends in a newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, drawing inputs, text areas and selects in Python."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name in INPUTS:
            html = _input(context["widget"])
        elif template_name == "django/forms/widgets/textarea.html":
            html = _textarea(context["widget"])
        elif template_name == "django/forms/widgets/select.html":
            html = _select(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return SafeString(html)
