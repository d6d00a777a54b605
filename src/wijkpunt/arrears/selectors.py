"""Reads of arrears data. Financial details of a household are need-to-know: every function that
returns them for identifiable households checks ``arrears.view_financial`` in the household's
corporation and writes an access-log row per household (``core.AccessLog``)."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from wijkpunt.core.access import log_access, log_access_many
from wijkpunt.core.permissions import orgs_with_perm

from .models import ArrearsEpisode, ArrearsRun, EpisodeStep, LedgerLine, Signal

FINANCIAL = "arrears.view_financial"
HANDLE = "arrears.handle_arrears"


def financial_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, FINANCIAL)


def episodes_visible(user) -> QuerySet[ArrearsEpisode]:
    return ArrearsEpisode.objects.filter(corporation_id__in=financial_orgs(user)).select_related(
        "tenancy__household", "tenancy__unit__neighbourhood__municipality", "handler"
    )


# Filters on the list page: which part of the process an episode is in.
PHASES = ("reminder", "contact", "signalled", "arrangement")


def episode_list(user, *, status: str = "open", phase: str = "", query: str = "", min_months: str = "",
                 purpose: str, limit: int = 200) -> list[ArrearsEpisode]:
    """Episodes for the list page, most owed first; each household shown is logged as a read."""
    qs = episodes_visible(user)
    if status in ("open", "closed"):
        qs = qs.filter(status=status)
    if phase == "reminder":
        qs = qs.exclude(steps__kind="reminder_letter")
    elif phase == "contact":
        qs = qs.exclude(steps__kind="contact_attempt")
    elif phase == "signalled":
        qs = qs.filter(signals__isnull=False).distinct()
    elif phase == "arrangement":
        qs = qs.filter(arrangements__status="ACT").distinct()
    if query:
        qs = qs.filter(Q(tenancy__contract_number__icontains=query) | Q(tenancy__household__name__icontains=query)
                       | Q(tenancy__unit__postcode__icontains=query.replace(" ", "").upper())
                       | Q(tenancy__unit__street__icontains=query))
    if min_months:
        with contextlib.suppress(ValueError):
            qs = qs.filter(months__gte=float(min_months.replace(",", ".")))
    episodes = list(qs.order_by("-amount_cents", "pk")[:limit])
    by_org: dict[int, list[tuple[int, int]]] = {}
    for episode in episodes:
        by_org.setdefault(episode.corporation_id, []).append((episode.pk, episode.tenancy.household_id))
    for org_id, rows in by_org.items():
        log_access_many(user, org_id, subject="arrears_episode", purpose=purpose, rows=rows)
    return episodes


def episode_detail(user, pk: int, *, purpose: str) -> ArrearsEpisode:
    """One episode with its steps, signals and arrangements; 404 without the permission; logged."""
    episode = (
        episodes_visible(user)
        .prefetch_related(
            Prefetch("steps", queryset=EpisodeStep.objects.select_related("created_by")),
            "signals", "arrangements__instalments",
        )
        .filter(pk=pk)
        .first()
    )
    if episode is None:
        raise Http404
    log_access(user, episode.corporation_id, subject="arrears_episode", subject_id=episode.pk,
               household_id=episode.tenancy.household_id, purpose=purpose)
    return episode


def ledger_for(episode: ArrearsEpisode, *, months: int = 13) -> list[LedgerLine]:
    """The tenancy's ledger of the last ``months`` months with a running balance (read already logged)."""
    since = dt.date.today().replace(day=1) - dt.timedelta(days=31 * (months - 1))
    opening = sum(LedgerLine.objects.filter(tenancy_id=episode.tenancy_id, effective_on__lt=since)
                  .values_list("amount_cents", flat=True))
    lines = list(LedgerLine.objects.filter(tenancy_id=episode.tenancy_id, effective_on__gte=since)
                 .order_by("effective_on", "pk"))
    balance = opening
    for line in lines:
        balance += line.amount_cents
        line.balance_cents = balance
    return lines


def step_for_evidence(user, pk: int, *, purpose: str) -> EpisodeStep:
    step = EpisodeStep.objects.select_related("episode__tenancy").filter(
        pk=pk, episode__corporation_id__in=financial_orgs(user)
    ).exclude(evidence="").first()
    if step is None:
        raise Http404
    log_access(user, step.episode.corporation_id, subject="arrears_evidence", subject_id=step.pk,
               household_id=step.episode.tenancy.household_id, purpose=purpose)
    return step


def signals_visible(user) -> QuerySet[Signal]:
    return Signal.objects.filter(episode__corporation_id__in=financial_orgs(user)).select_related(
        "municipality", "episode__tenancy__household", "agreement"
    )


def log_signal_reads(user, signals, *, purpose: str) -> None:
    by_org: dict[int, list[tuple[int, int]]] = {}
    for signal in signals:
        by_org.setdefault(signal.episode.corporation_id, []).append((signal.pk, signal.episode.tenancy.household_id))
    for org_id, rows in by_org.items():
        log_access_many(user, org_id, subject="arrears_signal", purpose=purpose, rows=rows)


def last_runs(user) -> list[ArrearsRun]:
    orgs = financial_orgs(user) | orgs_with_perm(user, "arrears.import_ledger")
    latest = []
    for org_id in sorted(orgs):
        run = ArrearsRun.objects.filter(corporation_id=org_id, finished_at__isnull=False).select_related(
            "corporation").first()
        if run:
            latest.append(run)
    return latest
