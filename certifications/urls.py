from django.urls import path

from certifications import views

app_name = "certifications"

urlpatterns = [
    path("", views.certification_list, name="list"),
    # compare/ must stay before <slug:slug>/ or "compare" would be read as a slug.
    path("compare/", views.certification_compare, name="compare"),
    path("<slug:slug>/", views.CertificationDetailView.as_view(), name="detail"),
    path("<slug:slug>/careers/", views.CertificationCareersView.as_view(), name="careers"),
]
