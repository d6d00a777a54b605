"""Retention: closed episodes go after two years, court cases after seven, old access-log rows too."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from wijkpunt.core.models import AccessLog

from .. import services
from ..models import ArrearsEpisode, EpisodeStep, LedgerLine, Outcome
from ..retention import purge_expired


def test_expired_episodes_and_their_evidence_are_removed(aw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    step = services.send_reminder_letter(aw.episode, aw.incasso, sent_on=today - dt.timedelta(days=30))
    path = step.evidence.path
    ArrearsEpisode.objects.filter(pk=aw.episode.pk).update(status="closed", closed_on=today - dt.timedelta(days=731))
    ArrearsEpisode.objects.filter(pk=aw.episode_bunnik.pk).update(
        status="closed", closed_on=today - dt.timedelta(days=800), outcome=Outcome.EVICTED)
    recent = ArrearsEpisode.objects.filter(pk=aw.other_episode.pk)
    recent.update(status="closed", closed_on=today - dt.timedelta(days=700))
    LedgerLine.objects.create(corporation=aw.corp, tenancy=aw.tenancy, transaction_id="OLD", kind="VOR",
                              booked_on=dt.date(2015, 1, 1), effective_on=dt.date(2015, 1, 1), amount_cents=100)
    old = AccessLog.objects.create(user=aw.incasso, organisation=aw.corp, subject="x", purpose="test")
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=5 * 365 + 1))

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = purge_expired(today)
    assert (result.episodes, result.evidence_files, result.ledger_lines, result.access_log_rows) == (1, 1, 1, 1)
    assert not ArrearsEpisode.objects.filter(pk=aw.episode.pk).exists()
    assert not EpisodeStep.objects.filter(pk=step.pk).exists()
    assert not (tmp_path / path).exists()
    assert ArrearsEpisode.objects.filter(pk=aw.episode_bunnik.pk).exists()  # court evidence: seven years
    assert recent.exists()


def test_purge_command_reports_counts(aw, capsys):
    call_command("arrears_purge")
    assert "Verwijderd: 0 dossiers" in capsys.readouterr().out
