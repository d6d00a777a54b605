"""Pages of the volunteer programme (see docs/volunteers.md)."""

from django.urls import path

from . import views, views_meetings, views_training

app_name = "volunteers"

urlpatterns = [
    path("", views.home, name="home"),
    path("ik/", views.me, name="me"),
    path("ik/certificaat.pdf", views.my_certificate, name="my_certificate"),
    path("wachten/", views.waiting, name="waiting"),
    path("nieuw/", views.programme_create, name="programme_create"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("<int:pk>/bewerken/", views.programme_edit, name="programme_edit"),
    path("<int:pk>/voordragen/", views.candidate_nominate, name="nominate"),
    path("<int:pk>/training/", views_training.training_page, name="training"),
    path("<int:pk>/training/aanwezigheid/", views_training.attendance_save, name="attendance"),
    path("<int:pk>/training/workshop/", views_training.workshop_add, name="workshop_add"),
    path("<int:pk>/overleg/nieuw/", views_meetings.meeting_create, name="meeting_create"),
    path("kandidaat/<int:pk>/", views.candidate_detail, name="candidate"),
    path("bewonerskracht/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("bewonerskracht/<int:pk>/bedanken/", views.thanks_send, name="thank"),
    path("bewonerskracht/<int:pk>/stoppen/", views.volunteer_end_view, name="end"),
    path("bewonerskracht/<int:pk>/herstarten/", views.volunteer_restart_view, name="restart"),
    path("bewonerskracht/<int:pk>/certificaat.pdf", views.volunteer_certificate, name="certificate"),
    path("workshop/<int:pk>/", views_training.workshop_edit, name="workshop_edit"),
    path("overleg/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("overleg/<int:pk>/agenda/", views_meetings.meeting_refresh, name="meeting_refresh"),
    path("overleg/<int:pk>/aanwezig/", views_meetings.meeting_attendance, name="meeting_attendance"),
    path("overleg/<int:pk>/verslag/", views_meetings.meeting_notes, name="meeting_notes"),
    path("overleg/<int:pk>/actie/", views_meetings.action_add, name="action_add"),
    path("actie/<int:pk>/", views_meetings.action_done, name="action_done"),
]
