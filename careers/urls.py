from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("", views.career_list, name="list"),
    # compare/ must stay before <slug:slug>/ or "compare" would be read as a career slug.
    path("compare/", views.career_compare, name="compare"),
    path("<slug:slug>/", views.CareerDetailView.as_view(), name="detail"),
]
