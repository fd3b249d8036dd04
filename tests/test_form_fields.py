"""{% field_row %}: text inputs and selects drawn as crispy's Bootstrap 5 pack draws them, byte
for byte as the template it replaced (TEMPLATE, kept here as the reference) drew them."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from careerportal.account_forms import AccountSettingsForm
from careerportal.templatetags.fields import bootstrap_widget, field_row
from certifications.forms import CertificationFilterForm, PlanForm, ProgressForm

# includes/_field.html as it was: the reference the Python drawing must match.
TEMPLATE = Template(
    """{% load fields %}
<div id="div_{{ field.auto_id }}" class="mb-3">
  <label for="{{ field.id_for_label }}" class="form-label{% if field.field.required %} requiredField{% endif %}">{{ field.label }}{% if field.field.required %}<span class="asteriskField">*</span>{% endif %}</label>
  {{ field|bootstrap_widget }}
  {% if field.errors %}<div id="{{ field.auto_id }}_error" class="invalid-feedback">{% for error in field.errors %}<p id="error_{{ forloop.counter }}_{{ field.auto_id }}"><strong>{{ error }}</strong></p>{% endfor %}</div>{% endif %}
  {% if field.help_text %}<div id="{{ field.auto_id }}_helptext" class="form-text">{{ field.help_text }}</div>{% endif %}
</div>
"""  # noqa: E501
)


class _Form(forms.Form):
    email = forms.EmailField(label="Email", help_text="We never share it.")
    level = forms.ChoiceField(label="Level", required=False, choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(required=False)


def _draw(field) -> str:
    return field_row(field)


def _reference(field) -> str:
    return TEMPLATE.render(Context({"field": field}))


text = st.text(alphabet=st.sampled_from(list("aZ09 <>&\"'é;#")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    label=st.one_of(text, st.builds(mark_safe, text)),
    help_text=st.one_of(st.just(""), text, st.builds(mark_safe, text)),
    required=st.booleans(),
    select=st.booleans(),
    value=text,
    prefix=st.one_of(st.none(), st.sampled_from(["step0", "a<b"])),
)
def test_the_python_row_matches_the_template_it_replaced(
    label, help_text, required, select, value, prefix
):
    kind = (
        forms.ChoiceField(choices=[("x", "X"), ("<y>", "Y & Z")]) if select else forms.EmailField()
    )
    kind.label, kind.help_text, kind.required = label, help_text, required

    class Form(forms.Form):
        field = kind

    for form in (
        Form(prefix=prefix),
        Form({f"{prefix}-field" if prefix else "field": value}, prefix=prefix),
    ):
        form.is_valid()
        assert _draw(form["field"]) == _reference(form["field"])


@pytest.mark.django_db
def test_the_sites_forms_draw_as_the_template_drew_them(learner):
    forms_ = [
        ProgressForm(),
        ProgressForm({"status": "booked", "verification_url": "ftp://x"}),
        PlanForm({"weekly_hours": "-1", "target_date": "nope"}),
        CertificationFilterForm({"fee_min": "abc", "q": "<b>"}),
    ]
    for form in forms_:
        form.is_valid()
        for field in form:
            assert _draw(field) == _reference(field), field.name
    settings_form = AccountSettingsForm({"handle": "-bad-", "time_zone": "Mars/X"})
    settings_form.is_valid()
    for name in ("handle", "weekly_hours", "target_date", "time_zone"):
        field = settings_form[name]
        assert _draw(field) == _reference(field), name


def test_a_field_with_an_error_and_help_points_at_both_and_is_marked_invalid():
    form = _Form({"email": "not an address", "level": "a"})
    html = _draw(form["email"])

    control = re.search(r"<input[^>]*>", html).group(0)
    assert 'class="form-control is-invalid"' in control
    assert 'aria-invalid="true"' in control
    assert 'aria-describedby="id_email_error id_email_helptext"' in control
    assert '<div id="id_email_error" class="invalid-feedback">' in html
    assert "Enter a valid email address." in html
    assert '<div id="id_email_helptext" class="form-text">We never share it.</div>' in html
    assert '<label for="id_email" class="form-label requiredField">Email' in html


def test_a_valid_select_gets_bootstraps_select_class_and_no_error():
    form = _Form({"email": "a@example.com", "level": "b"})
    html = _draw(form["level"])

    assert '<select name="level" class="form-select" id="id_level">' in html
    assert 'value="b" selected' in html
    assert "invalid" not in html and "aria-describedby" not in html


def test_checkboxes_are_refused_so_they_keep_crispys_markup():
    with pytest.raises(TypeError, match="agree"):
        bootstrap_widget(_Form()["agree"])


@pytest.mark.django_db
def test_a_bad_filter_value_on_the_certification_list_is_shown_beside_its_field(client):
    html = client.get(reverse("certifications:list"), {"fee_min": "abc"}).content.decode()

    control = re.search(r'<input type="number" name="fee_min"[^>]*>', html).group(0)
    assert "is-invalid" in control and 'aria-describedby="id_fee_min_error"' in control
    assert '<div id="id_fee_min_error" class="invalid-feedback">' in html
    assert "Enter a number." in html
