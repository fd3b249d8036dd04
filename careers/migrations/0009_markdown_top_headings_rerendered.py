# "#" and "##" headings in editors' Markdown now render as h3 instead of bare text:
# render the stored HTML again (see careers/markdown.py).

import careers.markdown
from django.db import migrations


def render_stored_markdown(apps, schema_editor):
    careers.markdown.rerender(
        apps,
        ("careers", "Career", ["overview_html", "suitability_html"]),
        ("careers", "FAQ", ["answer_html"]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0008_plain_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(render_stored_markdown, migrations.RunPython.noop),
    ]
