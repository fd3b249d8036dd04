"""Learner routes: dashboard, following careers, progress updates."""

from django.urls import path  # noqa: F401 - routes are added as the views land

urlpatterns = []
