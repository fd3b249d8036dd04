"""Fonts for the images the site draws: the public progress card and employer monograms.

Pillow's own font has ASCII alone: "Ingénieur", "Инженер" or "工程师" came out with an empty box
for each other letter. Each text is drawn in the first font that has all its characters:
Pillow's own (the look the images were made with), then settings.IMAGE_FONTS in order; where
none has them all, the one that has the most. Pillow is imported only by the requests that
draw (it costs a worker about 3 MiB).
"""

import functools
import unicodedata

from django.conf import settings

# A code point no font draws (a Unicode noncharacter): what a missing letter looks like.
NOT_A_CHARACTER = "\uffff"
PROBE_SIZE = 24


@functools.lru_cache(maxsize=64)
def _font(path: str | None, size: float):
    from PIL import ImageFont

    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size=size)


def _shape(font, text: str) -> tuple:
    mask = font.getmask(text)
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=4096)
def _has(path: str | None, char: str) -> bool:
    """Whether the font draws the character as itself, not as its missing-letter box. A space,
    or a mark (an accent, a vowel sign) that a font draws on a placeholder when alone, counts
    as drawn: the letters it belongs to decide."""
    if char.isspace() or unicodedata.category(char).startswith("M"):
        return True
    font = _font(path, PROBE_SIZE)
    return _shape(font, char) != _shape(font, NOT_A_CHARACTER)


def _paths() -> list[str | None]:
    return [None, *settings.IMAGE_FONTS]


def font_for(text: str, size: float):
    """A Pillow font of `size` pixels that draws the text (composed, NFC, as it should be
    drawn), letter for letter if any can."""
    chars = set(unicodedata.normalize("NFC", text))
    best, best_count = None, -1
    for path in _paths():
        count = sum(_has(path, char) for char in chars)
        if count == len(chars):
            return _font(path, size)
        if count > best_count:
            best, best_count = path, count
    return _font(best, size)


# Joined into one emoji with the pictographs around them; nothing to draw once those are gone.
EMOJI_JOINERS = frozenset("\u200d\ufe0e\ufe0f")


def without_missing_symbols(text: str) -> str:
    """The text less the pictographs (emoji, their skin tones) that no font here draws: each
    was an empty box on the card. Letters stay, box or not: leaving one out changes a word."""
    missing = {
        char
        for char in set(text)
        if unicodedata.category(char) in ("So", "Sk")
        and not any(_has(path, char) for path in _paths())
    }
    if not missing:
        return text
    kept = "".join(char for char in text if char not in missing and char not in EMOJI_JOINERS)
    return " ".join(kept.split()) or text
