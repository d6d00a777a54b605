"""Pages of the consultation app under /werk/raadplegingen/ (see docs/consultation.md)."""

from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.home, name="home"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/vragen/", views.question_add, name="question_add"),
    path("<int:pk>/vragen/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/vragen/<int:question_pk>/<str:action>/", views.question_action, name="question_action"),
    path("<int:pk>/status/<str:action>/", views.transition, name="transition"),
    path("<int:pk>/bezoeken/", views.visit_list, name="visits"),
    path("<int:pk>/adressen/<int:address_pk>/", views.visit, name="visit"),
    path("<int:pk>/adressen/<int:address_pk>/brief/", views.letter, name="letter"),
    path("<int:pk>/uitslag/", views.results, name="results"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("<int:pk>/brieven/", views.street_letters, name="street_letters"),
    path("<int:pk>/woonwensen/", views.housing_wishes, name="housing_wishes"),
]
