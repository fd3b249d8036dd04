"""Names saved before the admin took out the characters no page shows (careers/names.py) are
cleaned by careers 0011 and certifications 0022; one that would then be another row's name, or
empty, is left as it was and named on migrate's output for the operator."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from careers.models import Career, Employer
from certifications.models import Certification, Provider

pytestmark = pytest.mark.django_db(transaction=True)

# "Data engineer" in Persian, whose non-joiner keeps two letters from joining as one word.
PERSIAN = "مهندس\u200cداده"  # noqa: RUF001 (Arabic letters, not Latin look-alikes)
BEFORE = [("careers", "0010_slug_help"), ("certifications", "0021_certification_chain_fields")]


def _before_the_clean():
    """The models as they were before the two migrations, the database migrated back to them."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    return executor.loader.project_state(BEFORE).apps


def _migrate():
    # On to the latest, as a deployment migrates (and the tests that follow expect).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _career(apps, title, slug):
    return apps.get_model("careers", "Career").objects.create(
        title=title, slug=slug, status="published", demand="high"
    )


def test_career_titles_and_employer_names_lose_their_invisible_characters(capsys):
    old = _before_the_clean()
    employer = old.get_model("careers", "Employer").objects
    _career(old, "Data\u200b Engineer", "data-engineer")
    _career(old, "Data Engineer", "data-engineer-2")  # titles need not differ
    persian = _career(old, PERSIAN, "persian")
    blank = _career(old, "\u00ad\u200b", "blank")
    initech = employer.create(name="Initech\ufeff\u00ad", slug="initech")
    globex = employer.create(name="Globex", slug="globex")
    second_globex = employer.create(name="Globex\u2060", slug="globex-2")
    umbrella = employer.create(name="Umbrella\u200b", slug="umbrella")
    second_umbrella = employer.create(name="Umbrella\u2060", slug="umbrella-2")
    capsys.readouterr()

    _migrate()

    assert sorted(Career.objects.values_list("title", flat=True)) == sorted(
        ["Data Engineer", "Data Engineer", PERSIAN, "\u00ad\u200b"]
    )
    names = dict(Employer.objects.values_list("pk", "name"))
    assert names == {
        initech.pk: "Initech",
        globex.pk: "Globex",
        second_globex.pk: "Globex\u2060",  # "Globex" is taken: left
        umbrella.pk: "Umbrella",
        second_umbrella.pk: "Umbrella\u2060",  # the first took "Umbrella"
    }
    assert Career.objects.get(pk=persian.pk).title == PERSIAN
    printed = capsys.readouterr().out
    assert printed.splitlines()[1:] == [
        f"  careers.Career {blank.pk} left as it is, '\\xad\\u200b': it has no visible "
        "character; give it one in the admin.",
        "  careers.Career: invisible characters taken out of 1 title(s).",
        f"  careers.Employer {second_globex.pk} left as it is, 'Globex\\u2060': without them it "
        f"is 'Globex', the name of careers.Employer {globex.pk}: rename one of the two in the "
        "admin.",
        f"  careers.Employer {second_umbrella.pk} left as it is, 'Umbrella\\u2060': without "
        f"them it is 'Umbrella', the name of careers.Employer {umbrella.pk}: rename one of the "
        "two in the admin.",
        "  careers.Employer: invisible characters taken out of 2 name(s).",
    ]


def test_certification_and_provider_names_lose_their_invisible_characters(capsys):
    old = _before_the_clean()
    provider = old.get_model("certifications", "Provider").objects
    microsoft = provider.create(name="Microsoft", slug="microsoft")
    second_microsoft = provider.create(name="Micro\u00adsoft", slug="microsoft-2")
    google = provider.create(name="Goo\u200bgle", slug="google")
    exams = old.get_model("certifications", "Certification").objects
    for name, slug in [("Azure\ufeff AI Fundamentals", "ai-900"), ("👩\u200d💻 Developer", "dev")]:
        exams.create(name=name, slug=slug, provider=microsoft, level="associate", summary="S.")
    capsys.readouterr()

    _migrate()

    assert dict(Provider.objects.values_list("pk", "name")) == {
        microsoft.pk: "Microsoft",
        second_microsoft.pk: "Micro\u00adsoft",
        google.pk: "Google",
    }
    assert set(Certification.objects.values_list("name", flat=True)) == {
        "Azure AI Fundamentals",
        "👩\u200d💻 Developer",  # the joiner makes one emoji of two
    }
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  certifications.Certification: invisible characters taken out of 1 name(s).",
        f"  certifications.Provider {second_microsoft.pk} left as it is, 'Micro\\xadsoft': "
        f"without them it is 'Microsoft', the name of certifications.Provider {microsoft.pk}: "
        "rename one of the two in the admin.",
        "  certifications.Provider: invisible characters taken out of 1 name(s).",
    ]


def test_a_later_change_to_the_admins_characters_leaves_what_the_migrations_do_alone(
    monkeypatch,
):
    """careers/names.py may come to take out more (the joiners, say); a database migrated from
    scratch must still get what the two migrations did when they shipped."""
    import careers.names

    more = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
    monkeypatch.setattr(careers.names, "INVISIBLE", more)
    old = _before_the_clean()
    persian = _career(old, PERSIAN, "persian")
    microsoft = old.get_model("certifications", "Provider").objects.create(
        name="Microsoft", slug="microsoft"
    )
    old.get_model("certifications", "Certification").objects.create(
        name="👩\u200d💻 Developer\u200b",
        slug="dev",
        provider=microsoft,
        level="associate",
        summary="S.",
    )

    _migrate()

    assert Career.objects.get(pk=persian.pk).title == PERSIAN
    assert Certification.objects.get(slug="dev").name == "👩\u200d💻 Developer"
