"""Account routes beyond allauth: settings, data export, deletion, calendar feed, sharing."""

from django.urls import path  # noqa: F401 - routes are added as the views land

urlpatterns = []
