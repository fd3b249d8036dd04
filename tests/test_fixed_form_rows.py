"""A `fixed_fields` form's rows (the progress form, seven times on a learner's career page) are
drawn once per process and filled in with each form's ids and values: byte for byte the rows
drawn field by field, for every status, date and text a learner may have saved."""

import datetime
import re

import pytest
from django import forms
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from careerportal.templatetags import fields as fields_tags
from careerportal.templatetags.fields import field_row
from certifications.forms import PlanForm, ProgressForm
from certifications.models import CertificationProgress
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory
from tests.test_form_fields import _reference

text = st.text(alphabet=st.sampled_from(list("aZ09 <>&\"'é;#\n\r")), max_size=12)
day = st.one_of(st.none(), st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 1, 1)))
statuses = [*CertificationProgress.Status.values, "", "gone", None]


class OddWidgets(forms.Form):
    """Widgets the rows drawn once must leave to field-by-field drawing, or draw exactly."""

    fixed_fields = True

    hidden_password = forms.CharField(widget=forms.PasswordInput)
    shown_password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    localised = forms.DecimalField(localize=True, required=False)
    number = forms.IntegerField(help_text="<b>How many</b> & more")
    lazy_choice = forms.TypedChoiceField(
        choices=[("", "---"), ("1", "One"), ("Two", [("2a", "2 & a"), ("2b", "<2b>")])],
        required=False,
    )
    nullable = forms.NullBooleanField()
    text_area = forms.CharField(widget=forms.Textarea(attrs={"placeholder": 'a"b'}))


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from(statuses),
    exam_date=day,
    passed_on=st.one_of(day, text),
    words=st.lists(st.one_of(text, st.builds(mark_safe, text), st.integers()), min_size=3),
    prefix=st.sampled_from(["id_step0", "id_step12", "id_progress", 'a<b&"', "id"]),
)
def test_a_progress_form_draws_as_field_by_field_whatever_its_values(
    status, exam_date, passed_on, words, prefix
):
    initial = {
        "status": status,
        "exam_date": exam_date,
        "passed_on": passed_on,
        "credential_id": words[0],
        "verification_url": words[1],
        "notes": words[2],
        "seen": "none",
    }
    form = ProgressForm(initial=initial, auto_id=f"{prefix}_%s")
    for field in form.visible_fields():
        assert field_row(field) == _reference(field), field.name


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), text, st.builds(mark_safe, text), st.integers(), st.booleans()),
        min_size=7,
        max_size=7,
    ),
    auto_id=st.sampled_from(["id_%s", "x<y_%s", "%s", True]),
)
def test_odd_widgets_draw_as_field_by_field(values, auto_id):
    form = OddWidgets(
        initial=dict(zip(OddWidgets.base_fields, values, strict=True)), auto_id=auto_id
    )
    for field in form.visible_fields():
        assert field_row(field) == _reference(field), field.name


@pytest.mark.parametrize(
    "form",
    [
        ProgressForm({"status": "booked", "verification_url": "ftp://x", "notes": "<b>"}),
        ProgressForm(initial={"status": "passed"}, prefix="other"),
        ProgressForm(initial={"notes": "mine"}, auto_id=False),
        PlanForm({"weekly_hours": "0", "target_date": "03/04/2027"}),
        PlanForm(initial={"weekly_hours": 5, "target_date": datetime.date(2027, 1, 2)}),
    ],
)
def test_posted_forms_prefixes_and_forms_without_ids_draw_field_by_field(form):
    form.is_valid()
    for field in form.visible_fields():
        assert field_row(field) == _reference(field), field.name


def test_a_second_progress_form_draws_no_widget(monkeypatch):
    """The rows are drawn once per process: another step's form (other ids, notes and dates,
    the same status) is filled in, without building or drawing a widget."""
    monkeypatch.setattr(fields_tags, "_drawn", {}, raising=False)
    first = ProgressForm.for_learner(
        _Step(notes="first", exam_date=datetime.date(2026, 1, 2)), id_prefix="id_step0"
    )
    assert "first" in "".join(field_row(field) for field in first.visible_fields())

    drawn = []
    real_render = forms.Widget.render
    monkeypatch.setattr(
        forms.Widget, "render", lambda *args, **kw: drawn.append(args) or real_render(*args, **kw)
    )
    second = ProgressForm.for_learner(
        _Step(notes="<b>second</b>", exam_date=datetime.date(2027, 3, 4)), id_prefix="id_step1"
    )
    rows = "".join(field_row(field) for field in second.visible_fields())

    assert drawn == []
    assert '<textarea name="notes" cols="40" rows="3"' in rows
    assert 'id="id_step1_notes"' in rows and "id_step0" not in rows
    assert "&lt;b&gt;second&lt;/b&gt;</textarea>" in rows
    assert 'name="exam_date" value="2027-03-04"' in rows


class _Step:
    """A roadmap step as with_progress_for(user) annotates it: the learner's `my_*` values."""

    def __init__(self, **mine):
        self.my_status, self.my_updated_at = mine.pop("status", "studying"), None
        for name in ("exam_date", "passed_on", "credential_id", "verification_url", "notes"):
            setattr(self, f"my_{name}", mine.get(name))


def test_each_form_copies_the_status_choices_and_still_refuses_others():
    one, two = ProgressForm(), ProgressForm({"status": "gone"})
    one.fields["status"].choices.append(("extra", "Extra"))

    assert ("extra", "Extra") not in two.fields["status"].choices
    assert ("extra", "Extra") not in ProgressForm.base_fields["status"].choices
    assert not two.is_valid()
    assert two.errors["status"] == [
        "Select a valid choice. gone is not one of the available choices."
    ]


@pytest.mark.django_db
def test_a_learners_roadmap_forms_keep_their_own_ids_and_values(client_as_learner, learner):
    career = CareerFactory()
    mine, other = CertificationFactory(), CertificationFactory()
    RoadmapStepFactory(career=career, certification=mine, position=0)
    RoadmapStepFactory(career=career, certification=other, position=1)
    career.follows.create(user=learner)
    CertificationProgress.objects.create(
        user=learner,
        certification=mine,
        status="booked",
        exam_date=datetime.date(2030, 5, 6),
        notes='Lab 3 & "mock" <exam>',
    )

    html = client_as_learner.get(career.get_absolute_url()).content.decode()

    for name in ("status", "exam_date", "passed_on", "credential_id", "verification_url", "notes"):
        for position in (0, 1):
            assert len(re.findall(f'id="id_step{position}_{name}"', html)) == 1
            assert html.count(f'<label for="id_step{position}_{name}"') == 1
    first, second = html.split('id="div_id_step1_status"')
    assert '<option value="booked" selected>' in first
    assert '<option value="planning" selected>' in second
    assert 'name="exam_date" value="2030-05-06"' in first
    assert "Lab 3 &amp; &quot;mock&quot; &lt;exam&gt;</textarea>" in first
    assert "Lab 3" not in second
