"""Who may do what with one report. Checks permissions (data), never role names."""

from __future__ import annotations

from wijkpunt.core.permissions import has_org_perm

from .models import Status


def can_triage(user, report) -> bool:
    return has_org_perm(user, "reports.triage_report", report.organisation_id)


def can_partner_handle(user, report) -> bool:
    return (
        report.forwarded_to_id is not None
        and report.status == Status.FORWARDED
        and has_org_perm(user, "reports.handle_forwarded_reports", report.forwarded_to_id)
    )


def can_view(user, report) -> bool:
    return (
        has_org_perm(user, "reports.view_org_reports", report.organisation_id)
        or (
            report.forwarded_to_id is not None
            and has_org_perm(user, "reports.view_forwarded_reports", report.forwarded_to_id)
        )
        or (user.is_authenticated and report.reporter_user_id == user.pk)
    )


def can_see_reporter_contact(user, report) -> bool:
    """Staff of the corporation see the reporter's contact details; a partner only when the
    reporter consented to be contacted."""
    if has_org_perm(user, "reports.view_org_reports", report.organisation_id):
        return True
    return report.contact_consent and report.forwarded_to_id is not None and has_org_perm(
        user, "reports.view_forwarded_reports", report.forwarded_to_id
    )


def allowed_targets(user, report) -> list[str]:
    """Status values this user may move the report to now."""
    from .lifecycle import TRANSITIONS

    targets = TRANSITIONS.get(report.status, ())
    if can_triage(user, report):
        return [t for t in targets if t != Status.MERGED]
    if can_partner_handle(user, report):
        # not IN_PROGRESS: a partner's own handling ends only when status is FORWARDED, so that
        # choice would lock the partner out of its own report (no resolve, no notes)
        return [t for t in targets if t == Status.RESOLVED]
    return []
