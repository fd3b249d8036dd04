# Career titles and employer names saved before the admin took out the characters no page
# shows (careers/names.py): "Acme\u200b" beside "Acme". A row whose name would then be
# another's, or empty, is left as it is and named on migrate's output.

import careers.names
from django.db import migrations


def clean_names(apps, schema_editor):
    careers.names.clean_stored_names(
        apps, ("careers", "Career", "title"), ("careers", "Employer", "name")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0010_slug_help"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
