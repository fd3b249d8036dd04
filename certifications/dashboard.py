"""The learner dashboard's data: four queries, however many careers, steps or rows there are.

1. the learner's plan (LearnerProfile) and whether their e-mail address is confirmed (the
reminders need it), 2. their progress rows with certification, provider
and successor, 3. the careers they follow (one gone back to draft too, so that it can be
unfollowed) and the published ones with steps on exams they hold, with
`held_total`/`required_total` counted in SQL, 4. the roadmap steps of the followed ones.
Everything else (held, expiring, next step, fees, hours, projected finish) is derived in
Python by certifications.roadmap from rows already loaded.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from careerportal.prepared import PreparedQuery, padded
from careers.models import Career
from certifications import roadmap
from certifications.forms import PlanForm
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    RoadmapStep,
)
from certifications.querysets import (
    PUBLIC,
    career_annotations_from,
    exams_settled_by,
    learner_exams,
)
from certifications.reminders import verified_address_exists
from certifications.services.account import PLAN_SHOWN, settings_seen

CLOSEST_LIMIT = 5
HELD_LIMIT = 5


@dataclass(frozen=True)
class Tracked:
    """A progress row with its derived standing, for the dashboard's lists; for a retired
    certification, also the public exam that replaced it and the learner's standing on that
    (taking it is how they renew)."""

    row: CertificationProgress
    standing: roadmap.Standing
    replacement: Certification | None = None
    replacement_standing: roadmap.Standing | None = None
    # The learner holds an exam that replaced it, directly or in turn (its `chain_ids`):
    # renewed through that one.
    renewed_in_chain: bool = False

    @property
    def renewed_by_replacement(self) -> bool:
        """The learner holds the exam that replaced this one, or another of its chain:
        nothing left to renew."""
        return self.renewed_in_chain or (
            self.replacement_standing is not None and self.replacement_standing.held
        )

    @property
    def on_replacement(self) -> bool:
        """The learner studies for, or is booked on, the exam that replaced this one."""
        return self.replacement_standing is not None and self.replacement_standing.state in (
            roadmap.STUDYING,
            roadmap.BOOKED,
        )

    @property
    def renewal_due(self) -> bool:
        """For the renewals list: roadmap.Standing.renewal_due, unless the replacement is held."""
        return self.standing.renewal_due and not self.renewed_by_replacement

    @property
    def renewal_under_way(self) -> str:
        """What the learner does about the renewal, in their words ("" when nothing yet)."""
        if self.on_replacement:
            return self.replacement_standing.label
        return self.standing.label if self.standing.renewing else ""

    @property
    def certification(self):
        return self.row.certification

    @property
    def url(self) -> str:
        """The certification's page, or "" once it went back to draft (its page is a 404):
        the learner's exam or pass is still theirs, so it stays listed, without a link."""
        if self.certification.status == Certification.Status.DRAFT:
            return ""
        return self.certification.get_absolute_url()


@dataclass(frozen=True)
class FollowedCareer:
    career: Career
    summary: roadmap.RoadmapSummary


@dataclass(frozen=True)
class CloseCareer:
    career: Career
    held: int
    required: int

    @property
    def percent(self) -> int:
        return roadmap.held_percent(self.held, self.required)


def _careers_query(user_id, held_ids, skipped_ids, tracked_ids):
    """The careers the learner follows, and the published ones with a step on an exam they
    hold or one it replaced (for "closest"; those holding none of their required steps are
    left to the caller, which lists only careers with `held_total`). Only those are
    aggregated: the candidates are picked first by keys, so the counts are not computed for
    every career of the site (with 1,200 careers, all of them were, to find 40). No HAVING on
    the counts: it compiled the counts' SQL and the `followed_at` subquery a second time on
    every dashboard."""
    # The candidates' ids come through the indexes, one UNION ALL: the learner's follows, and
    # the steps on the exams a pass of theirs may count on (`exams_settled_by`), which
    # `held_total` then weighs. Testing each step for whether it is held (`steps_held_q`)
    # read every roadmap step of the site (SQLite: 7,200 steps of work at 1x the demo data,
    # 31,400 at 10x), and OR-ing the two, every career on PostgreSQL.
    followed = CareerFollow.objects.filter(user=user_id)
    on_held_steps = (
        RoadmapStep.objects.filter(certification__in=exams_settled_by(held_ids))
        .filter(Exists(Career.objects.published().filter(pk=OuterRef("career_id"))))
        .order_by()
        .values("career_id")
    )
    candidates = followed.order_by().values("career_id").union(on_held_steps, all=True)
    return (
        Career.objects.filter(pk__in=candidates)
        .annotate(**career_annotations_from(held_ids, skipped_ids, tracked_ids))
        .annotate(
            followed_at=Subquery(followed.filter(career=OuterRef("pk")).values("created_at")[:1])
        )
        .order_by("title", "pk")
    )


def _followed_steps_query(user_id, career_ids):
    """The roadmap steps of those of `career_ids` the learner follows, unordered: an ORDER BY
    makes Django hash each of the query's 130 selected columns to match it against them (0.4
    ms a dashboard); `_in_roadmap_order` sorts them."""
    return (
        RoadmapStep.objects.for_career_page()
        .filter(career__follows__user=user_id, career__in=career_ids)
        .order_by()
    )


def _learner_query(user_id):
    """The learner with their plan (LearnerProfile) and whether reminders can reach their
    address (`email_verified`)."""
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .select_related("learner_profile")
        .annotate(email_verified=verified_address_exists())
    )


def _progress_query(user_id):
    """The learner's progress rows with certification, provider, successor and the exam on
    offer its chain leads to; unordered (`dashboard_for` sorts them)."""
    learner = get_user_model()(pk=user_id)
    rows = CertificationProgress.objects.for_user(learner)
    return rows.select_related("certification__chain_exam").order_by()


# The dashboard's four queries, compiled to SQL once per process (and per number of exams
# the learner holds, skipped or tracks, and of careers listed, `padded`): their SQL holds
# the learner's ids, never a date: what `today` decides (which passes hold) arrives as the
# lists of ids.
_LEARNER = PreparedQuery(_learner_query)
_PROGRESS = PreparedQuery(_progress_query)
_CAREERS = PreparedQuery(_careers_query)
_FOLLOWED_STEPS = PreparedQuery(_followed_steps_query)


def _careers_for(user, held_ids, skipped_ids, tracked_ids):
    """`_careers_query()` for the learner's exams (`learner_exams()`), and {career id: its
    followed roadmap steps} as a prefetch set them (two queries; one when no career is
    listed)."""
    exams = (held_ids, skipped_ids, tracked_ids if skipped_ids else [])
    careers = _CAREERS(user.pk, *map(padded, exams))
    steps = {career.pk: [] for career in careers}
    if careers:
        by_pk = {career.pk: career for career in careers}
        field = RoadmapStep._meta.get_field("career")
        for step in _FOLLOWED_STEPS(user.pk, padded(list(by_pk))):
            field.set_cached_value(step, by_pk[step.career_id])  # as the prefetch did
            steps[step.career_id].append(step)
    return careers, steps


def _in_roadmap_order(steps) -> list:
    """The steps in RoadmapStep's ordering (position, id)."""
    return sorted(steps, key=lambda step: (step.position, step.pk))


def pick_held_chains(steps, by_cert, held) -> None:
    """Give each retired step the exam of its chain the learner holds (`held_chain_exam`):
    the first of `held` its chain recorded that visitors may see, from the learner's own
    rows (`by_cert`, with their exams): no query."""
    for step in steps:
        certification = step.certification
        if certification.status != Certification.Status.RETIRED:
            continue
        step.held_chain_exam = next(
            (
                by_cert[pk].certification
                for pk in certification.chain_ids
                if pk in held and by_cert[pk].certification.status in PUBLIC
            ),
            None,
        )


def _tracked(row, by_cert, held=frozenset(), *, today) -> Tracked:
    certification = row.certification
    own = roadmap.standing(row, validity_months=certification.validity_months, today=today)
    # The exam to take next: the successor, or the one on offer its chain leads to (joined
    # with the rows).
    current = certification.chain_exam if getattr(certification, "chain_exam_id", None) else None
    replacement = roadmap.next_exam(certification, current)
    if replacement is None:
        return Tracked(row, own)
    on_replacement = roadmap.standing(
        by_cert.get(replacement.pk), validity_months=replacement.validity_months, today=today
    )
    # The learner holds an exam that replaced it, directly or in turn (`held`, from their rows),
    # that visitors may see: a pass of an exam moved back to draft renews nothing.
    renewed = any(
        pk in held and by_cert[pk].certification.status in PUBLIC
        for pk in getattr(certification, "chain_ids", ())
    )
    return Tracked(row, own, replacement, on_replacement, renewed_in_chain=renewed)


def _by_name(tracked: Tracked) -> tuple:
    """The last keys of the dashboard's exam and renewal lists: exams of one date by name.
    The rows come newest activity first, so without them a note written on one moved it
    first among its day's."""
    return tracked.certification.name, tracked.certification.pk


def dashboard_for(user) -> dict:
    """The dashboard's template context for one learner."""
    today = timezone.localdate()
    # One query for the plan and whether reminders can reach the learner's address.
    (me,) = _LEARNER(user.pk)
    profile = getattr(me, "learner_profile", None)
    weekly_hours = profile.weekly_hours if profile else None
    target_date = profile.target_date if profile else None
    # Newest activity first (the model's ordering), sorted here: an ORDER BY makes Django
    # hash each of the query's 100 selected columns to match it against them (0.4 ms).
    rows = sorted(_PROGRESS(user.pk), key=lambda row: (row.updated_at, row.pk), reverse=True)
    by_cert = {row.certification_id: row for row in rows}
    held, skipped, tracked_ids = learner_exams(user, today=today, rows=rows)
    careers, steps = _careers_for(user, held, skipped, tracked_ids)
    held = set(held)
    steps = {pk: _in_roadmap_order(career_steps) for pk, career_steps in steps.items()}
    for career in careers:
        pick_held_chains(steps[career.pk], by_cert, held)
    # A followed career back in draft is listed apart, to unfollow; its roadmap no longer
    # counts in the plan, as its page is a 404.
    unpublished = sorted((c for c in careers if not c.is_published), key=lambda c: c.followed_at)
    careers = [c for c in careers if c.is_published]

    followed = [
        FollowedCareer(
            career,
            roadmap.roadmap_summary(
                steps[career.pk],
                by_cert,
                today=today,
                weekly_hours=weekly_hours,
                target_date=target_date,
            ),
        )
        for career in sorted(
            (c for c in careers if c.followed_at is not None), key=lambda c: c.followed_at
        )
    ]
    closest = sorted(
        (CloseCareer(c, c.held_total, c.required_total) for c in careers if c.required_total),
        key=lambda c: (-c.held / c.required, -c.held, c.career.title),
    )
    closest = [c for c in closest if c.held][:CLOSEST_LIMIT]

    # One plan across every followed career: summarize() counts an exam that several steps
    # lead to once, and a step counts when any roadmap requires it.
    every_step = [step_standing for item in followed for step_standing in item.summary.steps]
    overall = roadmap.summarize(
        every_step, today=today, weekly_hours=weekly_hours, target_date=target_date
    )

    tracked = [_tracked(row, by_cert, held, today=today) for row in rows]
    booked = [t for t in tracked if t.standing.state == roadmap.BOOKED and t.row.exam_date]
    upcoming = sorted(
        (t for t in booked if not t.standing.awaiting_result),
        key=lambda t: (t.row.exam_date, *_by_name(t)),
    )
    overdue = sorted(
        (t for t in booked if t.standing.awaiting_result),
        key=lambda t: (t.row.exam_date, *_by_name(t)),
    )
    renewals = sorted(
        (t for t in tracked if t.renewal_due),
        key=lambda t: (t.standing.expires_on, *_by_name(t)),
    )
    # "Certifications you hold", latest pass first: once headed "Recently passed", it listed
    # passes years old, as a pass that does not expire is held for good. Passes of one day
    # latest recorded first: by the row's id, as a note written later on one (its updated_at)
    # moved it first and another out of the five shown.
    held = sorted(
        (t for t in tracked if t.standing.held),
        key=lambda t: (-t.row.passed_on.toordinal(), -t.row.pk),
    )
    # With none held, "no certifications passed yet" would be false of a learner whose passes
    # have all expired.
    expired_passes = sum(1 for t in tracked if t.standing.pass_state == roadmap.EXPIRED)

    return {
        "today": today,
        "tomorrow": today + datetime.timedelta(days=1),
        "followed": followed,
        "unpublished_follows": unpublished,
        "closest": closest,
        "overall": overall,
        "upcoming_exams": upcoming,
        "overdue_exams": overdue,
        "renewals": renewals,
        "held_passes": held[:HELD_LIMIT],
        "held_count": len(held),
        "expired_passes": expired_passes,
        "tracked_count": len(rows),
        "plan": profile,
        # Reminders go to confirmed addresses only: say so where they would be missed (not to
        # a learner who switched them off).
        "unconfirmed_email": (
            user.email
            if not me.email_verified and (profile is None or profile.reminder_emails)
            else ""
        ),
        "plan_form": PlanForm(
            initial={
                "weekly_hours": weekly_hours,
                "target_date": target_date,
                "seen": settings_seen(profile, PLAN_SHOWN),
            }
        ),
    }
