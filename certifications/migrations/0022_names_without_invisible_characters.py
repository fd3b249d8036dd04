# Certification and provider names saved before the admin took out the characters no page
# shows (careers/names.py): "Microsoft\u00ad" beside "Microsoft". A row whose name would then
# be another's, or empty, is left as it is and named on migrate's output.
#
# The characters and the rule are frozen here, as careers 0011 froze them for career titles
# and employer names, not imported from careers/names.py's live code, which may change:
# migrating a fresh database must do what this migration did. Nor are they imported from
# careers 0011: a migration that reads another app's migration files ties the two histories
# together (squashing careers' migrations and deleting 0011 would break this one), so the
# copy is this migration's own, and the two may not change after.

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
    clean_stored_names(
        apps, ("certifications", "Certification", "name"), ("certifications", "Provider", "name")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0021_certification_chain_fields"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
