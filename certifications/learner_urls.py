"""Learner routes: dashboard, following careers, progress updates."""

from django.urls import path

from certifications import learner_views

urlpatterns = [
    path("dashboard/", learner_views.dashboard, name="dashboard"),
    path("dashboard/plan/", learner_views.plan_update, name="plan-update"),
    path(
        "certifications/<slug:slug>/progress/",
        learner_views.progress_update_view,
        name="progress-update",
    ),
    path("careers/<slug:slug>/follow/", learner_views.career_follow_view, name="career-follow"),
    path(
        "careers/<slug:slug>/unfollow/",
        learner_views.career_unfollow_view,
        name="career-unfollow",
    ),
]
