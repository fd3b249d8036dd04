from django.db import migrations


class Migration(migrations.Migration):
    """The chains (0019, Replacement) hold what earlier_successor held, for chains of any
    length."""

    dependencies = [
        ("certifications", "0019_replacement_chains"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="certification",
            name="earlier_successor",
        ),
    ]
