"""Old addresses of renamed pages answer a permanent redirect (see `FormerSlug`)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404

from careers.models import FormerSlug


class FollowsFormerSlugs:
    """For a DetailView found by slug: when no page has the slug, but a page this visitor may
    see had it before an editor changed it, answer 301 to the page's address (query string
    kept). Costs nothing on a found page: the lookup runs only where a 404 would."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            page = self.renamed_page()
            if page is None:
                raise
            url = page.get_absolute_url()
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(url)

    def renamed_page(self):
        former = FormerSlug.objects.filter(
            model=self.model._meta.label_lower, slug=self.kwargs[self.slug_url_kwarg]
        ).values_list("target_id", flat=True)
        target_id = former.first()
        if target_id is None:
            return None
        # The view's own queryset, so a draft stays hidden from whoever may not see it.
        return self.get_queryset().prefetch_related(None).filter(pk=target_id).first()


def get_by_slug_or_former(queryset, slug):
    """The row of `queryset` with this slug, or the one that had it before an editor renamed
    it, else 404: a form left open on the old page still saves where it was meant to."""
    model = queryset.model
    row = queryset.filter(slug=slug).first()
    if row is not None:
        return row
    former = FormerSlug.objects.filter(model=model._meta.label_lower, slug=slug)
    return get_object_or_404(queryset, pk=former.values_list("target_id", flat=True).first())
