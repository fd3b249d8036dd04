"""`manage.py createsuperuser`, as the README has an operator create an editor: the site (and
so the admin) signs in by e-mail address alone, so the command insists on one that works."""

import getpass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

PASSWORD = "Correct-horse-9-battery"


class Terminal(StringIO):
    def isatty(self):
        return True


def _create_interactively(monkeypatch, answers):
    """Run the command as at a terminal, typing `answers` (username, then e-mail prompts)."""
    typed = iter(answers)
    asked = []

    def fake_input(prompt):
        asked.append(prompt)
        return next(typed)

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="Password: ": PASSWORD)
    err = StringIO()
    call_command("createsuperuser", stdin=Terminal(), stdout=StringIO(), stderr=err)
    return asked, err.getvalue()


def test_an_editor_is_asked_again_until_the_address_is_one_they_can_sign_in_with(
    client, learner, monkeypatch
):
    asked, errors = _create_interactively(
        monkeypatch, ["chief", "", "LEARNER@Example.com", "Chief@Example.ORG"]
    )

    assert asked[1:] == ["Email address: "] * 3  # after the username
    assert errors.splitlines() == [
        "Error: Editors sign in with their e-mail address: give one.",
        "Error: Another account signs in with learner@example.com: give another address, or "
        "make that account an editor in the admin.",
    ]
    editor = get_user_model().objects.get(username="chief")
    assert (editor.email, editor.is_superuser) == ("chief@example.org", True)
    # The README's next step: sign in with that address, then open the admin.
    signed_in = client.post(
        reverse("account_login"), {"login": "Chief@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("email", "refusal"),
    [
        ("", "Editors sign in with their e-mail address: give one."),
        ("learner@EXAMPLE.com", "Another account signs in with learner@example.com"),
    ],
)
def test_without_a_terminal_an_address_no_one_can_sign_in_with_is_refused(
    learner, monkeypatch, email, refusal
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", email)

    with pytest.raises(CommandError, match=refusal):
        call_command("createsuperuser", "--noinput", "--username", "chief", stdout=StringIO())

    assert not get_user_model().objects.filter(username="chief").exists()
