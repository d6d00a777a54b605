"""Every read of reports a user can see, scoped to what that user may see (guarantee 5)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wijkpunt.core.permissions import orgs_with_perm

from .models import OPEN_STATUSES, Category, Report, ReportEvent

PAGE_SIZE = 50
COUNT_CAP = 10_000

# sort name -> ordered keys (field, descending)
SORTS: dict[str, list[tuple[str, bool]]] = {
    "nieuwste": [("created_at", True), ("id", True)],
    "oudste": [("created_at", False), ("id", False)],
    "termijn": [("deadline", False), ("id", False)],
    "urgentie": [("urgency_rank", False), ("created_at", True), ("id", True)],
}


def _handler_condition(user) -> Q:
    """Reports ``user`` handles: their corporation's (staff) and those forwarded to their
    organisation (partners). Matches nothing for everyone else."""
    condition = Q(pk__in=[])
    org_ids = orgs_with_perm(user, "reports.view_org_reports")
    if org_ids:
        condition |= Q(organisation_id__in=org_ids)
    partner_ids = orgs_with_perm(user, "reports.view_forwarded_reports")
    if partner_ids:
        condition |= Q(forwarded_to_id__in=partner_ids)
    return condition


def reports_visible_to(user) -> QuerySet[Report]:
    """All reports ``user`` may see: the ones they handle, and those they filed themselves."""
    if not user.is_authenticated:
        return Report.objects.none()
    return Report.objects.filter(_handler_condition(user) | Q(reporter_user=user))


def queue_base(user) -> QuerySet[Report]:
    """The work queue: staff see their corporation's reports, partners what was forwarded to them."""
    return Report.objects.filter(_handler_condition(user))


def report_for_user(user, pk: int) -> Report | None:
    return (
        reports_visible_to(user)
        .select_related("category__parent", "unit", "complex", "neighbourhood", "assignee", "team",
                        "forwarded_to", "merged_into", "organisation", "reporter_user")
        .filter(pk=pk)
        .first()
    )


def report_by_token(token: str) -> Report | None:
    if not token or len(token) > 64:
        return None
    return Report.objects.select_related("category", "merged_into").filter(tracking_token=token).first()


def report_timeline(report: Report, *, public_only: bool) -> QuerySet[ReportEvent]:
    events = report.events.select_related("actor").order_by("created_at", "id")
    return events.filter(is_public=True) if public_only else events


def reports_filed_by(user) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter_user=user)
        .select_related("category", "merged_into")
        .order_by("-created_at", "-id")
    )


def latest_public_events(report_ids: list[int]) -> dict[int, ReportEvent]:
    """The newest public event per report (what the reporter last heard), in one query."""
    latest: dict[int, ReportEvent] = {}
    events = ReportEvent.objects.filter(report_id__in=report_ids, is_public=True).order_by("report_id", "-created_at", "-id")
    for event in events:
        latest.setdefault(event.report_id, event)
    return latest


@dataclass
class QueueFilters:
    status: str = "open"
    category: str = ""
    urgency: str = ""
    neighbourhood: int | None = None
    complex: int | None = None
    assignee: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "nieuwste"


@dataclass
class QueuePage:
    reports: list[Report]
    next_cursor: str | None
    total: int
    total_capped: bool
    filters: QueueFilters = field(default_factory=QueueFilters)


def _encode_cursor(report: Report, keys) -> str:
    values = []
    for name, _desc in keys:
        value = getattr(report, name)
        values.append(value.isoformat() if isinstance(value, dt.datetime) else value)
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, keys) -> list | None:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    decoded = []
    for (name, _desc), value in zip(keys, values, strict=True):
        if name in ("created_at", "deadline"):
            value = parse_datetime(value) if isinstance(value, str) else None
            if value is None:
                return None
        elif not isinstance(value, int) or isinstance(value, bool):
            return None
        decoded.append(value)
    return decoded


def _keyset_condition(keys, values) -> Q:
    """Rows strictly after ``values`` in the order ``keys``; the first key also gets a non-strict
    bound so that the database can seek in its index instead of scanning from the start."""
    first_name, first_desc = keys[0]
    condition = Q()
    for i, (name, desc) in enumerate(keys):
        term = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[i]})
        for j in range(i):  # equal on every earlier key
            term &= Q(**{keys[j][0]: values[j]})
        condition |= term
    bound = Q(**{f"{first_name}__{'lte' if first_desc else 'gte'}": values[0]})
    return bound & condition


def apply_filters(qs: QuerySet[Report], f: QueueFilters, user) -> QuerySet[Report]:
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status and f.status != "alle":
        qs = qs.filter(status=f.status)
    if f.category:
        cat = Category.objects.filter(slug=f.category).first()
        qs = qs.filter(main_category=cat) if cat and cat.parent_id is None else qs.filter(category=cat)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.neighbourhood:
        qs = qs.filter(neighbourhood_id=f.neighbourhood)
    if f.complex:
        qs = qs.filter(complex_id=f.complex)
    if f.assignee == "ik":
        qs = qs.filter(assignee=user)
    elif f.assignee == "niemand":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.now())
    if f.q:
        qs = qs.filter(reference__iexact=f.q.strip()) if f.q.strip().upper().startswith("M") else qs.filter(
            description__icontains=f.q.strip()
        )
    return qs


def queue_page(user, filters: QueueFilters, *, cursor: str = "", page_size: int = PAGE_SIZE) -> QueuePage:
    keys = SORTS.get(filters.sort) or SORTS["nieuwste"]
    qs = apply_filters(queue_base(user), filters, user)
    total = qs[: COUNT_CAP + 1].count()
    if cursor:
        values = _decode_cursor(cursor, keys)
        if values is not None:
            qs = qs.filter(_keyset_condition(keys, values))
    ordering = [f"-{name}" if desc else name for name, desc in keys]
    rows = list(
        qs.select_related("category", "unit", "complex", "assignee", "forwarded_to")
        .order_by(*ordering)[: page_size + 1]
    )
    next_cursor = _encode_cursor(rows[page_size - 1], keys) if len(rows) > page_size else None
    return QueuePage(rows[:page_size], next_cursor, min(total, COUNT_CAP), total > COUNT_CAP, filters)
