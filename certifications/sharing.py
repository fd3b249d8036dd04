"""A learner's opt-in public page /u/<handle>/ and its Open Graph share image."""

import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from careerportal.cache import code_version
from careerportal.fonts import font_for, without_missing_symbols
from careers.models import Career
from certifications import roadmap
from certifications.models import (
    Certification,
    CertificationProgress,
    LearnerProfile,
    RoadmapStep,
)
from certifications.timezones import today_in

if TYPE_CHECKING:
    from PIL import ImageDraw

CARD_SIZE = (1200, 630)
CARD_MAX_CAREERS = 4
# The count beside each career, smaller than the title so that a title keeps about 600 of the
# card's 1040 pixels beside "12 of 15 required certifications held" (388 pixels).
CARD_LABEL_SIZE = 24
NOINDEX = "noindex, nofollow"


@dataclass(frozen=True)
class PublicProgress:
    """Only what the learner chose to share: careers with progress, certifications held."""

    profile: LearnerProfile
    careers: list
    held: list


def public_progress(handle: str) -> PublicProgress:
    """The shared progress behind a public handle, or 404 (three queries)."""
    profile = get_object_or_404(
        LearnerProfile.objects.select_related("user"),
        handle=handle,
        is_public=True,
        user__is_active=True,
    )
    today = today_in(profile.time_zone)  # the owner's today, whoever looks
    # Every row once: the held list below, and the careers' counts, read them.
    rows = list(
        CertificationProgress.objects.filter(user=profile.user)
        .select_related("certification", "certification__provider")
        .order_by("-passed_on", "certification__name", "certification_id")
        .only(
            "status",
            "exam_date",
            "passed_on",
            "certification__name",
            "certification__exam_code",
            "certification__slug",
            "certification__status",
            "certification__validity_months",
            "certification__provider__name",
        )
    )
    careers = list(
        Career.objects.published()
        .filter(follows__user=profile.user)
        .annotate(
            **RoadmapStep.objects.career_annotations_for(profile.user, today=today, rows=rows)
        )
        .order_by("follows__created_at", "pk")
        .only("pk", "title", "slug")
    )
    held = [
        row
        for row in rows
        if row.certification.status != Certification.Status.DRAFT
        and roadmap.standing(
            row, validity_months=row.certification.validity_months, today=today
        ).held
    ]
    return PublicProgress(profile=profile, careers=careers, held=held)


def _lowercase(view_name: str, handle: str) -> HttpResponsePermanentRedirect | None:
    """Handles are saved in lowercase: /u/Alice/, as someone typed or shared it, moves for good
    to /u/alice/ (None when the handle is lowercase already)."""
    if handle == handle.lower():
        return None
    return HttpResponsePermanentRedirect(reverse(view_name, kwargs={"handle": handle.lower()}))


@login_not_required
@require_safe
def public_profile(request, handle: str):
    if moved := _lowercase("profile", handle):
        return moved
    shared = public_progress(handle)
    response = render(
        request,
        "certifications/profile_public.html",
        {
            "handle": shared.profile.handle,
            "careers": shared.careers,
            "held": shared.held,
        },
    )
    response["X-Robots-Tag"] = NOINDEX
    if not request.user.is_authenticated:  # a signed-in visitor's copy is private, no-store
        # Revalidate every time, as the card does: once the learner stops sharing, changes
        # the handle or deletes the account, no proxy or browser may show the page again.
        response["Cache-Control"] = "no-cache"
    return response


def _write(draw: "ImageDraw.ImageDraw", xy, text: str, size: int, fill: str, width=None):
    """Draw the text (composed, less the emoji no font has) in a font that has its letters
    (careerportal.fonts), cut with an ellipsis to fit `width` pixels when given."""
    text = without_missing_symbols(unicodedata.normalize("NFC", text))
    font = font_for(text, size)
    if width is not None and draw.textlength(text, font=font) > width:
        while text and draw.textlength(text + "…", font=font) > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    draw.text(xy, text, font=font, fill=fill)


def career_label(career) -> str:
    """The count beside a career on the card, in the public page's words."""
    held, required = career.held_total, career.required_total
    if not required:  # every step optional or skipped: "0 of 0" said nothing
        return "no required certification to count"
    return f"{held} of {required} required certification{'' if required == 1 else 's'} held"


def draw_card(shared: PublicProgress) -> bytes:
    """A 1200x630 PNG: handle, up to four careers with progress bars, certifications held."""
    # Pillow is imported by the few requests that draw (it costs every worker ~3 MiB).
    from PIL import Image, ImageDraw

    width, height = CARD_SIZE
    ink, muted, accent, track = "#0f172a", "#475569", "#2563eb", "#e2e8f0"
    image = Image.new("RGB", CARD_SIZE, "#f8fafc")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 24, height], fill=accent)
    left, right = 80, width - 80

    _write(draw, (left, 60), "CareerPortal", 30, accent)
    _write(draw, (left, 100), f"@{shared.profile.handle}", 64, ink, width=right - left)

    y = 210
    careers = shared.careers[:CARD_MAX_CAREERS]
    if len(shared.careers) > CARD_MAX_CAREERS:
        # The "and N more" line takes the last career's place: below a fourth career it was
        # drawn over the "certifications held" line.
        careers = careers[:-1]
    if not careers:
        _write(draw, (left, y), "Not following any careers yet.", 32, muted)
    for career in careers:
        label = career_label(career)
        label_width = int(draw.textlength(label, font=font_for(label, CARD_LABEL_SIZE)))
        _write(draw, (left, y), career.title, 32, ink, width=right - left - label_width - 30)
        _write(draw, (right - label_width, y + 8), label, CARD_LABEL_SIZE, muted)
        bar_top = y + 46
        draw.rounded_rectangle([left, bar_top, right, bar_top + 18], radius=9, fill=track)
        if career.required_total and career.held_total:
            share = min(career.held_total / career.required_total, 1)
            filled = left + max(int((right - left) * share), 18)
            draw.rounded_rectangle([left, bar_top, filled, bar_top + 18], radius=9, fill=accent)
        y += 92
    if len(shared.careers) > len(careers):
        more = len(shared.careers) - len(careers)
        _write(draw, (left, y - 10), f"and {more} more", 24, muted)

    count = len(shared.held)
    summary = f"{count} certification{'' if count == 1 else 's'} held"
    _write(draw, (left, height - 80), summary, 36, ink)

    buffer = io.BytesIO()
    # zlib's default level: optimize=True made the card take 1.8x the CPU for 5% fewer bytes.
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def card_etag(shared: PublicProgress) -> str:
    """Everything the card draws, with the code that draws it (careerportal.cache's
    code_version), as an ETag: the same card asked for again is answered 304 unless the
    learner's progress, a followed career's title or the drawing changed."""
    drawn = [
        code_version(),
        shared.profile.handle,
        len(shared.held),
        [[c.title, c.held_total, c.required_total] for c in shared.careers],
    ]
    return f'"{hashlib.sha256(json.dumps(drawn).encode()).hexdigest()[:32]}"'


@login_not_required
@require_safe
def public_profile_card(request, handle: str):
    if moved := _lowercase("profile-card", handle):
        return moved
    shared = public_progress(handle)
    etag = card_etag(shared)
    # A browser or a site's link preview asking again with the card it has is told it is
    # current, without the drawing (about 14 ms of CPU and 38 KB each time).
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        draw_card(shared), content_type="image/png"
    )
    response["ETag"] = etag
    # Revalidate every time: once the learner stops sharing, the image must go too.
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = NOINDEX
    return response
