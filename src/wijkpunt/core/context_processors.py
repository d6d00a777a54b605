from django.conf import settings

from .permissions import orgs_with_perm


def wijkpunt(request):
    user = getattr(request, "user", None)
    return {
        "wp_can_triage": bool(orgs_with_perm(user, "reports.triage_report")),
        "wp_is_partner": bool(orgs_with_perm(user, "reports.view_forwarded_reports")),
        "wp_is_volunteer": bool(orgs_with_perm(user, "reports.file_volunteer_report")),
        "wp_can_phone_intake": bool(orgs_with_perm(user, "reports.intake_phone")),
        "wp_can_view_duty": bool(orgs_with_perm(user, "oncall.view_duty")),
        "wp_can_manage_oncall": bool(orgs_with_perm(user, "oncall.manage_oncall")),
        "wp_can_request_help": bool(orgs_with_perm(user, "oncall.request_help")),
        "wp_can_view_financial": bool(orgs_with_perm(user, "arrears.view_financial")),
        "wp_can_import_ledger": bool(orgs_with_perm(user, "arrears.import_ledger")),
        "wp_can_manage_agreements": bool(orgs_with_perm(user, "arrears.manage_agreements")),
        "wp_can_view_arrears_figures": bool(orgs_with_perm(user, "arrears.view_figures")),
        "wp_can_work_on_cases": bool(orgs_with_perm(user, "cases.work_on_cases")),
        "wp_environment": settings.ENVIRONMENT,
    }
