"""includes/_field.html: text inputs and selects drawn as crispy's Bootstrap 5 pack draws them."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from careerportal.templatetags.fields import bootstrap_widget


class _Form(forms.Form):
    email = forms.EmailField(label="Email", help_text="We never share it.")
    level = forms.ChoiceField(label="Level", required=False, choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(required=False)


def _draw(field) -> str:
    return render_to_string("includes/_field.html", {"field": field})


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
