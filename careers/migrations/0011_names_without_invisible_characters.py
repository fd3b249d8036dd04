# Career titles and employer names saved before the admin took out the characters no page
# shows (careers/names.py): "Acme\u200b" beside "Acme". A row whose name would then be
# another's, or empty, is left as it is and named on migrate's output.
#
# What this migration takes out, and how, is frozen here rather than imported from
# careers/names.py: a later change there (one more character, another rule) must not change
# what this migration does to a database migrated from scratch. certifications 0022 holds its
# own copy for certification and provider names (careers never depends on certifications, and
# neither app's migrations read the other's files); neither may change after.

from django.db import migrations

# Zero-width space, word joiner, byte-order mark, soft hyphen; the zero-width joiner and
# non-joiner stay (they shape Persian and Indic words and join emoji).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def clean_stored_names(apps, *models_and_fields) -> None:
    """Each row's name without its invisible characters, unless that would leave it empty or
    give it the name another row holds where names are unique; those rows are left as they
    are and named on migrate's output, for an editor to rename."""
    lines = []
    for app_label, model_name, field in models_and_fields:
        model = apps.get_model(app_label, model_name)
        unique = model._meta.get_field(field).unique
        label = f"{app_label}.{model_name}"
        rows = model._base_manager.order_by("pk").values_list("pk", field)
        dirty = [(pk, name) for pk, name in rows.iterator() if name.translate(INVISIBLE) != name]
        cleaned = 0
        for pk, name in dirty:
            clean = name.translate(INVISIBLE)
            others = model._base_manager.filter(**{field: clean}).exclude(pk=pk)
            holder = others.values_list("pk", flat=True).first() if unique else None
            # repr() writes each invisible character as its code (\u200b), for the operator.
            left = f"  {label} {pk} left as it is, {name!r}:"
            if not clean.strip():
                lines.append(f"{left} it has no visible character; give it one in the admin.")
            elif holder is not None:
                why = f"without them it is {clean!r}, the {field} of {label} {holder}"
                lines.append(f"{left} {why}: rename one of the two in the admin.")
            else:
                model._base_manager.filter(pk=pk).update(**{field: clean})
                cleaned += 1
        if cleaned:
            lines.append(f"  {label}: invisible characters taken out of {cleaned} {field}(s).")
    if lines:  # on lines of their own, after migrate's "Applying …"
        print("\n" + "\n".join(lines))


def clean_names(apps, schema_editor):
    clean_stored_names(apps, ("careers", "Career", "title"), ("careers", "Employer", "name"))


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0010_slug_help"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
