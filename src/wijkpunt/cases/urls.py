"""Case pages, under /werk/casussen/ in the "cases" namespace."""

from django.urls import path

from . import views, views_collab

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.open_manual, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/notitie/", views.add_note, name="add_note"),
    path("<int:pk>/afsluiten/", views.close_case, name="close"),
    path("<int:pk>/document/<int:doc_pk>/", views.document_download, name="document"),
    path("<int:pk>/documenten/", views_collab.add_document, name="add_document"),
    path("<int:pk>/uitnodigen/", views_collab.invite, name="invite"),
    path("<int:pk>/antwoord/", views_collab.answer, name="answer"),
    path("<int:pk>/deelnemer/<int:participant_pk>/beeindigen/", views_collab.end_participant, name="end_participant"),
    path("<int:pk>/toestemming/", views_collab.record_consent, name="consent"),
    path("<int:pk>/toestemming/<int:consent_pk>/intrekken/", views_collab.withdraw_consent, name="withdraw_consent"),
    path("<int:pk>/zonder-toestemming/", views_collab.emergency, name="emergency"),
    path("<int:pk>/regisseur/", views_collab.set_lead, name="lead"),
    path("<int:pk>/gegevens/", views_collab.update_details, name="details"),
    path("<int:pk>/acties/", views_collab.add_action, name="add_action"),
    path("<int:pk>/acties/<int:action_pk>/", views_collab.action_status, name="action_status"),
    path("<int:pk>/meldingen/", views_collab.link_report, name="link_report"),
    path("<int:pk>/regiegroep/", views_collab.steering, name="steering"),
]
