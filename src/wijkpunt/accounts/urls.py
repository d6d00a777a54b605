"""Account pages: /werk/organisatie/ (policies, a partner's own users) and the invitation link."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("werk/organisatie/partners/", views.policy_list, name="policies"),
    path("werk/organisatie/partners/nieuw/", views.policy_edit, name="policy_create"),
    path("werk/organisatie/partners/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("werk/organisatie/gebruikers/", views.user_list, name="users"),
    path("werk/organisatie/gebruikers/nieuw/", views.user_create, name="user_create"),
    path("werk/organisatie/gebruikers/<int:pk>/", views.user_detail, name="user"),
    path("werk/organisatie/gebruikers/<int:pk>/actief/", views.user_set_active, name="user_active"),
    path("account/wachtwoord-instellen/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("account/verder/", views.continue_after_mfa, name="continue"),
]
