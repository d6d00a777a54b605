"""Private API routes of the rounds app, mounted under /api/v1/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("rounds/", api.RoundListView.as_view(), name="rounds-list"),
    path("rounds/<int:pk>/", api.RoundDetailView.as_view(), name="rounds-detail"),
    path("rounds/<int:pk>/checks/", api.RoundChecksView.as_view(), name="rounds-checks"),
    path("rounds/<int:pk>/status/", api.RoundStatusView.as_view(), name="rounds-status"),
    path("rounds/<int:pk>/reports/", api.RoundReportView.as_view(), name="rounds-reports"),
]
