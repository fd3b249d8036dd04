"""Old addresses of renamed pages still reach them (see `FormerSlug`)."""

from django.core.validators import slug_re
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect

from careers.models import FormerSlug


def renamed(queryset, slug):
    """The row of `queryset` that had `slug` before an editor renamed it, or None. Taking the
    caller's queryset keeps a draft hidden from whoever may not see it. A slug in capitals
    ("DS" for "ds") finds it too, as it finds a current page."""
    match = {"slug": slug} if slug == slug.lower() else {"slug__iexact": slug}
    former = FormerSlug.objects.filter(model=queryset.model._meta.label_lower, **match)
    target_id = former.values_list("target_id", flat=True).first()
    return None if target_id is None else queryset.filter(pk=target_id).first()


def renamed_picks(queryset, texts, known) -> dict[str, str]:
    """{former slug: current slug} for those of `texts` (typed or in a shared link) that are
    no slug in `known` but the former slug of a row of `queryset` whose slug is: a comparison
    shared before an editor renamed a page still shows it. One query, none when every text is
    a known slug or could be no slug ("Data Scientist")."""
    wanted = {text.strip().lower() for text in texts} - set(known)
    wanted = sorted(text for text in wanted if slug_re.match(text))
    if not wanted:
        return {}
    now = queryset.filter(pk=OuterRef("target_id")).values("slug")[:1]
    rows = FormerSlug.objects.filter(model=queryset.model._meta.label_lower, slug__in=wanted)
    pairs = rows.annotate(now=Subquery(now)).values_list("slug", "now")
    return {old: slug for old, slug in pairs if slug in known}


def get_by_slug_or_former(queryset, slug):
    """The row of `queryset` with this slug, or the one that had it, else 404: a form left
    open on the old page still saves where it was meant to."""
    row = queryset.filter(slug=slug).first() or renamed(queryset, slug)
    if row is None:
        raise Http404(f"No {queryset.model._meta.verbose_name} has that address.")
    return row


def same_but_for_case(queryset, slug):
    """The row of `queryset` whose slug is `slug` in other letter case ("AI-ML-Engineer" typed
    or shared for "ai-ml-engineer"), or None; no query for a slug already in lower case."""
    if slug == slug.lower():
        return None
    return queryset.filter(slug__iexact=slug).first()


class FollowsFormerSlugs:
    """For a DetailView found by slug: when no page has the slug, but a page this visitor may
    see had it before an editor changed it, or has it in other letter case, answer 301 to the
    page's address (query string kept). Costs nothing on a found page: the lookups run only
    where a 404 would."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            queryset = self.get_queryset().prefetch_related(None)
            slug = self.kwargs[self.slug_url_kwarg]
            page = renamed(queryset, slug) or same_but_for_case(queryset, slug)
            if page is None:
                raise
            url = page.get_absolute_url()
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(url)
