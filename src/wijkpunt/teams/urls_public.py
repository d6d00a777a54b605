"""Public pages of the teams app (no account), mounted at /klus/."""

from django.urls import path

from . import views_public

app_name = "teams_public"

urlpatterns = [
    path("", views_public.request_job, name="request"),
    path("ontvangen/<str:token>/", views_public.request_done, name="done"),
    path("volgen/<str:token>/", views_public.track, name="track"),
]
