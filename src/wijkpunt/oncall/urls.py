from django.urls import include, path

from . import views_duty

app_name = "oncall"
urlpatterns = [
    path("", views_duty.dashboard, name="dashboard"),
    path("live/", views_duty.dashboard_live, name="dashboard_live"),
    path("escalaties/<int:pk>/bevestigen/", views_duty.acknowledge, name="acknowledge"),
    path("escalaties/<int:pk>/besluit/", views_duty.decide, name="decide"),
    path("", include("wijkpunt.oncall.urls_manage")),
]
