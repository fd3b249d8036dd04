"""Uploaded logos: validated by content, decoded under a pixel cap, re-encoded small.

Stock ImageField trusts too much (measured: it accepted 5 of 9 hostile files: an 11 KB PNG
of 90 megapixels, a GIF with HTML appended, a JPEG named .png, a TIFF, an EPS), so every
employer and provider logo goes through `process_logo`. The checks run cheapest first:

1. size <= 2 MiB, before any decoding;
2. the format from the file's first bytes (PNG, JPEG or WebP), never from its name, and
   a name whose extension says otherwise is refused (a JPEG named .png);
3. Pillow opens it with only that one decoder enabled (an EPS never reaches Ghostscript),
   with its decompression-bomb warning raised as an error, and under our own 16.7 Mpx cap;
4. a full decode (truncated or corrupt files fail here, not later in a browser);
5. a strip so thin that it would scale to under a pixel across is refused;
6. a fresh LOGO_SIZE x LOGO_SIZE PNG is drawn from the pixels alone, so no EXIF (GPS),
   ICC profile, text chunk or appended payload survives, and it gets a random name.

Each refusal is a ValidationError with a message an editor can act on.
"""

import io
import unicodedata
import uuid
import warnings
from pathlib import PurePath
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models

from careerportal.fonts import font_for

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 16_777_216  # 4096 x 4096
LOGO_SIZE = 256
# Pages show a logo 48 to 72 pixels across (twice that on sharp screens): one smaller than
# this on its longer side would be blown up into a blur.
MIN_LOGO_SIDE = 48
ACCEPTED = "PNG, JPEG or WebP"

# Magic numbers of the formats we accept (WebP is RIFF....WEBP).
_SIGNATURES = {
    "PNG": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "JPEG": lambda h: h.startswith(b"\xff\xd8\xff"),
    "WEBP": lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
}
# Formats editors commonly try, named in the refusal so they know what to export instead.
_REFUSED_SIGNATURES = [
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%!PS", "a PostScript/EPS file"),
    (b"\xc5\xd0\xd3\xc6", "an EPS file"),
    (b"%PDF", "a PDF document"),
    (b"BM", "a BMP image"),
    (b"\x00\x00\x01\x00", "an ICO icon"),
]
EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jfif": "JPEG", ".webp": "WEBP"}
FORMAT_LABELS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}


def sniff_format(head: bytes) -> str | None:
    """Return "PNG", "JPEG" or "WEBP" when the first bytes say so, else None."""
    for fmt, matches in _SIGNATURES.items():
        if matches(head):
            return fmt
    return None


def _describe_refused(head: bytes) -> str:
    for prefix, label in _REFUSED_SIGNATURES:
        if head.startswith(prefix):
            return label
    if head[4:8] == b"ftyp":
        return "a HEIC/AVIF image"
    if head.lstrip()[:1] == b"<":
        return "an SVG, HTML or XML text file"
    return "not an image"


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_name(name: str, fmt: str) -> None:
    suffix = PurePath(name or "").suffix.lower()
    if not suffix:
        return
    named = EXTENSIONS.get(suffix)
    if named is None:
        _refuse(
            f"Logo files must end in .png, .jpg or .webp; “{suffix}” is not accepted.",
            "bad_extension",
        )
    if named != fmt:
        _refuse(
            f"This file is named {suffix} but contains a {FORMAT_LABELS[fmt]} image. "
            f"Rename it to match its content, or export it again as {FORMAT_LABELS[named]}.",
            "extension_mismatch",
        )


def _decode(data: bytes, fmt: str) -> "Image.Image":
    """Fully decode under the pixel cap and return an RGBA copy of the first frame."""
    # Pillow is imported only where logos are decoded or drawn: models import this module,
    # and most requests never touch an image (it costs every worker ~3 MiB).
    from PIL import Image, ImageOps

    limit = (
        f"the limit is {MAX_PIXELS // 100_000 / 10} megapixels (4096 x 4096). Export it smaller."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    _refuse(
                        f"The image is {width} x {height} pixels "
                        f"({width * height / 1e6:.1f} megapixels); {limit}",
                        "too_many_pixels",
                    )
                image.load()  # full decode: truncated or corrupt files fail here
                return ImageOps.exif_transpose(image).convert("RGBA")
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(
            f"The image has far too many pixels; {limit}", code="too_many_pixels"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, Image.UnidentifiedImageError):
        raise ValidationError(
            f"The file starts like a {FORMAT_LABELS[fmt]} image but could not be read to the "
            "end; it may be truncated or damaged. Export it again.",
            code="corrupt",
        ) from None


def process_logo(upload) -> ContentFile:
    """Return a clean LOGO_SIZE-square PNG of the uploaded logo, or raise ValidationError."""
    from PIL import Image, ImageOps

    size = getattr(upload, "size", None)
    too_large = "The logo must be at most 2 MiB; this file is larger. Export a smaller version."
    if size is None or size > MAX_BYTES:
        _refuse(too_large, "too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # the reported size lied
        _refuse(too_large, "too_large")
    head = data[:16]
    fmt = sniff_format(head)
    if fmt is None:
        _refuse(f"Upload a {ACCEPTED} image; this file is {_describe_refused(head)}.", "bad_format")
    _check_name(getattr(upload, "name", ""), fmt)
    image = _decode(data, fmt)
    width, height = image.size
    if round(min(width, height) * LOGO_SIZE / max(width, height)) < 1:
        _refuse(
            f"The image is {width} x {height} pixels: too thin a strip to show as a logo, "
            "which would be under one pixel high or wide. Export it closer to square.",
            "too_thin",
        )
    if max(width, height) < MIN_LOGO_SIDE:
        _refuse(
            f"The image is {width} x {height} pixels: pages show a logo up to 72 pixels across "
            f"(144 on sharp screens), so it would look blurred. Upload one at least "
            f"{MIN_LOGO_SIDE} pixels wide or high.",
            "too_small",
        )
    # Scale to fit the square, centred on transparency: every logo has the same box.
    image = ImageOps.contain(image, (LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    clean = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (255, 255, 255, 0))
    clean.paste(image, ((LOGO_SIZE - image.width) // 2, (LOGO_SIZE - image.height) // 2))
    out = io.BytesIO()
    # A new image carries no EXIF, ICC profile or text chunks from the upload.
    clean.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.png")


class LogoFormField(forms.FileField):
    """A file field whose cleaned value is the re-encoded logo, never the upload itself."""

    # Django's "Please either submit a file or check the clear checkbox, not both." named
    # neither the logo nor what to do, and the file chosen is dropped with the page.
    default_error_messages = {
        "contradiction": "Either upload a new logo or clear the current one, not both: untick "
        "“Clear” and choose the new file again, or save with “Clear” alone.",
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial and hasattr(value, "read"):
            return process_logo(value)
        return value


class LogoField(models.FileField):
    """A logo stored as a re-encoded PNG under a generated name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", "logos/")
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # No length limit on the uploaded file's name: it is stored under a generated one.
        return super().formfield(**{"form_class": LogoFormField, "max_length": None, **kwargs})


# White text on each colour has at least 4.5:1 contrast.
MONOGRAM_PALETTE = ["#1d4ed8", "#6d28d9", "#be185d", "#047857", "#b45309", "#0e7490", "#4338ca"]


def monogram_initials(name: str) -> str:
    """Up to two initials from the name's words ("Google DeepMind" -> "GD"), or "?"."""
    words = [w for w in name.replace("-", " ").replace("&", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def monogram_png(name: str, size: int = 128) -> bytes:
    """Return a PNG monogram: initials on a colour picked deterministically from the name."""
    from PIL import Image, ImageDraw

    initials = monogram_initials(unicodedata.normalize("NFC", name))
    colour = MONOGRAM_PALETTE[sum(map(ord, name)) % len(MONOGRAM_PALETTE)]
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    font = font_for(initials, size * (0.42 if len(initials) > 1 else 0.5))
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
