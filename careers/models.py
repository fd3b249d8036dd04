import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify

from careerportal.urlcache import reverse_slug
from careers.images import LogoField
from careers.markdown import RenderedMarkdownField, RendersMarkdown
from careers.querysets import CareerQuerySet, EmployerQuerySet

# Pages that sit beside /careers/<slug>/ and /certifications/<slug>/: a career or
# certification with one of these slugs could never be reached.
RESERVED_SLUGS = frozenset({"compare"})


# The admin fills a slug in from the title as it is typed, in Latin letters: a title in
# Chinese, say, leaves it empty.
SLUG_HELP = (
    "Part of the page address: lowercase Latin letters, digits and hyphens, filled in from the "
    "{source} as you type it. A {source} in another script leaves it empty: write one."
)


def validate_unreserved_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is the address of another page of the site; choose another slug.",
            code="reserved",
            params={"slug": value},
        )


class FormerSlug(models.Model):
    """An address a page had before an editor changed its slug. The old address answers a
    permanent redirect to the page, so shared links, bookmarks, search results and the links
    in reminder e-mails keep working; a page that takes the slug later is served itself."""

    model = models.CharField(max_length=60, help_text="The page's model, e.g. careers.career.")
    slug = models.SlugField(help_text="The old slug.")
    target_id = models.PositiveBigIntegerField(help_text="The page it now leads to.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["model", "slug"], name="careers_formerslug_unique"),
        ]

    def __str__(self):
        return f"{self.slug} ({self.model})"


def remember_former_slug(page, also=(), **annotations) -> tuple | None:
    """Before `page` is saved: if an editor changed its slug, keep the old one as a redirect.
    Returns the saved row's slug, the fields named in `also` and `annotations` (None for a
    new page): what the save changes, read in the same query."""
    label = page._meta.label_lower
    # A page that takes a slug another page had before is what the address means now: the old
    # redirect goes (else visitors, staff and the salary import would each follow another).
    FormerSlug.objects.filter(model=label, slug=page.slug).exclude(target_id=page.pk).delete()
    if page.pk is None:
        return None
    row = type(page)._base_manager.filter(pk=page.pk).annotate(**annotations)
    row = row.values_list("slug", *also, *annotations).first()
    old = row[0] if row else None
    if old and old != page.slug:
        FormerSlug.objects.update_or_create(model=label, slug=old, defaults={"target_id": page.pk})
    return row


class Career(RendersMarkdown):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Demand(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    title = models.CharField(max_length=120, help_text="The job title visitors search for.")
    slug = models.SlugField(
        unique=True,
        validators=[validate_unreserved_slug],
        help_text=SLUG_HELP.format(source="title"),
    )
    tagline = models.CharField(
        max_length=240, help_text="One sentence under the title saying what the job is."
    )
    overview = models.TextField(help_text="What the role does. Markdown.")
    overview_html = RenderedMarkdownField(source="overview")
    suitability = models.TextField(help_text="Who the role suits. Markdown.")
    suitability_html = RenderedMarkdownField(source="suitability")
    category = models.CharField(
        max_length=60, db_index=True, help_text="Broad field, e.g. 'Data & AI' or 'Cloud'."
    )
    alternative_titles = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other job titles for the same role, separated by commas.",
    )
    demand = models.CharField(
        max_length=12, choices=Demand.choices, default=Demand.HIGH, help_text="Hiring demand."
    )
    time_to_first_role = models.CharField(
        max_length=60, blank=True, help_text="Typical time to a first role, e.g. '12-24 months'."
    )
    cta_text = models.CharField(
        max_length=200,
        blank=True,
        help_text="Call to action under the page, pointing at the first certification.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the facts on this page."
    )
    seo_description = models.CharField(
        max_length=160, blank=True, help_text="Search-engine summary (at most 160 characters)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            # Visibility hangs on this value: a stray "Published" would hide a page silently.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="careers_career_status_valid",
                violation_error_message="Choose draft or published.",
            ),
            models.CheckConstraint(
                condition=Q(demand__in=["low", "moderate", "high", "very_high"]),
                name="careers_career_demand_valid",
                violation_error_message="Choose a hiring demand from the list.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:50]
        remember_former_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("careers:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def demand_label(self) -> str:
        """get_demand_display() without building the choices' dict on each call."""
        return DEMAND_LABELS.get(self.demand, self.demand)

    @property
    def alternative_title_list(self):
        return [t.strip() for t in self.alternative_titles.split(",") if t.strip()]


DEMAND_LABELS = dict(Career.Demand.choices)


class OrderedChild(models.Model):
    """Shared shape of a career's ordered parts: position within one career."""

    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Responsibility(OrderedChild):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="responsibilities")
    text = models.CharField(max_length=300, help_text="One task the job involves.")

    class Meta(OrderedChild.Meta):
        verbose_name_plural = "responsibilities"

    def __str__(self):
        return self.text


class DayInTheLifeEntry(OrderedChild):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="day_entries")
    time_of_day = models.TimeField(help_text="When this happens, e.g. 08:30.")
    text = models.TextField(help_text="What happens at that time.")

    class Meta(OrderedChild.Meta):
        verbose_name = "day-in-the-life entry"
        verbose_name_plural = "day-in-the-life entries"

    def __str__(self):
        return f"{self.time_of_day:%H:%M} {self.text[:40]}"

    # The career page's two spellings of the time, written here rather than by two `time`
    # filters per entry in the template: six entries rendered in 1.2 ms, now in 0.8.
    @property
    def machine_time(self) -> str:
        """08:30, for <time datetime>: the template's `time:'H:i'`."""
        return f"{self.time_of_day:%H:%M}"

    @property
    def clock_time(self) -> str:
        """8:30 AM: the template's `time:"g:i A"` (dateformat's "g:i A", written out: it parsed
        the format on each call)."""
        hour = self.time_of_day.hour
        return f"{hour % 12 or 12}:{self.time_of_day.minute:02d} {'PM' if hour > 11 else 'AM'}"


class FAQ(RendersMarkdown, OrderedChild):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=240)
    answer = models.TextField(help_text="Markdown.")
    answer_html = RenderedMarkdownField(source="answer")

    class Meta(OrderedChild.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question


class SalaryFigure(models.Model):
    class Level(models.TextChoices):
        ENTRY = "entry", "Entry"
        MID = "mid", "Mid"
        SENIOR = "senior", "Senior"
        LEAD = "lead", "Lead"

    LEVEL_RANKS = {"entry": 1, "mid": 2, "senior": 3, "lead": 4}

    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="salary_figures")
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2 code, e.g. US, GB, DE.")
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD, GBP, EUR.")
    level = models.CharField(max_length=6, choices=Level.choices)
    level_rank = models.PositiveSmallIntegerField(editable=False, default=1)
    median = models.PositiveIntegerField(help_text="Median annual salary in whole units.")
    p25 = models.PositiveIntegerField(null=True, blank=True, help_text="25th percentile.")
    p75 = models.PositiveIntegerField(null=True, blank=True, help_text="75th percentile.")
    year = models.PositiveSmallIntegerField(help_text="The year the figure describes.")
    is_estimate = models.BooleanField(default=True)
    source_name = models.CharField(max_length=120, help_text="Who published the figure.")
    source_url = models.URLField(blank=True)

    class Meta:
        ordering = ["career", "country", "level_rank", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["career", "country", "level", "year"],
                name="careers_salaryfigure_one_per_career_country_level_year",
                violation_error_message="A figure for this country, level and year exists.",
            ),
            models.CheckConstraint(
                condition=Q(p25__isnull=True) | Q(p25__lte=F("median")),
                name="careers_salaryfigure_p25_lte_median",
                violation_error_message="P25 must not be above the median.",
            ),
            models.CheckConstraint(
                condition=Q(p75__isnull=True) | Q(p75__gte=F("median")),
                name="careers_salaryfigure_p75_gte_median",
                violation_error_message="P75 must not be below the median.",
            ),
            models.CheckConstraint(
                condition=Q(median__gt=0),
                name="careers_salaryfigure_median_positive",
                violation_error_message="The median must be above zero.",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="careers_salaryfigure_country_iso",
                violation_error_message="Country must be an ISO code like US, GB or DE.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="careers_salaryfigure_currency_iso",
                violation_error_message="Currency must be an ISO code like USD, GBP or EUR.",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["entry", "mid", "senior", "lead"]),
                name="careers_salaryfigure_level_valid",
                violation_error_message="Choose a level: entry, mid, senior or lead.",
            ),
        ]

    def __str__(self):
        label = f"{self.career} {self.country} {self.level} {self.year}"
        return f"{label}: {self.median} {self.currency}"

    def save(self, *args, **kwargs):
        self.country = (self.country or "").upper()
        self.currency = (self.currency or "").upper()
        self.level_rank = self.LEVEL_RANKS.get(self.level, 1)
        super().save(*args, **kwargs)


class Employer(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True, help_text=SLUG_HELP.format(source="name"))
    website = models.URLField(blank=True)
    description = models.CharField(max_length=300, blank=True, help_text="One or two sentences.")
    logo = LogoField(blank=True, help_text="PNG, JPEG or WebP, at most 2 MiB.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:50]
        remember_former_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("employers:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def monogram_url(self):
        # The image is drawn from the name and kept by browsers for a day: a renamed employer
        # gets a new address, so its page shows the new initials at once. BLAKE2 is Python's
        # own code; SHA-256 is OpenSSL's, whose first call in a gunicorn worker (the career
        # page's employers were its only one on the public pages) brought 0.7 MiB of
        # libcrypto into that worker's resident memory (404 to 1,108 KiB, measured in a fork).
        version = hashlib.blake2b(self.name.encode(), digest_size=4).hexdigest()
        return f"{reverse_slug('employers:monogram', self.slug)}?v={version}"

    @property
    def logo_url(self):
        return self.logo.url if self.logo else self.monogram_url


class Hiring(OrderedChild):
    career = models.ForeignKey(Career, on_delete=models.CASCADE, related_name="hirings")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="hirings")
    note = models.CharField(max_length=200, blank=True, help_text="Optional, e.g. 'Research'.")

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["career", "employer"],
                name="careers_hiring_one_per_career_employer",
                violation_error_message="This employer is already listed for this career.",
            )
        ]

    def __str__(self):
        return f"{self.employer} hires {self.career}"
