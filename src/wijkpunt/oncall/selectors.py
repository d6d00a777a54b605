"""Reads for the duty dashboard and the roster pages, scoped by organisation permission."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.reports.models import OPEN_STATUSES, Report, Urgency

from .models import Escalation, EscalationPolicy, HelpRequest, Page, Roster
from .schedule import roster_picture


def duty_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, "oncall.view_duty")


def manage_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, "oncall.manage_oncall")


def rosters_visible_to(user):
    return Roster.objects.filter(organisation_id__in=duty_orgs(user) | manage_orgs(user))


def policies_manageable_by(user):
    return EscalationPolicy.objects.filter(organisation_id__in=manage_orgs(user))


def duty_overview(user, *, now: dt.datetime | None = None, limit: int = 50) -> dict:
    """Everything the duty dashboard shows, in a bounded number of queries."""
    now = now or timezone.now()
    orgs = duty_orgs(user)
    rosters = []
    for roster in Roster.objects.filter(organisation_id__in=orgs, is_active=True).select_related(
            "coordinator", "organisation"):
        picture = roster_picture(roster, now)
        rosters.append({"roster": roster, "now": picture.now, "next": picture.next, "backup": picture.backup,
                        "gaps": picture.gaps})
    live = (
        Escalation.objects.filter(organisation_id__in=orgs, status__in=(
            Escalation.Status.ACTIVE, Escalation.Status.EXHAUSTED))
        .select_related("report", "help_request__volunteer", "roster")
        .prefetch_related(Prefetch("pages", queryset=Page.objects.select_related("recipient").order_by("step")))
        .order_by("-status", "started_at")[:limit]  # "uitgeput" (nobody answered) before "actief"
    )
    urgent = (
        Report.objects.filter(organisation_id__in=orgs, status__in=OPEN_STATUSES, urgency=Urgency.SPOED)
        .select_related("category", "assignee", "unit", "complex")
        .prefetch_related(Prefetch("escalations", queryset=Escalation.objects.order_by("-started_at")))
        .order_by("created_at")[:limit]
    )
    recent_acks = (
        Escalation.objects.filter(organisation_id__in=orgs, status=Escalation.Status.ACKNOWLEDGED,
                                  acknowledged_at__gte=now - dt.timedelta(hours=12))
        .select_related("report", "help_request__volunteer", "acknowledged_by").order_by("-acknowledged_at")[:10]
    )
    open_help = HelpRequest.objects.filter(
        organisation_id__in=orgs, status__in=(HelpRequest.Status.OPEN, HelpRequest.Status.PICKED_UP),
        created_at__gte=now - dt.timedelta(hours=24),
    ).select_related("volunteer").order_by("-created_at")[:limit]
    return {
        "now": now, "rosters": rosters, "live": list(live), "urgent": list(urgent),
        "recent_acks": list(recent_acks), "help_requests": list(open_help),
        "gap_count": sum(len(r["gaps"]) for r in rosters),
    }


def help_organisation(user):
    """The organisation a volunteer asks for help from (the first in which they may), or None."""
    from wijkpunt.core.models import Organisation

    orgs = orgs_with_perm(user, "oncall.request_help")
    return Organisation.objects.filter(pk__in=orgs).order_by("pk").first() if orgs else None


def help_requests_of(user):
    return HelpRequest.objects.filter(volunteer=user).select_related("escalation__acknowledged_by")
