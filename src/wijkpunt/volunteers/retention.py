"""Retention of candidates' personal data (AVG art. 5(1)(e)), see docs/volunteers.md "Bewaren".

A candidate who was not selected (*niet geselecteerd*) or dropped out (*afgehaakt*) is purged
``VOLUNTEER_CANDIDATE_RETENTION_DAYS`` (environment ``WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS``,
default 365) days after the decision (``decided_at``): phone, e-mail, street, the details of how they
were found and the reason of the decision are emptied, the name becomes "Kandidaat (verwijderd)" and
``purged_at`` is set. ``how_found`` and ``status`` stay, so the programme's counts stay right. A
candidate who is still *voorgedragen* without a decision is purged after twice that period (counted
from the nomination); after that they can no longer be decided on. Selected candidates are never
touched: the ``Volunteer`` (with its own account) holds the person now.

Runs nightly at 04:15 (``tasks.py``) and from ``manage.py volunteers_purge [--dry-run]``. Idempotent:
a purged candidate is not due again; a missed night is caught up the next. One transaction per batch.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Candidate

DECIDED = (Candidate.Status.NOT_SELECTED, Candidate.Status.WITHDRAWN)
PURGED_FIRST_NAME = "Kandidaat"
PURGED_LAST_NAME = "(verwijderd)"
BATCH = 500


def retention_days() -> int:
    """``settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS`` if set, else the environment variable, else 365."""
    try:
        days = int(getattr(settings, "VOLUNTEER_CANDIDATE_RETENTION_DAYS",
                           int(os.environ.get("WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS", "365"))))
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise ImproperlyConfigured(
            "WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS must be a whole number of days, 0 or more")
    return days


@dataclass
class PurgeResult:
    decided: int = 0  # not selected or dropped out, N days after the decision
    undecided: int = 0  # still nominated, 2 x N days after the nomination

    @property
    def total(self) -> int:
        return self.decided + self.undecided

    def as_dict(self) -> dict:
        return {"decided": self.decided, "undecided": self.undecided}


def _cutoff(today: dt.date, days: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))


def _due_condition(today: dt.date) -> tuple[Q, Q]:
    days = retention_days()
    decided = Q(status__in=DECIDED, decision_at__lt=_cutoff(today, days))
    undecided = Q(status=Candidate.Status.NOMINATED, decided_at__isnull=True,
                  nominated_at__lt=_cutoff(today, 2 * days))
    return decided, undecided


def due_candidates(today: dt.date | None = None) -> QuerySet[Candidate]:
    """Candidates whose retention period has passed and that were not purged yet."""
    decided, undecided = _due_condition(today or timezone.localdate())
    return (
        Candidate.objects.filter(purged_at__isnull=True)
        # decided_at is always set by the selection step; the nomination is the fallback for old rows
        .annotate(decision_at=Coalesce("decided_at", "nominated_at"))
        .filter(decided | undecided)
        .order_by("pk")
    )


def _purge_values(now: dt.datetime) -> dict:
    return {"first_name": PURGED_FIRST_NAME, "last_name": PURGED_LAST_NAME, "phone": "", "email": "", "street": "",
            "how_found_details": "", "decision_reason": "", "purged_at": now}


def purge(today: dt.date | None = None, *, dry_run: bool = False) -> PurgeResult:
    today = today or timezone.localdate()
    result = PurgeResult()
    rows = list(due_candidates(today).values_list("pk", "status"))
    if dry_run:
        result.undecided = sum(1 for _pk, status in rows if status == Candidate.Status.NOMINATED)
        result.decided = len(rows) - result.undecided
        return result
    now = timezone.now()
    decided, undecided = _due_condition(today)
    ids = [pk for pk, _status in rows]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        with transaction.atomic():
            # re-check inside the transaction: a candidate may have been selected in the meantime
            qs = (Candidate.objects.select_for_update().filter(pk__in=batch, purged_at__isnull=True)
                  .annotate(decision_at=Coalesce("decided_at", "nominated_at")))
            locked = list(qs.filter(decided | undecided).values_list("pk", "status"))
            for status_group, attr in ((DECIDED, "decided"), ((Candidate.Status.NOMINATED,), "undecided")):
                pks = [pk for pk, status in locked if status in status_group]
                if pks:
                    setattr(result, attr, getattr(result, attr)
                            + Candidate.objects.filter(pk__in=pks).update(**_purge_values(now)))
    return result
