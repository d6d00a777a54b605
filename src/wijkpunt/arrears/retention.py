"""Retention of arrears data (AVG art. 5(1)(e)): kept as long as needed, then removed.

- A closed episode with its steps, evidence PDFs, signals and arrangements is removed
  ``ARREARS_EPISODE_RETENTION_DAYS`` after it closed (default two years: long enough to show the
  steps when arrears return, see docs/arrears.md). Episodes that ended in a termination request or
  an eviction are kept ``ARREARS_COURT_RETENTION_DAYS`` (default seven years) as court evidence.
- Ledger lines older than ``ARREARS_LEDGER_RETENTION_DAYS`` (default seven years, the fiscal
  retention period) are removed.
- Access-log rows older than ``ACCESS_LOG_RETENTION_DAYS`` (default five years) are removed.

Runs nightly after the arrears run (``tasks.py``) and from ``manage.py arrears_purge``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wijkpunt.core.models import AccessLog

from .models import (
    ArrearsEpisode,
    ArrearsSnapshot,
    EpisodeStep,
    LedgerLine,
    Outcome,
    PaymentArrangement,
    Signal,
)

COURT_OUTCOMES = (Outcome.TERMINATION_REQUESTED, Outcome.EVICTED)


@dataclass(frozen=True)
class PurgeResult:
    episodes: int
    evidence_files: int
    ledger_lines: int
    access_log_rows: int


def _days(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, name, default)))


def purge_expired(today: dt.date | None = None) -> PurgeResult:
    today = today or timezone.localdate()
    episode_cutoff = today - _days("ARREARS_EPISODE_RETENTION_DAYS", 730)
    court_cutoff = today - _days("ARREARS_COURT_RETENTION_DAYS", 7 * 365)
    expired = ArrearsEpisode.objects.filter(status=ArrearsEpisode.Status.CLOSED).filter(
        closed_on__lt=episode_cutoff
    ).exclude(outcome__in=COURT_OUTCOMES, closed_on__gte=court_cutoff)
    ids = list(expired.values_list("pk", flat=True))
    files = [step.evidence for step in EpisodeStep.objects.filter(episode_id__in=ids).exclude(evidence="")]
    with transaction.atomic():
        ArrearsSnapshot.objects.filter(episode_id__in=ids).update(episode=None)
        EpisodeStep.objects.filter(episode_id__in=ids).delete()
        Signal.objects.filter(episode_id__in=ids).delete()
        PaymentArrangement.objects.filter(episode_id__in=ids).delete()  # instalments cascade
        episodes = ArrearsEpisode.objects.filter(pk__in=ids).delete()[0]
        ledger = LedgerLine.objects.filter(
            effective_on__lt=today - _days("ARREARS_LEDGER_RETENTION_DAYS", 7 * 365)
        ).delete()[0]
        log_cutoff = timezone.now() - _days("ACCESS_LOG_RETENTION_DAYS", 5 * 365)
        access = AccessLog.objects.filter(at__lt=log_cutoff).delete()[0]
        # Files go once the rows are gone for sure: a rollback must not leave rows without their PDF.
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return PurgeResult(episodes=episodes, evidence_files=len(files), ledger_lines=ledger, access_log_rows=access)
