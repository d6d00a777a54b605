from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("nieuw/", views.contact_point_create, name="create"),
    path("<int:pk>/bewerken/", views.contact_point_edit, name="edit"),
]
