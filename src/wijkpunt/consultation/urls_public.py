"""Public pages of the consultation app (no account): aggregated results once published."""

from django.urls import path

from . import views

app_name = "consultation_public"

urlpatterns = [
    path("<slug:slug>/", views.public_results, name="results"),
]
