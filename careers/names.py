"""Names and titles as a page shows them: without the characters no page shows, which come
along when a name is pasted from a web page or a document. The admin reads every name so
(careers/admin/shared.py, NameField), and data migrations clean the names saved before it did
(`clean_stored_names`, careers/migrations/0011 and certifications/migrations/0022).
"""

# Zero-width space, word joiner, byte-order mark, soft hyphen. The zero-width joiner and
# non-joiner stay: they shape Persian and Indic words and join emoji.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def without_invisible(value: str) -> str:
    """`value` without the characters no page shows: "Acme\u200b" is "Acme"."""
    return value.translate(INVISIBLE)


def clean_stored_names(apps, *models_and_fields) -> None:
    """For a data migration: each row's name without its invisible characters, unless that
    would leave it empty or give it the name another row holds where names are unique; those
    rows are left as they are and named on migrate's output, for an editor to rename.

    clean_stored_names(apps, ("careers", "Employer", "name"), ("careers", "Career", "title"))
    """
    lines = []
    for app_label, model_name, field in models_and_fields:
        model = apps.get_model(app_label, model_name)
        unique = model._meta.get_field(field).unique
        label = f"{app_label}.{model_name}"
        rows = model._base_manager.order_by("pk").values_list("pk", field)
        dirty = [(pk, name) for pk, name in rows.iterator() if without_invisible(name) != name]
        cleaned = 0
        for pk, name in dirty:
            clean = without_invisible(name)
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
