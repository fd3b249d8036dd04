# "#" and "##" headings in editors' Markdown now render as h3 instead of bare text:
# render the stored HTML again (see careers/markdown.py).

import careers.markdown
from django.db import migrations


def render_stored_markdown(apps, schema_editor):
    careers.markdown.rerender(apps, ("certifications", "Certification", ["description_html"]))


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0011_plausible_exam_facts"),
    ]

    operations = [
        migrations.RunPython(render_stored_markdown, migrations.RunPython.noop),
    ]
