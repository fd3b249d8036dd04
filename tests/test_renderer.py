"""careerportal/renderer.py draws widgets byte for byte as Django's own templates do."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from careerportal.renderer import INPUTS, FormRenderer
from certifications.models import CertificationProgress
from tests.factories import career_on_a_renamed_exam

DJANGOS = DjangoTemplates()
OURS = FormRenderer()
WIDGET_TEMPLATES = Path(django.__file__).parent / "forms/templates/django/forms/widgets"

INPUT_WIDGETS = [
    forms.TextInput,
    forms.EmailInput,
    forms.URLInput,
    forms.NumberInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.HiddenInput,
    forms.FileInput,
    forms.CheckboxInput,
    lambda: forms.PasswordInput(render_value=True),
    forms.Textarea,
]
# Markup, quotes, ampersands, entities and non-ASCII: what escaping has to get right.
text = st.text(alphabet=st.sampled_from(list("aZ09 <>&\"'é;#/=")), max_size=12)
safe_text = st.builds(mark_safe, text)
lazy_text = st.sampled_from([gettext_lazy("Exam booked"), gettext_lazy("<b>&</b>")])
plain = st.one_of(text, st.integers(-5000, 5000), st.decimals(-100, 100, places=2))
value = st.one_of(st.none(), plain, safe_text, st.dates(), st.booleans())
attrs = st.dictionaries(
    st.sampled_from(["class", "id", "placeholder", "required", "maxlength", "aria-x", "data-a"]),
    st.one_of(text, safe_text, lazy_text, st.booleans(), st.integers(0, 500)),
    max_size=4,
)
label = st.one_of(text, safe_text, lazy_text, st.integers(0, 2000), st.dates())
choice = st.tuples(st.one_of(text, st.integers(0, 9), st.none()), label)
choices = st.lists(
    st.one_of(choice, st.tuples(st.one_of(text, lazy_text), st.lists(choice, max_size=3))),
    max_size=5,
)


def both(widget, name, data, extra_attrs):
    return (
        widget.render(name, data, extra_attrs, renderer=DJANGOS),
        widget.render(name, data, extra_attrs, renderer=OURS),
    )


@settings(max_examples=300, deadline=None)
@given(make=st.sampled_from(INPUT_WIDGETS), name=text, data=value, extra_attrs=attrs)
def test_inputs_and_text_areas_match_djangos_templates(make, name, data, extra_attrs):
    theirs, ours = both(make(), name, data, extra_attrs)
    assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(
    multiple=st.booleans(),
    listed=choices,
    name=text,
    data=st.one_of(value, st.lists(plain, max_size=3)),
    extra_attrs=attrs,
)
def test_selects_with_groups_match_djangos_templates(multiple, listed, name, data, extra_attrs):
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=listed)
    theirs, ours = both(widget, name, data, extra_attrs)
    assert ours == theirs


def test_a_select_with_an_option_template_of_its_own_keeps_it():
    class Bare(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"  # any template but Django's

    theirs, ours = both(Bare(choices=[("a", "A")]), "x", "a", {"class": "c"})
    assert ours == theirs
    assert "<option" not in ours


def test_every_widget_template_drawn_in_python_is_djangos_input_template():
    """Django's upgrade notes rarely mention widget markup: pin what we copy."""
    for name in INPUTS - {"django/forms/widgets/input.html"}:
        source = (WIDGET_TEMPLATES / Path(name).name).read_text()
        assert source.strip() == '{% include "django/forms/widgets/input.html" %}', name
    assert (WIDGET_TEMPLATES / "input.html").read_text().strip() == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>'
    )


NONCES = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def page(client, url):
    return NONCES.sub(r'\1=""', client.get(url).content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "{career}",
        "/careers/?q=%3Cb%3E&category=nope&sort=salary&country=GB&level=senior",
        "/certifications/?level=associate&provider=x&q=%22",
        "/dashboard/",
        "/accounts/settings/",
        "/admin/certifications/roadmapstep/add/",
        "/admin/careers/career/add/",
        "/admin/careers/salaryfigure/add/",
        "/admin/certifications/certification/add/",
        "/admin/careers/employer/add/",
    ],
)
def test_the_sites_forms_look_the_same_with_djangos_renderer(client_as_staff, staff, settings, url):
    """A signed-in learner's roadmap (with a retired step), filters and admin forms."""
    career, retired, _successor = career_on_a_renamed_exam()
    career.follows.create(user=staff)
    CertificationProgress.objects.create(
        user=staff,
        certification=retired,
        status="passed",
        notes="<b>&</b>",
        passed_on=datetime.date(2025, 1, 2),
    )
    url = url.format(career=career.get_absolute_url())

    ours = page(client_as_staff, url)
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    theirs = page(client_as_staff, url)

    assert "<select" in ours or "<input" in ours
    assert ours == theirs


def test_the_site_uses_it():
    assert isinstance(forms.Form().renderer, FormRenderer)


def test_values_are_localised_as_templates_localise_them():
    widget = forms.Select(choices=[(1, Decimal("1234.5")), (2, datetime.date(2026, 11, 29))])
    theirs, ours = both(widget, "n", 2, None)
    assert ours == theirs
