"""Ken uw huurder: households where different signals come together.

A household (through its current tenancy's unit) is shown when at least two different kinds of
signal meet: an open arrears episode, nuisance reports (main category "overlast"), welfare-concern
reports (main category "zorgsignaal") and observations of Bewonerskracht volunteers (reports filed
through the volunteer channel). Each report counts for one kind only: a report filed by a volunteer
is an observation, whatever its category, so one report never makes a household appear on its own.
Reports count when they were made in the last ``months`` months, while the current household lived
there, and were not cancelled or merged into another report.

Each row gives the reasons in words; there is deliberately no score and no ranking number: rows
are ordered by the most recent signal. Financial details of identifiable households are
need-to-know: only ``arrears.view_financial``, and one access-log row per household shown.
See ``docs/cases.md`` ("For docs/arrears.md").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wijkpunt.core.access import log_access_many
from wijkpunt.housing.models import Household, Neighbourhood, Tenancy
from wijkpunt.reports.models import Channel as ReportChannel
from wijkpunt.reports.models import Report
from wijkpunt.reports.models import Status as ReportStatus

from .models import ArrearsEpisode
from .selectors import financial_orgs
from .templatetags.arrears_tags import euros

ARREARS, NUISANCE, WELFARE, OBSERVATION = "arrears", "nuisance", "welfare", "observation"
KINDS = (ARREARS, NUISANCE, WELFARE, OBSERVATION)
KIND_LABELS = {
    ARREARS: gettext_lazy("Huurachterstand"),
    NUISANCE: gettext_lazy("Overlast"),
    WELFARE: gettext_lazy("Zorgsignaal"),
    OBSERVATION: gettext_lazy("Observatie Bewonerskracht"),
}
NUISANCE_SLUG, WELFARE_SLUG = "overlast", "zorgsignaal"
IGNORED_STATUSES = (ReportStatus.CANCELLED, ReportStatus.MERGED)
MONTH_CHOICES = (3, 6, 12, 24)
DEFAULT_MONTHS, MAX_MONTHS = 12, 36
MAX_ROWS = 200
PURPOSE = "Ken uw huurder"


@dataclass
class HouseholdSignals:
    """One household on the page: where, which kinds met, and why, in words."""

    household: Household
    tenancy: Tenancy
    organisation_id: int
    kinds: list[str]
    reasons: list[str]
    latest: dt.date
    # Filled in by the page (case actions): not part of the picture itself.
    open_case: Any = None
    consultants: list = field(default_factory=list)
    default_consultant_id: int | None = None

    @property
    def unit(self):
        return self.tenancy.unit

    @property
    def kind_labels(self) -> list[str]:
        return [str(KIND_LABELS[k]) for k in self.kinds]


@dataclass(frozen=True)
class PictureFilters:
    months: int = DEFAULT_MONTHS
    neighbourhood_id: int | None = None
    kinds: tuple[str, ...] = ()


def parse_filters(params: Mapping) -> PictureFilters:
    """The page's query string, cleaned: anything unknown falls back to the default (never an error)."""
    months = DEFAULT_MONTHS
    raw = str(params.get("maanden", "") or "").strip()
    if raw.isdigit() and len(raw) <= 3:
        months = min(max(int(raw), 1), MAX_MONTHS)
    neighbourhood_id = None
    raw = str(params.get("buurt", "") or "").strip()
    if raw.isdigit() and len(raw) <= 18:
        neighbourhood_id = int(raw)
    wanted = params.getlist("soort") if hasattr(params, "getlist") else params.get("soort", [])
    kinds = tuple(k for k in KINDS if k in set(wanted or ()))
    return PictureFilters(months=months, neighbourhood_id=neighbourhood_id, kinds=kinds)


def picture_neighbourhoods(user) -> list[Neighbourhood]:
    """Neighbourhoods with units of the user's corporations (the filter's choices)."""
    return list(Neighbourhood.objects.filter(units__corporation_id__in=financial_orgs(user)).distinct()
                .order_by("name"))


def household_picture(user, *, months: int = DEFAULT_MONTHS, purpose: str, neighbourhood_id: int | None = None,
                      kinds: Iterable[str] = (), today: dt.date | None = None,
                      limit: int = MAX_ROWS) -> list[HouseholdSignals]:
    """Households where at least two kinds of signal meet, most recent signal first; each is logged.

    ``kinds``: only households that have every one of these kinds (unknown kinds are ignored)."""
    orgs = financial_orgs(user)
    if not orgs:
        return []
    required = {k for k in kinds if k in KINDS}
    rows = _build(orgs, months=months, today=today or timezone.localdate(), neighbourhood_id=neighbourhood_id)
    rows = [r for r in rows if required <= set(r.kinds)][:limit]
    by_org: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        by_org.setdefault(row.organisation_id, []).append((row.household.pk, row.household.pk))
    for org_id, entries in by_org.items():
        log_access_many(user, org_id, subject="household_picture", purpose=purpose, rows=entries)
    return rows


def current_tenancy(user, household_pk: int, *, today: dt.date | None = None) -> Tenancy:
    """The household's current tenancy in one of the user's corporations, or 404."""
    today = today or timezone.localdate()
    tenancy = (
        Tenancy.objects.filter(_current(today), household_id=household_pk,
                               unit__corporation_id__in=financial_orgs(user))
        .select_related("household", "unit__neighbourhood")
        .order_by("-start_date", "-pk")
        .first()
    )
    if tenancy is None:
        raise Http404
    return tenancy


def household_signals(user, tenancy: Tenancy, *, months: int = DEFAULT_MONTHS,
                      today: dt.date | None = None) -> HouseholdSignals | None:
    """The same picture for one household, to copy its reasons into a case; None when the signals
    no longer meet. Not logged here: the reasons are not shown, and every view of the case is."""
    if tenancy.unit.corporation_id not in financial_orgs(user):
        raise Http404
    rows = _build(frozenset({tenancy.unit.corporation_id}), months=months, today=today or timezone.localdate(),
                  unit_id=tenancy.unit_id)
    return next((r for r in rows if r.tenancy.pk == tenancy.pk), None)


# --------------------------------------------------------------------------- building the picture


def _current(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def _since(months: int, today: dt.date) -> dt.datetime:
    months = min(max(int(months), 1), MAX_MONTHS)
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    start = dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _episodes(orgs, today, neighbourhood_id, unit_id) -> dict[int, dict]:
    """Open episodes of current tenancies, keyed by tenancy (one query)."""
    qs = ArrearsEpisode.objects.filter(corporation_id__in=orgs, status=ArrearsEpisode.Status.OPEN).filter(
        _current(today, "tenancy__")
    )
    if neighbourhood_id is not None:
        qs = qs.filter(tenancy__unit__neighbourhood_id=neighbourhood_id)
    if unit_id is not None:
        qs = qs.filter(tenancy__unit_id=unit_id)
    rows = qs.values("tenancy_id", "tenancy__unit_id", "amount_cents", "months", "arose_on", "opened_on")
    return {row["tenancy_id"]: row for row in rows}


def _report_aggregates(orgs, since, today, neighbourhood_id, unit_id) -> list[dict]:
    """Report counts per unit, kind and category, in SQL (one query, however many households)."""
    kind = models.Case(
        When(channel=ReportChannel.VOLUNTEER, then=Value(OBSERVATION)),
        When(main_category__slug=NUISANCE_SLUG, then=Value(NUISANCE)),
        When(main_category__slug=WELFARE_SLUG, then=Value(WELFARE)),
        default=Value(""), output_field=models.CharField(),
    )
    # Only reports from while the current household lived there.
    resident = Tenancy.objects.filter(_current(today), unit_id=OuterRef("unit_id"),
                                      start_date__lte=OuterRef("created_on"))
    qs = (
        Report.objects.filter(unit__corporation_id__in=orgs, unit__isnull=False, created_at__gte=since)
        .annotate(created_on=TruncDate("created_at"))
        .filter(Q(channel=ReportChannel.VOLUNTEER) | Q(main_category__slug__in=(NUISANCE_SLUG, WELFARE_SLUG)))
        .exclude(status__in=IGNORED_STATUSES)
        .filter(Exists(resident))
    )
    if neighbourhood_id is not None:
        qs = qs.filter(unit__neighbourhood_id=neighbourhood_id)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return list(
        qs.annotate(signal_kind=kind)
        .values("unit_id", "signal_kind", "category__name")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .order_by()
    )


def _build(orgs, *, months: int, today: dt.date, neighbourhood_id: int | None = None,
           unit_id: int | None = None) -> list[HouseholdSignals]:
    since = _since(months, today)
    episodes = _episodes(orgs, today, neighbourhood_id, unit_id)
    reports: dict[int, dict[str, list[dict]]] = {}
    for row in _report_aggregates(orgs, since, today, neighbourhood_id, unit_id):
        reports.setdefault(row["unit_id"], {}).setdefault(row["signal_kind"], []).append(row)
    unit_kinds: dict[int, set[str]] = {u: set(kinds) for u, kinds in reports.items()}
    for episode in episodes.values():
        unit_kinds.setdefault(episode["tenancy__unit_id"], set()).add(ARREARS)
    # A cheap first cut: a unit needs two kinds (arrears is checked against the tenancy below).
    candidates = [u for u, kinds in unit_kinds.items() if len(kinds) >= 2]
    if not candidates:
        return []
    tenancies: dict[int, Tenancy] = {}
    for tenancy in (Tenancy.objects.filter(_current(today), unit_id__in=candidates)
                    .select_related("household", "unit__neighbourhood").order_by("unit_id", "-start_date", "-pk")):
        tenancies.setdefault(tenancy.unit_id, tenancy)  # the newest current tenancy of the unit
    result = []
    for unit_pk, tenancy in tenancies.items():
        episode = episodes.get(tenancy.pk)
        by_kind = reports.get(unit_pk, {})
        kinds = [k for k in KINDS if (k == ARREARS and episode) or (k != ARREARS and by_kind.get(k))]
        if len(kinds) < 2:
            continue
        reasons, dates = [], []
        if episode:
            reasons.append(_arrears_reason(episode))
            dates.append(episode["opened_on"])
        for kind in (NUISANCE, WELFARE, OBSERVATION):
            if by_kind.get(kind):
                reasons.append(_report_reason(kind, by_kind[kind]))
                dates.append(max(_local_date(r["last"]) for r in by_kind[kind]))
        result.append(HouseholdSignals(household=tenancy.household, tenancy=tenancy,
                                       organisation_id=tenancy.unit.corporation_id, kinds=kinds, reasons=reasons,
                                       latest=max(dates)))
    result.sort(key=lambda r: r.household.pk)
    result.sort(key=lambda r: r.latest, reverse=True)
    return result


# --------------------------------------------------------------------------- the reasons in words


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _d(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def _arrears_reason(episode: dict) -> str:
    return _("Huurachterstand %(amount)s (%(months)s maanden huur) sinds %(date)s") % {
        "amount": euros(episode["amount_cents"]),
        # number_format truncates: round first (2.06 months is "2,1").
        "months": number_format(Decimal(episode["months"] or 0).quantize(Decimal("0.1"), ROUND_HALF_UP),
                                decimal_pos=1, use_l10n=True),
        "date": _d(episode["arose_on"]),
    }


def _category(row: dict) -> str:
    return (row["category__name"] or _("zonder categorie")).lower()


def _report_reason(kind: str, rows: list[dict]) -> str:
    rows = sorted(rows, key=lambda r: r["last"], reverse=True)
    total = sum(r["n"] for r in rows)
    if kind == NUISANCE:
        what = ", ".join(dict.fromkeys(_category(r) for r in rows))
        first = _d(min(_local_date(r["first"]) for r in rows))
        return ngettext("%(n)s overlastmelding (%(what)s) op %(date)s",
                        "%(n)s overlastmeldingen (%(what)s) sinds %(date)s", total) % {
            "n": total, "what": what, "date": first}
    items = ", ".join(
        f"{_category(r)} ({_d(_local_date(r['last']))})" if r["n"] == 1
        else _("%(n)s× %(what)s (laatst %(date)s)") % {"n": r["n"], "what": _category(r),
                                                        "date": _d(_local_date(r["last"]))}
        for r in rows
    )
    if kind == WELFARE:
        return ngettext("Zorgsignaal: %(items)s", "Zorgsignalen: %(items)s", total) % {"items": items}
    return ngettext("Observatie Bewonerskracht: %(items)s", "Observaties Bewonerskracht: %(items)s",
                    total) % {"items": items}
