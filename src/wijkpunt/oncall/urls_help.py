from django.urls import path

from . import views_help

app_name = "help"
urlpatterns = [
    path("", views_help.help_home, name="home"),
    path("<int:pk>/", views_help.help_status, name="status"),
    path("<int:pk>/status/", views_help.help_status_live, name="status_live"),
    path("<int:pk>/afsluiten/", views_help.help_close, name="close"),
]
