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
        "wp_environment": settings.ENVIRONMENT,
    }
