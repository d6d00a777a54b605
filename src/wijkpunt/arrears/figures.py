"""Management figures of rent arrears, per calendar month, for ``arrears.view_figures``.

Aggregated only: counts and sums, no names or addresses, so nothing is written to the access log.
The definitions (also on the page and in ``docs/cases.md`` for docs/arrears.md):

* tenants in arrears and total owed: from the last finished arrears run of that month (run_on in
  the month; the month-end snapshot), summed over the corporations; empty when no run that month;
* signals: early signals by signal date, per municipality the signal went to;
* outcomes: episodes by the date of their (current) outcome, per outcome;
* eviction prevented: an episode that got serious — its highest arrears reached three months of
  rent or more (peak ≥ 3 × the tenancy's monthly rent), or it was handed to a bailiff, or
  termination of the lease was requested — and that ended recovered, with a kept arrangement or
  in debt help; counted in the month of that outcome. Eviction happened: outcome "evicted".
  An episode whose outcome is still "termination requested" counts for neither yet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm

from .models import ArrearsEpisode, ArrearsRun, EpisodeStep, Outcome, Signal, StepKind

FIGURES = "arrears.view_figures"
DEFAULT_MONTHS, MAX_MONTHS = 12, 36
SERIOUS_MONTHS_OF_RENT = 3
PREVENTED_OUTCOMES = (Outcome.RECOVERED, Outcome.ARRANGEMENT, Outcome.DEBT_HELP)


@dataclass
class MonthFigures:
    month: dt.date  # the first day of the month
    run_on: dt.date | None = None
    tenants: int | None = None
    total_cents: int | None = None
    signals: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    prevented: int = 0
    evicted: int = 0
    bar_percent: int = 0  # total owed relative to the highest month shown (for the CSS bar)
    # The same counts in the order of the page's columns (templates cannot look up by a variable key).
    signal_cells: list[int] = field(default_factory=list)
    outcome_cells: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return date_format(self.month, "F Y")

    @property
    def signals_total(self) -> int:
        return sum(self.signals.values())


def figure_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, FIGURES)


def parse_months(value) -> int:
    raw = str(value or "").strip()
    if raw.isdigit() and len(raw) <= 3:
        return min(max(int(raw), 1), MAX_MONTHS)
    return DEFAULT_MONTHS


def _month_starts(months: int, today: dt.date) -> list[dt.date]:
    index = today.year * 12 + today.month - 1
    starts = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(index - back, 12)
        starts.append(dt.date(year, month + 1, 1))
    return starts


def _month_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.replace(day=1)


def serious_episodes():
    """The filter for "got serious": ≥ 3 months of rent at its peak, a bailiff, or termination asked."""
    bailiff = EpisodeStep.objects.filter(episode_id=OuterRef("pk"), kind=StepKind.BAILIFF_HANDOVER)
    termination = EpisodeStep.objects.filter(
        episode_id=OuterRef("pk"), kind=StepKind.OUTCOME, data__outcome=Outcome.TERMINATION_REQUESTED
    )
    return (
        Q(peak_cents__gte=F("tenancy__monthly_rent") * (100 * SERIOUS_MONTHS_OF_RENT))
        | Exists(bailiff) | Exists(termination)
    )


def arrears_figures(user, *, months: int = DEFAULT_MONTHS, today: dt.date | None = None) -> dict:
    """The figures of the last ``months`` calendar months (this month included), oldest first."""
    orgs = figure_orgs(user)
    months = min(max(int(months), 1), MAX_MONTHS)
    today = today or timezone.localdate()
    starts = _month_starts(months, today)
    start, end = starts[0], today
    rows = {s: MonthFigures(month=s) for s in starts}

    # The month-end snapshot: the last finished run of each month, per corporation.
    last_runs: dict[tuple[int, dt.date], dict] = {}
    for run in (ArrearsRun.objects.filter(corporation_id__in=orgs, run_on__range=(start, end),
                                          finished_at__isnull=False)
                .order_by("run_on", "started_at", "pk")
                .values("corporation_id", "run_on", "tenancies_in_arrears", "total_cents")):
        last_runs[(run["corporation_id"], _month_of(run["run_on"]))] = run
    for (_org, month), run in last_runs.items():
        row = rows[month]
        row.run_on = max(row.run_on or run["run_on"], run["run_on"])
        row.tenants = (row.tenants or 0) + run["tenancies_in_arrears"]
        row.total_cents = (row.total_cents or 0) + run["total_cents"]

    municipalities: set[str] = set()
    for item in (Signal.objects.filter(episode__corporation_id__in=orgs, signal_date__range=(start, end))
                 .annotate(m=TruncMonth("signal_date")).values("m", "municipality__name")
                 .annotate(n=Count("pk")).order_by()):
        name = item["municipality__name"]
        municipalities.add(name)
        signals = rows[_month_of(item["m"])].signals
        signals[name] = signals.get(name, 0) + item["n"]

    episodes = ArrearsEpisode.objects.filter(corporation_id__in=orgs, outcome_on__range=(start, end))
    for item in (episodes.exclude(outcome="").annotate(m=TruncMonth("outcome_on")).values("m", "outcome")
                 .annotate(n=Count("pk")).order_by()):
        row = rows[_month_of(item["m"])]
        row.outcomes[item["outcome"]] = item["n"]
        if item["outcome"] == Outcome.EVICTED:
            row.evicted += item["n"]
    for item in (episodes.filter(outcome__in=PREVENTED_OUTCOMES).filter(serious_episodes())
                 .annotate(m=TruncMonth("outcome_on")).values("m").annotate(n=Count("pk")).order_by()):
        rows[_month_of(item["m"])].prevented += item["n"]

    month_rows = [rows[s] for s in starts]
    highest = max((r.total_cents or 0 for r in month_rows), default=0)
    municipality_names = sorted(municipalities)
    for row in month_rows:
        row.bar_percent = round(100 * (row.total_cents or 0) / highest) if highest else 0
        row.signal_cells = [row.signals.get(name, 0) for name in municipality_names]
        row.outcome_cells = [row.outcomes.get(value, 0) for value, _l in Outcome.choices]
    return {
        "months": month_rows,
        "municipalities": municipality_names,
        "outcomes": list(Outcome.choices),
        "organisations": list(Organisation.objects.filter(pk__in=orgs).order_by("name")
                              .values_list("name", flat=True)),
        "start": start,
        "end": end,
        "totals": {
            "signals": sum(r.signals_total for r in month_rows),
            "outcomes": {value: sum(r.outcomes.get(value, 0) for r in month_rows) for value, _l in Outcome.choices},
            "signal_cells": [sum(r.signals.get(name, 0) for r in month_rows) for name in municipality_names],
            "outcome_cells": [sum(r.outcomes.get(value, 0) for r in month_rows) for value, _l in Outcome.choices],
            "prevented": sum(r.prevented for r in month_rows),
            "evicted": sum(r.evicted for r in month_rows),
        },
    }


# --------------------------------------------------------------------------- CSV


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return str((Decimal(cents) / 100).quantize(Decimal("0.01"))).replace(".", ",")


def figures_csv(figures: dict) -> str:
    """The same figures as the page, one row per month; ";"-separated with decimal commas (Excel NL)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [_("Maand"), _("Peildatum"), _("Huurders met achterstand"), _("Totale achterstand (EUR)")]
    header += [_("Signalen %(name)s") % {"name": name} for name in figures["municipalities"]]
    header += [_("Signalen totaal")]
    header += [str(label) for _v, label in figures["outcomes"]]
    header += [_("Ontruiming voorkomen"), _("Ontruimd")]
    writer.writerow([_cell(h) for h in header])
    for row in figures["months"]:
        writer.writerow(
            [row.month.strftime("%Y-%m"), row.run_on.isoformat() if row.run_on else "",
             "" if row.tenants is None else row.tenants, _amount(row.total_cents)]
            + [row.signals.get(name, 0) for name in figures["municipalities"]]
            + [row.signals_total]
            + [row.outcomes.get(value, 0) for value, _l in figures["outcomes"]]
            + [row.prevented, row.evicted]
        )
    return "\ufeff" + out.getvalue()
