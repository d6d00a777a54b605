from django.urls import path

from . import views_staff

app_name = "staff"
urlpatterns = [
    path("", views_staff.home, name="home"),
    path("werkvoorraad/", views_staff.queue, name="queue"),
    path("meldingen/<int:pk>/", views_staff.report_detail, name="report"),
    path("meldingen/<int:pk>/foto/<int:photo_id>/", views_staff.report_photo, name="report_photo"),
    path("meldingen/<int:pk>/accepteren/", views_staff.forward_accept, name="forward_accept"),
    path("meldingen/<int:pk>/weigeren/", views_staff.forward_decline, name="forward_decline"),
    path("meldingen/<int:pk>/<str:action>/", views_staff.report_action, name="report_action"),
    path("melden/", views_staff.intake, name="intake"),
    path("mijn-meldingen/", views_staff.my_reports, name="my_reports"),
]
