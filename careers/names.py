"""Names and titles as a page shows them: without the characters no page shows, which come
along when a name is pasted from a web page or a document. The admin reads every name so
(careers/admin/shared.py, NameField). The data migrations that cleaned the names saved before
it did (careers/migrations/0011, certifications/migrations/0022) keep their own frozen copy of
this set: a change here changes what the admin saves, never what those migrations did.
"""

# Zero-width space, word joiner, byte-order mark, soft hyphen. The zero-width joiner and
# non-joiner stay: they shape Persian and Indic words and join emoji.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))


def without_invisible(value: str) -> str:
    """`value` without the characters no page shows: "Acme\u200b" is "Acme"."""
    return value.translate(INVISIBLE)
