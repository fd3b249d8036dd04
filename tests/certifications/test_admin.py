"""The certification form in the admin as editors use it: what a save accepts and refuses."""

import pytest
from django.apps import apps
from django.db import models

from certifications.models import Certification
from tests.careers.test_admin import admin_url, assert_saved, form_data
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def post_change(client, certification, **changes):
    """POST the certification's change form with `changes` applied; the response."""
    url = admin_url(Certification, "change", certification.pk)
    data = form_data(client.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    return client.post(url, data)


def refused(response, message):
    assert response.status_code == 200, "the form was saved"
    html = response.content.decode()
    assert message in html
    assert "Constraint “" not in html
    return html


# Plain messages, not constraint names


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exam_fee": "-5"}, "The exam fee cannot be negative"),
        ({"validity_months": "0"}, "Validity is at least a month"),
        ({"fee_currency": "QQQ"}, "“QQQ” is not a currency code"),
        ({"fee_currency": "XXX"}, "“XXX” is not a currency code"),
    ],
)
def test_a_bad_exam_fact_is_refused_with_a_plain_message(client_as_staff, changes, message):
    certification = CertificationFactory(exam_fee=150, validity_months=24, fee_currency="USD")
    refused(post_change(client_as_staff, certification, **changes), message)
    certification.refresh_from_db()
    assert (certification.exam_fee, certification.validity_months) == (150, 24)
    assert certification.fee_currency == "USD"


def test_a_lowercase_fee_currency_is_saved_in_capitals(client_as_staff):
    certification = CertificationFactory(fee_currency="USD")
    assert_saved(post_change(client_as_staff, certification, fee_currency=" eur"))
    certification.refresh_from_db()
    assert certification.fee_currency == "EUR"


def test_every_check_constraint_has_a_message_for_editors():
    for app in ("careers", "certifications"):
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.CheckConstraint):
                    message = constraint.get_violation_error_message()
                    assert "Constraint" not in message, (model, constraint.name)
