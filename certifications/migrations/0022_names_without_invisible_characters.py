# Certification and provider names saved before the admin took out the characters no page
# shows (careers/names.py): "Microsoft\u00ad" beside "Microsoft". A row whose name would then
# be another's, or empty, is left as it is and named on migrate's output.
#
# The characters and the rule are the ones frozen in careers 0011, not careers/names.py's live
# code, which may change: migrating a fresh database must do what this migration did.

import importlib

from django.db import migrations

careers_0011 = importlib.import_module(
    "careers.migrations.0011_names_without_invisible_characters"
)


def clean_names(apps, schema_editor):
    careers_0011.clean_stored_names(
        apps, ("certifications", "Certification", "name"), ("certifications", "Provider", "name")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0021_certification_chain_fields"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
