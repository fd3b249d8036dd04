from django.db import models
from django.db.models import Prefetch


class CareerQuerySet(models.QuerySet):
    def published(self):
        """Careers visible to the public."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def visible_to(self, user):
        """Published careers, plus drafts when the user is staff (for previews)."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def for_list(self):
        """Careers with what a list card shows: roadmap length and category."""
        return self.annotate(
            roadmap_length=models.Count("roadmap_steps", distinct=True),
        )

    def for_detail(self):
        """A career with every section of its page prefetched (one query per section)."""
        from careers.models import Hiring, SalaryFigure

        return self.prefetch_related(
            "responsibilities",
            "day_entries",
            "faqs",
            Prefetch(
                "salary_figures",
                queryset=SalaryFigure.objects.order_by("country", "level_rank", "-year"),
            ),
            Prefetch("hirings", queryset=Hiring.objects.select_related("employer")),
            Prefetch(
                "roadmap_steps",
                queryset=self.model.roadmap_steps.rel.related_model.objects.for_career_page(),
            ),
        )


class EmployerQuerySet(models.QuerySet):
    def for_detail(self):
        """An employer with the published careers it hires for."""
        from careers.models import Hiring

        return self.prefetch_related(
            Prefetch(
                "hirings",
                queryset=Hiring.objects.filter(career__status="published").select_related("career"),
            )
        )
