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
        "wp_can_view_directory": bool(orgs_with_perm(user, "network.view_directory")),
        "wp_can_open_case": bool(orgs_with_perm(user, "cases.work_on_cases") & orgs_with_perm(user, "cases.open_case")),
        "wp_can_use_cases": bool(orgs_with_perm(user, "cases.work_on_cases") or orgs_with_perm(user, "cases.take_part")),
        "wp_can_manage_retention": bool(orgs_with_perm(user, "cases.manage_retention")),
        "wp_can_answer_access_requests": bool(orgs_with_perm(user, "cases.answer_access_request")),
        "wp_can_view_steering": _can_view_steering(user),
        "wp_can_manage_own_users": bool(orgs_with_perm(user, "accounts.manage_own_users")),
        "wp_can_manage_partner_policies": bool(orgs_with_perm(user, "accounts.manage_partner_policies")),
        # Activating residents (issue 6)
        "wp_can_manage_volunteers": bool(orgs_with_perm(user, "volunteers.manage_programme")),
        "wp_can_walk_rounds": bool(orgs_with_perm(user, "rounds.walk_round")),
        "wp_can_view_rounds": bool(orgs_with_perm(user, "rounds.view_rounds")),
        "wp_can_manage_jobs": bool(orgs_with_perm(user, "teams.manage_jobs")),
        "wp_can_work_in_team": bool(orgs_with_perm(user, "teams.work_in_team")),
        "wp_can_run_consultation": bool(orgs_with_perm(user, "consultation.run_consultation")),
        "wp_can_visit_doors": bool(orgs_with_perm(user, "consultation.visit_doors")),
        "wp_can_view_consultation_results": bool(orgs_with_perm(user, "consultation.view_results")),
        "wp_can_view_shared_contacts": bool(orgs_with_perm(user, "network.view_shared_contacts")),
        "wp_has_volunteer_profile": lambda: _has_volunteer_profile(user),  # lazy: only the nav asks, rarely
        "wp_mfa_required": lambda: _mfa_required(user),  # lazy: only the account pages ask
        "wp_environment": settings.ENVIRONMENT,
    }


def _can_view_steering(user) -> bool:
    from wijkpunt.steering.selectors import can_view_steering  # the steering app builds on core

    return can_view_steering(user)


def _mfa_required(user) -> bool:
    from wijkpunt.accounts.mfa import mfa_required_for  # accounts builds on core

    return mfa_required_for(user)


def _has_volunteer_profile(user) -> bool:
    """A volunteer who stopped keeps read access to their own page (rounds, reports, certificate)."""
    from wijkpunt.volunteers.models import Volunteer  # the volunteers app builds on core

    return bool(user and user.is_authenticated) and Volunteer.objects.filter(user=user).exists()
