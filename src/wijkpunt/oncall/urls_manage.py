"""Rosters, office calendar and escalation policies (owned by the management pages).

Included under /werk/dienst/ in the "oncall" namespace."""

from django.urls import path

from . import views_manage as views

urlpatterns = [
    path("roosters/", views.roster_list, name="roster_list"),
    path("roosters/nieuw/", views.roster_edit, name="roster_create"),
    path("roosters/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("roosters/<int:pk>/bewerken/", views.roster_edit, name="roster_edit"),
    path("roosters/<int:pk>/deelnemers/", views.member_add, name="roster_member_add"),
    path("roosters/<int:pk>/deelnemers/<int:member_pk>/verwijderen/", views.member_remove,
         name="roster_member_remove"),
    path("roosters/<int:pk>/deelnemers/<int:member_pk>/omhoog/", views.member_move, {"offset": -1},
         name="roster_member_up"),
    path("roosters/<int:pk>/deelnemers/<int:member_pk>/omlaag/", views.member_move, {"offset": 1},
         name="roster_member_down"),
    path("roosters/<int:pk>/wissels/", views.override_add, name="roster_override_add"),
    path("roosters/<int:pk>/wissels/<int:override_pk>/verwijderen/", views.override_delete,
         name="roster_override_delete"),
    path("roosters/<int:pk>/afwezigheid/", views.absence_add, name="roster_absence_add"),
    path("roosters/<int:pk>/afwezigheid/<int:absence_pk>/verwijderen/", views.absence_delete,
         name="roster_absence_delete"),
    path("kantoortijden/", views.office_calendar, name="office_calendar"),
    path("kantoortijden/<int:org_pk>/uren/", views.office_hours_add, name="office_hours_add"),
    path("kantoortijden/<int:org_pk>/uren/<int:pk>/verwijderen/", views.office_hours_delete,
         name="office_hours_delete"),
    path("kantoortijden/<int:org_pk>/sluitingsdagen/", views.closed_day_add, name="closed_day_add"),
    path("kantoortijden/<int:org_pk>/sluitingsdagen/<int:pk>/verwijderen/", views.closed_day_delete,
         name="closed_day_delete"),
    path("beleid/", views.policy_list, name="policy_list"),
    path("beleid/nieuw/", views.policy_edit, name="policy_create"),
    path("beleid/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("beleid/<int:pk>/verwijderen/", views.policy_delete, name="policy_delete"),
]
