"""Pages of the rounds app (see docs/rounds.md)."""

from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("", views.home, name="home"),
    path("plannen/", views.plan, name="plan"),
    path("sw.js", views.service_worker, name="sw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/lopen/", views.walk, name="walk"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/melding/", views.file_report, name="report"),
]
