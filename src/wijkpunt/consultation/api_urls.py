"""Private API routes of the consultation app, mounted under /api/v1/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns: list = [
    path("consultations/", api.ConsultationListView.as_view(), name="consultations-list"),
    path("consultations/<int:pk>/addresses/", api.AddressListView.as_view(), name="consultations-addresses"),
    path("consultations/<int:pk>/visits/", api.VisitCreateView.as_view(), name="consultations-visits"),
    path("consultations/<int:pk>/results/", api.ResultsView.as_view(), name="consultations-results"),
]
