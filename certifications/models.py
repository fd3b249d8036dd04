import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from careerportal.urlcache import reverse_slug
from careers.images import LogoField
from careers.markdown import RenderedMarkdownField, RendersMarkdown
from careers.models import SLUG_HELP, Career, remember_former_slug, validate_unreserved_slug
from careers.money import format_money, validate_currency_code
from certifications.querysets import (
    CareerFollowQuerySet,
    CertificationProgressQuerySet,
    CertificationQuerySet,
    LearnerProfileQuerySet,
    ReleasedHandleQuerySet,
    RoadmapStepQuerySet,
    chain_passes,
    held_chain_passes,
    held_chain_pick,
)
from certifications.timezones import validate_time_zone


class ProviderManager(models.Manager):
    def get_by_natural_key(self, slug):
        """The row a natural-key fixture names (dumpdata --natural-foreign/--natural-primary)."""
        return self.get(slug=slug)


class Provider(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True, help_text=SLUG_HELP.format(source="name"))
    website = models.URLField(blank=True)
    logo = LogoField(blank=True, help_text="PNG, JPEG or WebP, at most 2 MiB.")
    also_known_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="Other names people search for, comma-separated: GCP, Google Cloud Platform.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:50]
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


class Certification(RendersMarkdown):
    class Level(models.TextChoices):
        FOUNDATIONAL = "foundational", "Foundational"
        ASSOCIATE = "associate", "Associate"
        PROFESSIONAL = "professional", "Professional"
        SPECIALTY = "specialty", "Specialty"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=160)
    slug = models.SlugField(
        unique=True,
        validators=[validate_unreserved_slug],
        help_text=SLUG_HELP.format(source="name"),
    )
    exam_code = models.CharField(
        max_length=40, blank=True, db_index=True, help_text="Vendor's exam code, e.g. AI-102."
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="certifications")
    level = models.CharField(max_length=12, choices=Level.choices)
    summary = models.CharField(max_length=300, help_text="One sentence for cards and lists.")
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = RenderedMarkdownField(source="description")
    exam_fee = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="Exam fee; empty if free."
    )
    fee_currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[validate_currency_code],
        help_text="ISO 4217 code, e.g. USD, EUR or GBP.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, "An exam lasts at least 1 minute; leave it empty if unknown."),
            MaxValueValidator(600, "An exam lasts at most 600 minutes (10 hours)."),
        ],
        help_text="Exam length in minutes, 1 to 600.",
    )
    question_count = models.CharField(
        max_length=40, blank=True, help_text="Number of questions, e.g. '50' or '40-60'."
    )
    passing_score = models.CharField(
        max_length=60, blank=True, help_text="e.g. '700 / 1000' or 'not published'."
    )
    exam_format = models.CharField(
        max_length=160, blank=True, help_text="e.g. 'Multiple choice and multiple response'."
    )
    delivery = models.CharField(
        max_length=160, blank=True, help_text="e.g. 'Online proctored or test centre'."
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                120,
                "A pass stays valid at most 120 months (10 years); "
                "leave it empty if it never expires.",
            )
        ],
        help_text="How long a pass stays valid, 1 to 120 months; empty = does not expire.",
    )
    study_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(2000, "Recommended study time is at most 2,000 hours.")],
        help_text="Recommended study hours for a prepared candidate, at most 2,000.",
    )
    official_url = models.URLField(blank=True, help_text="The vendor's page for this exam.")
    reviewed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last checked these exam facts against the vendor's page.",
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="Only for a retired certification: when it was retired."
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text="The certification that replaces this one when it is retired.",
    )
    # Kept by the site from the Replacement rows (certifications.services.chains), so that
    # pages read them with the certification rather than through a subquery on each request:
    # the exams that replaced this one, directly or in turn, in the order the chain recorded
    # them, and the first of those on offer (what a retired step books once its successor was
    # retired too).
    chain_ids = models.JSONField(default=list, blank=True, editable=False)
    chain_exam = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exam_fee__isnull=True) | Q(exam_fee__gte=0),
                name="certifications_certification_fee_not_negative",
                violation_error_message="The exam fee cannot be negative; leave it empty if free.",
            ),
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gt=0),
                name="certifications_certification_validity_positive",
                violation_error_message="Validity is at least a month; empty if it never ends.",
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")),
                name="certifications_certification_not_own_successor",
                violation_error_message="A certification cannot succeed itself.",
            ),
            models.CheckConstraint(
                condition=Q(fee_currency__regex=r"^[A-Z]{3}$"),
                name="certifications_certification_currency_iso",
                violation_error_message="The fee currency must be an ISO code like USD or EUR.",
            ),
        ]

    def __str__(self):
        return self.name_with_code

    def clean(self):
        super().clean()
        if self.retired_on and self.status != self.Status.RETIRED:
            raise ValidationError(
                {
                    "retired_on": "Only a retired certification has a retirement date: clear "
                    "it, or set the status to Retired."
                }
            )
        # Visitors read "Retired on <date>": a day still to come would be untrue until then,
        # and the exam can still be booked. Today in the editor's own time zone is the latest.
        if self.retired_on and self.retired_on > timezone.localdate():
            raise ValidationError(
                {
                    "retired_on": "The retirement date cannot be in the future: keep the "
                    "certification published until the exam is withdrawn, then retire it."
                }
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:50]
        self.fee_currency = (self.fee_currency or "USD").upper()
        # Whether a chain holds it, read with the slug: a new status may change where the
        # chain leads.
        in_chain = models.Exists(Replacement.objects.filter(exam=models.OuterRef("pk")))
        saved = remember_former_slug(self, also=["status"], in_chain=in_chain)
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        moved = saved and saved[1] != self.status and (fields is None or "status" in fields)
        if moved and saved[2]:
            Certification.objects.filter(replacements__exam=self).refresh_chain_exam()

    def get_absolute_url(self):
        return reverse_slug("certifications:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_retired(self):
        return self.status == self.Status.RETIRED

    @property
    def level_label(self) -> str:
        """get_level_display() without building the choices' dict on each call: the career
        page shows it on each roadmap step and in its JSON-LD."""
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def fee_text(self) -> str:
        """The exam fee as pages show it: "$165" in its currency's form, or "Free"; written
        here once rather than by an `if` and a `money` filter on each card and roadmap step."""
        if self.exam_fee is None:
            return "Free"
        return format_money(self.exam_fee, self.fee_currency)

    @property
    def name_with_code(self):
        """The name and, unless the name already holds it, the exam code in brackets: a
        retired exam and its successor can share a name (AI-900 and AI-901 are both
        "Microsoft Azure AI Fundamentals")."""
        return name_with_code(self.name, self.exam_code)

    @property
    def code_beside_name(self):
        """The exam code to show beside the name: none when the name already holds it."""
        return code_beside(self.name, self.exam_code)

    @cached_property
    def learner(self):
        """The signed-in learner's roadmap.Standing on this certification, from the
        annotations of CertificationQuerySet.with_progress_for (None when not annotated)."""
        if not hasattr(self, "my_status"):
            return None
        from certifications import roadmap

        progress = None
        if self.my_status:
            progress = roadmap.ProgressSnapshot(
                self.my_status, self.my_exam_date, self.my_passed_on
            )
        return roadmap.standing(
            progress, validity_months=self.validity_months, today=timezone.localdate()
        )

    @cached_property
    def learner_chain(self):
        """(exam, roadmap.Standing): the exam that replaced this retired one, directly or in
        turn, whose valid pass holds its roadmap steps for the signed-in learner
        (`learner_id`, from with_progress_for); None when there is none (or no learner).
        Their pass of its successor came with it; those of the exams further down the chain
        take one query, none for an exam retired for one that is not retired in turn."""
        if not self.is_retired or not self.chain_ids or not hasattr(self, "learner_id"):
            return None
        from certifications import roadmap

        today = timezone.localdate()
        passes = {}
        if self.successor_id and self.successor_passed_on is not None:
            passes[self.successor_id] = (
                self.successor,
                roadmap.ProgressSnapshot(self.successor_status, passed_on=self.successor_passed_on),
            )
        passes |= chain_passes(self.learner_id, set(self.chain_ids) - {self.successor_id})
        picked = held_chain_pick(self, passes, today=today)
        if picked is None:
            return None
        exam, progress = picked
        return exam, roadmap.standing(progress, validity_months=exam.validity_months, today=today)

    @property
    def expires(self):
        return self.validity_months is not None


class Replacement(models.Model):
    """An exam that replaced a retired one, directly or in turn: AZ-103 replaced AZ-100, then
    AZ-104 replaced AZ-103, so AZ-104 replaced both. Kept by the site from the successors
    editors name (certifications.services.chains), so that a valid pass of any exam of the
    chain holds roadmap steps on the retired one, however often its successor was moved on."""

    replaced = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="replacements"
    )
    exam = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="replaced")

    class Meta:
        ordering = ["replaced", "exam"]
        constraints = [
            models.UniqueConstraint(
                fields=["replaced", "exam"], name="certifications_replacement_once"
            ),
            models.CheckConstraint(
                condition=~Q(replaced=F("exam")),
                name="certifications_replacement_not_itself",
                violation_error_message="A certification cannot replace itself.",
            ),
        ]

    def __str__(self):
        return f"{self.exam} replaced {self.replaced}"


def name_with_code(name: str, exam_code: str) -> str:
    """`Certification.name_with_code` for a name and code read without the model."""
    if exam_code and exam_code not in name:
        return f"{name} ({exam_code})"
    return name


def code_beside(name: str, exam_code: str) -> str:
    """The exam code to show beside a name, or "" when the name already holds it: "Certified
    Kubernetes Administrator (CKA)" read "... (CKA) CKA" in every list."""
    return "" if exam_code in name else exam_code


# What get_FOO_display() shows, as dicts built once (it builds one on each call).
LEVEL_LABELS = dict(Certification.Level.choices)


class RoadmapStep(models.Model):
    class Phase(models.TextChoices):
        FOUNDATION = "foundation", "Foundation"
        CORE = "core", "Core"
        ADVANCED = "advanced", "Advanced"
        SPECIALIST = "specialist", "Specialist"

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="roadmap_steps")
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="roadmap_steps"
    )
    position = models.PositiveIntegerField(default=0, db_index=True)
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.CORE)
    required = models.BooleanField(default=True)
    reason = models.TextField(help_text="Why this certification, for this career.")

    objects = RoadmapStepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["career", "certification"],
                name="certifications_roadmapstep_cert_once_per_career",
            )
        ]

    def __str__(self):
        return f"{self.career} #{self.position}: {self.certification}"

    @property
    def phase_label(self) -> str:
        """get_phase_display() without building the choices' dict on each call."""
        return PHASE_LABELS.get(self.phase, self.phase)

    @cached_property
    def learner(self):
        """The signed-in learner's roadmap.StepStanding on this step, from the annotations of
        RoadmapStepQuerySet.with_progress_for (None when the step was not annotated)."""
        if not hasattr(self, "my_status"):
            return None
        from certifications import roadmap

        progress = {}
        if self.my_status:
            progress[self.certification_id] = roadmap.ProgressSnapshot(
                self.my_status, self.my_exam_date, self.my_passed_on
            )
        if self.successor_status and self.certification.successor_id:
            progress[self.certification.successor_id] = roadmap.ProgressSnapshot(
                self.successor_status, self.successor_exam_date, self.successor_passed_on
            )
        if self.current_status and self.certification.chain_exam_id:  # on offer, its chain's
            progress[self.certification.chain_exam_id] = roadmap.ProgressSnapshot(
                self.current_status, self.current_exam_date, self.current_passed_on
            )
        # The exam of its chain they hold, found by learner_summary() (held_chain_passes).
        if getattr(self, "held_chain_exam", None) is not None:
            progress[self.held_chain_exam.pk] = self.held_chain_progress
        return roadmap.step_standing(self, progress, today=timezone.localdate())

    @staticmethod
    def learner_summary(steps):
        """roadmap.RoadmapSummary of steps annotated by with_progress_for(user); None when
        they carry no learner (anonymous). The career page reaches this through the reverse
        relation, so careers never imports certifications. Finds first the exam of each
        retired step's chain the learner holds (held_chain_passes: one query when a chain
        has an exam besides the successor and the one on offer, none otherwise)."""
        if steps and all(hasattr(step, "learner_id") for step in steps):
            held_chain_passes(steps, today=timezone.localdate())
        standings = [step.learner for step in steps]
        if not standings or any(s is None for s in standings):
            return None
        from certifications import roadmap

        return roadmap.summarize(standings, today=timezone.localdate())


PHASE_LABELS = dict(RoadmapStep.Phase.choices)


def validate_http_url(value: str) -> None:
    """Verification links must be plain web links (no javascript:, data:, ftp:)."""
    from django.core.exceptions import ValidationError

    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError("Enter a link that starts with http:// or https://.")


def progress_seen(updated_at) -> str:
    """What a progress form's `seen` holds for a row last saved at `updated_at` (None: no row
    yet): the service compares it with the row's to tell a form from a stale page."""
    return updated_at.isoformat() if updated_at else "none"


class CertificationProgress(models.Model):
    """One learner's state for one certification; counts in every roadmap that holds it."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        STUDYING = "studying", "Studying"
        BOOKED = "booked", "Exam booked"
        PASSED = "passed", "Passed"
        SKIPPED = "skipped", "Skipped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certification_progress"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="progress_rows"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNING)
    exam_date = models.DateField(null=True, blank=True, help_text="The booked exam date.")
    passed_on = models.DateField(null=True, blank=True)
    credential_id = models.CharField(max_length=120, blank=True)
    verification_url = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    notes = models.TextField(blank=True, max_length=5000, help_text="Private to the learner.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationProgressQuerySet.as_manager()

    class Meta:
        # Newest activity first; ordering by the certification's name would add a join to
        # every progress query.
        ordering = ["-updated_at", "-id"]
        verbose_name = "certification progress"
        verbose_name_plural = "certification progress"
        # The admin's list pages through every learner's rows in this order.
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="certifications_progress_recent")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"], name="certifications_progress_one_per_cert"
            ),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(exam_date__isnull=False),
                name="certifications_progress_booked_has_date",
                violation_error_message="A booked exam needs its exam date.",
            ),
            models.CheckConstraint(
                condition=~Q(status="passed") | Q(passed_on__isnull=False),
                name="certifications_progress_passed_has_date",
                violation_error_message="A passed exam needs the date it was passed.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planning", "studying", "booked", "passed", "skipped"]),
                name="certifications_progress_status_valid",
                violation_error_message="Choose a status from the list.",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.certification}: {self.get_status_display()}"


class CareerFollow(models.Model):
    """A learner's goal: a career they follow."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_follows"
    )
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareerFollowQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "career"], name="certifications_careerfollow_once_per_career"
            )
        ]
        # The admin's list pages through every learner's follows in this order.
        indexes = [models.Index(fields=["created_at", "id"], name="certifications_follow_oldest")]

    def __str__(self):
        return f"{self.user} follows {self.career}"


# How far ahead a target date may be: a roadmap takes months or a few years, never decades.
TARGET_YEARS_AHEAD = 10


class LearnerProfile(models.Model):
    """A learner's plan and sharing choices (created on first need)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    weekly_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Study hours per week the learner plans."
    )
    target_date = models.DateField(null=True, blank=True, help_text="When they aim to finish.")
    handle = models.SlugField(
        max_length=40, unique=True, null=True, blank=True, help_text="Public page /u/<handle>/."
    )
    is_public = models.BooleanField(default=False, help_text="Share progress publicly.")
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name (Europe/Paris); blank is UTC. Days are counted in it.",
    )
    reminder_emails = models.BooleanField(
        default=True,
        help_text="E-mail a week before a booked exam and 90 and 30 days before an expiry.",
    )
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)

    objects = LearnerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__lte=168),
                name="certifications_learnerprofile_weekly_hours_in_week",
                violation_error_message="A week has at most 168 hours.",
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    def target_date_problem(self, value: datetime.date | None) -> str | None:
        """Why `value` cannot be the new target date (in the past, or absurdly far), or None.
        The saved date is kept as it is, even once passed: changing only the weekly hours must
        not fail over a date the learner did not touch."""
        if value is None or value == self.target_date:
            return None
        today = timezone.localdate()
        if value < today:
            return "Choose a target date from today on."
        latest = datetime.date(today.year + TARGET_YEARS_AHEAD, 12, 31)
        if value > latest:
            return f"Choose a target date no later than {latest:%-d %B %Y}."
        return None


def kept_until(released_at: datetime.datetime) -> datetime.datetime:
    """When a handle given up at `released_at` stops being kept for its former owner."""
    return released_at + datetime.timedelta(days=settings.HANDLE_RESERVATION_DAYS)


class ReleasedHandle(models.Model):
    """A public handle a learner gave up, kept from other learners for
    HANDLE_RESERVATION_DAYS so that links to the old page never show a stranger's. Its former
    owner may take it back; once the days are over the next claim deletes the row."""

    handle = models.SlugField(max_length=40, unique=True, help_text="The handle given up.")
    former_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="released_handles",
        help_text="The learner who may take it back; empty once their account is deleted "
        "(then nobody may, until the days are over).",
    )
    released_at = models.DateTimeField(help_text="When it was given up.")

    objects = ReleasedHandleQuerySet.as_manager()

    class Meta:
        ordering = ["-released_at"]

    def __str__(self):
        return self.handle

    @property
    def kept_until(self) -> datetime.datetime:
        return kept_until(self.released_at)

    def keeps_from(self, user) -> bool:
        """Whether the handle is still kept from `user` (someone other than its former owner)."""
        return self.kept_until > timezone.now() and self.former_owner_id != user.pk


class ReminderSent(models.Model):
    """A reminder e-mail already sent, so the same one is never sent twice."""

    class Kind(models.TextChoices):
        EXAM_7D = "exam_7d", "Exam in 7 days"
        EXPIRY_90D = "expiry_90d", "Expires in 90 days"
        EXPIRY_30D = "expiry_30d", "Expires in 30 days"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    event_date = models.DateField(help_text="The exam or expiry date the reminder is about.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification", "kind", "event_date"],
                name="certifications_remindersent_once",
            )
        ]

    def __str__(self):
        return f"{self.kind} to {self.user} about {self.certification} ({self.event_date})"
