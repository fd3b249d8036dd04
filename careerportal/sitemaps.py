"""/sitemap.xml: an index of one sitemap per section (/sitemap-careers.xml...), each paged
at 1,000 links (?p=2), listing every public page with when it last changed where we know it.

Each names a stylesheet (static/css/sitemap.css) for a person opening it in a browser: Chrome
shows XML without one in its own viewer, whose inline style our Content-Security-Policy
blocks. An XSLT stylesheet is no way out: Chrome 156 warns it is going away and draws a
banner with inline styles and handlers over the page, which the policy blocks too.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.views.decorators.http import require_safe

from careers.models import Career, Employer
from certifications.models import Certification


class Sitemap(BaseSitemap):
    """Absolute links on SITE_URL, whatever host name the request came in on."""

    # Links a page (search engines take up to 50,000): Django renders about 0.4 ms a link, so
    # a page stays well under a second to render when the page cache has not got it.
    limit = 1000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class CareerSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Career.objects.published().order_by("slug").only("slug", "updated_at")

    def lastmod(self, career):
        return career.updated_at

    def get_latest_lastmod(self):
        # For the index: one MAX query, where Django's default reads every item. Kept: the
        # list pages' date is the same (StaticPageSitemap).
        if not hasattr(self, "_latest"):
            self._latest = Career.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


class CertificationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Certification.objects.public().order_by("slug").only("slug", "updated_at")

    def lastmod(self, certification):
        return certification.updated_at

    def get_latest_lastmod(self):
        return Certification.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class EmployerSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Employer.objects.order_by("slug").only("slug")


class StaticPageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def __init__(self, careers: CareerSitemap):
        self.careers = careers

    def items(self):
        return ["home", "careers:list", "certifications:list", "employers:list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        # Lists change whenever any career does; the newest edit is a fair date for all.
        return self.careers.get_latest_lastmod()

    def get_latest_lastmod(self):
        return self.lastmod(None)


def sections() -> dict[str, Sitemap]:
    """One request's sections: the list pages share the careers' newest edit (one query)."""
    careers = CareerSitemap()
    return {
        "pages": StaticPageSitemap(careers),
        "careers": careers,
        "certifications": CertificationSitemap(),
        "employers": EmployerSitemap(),
    }


@login_not_required
@require_safe
def sitemap_index(request):
    """/sitemap.xml: the sections' sitemaps and their pages, each with its newest change.
    Five queries, however many pages: a MAX and a COUNT per section (the employers' COUNT
    only, the pages' MAX the careers')."""
    response = sitemap_views.index(
        request,
        sitemaps=sections(),
        template_name="sitemaps/index.xml",
        sitemap_url_name="sitemap-section",
    )
    # Django builds these links on the request's host; the sections' own links are on SITE_URL.
    site = urlsplit(settings.SITE_URL)
    for item in response.context_data["sitemaps"]:
        item.location = (
            urlsplit(item.location)._replace(scheme=site.scheme, netloc=site.netloc).geturl()
        )
    return response


@login_not_required
@require_safe
def sitemap_section(request, section):
    """/sitemap-<section>.xml?p=N: up to 1,000 links of one section (404 past the last page)."""
    return sitemap_views.sitemap(
        request, sitemaps=sections(), section=section, template_name="sitemaps/section.xml"
    )
