"""Staff pages for rent arrears (vroegsignalering), under /werk/huur/ in the "arrears" namespace."""

from django.urls import path

from . import views, views_admin, views_picture

app_name = "arrears"

urlpatterns = [
    path("", views.episode_list, name="list"),
    path("<int:pk>/", views.episode_detail, name="episode"),
    path("<int:pk>/stap/<slug:action>/", views.episode_step, name="step"),
    path("bewijs/<int:pk>/", views.evidence, name="evidence"),
    path("signalen/", views_admin.signal_list, name="signals"),
    path("signalen/export/", views_admin.signal_export, name="signal_export"),
    path("signalen/<int:pk>/antwoord/", views_admin.signal_answer, name="signal_answer"),
    path("signalen/terugkoppeling/", views_admin.answer_import, name="answer_import"),
    path("import/", views_admin.ledger_import, name="ledger_import"),
    path("run/", views_admin.run_now, name="run_now"),
    path("convenanten/", views_admin.agreement_list, name="agreements"),
    path("convenanten/nieuw/", views_admin.agreement_edit, name="agreement_create"),
    path("convenanten/<int:pk>/", views_admin.agreement_edit, name="agreement_edit"),
    path("ken-uw-huurder/", views_picture.household_picture, name="picture"),
    path("ken-uw-huurder/<int:household_pk>/casus/", views_picture.open_case, name="open_case"),
    path("cijfers/", views_picture.figures, name="figures"),
]
