import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from careerportal import sitemaps, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", views.favicon),
    path("careers/", include("careers.urls")),
    path("certifications/", include("certifications.urls")),
    path("employers/", include("careers.employer_urls")),
    path("", include("certifications.learner_urls")),
    path("", include("careerportal.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.+)$", views.media, name="media"))

handler400 = views.bad_request
handler404 = views.page_not_found
handler429 = views.too_many_attempts  # not Django's: allauth's rate limits call it
handler500 = views.server_error
