"""Private API routes of the teams app, mounted under /api/v1/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("jobs/", api.JobListView.as_view(), name="jobs-list"),
    path("jobs/<int:pk>/", api.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/transition/", api.JobTransitionView.as_view(), name="job-transition"),
    path("teams/", api.TeamListView.as_view(), name="teams-list"),
]
