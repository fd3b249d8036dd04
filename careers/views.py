from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from careers.career_page import career_page_context, first_required_step
from careers.images import monogram_png
from careers.models import Career, Employer


@method_decorator(login_not_required, name="dispatch")
class CareerDetailView(DetailView):
    """The career page. A visitor's page costs six queries, none while rendering:

    1. the career (visible to this user), 2. its salary figures, 3. its hirings joined with
    employers, 4. its roadmap steps joined with certification, provider and successor
    (`for_detail()` prefetches 2-4), 5. responsibilities + day entries + FAQs as one UNION
    (`ordered_parts()`), 6. related careers with their shared-certification counts.
    Per-user data belongs in existing queries: annotate the steps in `get_roadmap_steps()`
    and the career in `get_queryset()`.
    """

    model = Career

    def get_roadmap_steps(self):
        """The roadmap-steps queryset the page prefetches (public certifications only)."""
        return Career.roadmap_steps.rel.related_model.objects.for_career_page()

    def get_queryset(self):
        return Career.objects.visible_to(self.request.user).for_detail(
            steps=self.get_roadmap_steps()
        )

    def get_cta_step(self, steps):
        """The step the call to action points at (the learner feature may pick the next one)."""
        return first_required_step(steps)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(career_page_context(self.object))
        context["cta_step"] = self.get_cta_step(context["steps"])
        return context


class EmployerDetailView(DetailView):
    model = Employer

    def get_queryset(self):
        return Employer.objects.for_detail()


@require_GET
@cache_control(public=True, max_age=86400)
def employer_monogram(request, slug):
    employer = get_object_or_404(Employer.objects.only("name"), slug=slug)
    return HttpResponse(monogram_png(employer.name), content_type="image/png")
