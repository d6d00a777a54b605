"""Gaps in a roster are a warning days ahead, not a surprise at night."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import messages
from .models import Roster
from .schedule import GAP_MARGIN, RosterSchedule, Segment, gaps_ahead


def roster_gaps(roster: Roster, *, now: dt.datetime | None = None, days: int | None = None) -> list[Segment]:
    """Gaps that overlap the coming ``days`` (default: the roster's warning days), with their real
    bounds: a gap already running, or running on past the window, is reported whole (up to a month
    either side), so that it keeps one identity from day to day (the warning mail is sent once)."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days if days is not None else roster.warning_days)
    return gaps_ahead(RosterSchedule(roster, now - GAP_MARGIN, horizon + GAP_MARGIN), now, horizon)


def roster_gap_warnings_send(*, now: dt.datetime | None = None) -> int:
    """Mail each roster's coordinator about every gap ahead (once per gap: idempotent outbox key)."""
    sent = 0
    for roster in Roster.objects.filter(is_active=True).select_related("coordinator"):
        with transaction.atomic():
            for gap in roster_gaps(roster, now=now):
                messages.notify_gap(roster, gap)
                sent += 1
    return sent
