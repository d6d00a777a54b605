from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from wijkpunt.arrears import api as arrears_api
from wijkpunt.cases import api as cases_api
from wijkpunt.core.views import health
from wijkpunt.oncall import api as oncall_api
from wijkpunt.oncall import views_ack as ack_views
from wijkpunt.reports import api

# The admin has no login of its own: it sends people to /inloggen/ (password + second factor).
admin.site.login = secure_admin_login(admin.site.login)

public_api = [
    path("challenge/", api.PublicChallengeView.as_view(), name="challenge"),
    path("categories/", api.PublicCategoryListView.as_view(), name="categories"),
    path("suggest/", api.PublicSuggestView.as_view(), name="suggest"),
    path("reports/", api.PublicReportCreateView.as_view(), name="report-create"),
    path("reports/<str:token>/", api.PublicReportTrackView.as_view(), name="report-track"),
]
private_api = [
    path("reports/", api.ReportListCreateView.as_view(), name="reports"),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/transition/", api.ReportTransitionView.as_view(), name="report-transition"),
    path("reports/<int:pk>/notes/", api.ReportNoteView.as_view(), name="report-notes"),
    path("reports/<int:pk>/accept/", api.ReportForwardAcceptView.as_view(), name="report-accept"),
    path("reports/<int:pk>/decline/", api.ReportForwardDeclineView.as_view(), name="report-decline"),
    path("oncall/", oncall_api.DutyView.as_view(), name="oncall"),
    path("oncall/escalations/<int:pk>/acknowledge/", oncall_api.AcknowledgeView.as_view(), name="oncall-ack"),
    path("help-requests/", oncall_api.HelpRequestView.as_view(), name="help-requests"),
    path("arrears/episodes/", arrears_api.EpisodeListView.as_view(), name="arrears-episodes"),
    path("arrears/episodes/<int:pk>/", arrears_api.EpisodeDetailView.as_view(), name="arrears-episode"),
    path("arrears/episodes/<int:pk>/steps/", arrears_api.EpisodeStepView.as_view(), name="arrears-steps"),
    path("arrears/episodes/<int:pk>/signal/", arrears_api.EpisodeSignalView.as_view(), name="arrears-signal"),
    path("arrears/ledger/", arrears_api.LedgerImportView.as_view(), name="arrears-ledger"),
    path("arrears/signals/export/", arrears_api.SignalExportView.as_view(), name="arrears-signal-export"),
    path("arrears/signals/answers/", arrears_api.SignalAnswersView.as_view(), name="arrears-signal-answers"),
    path("cases/", cases_api.CaseListView.as_view(), name="cases"),
    path("cases/<int:pk>/", cases_api.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/notes/", cases_api.CaseNoteView.as_view(), name="case-notes"),
    path("cases/<int:pk>/answer/", cases_api.CaseAnswerView.as_view(), name="case-answer"),
    path("", include("wijkpunt.volunteers.api_urls")),
    path("", include("wijkpunt.rounds.api_urls")),
    path("", include("wijkpunt.teams.api_urls")),
    path("", include("wijkpunt.consultation.api_urls")),
]

urlpatterns = [
    path("", include("wijkpunt.reports.urls_public")),
    path("werk/dienst/", include("wijkpunt.oncall.urls")),
    path("werk/hulp/", include("wijkpunt.oncall.urls_help")),
    path("werk/huur/", include("wijkpunt.arrears.urls")),
    path("werk/casussen/", include("wijkpunt.cases.urls")),
    path("werk/netwerk/", include("wijkpunt.network.urls")),
    path("werk/privacy/", include("wijkpunt.privacy.urls")),
    path("werk/regiegroep/", include("wijkpunt.steering.urls")),
    path("werk/bewonerskrachten/", include("wijkpunt.volunteers.urls")),
    path("werk/rondes/", include("wijkpunt.rounds.urls")),
    path("werk/klussen/", include("wijkpunt.teams.urls")),
    path("werk/raadplegingen/", include("wijkpunt.consultation.urls")),
    path("klus/", include("wijkpunt.teams.urls_public")),  # a tenant asks the Klusteam/Groenteam
    path("raadpleging/", include("wijkpunt.consultation.urls_public")),  # public results, no personal data
    path("", include("wijkpunt.accounts.urls")),  # /werk/organisatie/…, /account/wachtwoord-instellen/…
    path("werk/", include("wijkpunt.reports.urls_staff")),
    path("a/<str:token>/", ack_views.acknowledge, name="ack"),
    path("api/public/v1/", include((public_api, "public-api"))),
    path("api/v1/", include((private_api, "api"))),
    path("inloggen/", account_views.login, name="login"),  # django-allauth (docs/accounts.md)
    path("uitloggen/", account_views.logout, name="logout"),
    path("account/", include("allauth.urls")),  # second factor: /account/2fa/…
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("health/", health, name="health"),
]

if settings.DEBUG:
    from drf_spectacular.views import SpectacularAPIView

    urlpatterns.append(path("api/schema/", SpectacularAPIView.as_view(), name="schema"))

handler404 = "wijkpunt.core.views.not_found"
handler500 = "wijkpunt.core.views.server_error"
