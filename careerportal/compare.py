"""The picks of a compare page (`?careers=a&careers=b`, `?certifications=...`), read the same
way for careers and certifications: blanks and repeats dropped, unknown slugs named. A pick
may also be a name the picker's suggestions offer (`aliases`), as typed into its text box,
in any case and folded as searches fold it ("istanbul veri mühendisi" picks "İstanbul Veri
Mühendisi", "strasse datenanalyst" picks "Straße Datenanalyst": careerportal.query.folded),
or a part of one name alone, or a misspelt name, as the site's search finds them ("data
scientst" picks "Data Scientist", saying so)."""

from typing import NamedTuple
from urllib.parse import urlencode

from careerportal.query import finds, folded, respelled, searched_rows

MAX_PICKS = 3
SUGGESTED = 4  # comparisons a lone pick is offered


class Picks(NamedTuple):
    slugs: list[str]
    notices: list[str]
    unfound: list[str]  # what was typed for none of them, to show again in its box


def read_picks(values, known, *, noun: str, aliases=None, tell_repeats=False) -> Picks:
    """The known slugs among `values` in the order given, and notices for the rest.

    `known` maps the slugs a visitor may compare to their names; `noun` is the plural the
    notices use; `aliases` maps other folded texts that name one of them (a title, an exam
    code) to its slug (`unique_aliases`). More than MAX_PICKS known slugs are all returned,
    with a notice: the caller shows none. `tell_repeats` adds a notice naming a pick given
    more than once (the certification page answers a lone pick, repeated or not, with
    suggestions to compare it with instead).
    """
    # "CKA" picks "cka", as its page does; a slug wins over a name that happens to equal it.
    by_folded = {**(aliases or {}), **{folded(slug): slug for slug in known}}
    typed = [value.strip() for value in values if value.strip()]
    given = list(dict.fromkeys(typed))
    notices = []
    unknown = [slug for slug in given if folded(slug) not in by_folded]
    found = {text: closest(text, known) for text in unknown[:MAX_PICKS]}
    for text, slugs in found.items():
        if len(slugs) == 1:
            by_folded[folded(text)] = slugs[0]
            notices.append(f"We read “{text[:40]}” as {known[slugs[0]]}.")
            unknown.remove(text)
    # A text several names hold was found, not missed: it is told what it could be instead.
    ambiguous = [text for text in unknown if len(found.get(text, ())) > 1]
    missed = [text for text in unknown if text not in ambiguous]
    if missed:
        names = ", ".join(f"“{text[:40]}”" for text in missed[:5])
        notices.append(f"We could not find these {noun}: {names}.")
    for text in ambiguous:
        names = ", ".join(known[slug] for slug in found[text][:5])
        notices.append(f"“{text[:40]}” could be {names}: type more of the one you mean.")
    picked = [by_folded[folded(slug)] for slug in typed if slug not in unknown]
    slugs = list(dict.fromkeys(picked))
    # The same one twice (one box copied into the next): say so, rather than leave "pick at
    # least two" to puzzle someone who did.
    repeated = [slug for slug in slugs if picked.count(slug) > 1]
    if repeated and tell_repeats:
        names = ", ".join(f"“{known[slug]}”" for slug in repeated)
        notices.append(f"You picked {names} more than once; it counts once.")
    if len(slugs) > MAX_PICKS:
        notices.append(f"You can compare at most three {noun} at a time; pick two or three.")
    return Picks(slugs, notices, [text[:100] for text in unknown])


def closest(text, known) -> list[str]:
    """The slugs of `known` ({slug: name}) whose name a search for the text finds, the text
    respelled in the names' words when it finds none as typed: "ai / ml" finds "AI / ML
    Engineer", "data scientst" "Data Scientist". In memory: no query."""
    rows = searched_rows(((slug,), [name]) for slug, name in known.items())
    for words in (text, respelled(text, {word for row in rows for word in row.words})):
        hits = [row.facts[0] for row in rows if words and finds(words, [row.text])]
        if hits:
            return hits
    return []


def unique_aliases(named) -> dict[str, str]:
    """{folded text: slug} from (slug, texts) pairs, leaving out a text that names two
    (AI-900 and its successor AI-901 share a name: only their codes tell them apart)."""
    aliases, ambiguous = {}, set()
    for slug, texts in named:
        for text in {folded(text.strip()) for text in texts if text and text.strip()}:
            if aliases.setdefault(text, slug) != slug:
                ambiguous.add(text)
    return {text: slug for text, slug in aliases.items() if text not in ambiguous}


def suggested_comparisons(url: str, param: str, slug: str, others, **kept) -> list[dict]:
    """The links a compare page with one pick offers: {"label", "url"} for each (slug, label)
    of `others`, the url comparing `slug` with it (`kept`: other query parameters to carry)."""
    return [
        {"label": label, "url": f"{url}?{urlencode({param: [slug, other], **kept}, doseq=True)}"}
        for other, label in others
    ]
