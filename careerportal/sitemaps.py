"""/sitemap.xml: every public page, with when it last changed where we know it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.db.models import Max
from django.urls import reverse

from careers.models import Career, Employer
from certifications.models import Certification


class Sitemap(BaseSitemap):
    """Absolute links on SITE_URL, whatever host name the request came in on."""

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


class CertificationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Certification.objects.public().order_by("slug").only("slug", "updated_at")

    def lastmod(self, certification):
        return certification.updated_at


class EmployerSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Employer.objects.order_by("slug").only("slug")


class StaticPageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "careers:list", "certifications:list", "employers:list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        # Lists change whenever any career does; the newest edit is a fair date for all.
        if not hasattr(self, "_latest"):
            self._latest = Career.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


SITEMAPS = {
    "pages": StaticPageSitemap,
    "careers": CareerSitemap,
    "certifications": CertificationSitemap,
    "employers": EmployerSitemap,
}
