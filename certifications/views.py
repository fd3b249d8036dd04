from django.views.generic import DetailView

from certifications.models import Certification


class CertificationDetailView(DetailView):
    model = Certification

    def get_queryset(self):
        return Certification.objects.public().for_detail()
