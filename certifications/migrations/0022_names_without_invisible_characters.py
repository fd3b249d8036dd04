# Certification and provider names saved before the admin took out the characters no page
# shows (careers/names.py): "Microsoft\u00ad" beside "Microsoft". A row whose name would then
# be another's, or empty, is left as it is and named on migrate's output.

import careers.names
from django.db import migrations


def clean_names(apps, schema_editor):
    careers.names.clean_stored_names(
        apps, ("certifications", "Certification", "name"), ("certifications", "Provider", "name")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0021_certification_chain_fields"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
