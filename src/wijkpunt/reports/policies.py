"""Who may do what with one report. Checks permissions (data), never role names."""

from __future__ import annotations

from wijkpunt.core.permissions import has_org_perm

from .models import CURRENT_FORWARD_STATES, ForwardState, Status


def is_current_partner(user, report) -> bool:
    """``user`` works for the partner the report is forwarded to now (a declined or withdrawn
    forward gives no access: the partner only ever sees its current forwards)."""
    return (
        report.forwarded_to_id is not None
        and report.forward_state in CURRENT_FORWARD_STATES
        and has_org_perm(user, "reports.view_forwarded_reports", report.forwarded_to_id)
    )


def can_triage(user, report) -> bool:
    return has_org_perm(user, "reports.triage_report", report.organisation_id)


def can_partner_handle(user, report) -> bool:
    return (
        report.forwarded_to_id is not None
        and report.status == Status.FORWARDED
        and report.forward_state in CURRENT_FORWARD_STATES
        and has_org_perm(user, "reports.handle_forwarded_reports", report.forwarded_to_id)
    )


def can_partner_accept(user, report) -> bool:
    return can_partner_handle(user, report) and report.forward_state == ForwardState.PENDING


def can_partner_decline(user, report) -> bool:
    """Pending: decline; accepted: hand it back after all. Either way with a reason."""
    return can_partner_handle(user, report)


def can_view(user, report) -> bool:
    return (
        has_org_perm(user, "reports.view_org_reports", report.organisation_id)
        or is_current_partner(user, report)
        or (user.is_authenticated and report.reporter_user_id == user.pk)
    )


def can_see_reporter_contact(user, report) -> bool:
    """Staff of the corporation see the reporter's contact details; a partner only when the
    reporter consented to be contacted."""
    if has_org_perm(user, "reports.view_org_reports", report.organisation_id):
        return True
    return report.contact_consent and is_current_partner(user, report)


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
