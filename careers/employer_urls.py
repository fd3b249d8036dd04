from django.urls import path

from careers import views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("<slug:slug>/", views.EmployerDetailView.as_view(), name="detail"),
    path("<slug:slug>/careers/", views.EmployerCareersView.as_view(), name="careers"),
    path("<slug:slug>/monogram.png", views.employer_monogram, name="monogram"),
]
