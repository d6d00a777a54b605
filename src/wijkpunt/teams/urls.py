"""Klussen pages (staff and team members), mounted at /werk/klussen/ (see docs/teams.md)."""

from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.home, name="home"),
    path("nieuw/", views.job_create, name="job_create"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/team/", views.job_route, name="job_route"),
    path("<int:pk>/stap/<str:action>/", views.job_action, name="job_action"),
    path("teams/nieuw/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/bewerken/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/leden/", views.member_add, name="member_add"),
    path("teams/<int:pk>/leden/<int:member_pk>/", views.member_change, name="member_change"),
]
