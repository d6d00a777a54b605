"""Every read of reports a user can see, scoped to what that user may see (guarantee 5)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wijkpunt.core.permissions import orgs_with_perm

from .models import CURRENT_FORWARD_STATES, OPEN_STATUSES, Category, Report, ReportEvent

PAGE_SIZE = 50
COUNT_CAP = 10_000
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
REFERENCE_RE = re.compile(r"M\d{2}-\d{1,12}")
NULLABLE_KEYS = {"deadline"}  # sorted NULLS LAST on every database
MAX_ID = 2**63 - 1

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
        # only the current forward: a declined or withdrawn one gives no access (not even reading)
        condition |= Q(forwarded_to_id__in=partner_ids, forward_state__in=CURRENT_FORWARD_STATES)
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
    if not token or not TOKEN_RE.fullmatch(token):
        return None
    return Report.objects.select_related("category", "merged_into").filter(tracking_token=token).first()


def report_timeline(report: Report, *, public_only: bool, partner_org_id: int | None = None) -> QuerySet[ReportEvent]:
    """The history ``public_only`` (reporters), in full (the corporation), or for a partner: what the
    reporter sees, the forwards to that partner and what its own people wrote -- never the
    corporation's internal notes."""
    events = report.events.select_related("actor").order_by("created_at", "id")
    if public_only:
        return events.filter(is_public=True)
    if partner_org_id is not None:
        own = ReportEvent.objects.filter(actor__memberships__organisation_id=partner_org_id).values("pk")
        return events.filter(
            Q(is_public=True) | Q(kind=ReportEvent.Kind.FORWARDED, data__partner=partner_org_id) | Q(pk__in=own)
            | Q(kind__in=[ReportEvent.Kind.FORWARD_ACCEPTED, ReportEvent.Kind.FORWARD_DECLINED],
                data__partner=partner_org_id)
        )
    return events


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
        if value is None and name in NULLABLE_KEYS:
            pass
        elif name in ("created_at", "deadline"):
            try:
                value = parse_datetime(value) if isinstance(value, str) else None
                if value is None or value.tzinfo is None:
                    return None
                value = value.astimezone(dt.UTC)  # out-of-range years fail here, not in the query
            except (ValueError, OverflowError):
                return None
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
            return None
        decoded.append(value)
    return decoded


def _equal(name, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def _after(name, desc, value, *, strict: bool) -> Q:
    """Rows after ``value`` on one key; NULL sorts last, so after NULL only NULL (non-strict)."""
    if value is None:
        return Q(pk__in=[]) if strict else Q(**{f"{name}__isnull": True})
    op = ("lt" if desc else "gt") + ("" if strict else "e")
    after = Q(**{f"{name}__{op}": value})
    return after | Q(**{f"{name}__isnull": True}) if name in NULLABLE_KEYS else after


def _keyset_condition(keys, values) -> Q:
    """Rows strictly after ``values`` in the order ``keys``; the first key also gets a non-strict
    bound so that the database can seek in its index instead of scanning from the start."""
    first_name, first_desc = keys[0]
    condition = Q(pk__in=[])
    for i, (name, desc) in enumerate(keys):
        term = _after(name, desc, values[i], strict=True)
        for j in range(i):  # equal on every earlier key
            term &= _equal(keys[j][0], values[j])
        condition |= term
    return _after(first_name, first_desc, values[0], strict=False) & condition


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
    elif f.assignee.isascii() and f.assignee.isdigit() and len(f.assignee) <= 18:
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.now())
    q = f.q.strip()
    if q:
        qs = qs.filter(reference__iexact=q) if REFERENCE_RE.fullmatch(q.upper()) else qs.filter(
            description__icontains=q
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
    ordering = [
        (F(name).desc(nulls_last=True) if desc else F(name).asc(nulls_last=True)) if name in NULLABLE_KEYS
        else f"-{name}" if desc else name
        for name, desc in keys
    ]
    rows = list(
        qs.select_related("category", "unit", "complex", "assignee", "forwarded_to")
        .order_by(*ordering)[: page_size + 1]
    )
    next_cursor = _encode_cursor(rows[page_size - 1], keys) if len(rows) > page_size else None
    return QueuePage(rows[:page_size], next_cursor, min(total, COUNT_CAP), total > COUNT_CAP, filters)
