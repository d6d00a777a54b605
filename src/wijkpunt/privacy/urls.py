"""Privacy pages, under /werk/privacy/ in the "privacy" namespace."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("bewaartermijnen/<int:organisation_id>/<str:case_type>/", views.rule_edit, name="rule_edit"),
    path("bewaarplicht/", views.legal_hold, name="legal_hold"),
    path("inzage/", views.access_request, name="access_request"),
    path("inzage/<int:household_id>/", views.access_request_export, name="access_request_export"),
]
