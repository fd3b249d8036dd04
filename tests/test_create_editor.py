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


def _create_without_a_terminal(monkeypatch, **variables):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "chief")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "chief@example.org")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    out = StringIO()
    call_command("createsuperuser", "--noinput", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_without_a_terminal_a_password_the_site_would_refuse_is_refused(monkeypatch):
    with pytest.raises(CommandError) as refused:
        _create_without_a_terminal(monkeypatch, DJANGO_SUPERUSER_PASSWORD="123")

    assert str(refused.value).startswith("DJANGO_SUPERUSER_PASSWORD: This password is too short.")
    assert not get_user_model().objects.filter(username="chief").exists()


@pytest.mark.django_db
def test_without_a_password_the_operator_is_told_the_editor_cannot_sign_in_yet(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    said = _create_without_a_terminal(monkeypatch)

    assert said.splitlines() == [
        "Superuser created successfully.",
        "chief has no password (DJANGO_SUPERUSER_PASSWORD was not set), so cannot sign in "
        "until one is set: manage.py changepassword chief",
    ]
    assert not get_user_model().objects.get(username="chief").has_usable_password()


@pytest.mark.django_db
def test_without_a_terminal_an_editor_is_made_from_the_variables_and_signs_in(client, monkeypatch):
    said = _create_without_a_terminal(monkeypatch, DJANGO_SUPERUSER_PASSWORD=PASSWORD)

    assert said.splitlines() == ["Superuser created successfully."]
    client.post(reverse("account_login"), {"login": "chief@example.org", "password": PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_editor_commands_help_speaks_of_an_editor_not_a_superuser():
    from careerportal.management.commands.create_editor import Command

    usage = Command().create_parser("manage.py", "create_editor").format_help()
    described, options = usage.split("options:")
    assert "not a superuser" in " ".join(described.split())
    assert "superuser" not in options.lower()
    assert "Specifies the login for the editor." in " ".join(options.split())
