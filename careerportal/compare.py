"""The picks of a compare page (`?careers=a&careers=b`, `?certifications=...`), read the same
way for careers and certifications: blanks and repeats dropped, unknown slugs named."""

MAX_PICKS = 3


def read_picks(values, known, *, noun: str) -> tuple[list[str], list[str]]:
    """The known slugs among `values` in the order given, and notices for the rest.

    `known` holds the slugs a visitor may compare; `noun` is the plural the notices use.
    More than MAX_PICKS known slugs are all returned, with a notice: the caller shows none.
    """
    by_lower = {slug.lower(): slug for slug in known}  # "CKA" picks "cka", as its page does
    given = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    notices = []
    unknown = [slug for slug in given if slug.lower() not in by_lower]
    if unknown:
        names = ", ".join(f"“{slug[:40]}”" for slug in unknown[:5])
        notices.append(f"We could not find these {noun}: {names}.")
    slugs = list(dict.fromkeys(by_lower[slug.lower()] for slug in given if slug not in unknown))
    if len(slugs) > MAX_PICKS:
        notices.append(f"You can compare at most three {noun} at a time; pick two or three.")
    return slugs, notices
