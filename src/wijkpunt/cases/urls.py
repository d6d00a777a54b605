"""Case pages, under /werk/casussen/ in the "cases" namespace."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/notitie/", views.add_note, name="add_note"),
    path("<int:pk>/afsluiten/", views.close_case, name="close"),
]
