from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from careers.former_slugs import FollowsFormerSlugs
from careers.paging import paginate
from certifications import seo
from certifications.forms import CertificationFilterForm
from certifications.models import Certification, Provider, RoadmapStep


@require_safe
@login_not_required
def certification_list(request):
    """The public catalogue: filter by provider, level, fee and status; sort; 12 a page."""
    providers = list(Provider.objects.order_by("name").values_list("slug", "name"))
    form = CertificationFilterForm(request.GET, providers=providers)
    values, notices = form.values()
    certifications = Certification.objects.public().for_list().matching(values["q"])
    status = {"current": ["published"], "retired": ["retired"], "all": ["published", "retired"]}
    certifications = certifications.filter(status__in=status[values["status"]])
    if values["provider"]:
        certifications = certifications.filter(provider__slug=values["provider"])
    if values["level"]:
        certifications = certifications.filter(level=values["level"])
    if values["fee_min"] is not None:
        certifications = certifications.filter(exam_fee__gte=values["fee_min"])
    if values["fee_max"] is not None:
        # A free exam (no fee) is within any maximum.
        certifications = certifications.filter(exam_fee__lte=values["fee_max"]) | (
            certifications.filter(exam_fee__isnull=True)
        )
    order = {
        "name": ["name"],
        "fee": [F("exam_fee").asc(nulls_first=True), "name"],
        "level": ["level_rank", "name"],
        "hours": [F("study_hours").asc(nulls_last=True), "name"],
    }[values["sort"]]
    certifications = certifications.with_level_rank().order_by(*order)
    page, notice = paginate(certifications, per_page=12, page=request.GET.get("page"))
    if notice:
        notices.append(notice)
    return render(
        request,
        "certifications/certification_list.html",
        {
            "form": form,
            "values": values,
            "notices": notices,
            "page_obj": page,
            "certifications": page.object_list,
            "filtered": any(values[k] not in ("", None) for k in ("q", "provider", "level"))
            or values["fee_min"] is not None
            or values["fee_max"] is not None,
        },
    )


@method_decorator(login_not_required, name="dispatch")
class CertificationDetailView(FollowsFormerSlugs, DetailView):
    model = Certification

    def get_queryset(self):
        user = self.request.user
        certifications = Certification.objects.all()
        if not (user.is_active and user.is_staff):
            certifications = certifications.public()
        # The learner's own progress rides on the same query (one LEFT JOIN).
        return certifications.for_detail().with_progress_for(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certification = self.object
        steps = list(RoadmapStep.objects.leading_to(certification))
        prerequisites = list(certification.prerequisites.all())
        is_draft = certification.status == Certification.Status.DRAFT
        successor = certification.successor
        if successor is not None and successor.status == Certification.Status.DRAFT:
            successor = None
        context.update(
            steps=steps,
            prerequisites=prerequisites,
            successor=successor,
            is_draft=is_draft,
        )
        if not is_draft:  # a staff preview of a draft must not hand crawlers its data
            context["credential_ld"] = seo.credential(certification, site_url=settings.SITE_URL)
            context["breadcrumbs_ld"] = seo.breadcrumbs(certification, site_url=settings.SITE_URL)
        return context
