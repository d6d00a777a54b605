"""Private API routes of the volunteers app, mounted under /api/v1/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("volunteers/", api.VolunteerListView.as_view(), name="volunteers-list"),
    path("volunteers/me/", api.MyVolunteerPageView.as_view(), name="volunteers-me"),
    path("volunteers/<int:pk>/", api.VolunteerDetailView.as_view(), name="volunteers-detail"),
]
