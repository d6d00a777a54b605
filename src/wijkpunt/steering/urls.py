"""Steering group pages, under /werk/regiegroep/ in the "steering" namespace."""

from django.urls import path

from . import views

app_name = "steering"

urlpatterns = [
    path("", views.home, name="home"),
    path("groepen/nieuw/", views.group_create, name="group_create"),
    path("groepen/<int:pk>/", views.group_detail, name="group"),
    path("groepen/<int:pk>/bewerken/", views.group_edit, name="group_edit"),
    path("groepen/<int:pk>/overleg/nieuw/", views.meeting_create, name="meeting_create"),
    path("overleg/<int:pk>/", views.meeting_detail, name="meeting"),
    path("overleg/<int:pk>/agenda/", views.meeting_refresh, name="meeting_refresh"),
    path("overleg/<int:pk>/verslag/", views.meeting_minutes, name="meeting_minutes"),
    path("overleg/<int:pk>/publiceren/", views.meeting_publish, name="meeting_publish"),
    path("agendapunt/<int:pk>/besluit/", views.item_decide, name="item_decide"),
]
