"""Load the demo content in `fixtures/` into the database, idempotently.

The files are the source of truth for the rows they name: running the load again puts an
edited demo row back to its file's values. Rows the files do not name (careers, employers or
certifications an editor added in the admin) are never touched, and nothing a learner may
point at (a certification, a career) is deleted because it left a file.

Every object is keyed on its slug or natural key. A row is saved only when a value differs
from what is stored, so a second run creates nothing, changes nothing and leaves every
`updated_at` where it was. Ordered children (responsibilities, day entries, FAQs) are synced
by position; hiring links and roadmap steps by employer and certification, because their
unique constraints would trip over a position-by-position swap.
"""

import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from careers.images import process_logo
from careers.models import (
    FAQ,
    Career,
    DayInTheLifeEntry,
    Employer,
    Hiring,
    Responsibility,
    SalaryFigure,
)
from certifications.models import Certification, Provider, RoadmapStep
from certifications.services.chains import successor_chain_record

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures"
LEVELS = ("entry", "mid", "senior", "lead")
# Keys a data file may carry for editors and reviewers; never loaded, never shown.
NOTE_KEYS = {"source", "note", "notes"}


class DemoContentError(Exception):
    """Bad demo data: the message names the file and the object."""


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    logos: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def line(self) -> str:
        def fmt(counter):
            return ", ".join(f"{n} {k}" for k, n in sorted(counter.items()) if n) or "none"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; "
            f"deleted: {fmt(self.deleted)}; logos placed: {self.logos}"
        )


def demo_load(*, path: Path | str = DEFAULT_PATH, refresh: bool = False) -> LoadSummary:
    """Create the demo content missing from the database; return what was created and changed.

    Objects that already exist are left as editors made them, so `make run` never undoes an
    edit; with refresh=True they are put back to the files' values.
    """
    loader = _Loader(Path(path), refresh=refresh)
    with transaction.atomic():
        loader.run()
    return loader.summary


def _markdown(value) -> str:
    """Markdown may be written as one string or as a list of paragraphs."""
    if isinstance(value, list):
        return "\n\n".join(part.strip() for part in value)
    return (value or "").strip()


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class _Loader:
    def __init__(self, root: Path, *, refresh: bool = False):
        self.root = root
        self.refresh = refresh
        self.summary = LoadSummary()
        self.providers: dict[str, Provider] = {}
        self.certifications: dict[str, Certification] = {}
        self.employers: dict[str, Employer] = {}

    # -- reading -------------------------------------------------------------------------

    def read(self, relative: str):
        file = self.root / relative
        try:
            return json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DemoContentError(f"{file}: file not found") from None
        except json.JSONDecodeError as exc:
            raise DemoContentError(f"{file}: not valid JSON ({exc})") from None

    @staticmethod
    def check_keys(data: dict, allowed: set[str], where: str) -> None:
        unknown = set(data) - allowed - NOTE_KEYS
        if unknown:
            raise DemoContentError(f"{where}: unknown keys {sorted(unknown)}")

    # -- the one write path --------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, where: str, instance=None):
        """Create the row, or update only the fields that differ; validate before saving."""
        obj = instance if instance is not None else model.objects.filter(**lookup).first()
        if obj is None:
            return self.create(model, {**lookup, **values}, where)
        if not self.refresh and instance is None:
            return obj  # an existing object belongs to the editors now
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            self.validate(obj, where)
            obj.save()
            self.summary.updated[model._meta.verbose_name_plural] += 1
        return obj

    def create(self, model, values: dict, where: str):
        obj = model(**values)
        self.validate(obj, where)
        obj.save()
        self.summary.created[model._meta.verbose_name_plural] += 1
        return obj

    @staticmethod
    def validate(obj, where: str) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            details = "; ".join(
                f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items()
            )
            raise DemoContentError(f"{where}: {details}") from None

    def sync_positions(self, manager, model, rows: list[dict], where: str) -> None:
        """Make the ordered children equal `rows`: update in place, add missing, drop extras."""
        existing = list(manager.order_by("position", "id"))
        for index, values in enumerate(rows):
            values = {**values, "position": index + 1}  # as the admin numbers them
            label = f"{where} #{index + 1}"
            if index < len(existing):
                self.upsert(model, {}, values, label, instance=existing[index])
            else:
                self.create(model, {"career": manager.instance, **values}, label)
        for extra in existing[len(rows) :]:
            extra.delete()
            self.summary.deleted[model._meta.verbose_name_plural] += 1

    # -- the content ---------------------------------------------------------------------

    def run(self) -> None:
        self.load_providers()
        self.load_certifications()
        self.load_employers()
        for file in sorted((self.root / "careers").glob("*.json")):
            self.load_career(f"careers/{file.name}")
        self.place_logos()

    def load_providers(self) -> None:
        where = "providers.json"
        for data in self.read(where):
            allowed = {"slug", "name", "website", "also_known_as"}
            self.check_keys(data, allowed, f"{where} {data.get('slug')}")
            self.providers[data["slug"]] = self.upsert(
                Provider,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "website": data.get("website", ""),
                    "also_known_as": data.get("also_known_as", ""),
                },
                f"{where} provider {data['slug']!r}",
            )

    CERT_FIELDS = {
        "slug", "name", "provider", "exam_code", "level", "status", "summary", "description",
        "exam_fee", "fee_currency", "duration_minutes", "question_count", "passing_score",
        "exam_format", "delivery", "validity_months", "study_hours", "official_url",
        "retired_on", "successor", "prerequisites", "reviewed_on",
    }  # fmt: skip

    def load_certifications(self) -> None:
        where = "certifications.json"
        rows = self.read(where)
        # Each one's successor before this load: the first pass below may already set the
        # file's, and the chains must know which it replaced (a correction drops the old one's).
        successors_before = dict(Certification.objects.values_list("slug", "successor_id"))
        for data in rows:
            label = f"{where} certification {data.get('slug')!r}"
            self.check_keys(data, self.CERT_FIELDS, label)
            provider = self.providers.get(data["provider"])
            if provider is None:
                raise DemoContentError(f"{label}: unknown provider {data['provider']!r}")
            fee = data.get("exam_fee")
            values = {
                "name": data["name"],
                "provider_id": provider.pk,
                "exam_code": data.get("exam_code", ""),
                "level": data["level"],
                "status": data.get("status", "published"),
                "summary": data["summary"],
                "description": _markdown(data.get("description", "")),
                "exam_fee": Decimal(str(fee)).quantize(Decimal("0.01"))
                if fee is not None
                else None,
                "fee_currency": data.get("fee_currency", "USD"),
                "duration_minutes": data.get("duration_minutes"),
                "question_count": data.get("question_count", ""),
                "passing_score": data.get("passing_score", ""),
                "exam_format": data.get("exam_format", ""),
                "delivery": data.get("delivery", ""),
                "validity_months": data.get("validity_months"),
                "study_hours": data.get("study_hours"),
                "official_url": data.get("official_url", ""),
                "retired_on": _date(data.get("retired_on")),
                "reviewed_on": _date(data.get("reviewed_on")),
            }
            successor = self.certifications.get(data.get("successor") or "")
            if successor is not None:  # listed earlier in the file: set it on creation
                values["successor_id"] = successor.pk
            self.certifications[data["slug"]] = self.upsert(
                Certification, {"slug": data["slug"]}, values, label
            )
        # Successors and prerequisites point at other rows, so they go in a second pass.
        self.check_successor_loops(rows, where)
        for data in rows:
            label = f"{where} certification {data['slug']!r}"
            cert = self.certifications[data["slug"]]
            successor = self.cert(data.get("successor"), label) if data.get("successor") else None
            if cert.status == Certification.Status.RETIRED and successor is None:
                raise DemoContentError(f"{label}: a retired certification needs a successor")
            previous = successors_before.get(data["slug"])
            self.upsert(
                Certification,
                {},
                {"successor_id": successor.pk if successor else None},
                label,
                instance=cert,
            )
            successor_chain_record(certification=cert, previous_successor_id=previous)
            wanted = {self.cert(slug, label).pk for slug in data.get("prerequisites", [])}
            if wanted != set(cert.prerequisites.values_list("pk", flat=True)):
                cert.prerequisites.set(wanted)
                self.summary.updated["certification prerequisites"] += 1

    @staticmethod
    def check_successor_loops(rows: list[dict], where: str) -> None:
        """Refuse successors that lead back to the exam they start from, as the admin does."""
        successors = {row["slug"]: row.get("successor") for row in rows}
        for start, here in successors.items():
            path = [start]
            while here and here not in path:
                path.append(here)
                here = successors.get(here)
            if here == start:
                raise DemoContentError(
                    f"{where} certification {start!r}: successors go round in a circle: "
                    + ", ".join([*path, start])
                )

    def cert(self, slug: str, where: str) -> Certification:
        try:
            return self.certifications[slug]
        except KeyError:
            raise DemoContentError(f"{where}: unknown certification {slug!r}") from None

    def load_employers(self) -> None:
        where = "employers.json"
        self.logo_specs = {}
        for data in self.read(where):
            label = f"{where} employer {data.get('slug')!r}"
            self.check_keys(data, {"slug", "name", "website", "description", "logo"}, label)
            self.employers[data["slug"]] = self.upsert(
                Employer,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "website": data.get("website", ""),
                    "description": data.get("description", ""),
                },
                label,
            )
            if data.get("logo"):
                self.logo_specs[data["slug"]] = data["logo"]

    CAREER_FIELDS = {
        "slug", "title", "tagline", "overview", "suitability", "category", "alternative_titles",
        "demand", "time_to_first_role", "cta_text", "status", "featured", "reviewed_on",
        "seo_description", "responsibilities", "roadmap", "salaries", "employers", "day",
        "faqs",
    }  # fmt: skip

    def load_career(self, relative: str) -> None:
        data = self.read(relative)
        where = f"{relative} career {data.get('slug')!r}"
        self.check_keys(data, self.CAREER_FIELDS, where)
        for entry in data.get("day", []):
            self.check_keys(entry, {"time", "text"}, f"{where} day entry")
        for faq in data.get("faqs", []):
            self.check_keys(faq, {"question", "answer"}, f"{where} FAQ")
        if not self.refresh and Career.objects.filter(slug=data["slug"]).exists():
            return  # its sections are the editors' now: leave them as they are
        alternative = data.get("alternative_titles", "")
        if isinstance(alternative, list):
            alternative = ", ".join(alternative)
        career = self.upsert(
            Career,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "tagline": data["tagline"],
                "overview": _markdown(data.get("overview", "")),
                "suitability": _markdown(data.get("suitability", "")),
                "category": data["category"],
                "alternative_titles": alternative,
                "demand": data.get("demand", Career.Demand.HIGH),
                "time_to_first_role": data.get("time_to_first_role", ""),
                "cta_text": data.get("cta_text", ""),
                "status": data.get("status", Career.Status.DRAFT),
                "featured": data.get("featured", False),
                "reviewed_on": _date(data.get("reviewed_on")),
                "seo_description": data.get("seo_description", ""),
            },
            where,
        )
        self.sync_positions(
            career.responsibilities,
            Responsibility,
            [{"text": text} for text in data.get("responsibilities", [])],
            f"{where} responsibility",
        )
        self.sync_positions(
            career.day_entries,
            DayInTheLifeEntry,
            [
                {"time_of_day": datetime.time.fromisoformat(entry["time"]), "text": entry["text"]}
                for entry in data.get("day", [])
            ],
            f"{where} day entry",
        )
        self.sync_positions(
            career.faqs,
            FAQ,
            [
                {"question": faq["question"], "answer": _markdown(faq["answer"])}
                for faq in data.get("faqs", [])
            ],
            f"{where} FAQ",
        )
        self.load_salaries(career, data.get("salaries", {}), where)
        self.load_hirings(career, data.get("employers", []), where)
        self.load_roadmap(career, data.get("roadmap", []), where)

    def load_salaries(self, career: Career, salaries: dict, where: str) -> None:
        wanted = set()
        for country, table in salaries.items():
            self.check_keys(
                table, {"currency", "year", "source_name", "source_url", "levels"}, where
            )
            for level, figures in table["levels"].items():
                if level not in LEVELS or len(figures) != 3:
                    raise DemoContentError(
                        f"{where} salary {country} {level!r}: give a level from {LEVELS} "
                        "as [p25, median, p75]"
                    )
                p25, median, p75 = figures
                key = {"career": career, "country": country, "level": level, "year": table["year"]}
                wanted.add((country, level, table["year"]))
                self.upsert(
                    SalaryFigure,
                    key,
                    {
                        "currency": table["currency"],
                        "median": median,
                        "p25": p25,
                        "p75": p75,
                        "is_estimate": True,
                        "source_name": table["source_name"],
                        "source_url": table.get("source_url", ""),
                    },
                    f"{where} salary {country} {level} {table['year']}",
                )
        for figure in career.salary_figures.all():
            if (figure.country, figure.level, figure.year) not in wanted:
                figure.delete()
                self.summary.deleted["salary figures"] += 1

    def load_hirings(self, career: Career, employers: list, where: str) -> None:
        keep = set()
        for position, item in enumerate(employers, start=1):
            slug, note = (
                (item, "") if isinstance(item, str) else (item["slug"], item.get("note", ""))
            )
            employer = self.employers.get(slug)
            if employer is None:
                raise DemoContentError(f"{where}: unknown employer {slug!r}")
            keep.add(employer.pk)
            self.upsert(
                Hiring,
                {"career": career, "employer": employer},
                {"position": position, "note": note},
                f"{where} employer {slug!r}",
            )
        for hiring in career.hirings.exclude(employer__in=keep):
            hiring.delete()
            self.summary.deleted["hirings"] += 1

    def load_roadmap(self, career: Career, steps: list, where: str) -> None:
        keep = set()
        for position, step in enumerate(steps, start=1):
            label = f"{where} roadmap step {position}"
            self.check_keys(step, {"certification", "phase", "required", "reason"}, label)
            cert = self.cert(step["certification"], label)
            keep.add(cert.pk)
            self.upsert(
                RoadmapStep,
                {"career": career, "certification": cert},
                {
                    "position": position,
                    "phase": step["phase"],
                    "required": step.get("required", True),
                    "reason": step["reason"].strip(),
                },
                label,
            )
        for step in RoadmapStep.objects.filter(career=career).exclude(certification__in=keep):
            step.delete()
            self.summary.deleted["roadmap steps"] += 1

    # -- sample images -------------------------------------------------------------------

    def place_logos(self) -> None:
        """Give employers with a logo spec a drawn PNG, unless they already have a logo."""
        for slug, spec in self.logo_specs.items():
            employer = self.employers[slug]
            if employer.logo:
                continue
            upload = ContentFile(_draw_logo(employer.name, spec), name=f"{slug}.png")
            try:
                logo = process_logo(upload)
            except ValidationError as exc:
                raise DemoContentError(f"employers.json employer {slug!r} logo: {exc}") from None
            employer.logo.save(logo.name, logo, save=False)
            employer.save(update_fields=["logo"])
            self.summary.logos += 1


def _draw_logo(name: str, spec: dict) -> bytes:
    """A simple sample mark: a coloured shape with the first letter, on white."""
    size = 256
    background = spec.get("background", "#ffffff")
    colour = spec.get("colour", "#1f2937")
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    box = (28, 28, size - 28, size - 28)
    shape = spec.get("shape", "circle")
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "diamond":
        mid = size / 2
        draw.polygon([(mid, 20), (size - 20, mid), (mid, size - 20), (20, mid)], fill=colour)
    elif shape == "hexagon":
        draw.regular_polygon((size / 2, size / 2, size / 2 - 24), 6, fill=colour)
    else:
        draw.rounded_rectangle(box, radius=40, fill=colour)
    letter = spec.get("letter", name[:1]).upper()
    font = ImageFont.load_default(size=110)
    draw.text(
        (size / 2, size / 2), letter, fill=spec.get("text", "#ffffff"), font=font, anchor="mm"
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
