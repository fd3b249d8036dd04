from django.db import models


class CertificationQuerySet(models.QuerySet):
    def public(self):
        """Certifications a visitor may see: published and retired ones (never drafts)."""
        S = self.model.Status
        return self.filter(status__in=[S.PUBLISHED, S.RETIRED])

    def published(self):
        """Certifications currently on offer."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def for_list(self):
        """Certifications with provider and successor joined, for lists and cards."""
        return self.select_related("provider", "successor")

    def for_detail(self):
        """A certification with provider, successor, prerequisites and the roadmaps using it."""
        from certifications.models import RoadmapStep

        return self.select_related("provider", "successor", "successor__provider").prefetch_related(
            models.Prefetch("prerequisites", queryset=self.model.objects.public().for_list()),
            models.Prefetch(
                "roadmap_steps",
                queryset=RoadmapStep.objects.filter(career__status="published")
                .select_related("career")
                .order_by("career__title"),
            ),
        )


class RoadmapStepQuerySet(models.QuerySet):
    def visible(self):
        """Steps whose certification a visitor may see (drafts hidden)."""
        return self.filter(certification__status__in=["published", "retired"])

    def for_career_page(self):
        """Steps with certification, provider and successor joined, in roadmap order."""
        return (
            self.visible()
            .select_related(
                "certification",
                "certification__provider",
                "certification__successor",
                "certification__successor__provider",
            )
            .order_by("position", "id")
        )
