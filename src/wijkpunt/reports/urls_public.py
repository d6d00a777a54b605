from django.urls import path

from . import views_public

app_name = "public"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("melden/", views_public.report_create, name="report_create"),
    path("melden/suggestie/", views_public.suggest, name="suggest"),
    path("melden/ontvangen/<str:token>/", views_public.report_done, name="done"),
    path("volgen/<str:token>/", views_public.track, name="track"),
    path("volgen/<str:token>/foto/<int:photo_id>/", views_public.track_photo, name="track_photo"),
]
