"""Reads of the rounds app, scoped to what the acting user may see (docs/rounds.md).

* **Volunteer** (``rounds.walk_round`` and a ``Volunteer`` profile): the rounds they walk and the
  rounds they are the partner of; files reports to those rounds.
* **Partner** (the user named as ``Round.partner``): that round, also on the walking page — only while
  they may still walk or see rounds in its corporation (``rounds.walk_round`` or ``rounds.view_rounds``
  there): a volunteer who stopped or staff who left keep no access to rounds they once partnered.
* **Staff** (``rounds.view_rounds``): every round of the corporations where they hold it.
* Anybody else: no such round (404, the same as an id that does not exist); without either
  permission and no partnered round: 403 on the list.

What a volunteer sees of a round's complexes is addresses and common areas only — never households,
names or anything else about tenants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.crypto import salted_hmac

from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.models import Unit
from wijkpunt.reports.models import Report
from wijkpunt.reports.selectors import latest_public_events
from wijkpunt.volunteers.models import Volunteer

from .models import ChecklistItem, Round, RoundCheck

VIEW_ROUNDS = "rounds.view_rounds"
WALK_ROUND = "rounds.walk_round"


def staff_org_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, VIEW_ROUNDS)


def volunteer_of(user) -> Volunteer | None:
    """The user's Volunteer profile, if they may walk rounds in its corporation."""
    if not getattr(user, "is_authenticated", False):
        return None
    volunteer = Volunteer.objects.filter(user=user).select_related("programme__corporation",
                                                                  "programme__neighbourhood").first()
    if volunteer is None or volunteer.programme.corporation_id not in orgs_with_perm(user, WALK_ROUND):
        return None
    return volunteer


def partner_org_ids(user) -> frozenset[int]:
    """Corporations in which a round's partner keeps access to it: where they still walk rounds
    (volunteer) or see them (staff). Being named on a round is not enough by itself."""
    return orgs_with_perm(user, WALK_ROUND) | staff_org_ids(user)


def can_use_rounds(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (bool(staff_org_ids(user)) or volunteer_of(user) is not None
            or Round.objects.filter(partner=user, programme__corporation_id__in=partner_org_ids(user)).exists())


def may_file_reports(user, rnd: Round) -> bool:
    """Filing from a round is the reporting point's intake: the walker also needs its permission there
    (``reports.file_volunteer_report`` or ``reports.intake_phone``), as ``POST /api/v1/reports/`` does."""
    corp = rnd.programme.corporation_id
    return (corp in orgs_with_perm(user, "reports.file_volunteer_report")
            or corp in orgs_with_perm(user, "reports.intake_phone"))


def queue_owner(user) -> str:
    """An opaque mark of the user, put on the walking page and on every item of the phone's offline
    queue, and sent back with it (``X-Wijkpunt-Queue-User``): on a shared phone another user's queued
    items are neither shown, sent nor accepted, and the service worker keeps one user's pages only."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("wijkpunt.rounds.queue-owner", str(user.pk)).hexdigest()[:24]


def require_rounds_user(user) -> None:
    if not can_use_rounds(user):
        raise PermissionDenied


def _base() -> QuerySet[Round]:
    return Round.objects.select_related(
        "programme__neighbourhood", "programme__corporation", "volunteer__user", "partner",
    ).annotate(report_count=Count("round_reports", distinct=True))


def visible_rounds(user) -> QuerySet[Round]:
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    q = Q(partner=user, programme__corporation_id__in=partner_org_ids(user))
    staff = staff_org_ids(user)
    if staff:
        q |= Q(programme__corporation_id__in=staff)
    if orgs_with_perm(user, WALK_ROUND):
        q |= Q(volunteer__user=user, programme__corporation_id__in=orgs_with_perm(user, WALK_ROUND))
    return _base().filter(q)


def my_rounds(user) -> QuerySet[Round]:
    """The rounds the user walks: as the volunteer or as the partner."""
    return visible_rounds(user).filter(Q(volunteer__user=user) | Q(partner=user))


def round_for(user, pk) -> Round:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    rnd = visible_rounds(user).filter(pk=pk).first() if 0 < pk < 2**62 else None
    if rnd is None:
        raise Http404
    return rnd


def is_walker(user, rnd: Round) -> bool:
    """The round's volunteer or partner: they walk it, save the checklist and file reports to it."""
    if not getattr(user, "is_authenticated", False):
        return False
    corp = rnd.programme.corporation_id
    if rnd.partner_id == user.pk:
        return corp in partner_org_ids(user)
    return (rnd.volunteer.user_id == user.pk and corp in orgs_with_perm(user, WALK_ROUND)
            and rnd.volunteer.is_active)


def is_owner(user, rnd: Round) -> bool:
    """The volunteer who planned the round: may change or cancel it."""
    return is_walker(user, rnd) and rnd.volunteer.user_id == user.pk


def walking_round_for(user, pk) -> Round:
    """A round the user walks (volunteer or partner); anything else is 404."""
    rnd = round_for(user, pk)
    if not is_walker(user, rnd):
        raise Http404
    return rnd


# --- the staff list -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundFilters:
    programme: int | None = None
    status: str = ""
    unpaired: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def filtered(qs: QuerySet[Round], f: RoundFilters) -> QuerySet[Round]:
    if f.programme:
        qs = qs.filter(programme_id=f.programme)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unpaired:
        qs = qs.filter(partner__isnull=True)
    if f.date_from:
        qs = qs.filter(planned_for__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(planned_for__date__lte=f.date_to)
    return qs.order_by("-planned_for", "-id")


# --- what a walker sees -------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A place a report can be about: an address or a complex's common areas (never a household)."""

    value: str  # "unit:<id>" or "complex:<id>"
    label: str
    kind: str  # Report.LocationKind value
    complex_id: int | None = None
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""


def places_of(rnd: Round) -> list[Place]:
    """The round's complexes' common areas and addresses, for the report form."""
    complexes = list(rnd.complexes.order_by("name"))
    places: list[Place] = []
    for cx in complexes:
        places.append(Place(value=f"complex:{cx.pk}", label=f"{cx.name} — algemene ruimten",
                            kind=Report.LocationKind.COMMON_AREA, complex_id=cx.pk))
    units = Unit.objects.filter(complex__in=complexes).only(
        "id", "street", "house_number", "house_letter", "house_number_addition", "postcode", "city",
    ).order_by("street", "house_number", "house_letter", "house_number_addition")
    for unit in units:
        places.append(Place(value=f"unit:{unit.pk}", label=f"{unit.street} {unit.house_number_full}",
                            kind=Report.LocationKind.ADDRESS, postcode=unit.postcode, house_number=unit.house_number,
                            house_letter=unit.house_letter, addition=unit.house_number_addition))
    return places


def checks_of(rnd: Round) -> list[dict]:
    """The checklist in its fixed order, with what was saved (or "niet bekeken")."""
    saved = {c.item: c for c in RoundCheck.objects.filter(round=rnd)}
    rows = []
    for item in ChecklistItem:
        c = saved.get(item.value)
        rows.append({"item": item.value, "label": item.label,
                     "result": c.result if c else RoundCheck.Result.NOT_CHECKED, "remark": c.remark if c else "",
                     "result_label": c.get_result_display() if c else RoundCheck.Result.NOT_CHECKED.label,
                     "saved": c is not None})
    return rows


def reports_of(rnd: Round) -> list[Report]:
    """The reports filed from the round, with their status and the last public update; no internal
    notes and no reporter contact details."""
    reports = list(
        Report.objects.filter(round_link__round=rnd).select_related("category", "unit", "complex")
        .order_by("-created_at", "-id")
    )
    latest = latest_public_events([r.pk for r in reports])
    for report in reports:
        report.latest_update = latest.get(report.pk)
    return reports
