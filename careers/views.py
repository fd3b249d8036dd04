from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from careers.images import monogram_png
from careers.models import Career, Employer


class CareerDetailView(DetailView):
    model = Career

    def get_queryset(self):
        return Career.objects.visible_to(self.request.user).for_detail()


class EmployerDetailView(DetailView):
    model = Employer

    def get_queryset(self):
        return Employer.objects.for_detail()


@require_GET
@cache_control(public=True, max_age=86400)
def employer_monogram(request, slug):
    employer = get_object_or_404(Employer.objects.only("name"), slug=slug)
    return HttpResponse(monogram_png(employer.name), content_type="image/png")
