from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from careerportal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("careers/", include("careers.urls")),
    path("certifications/", include("certifications.urls")),
    path("employers/", include("careers.employer_urls")),
    path("", include("certifications.learner_urls")),
    path("", include("careerportal.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
