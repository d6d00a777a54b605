"""The on-call backup listens to reports: urgent ones start an escalation, and picking a report
up through the queue (assigning, closing) stops the chain."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from wijkpunt.reports.models import OPEN_STATUSES
from wijkpunt.reports.signals import report_changed, report_created

from . import services

logger = logging.getLogger(__name__)


def _start(report, at) -> None:
    # A fault in the escalation code must never lose the report itself (guarantee 1): savepoint.
    try:
        with transaction.atomic():
            services.escalation_start_for_report(report, at=at)
    except Exception:
        logger.exception("could not start an escalation for report %s", report.pk)


@receiver(report_created)
def on_report_created(sender, report, at, **kwargs):
    _start(report, at)


@receiver(report_changed)
def on_report_changed(sender, report, at, change, **kwargs):
    if report.status not in OPEN_STATUSES:
        services.escalation_stop_for_report(report, reason=f"melding {report.get_status_display().lower()}", at=at)
    elif change == "assigned" and report.assignee_id:
        services.escalation_stop_for_report(report, reason=f"toegewezen aan {report.assignee}", at=at)
    elif change == "categorised":
        _start(report, at)  # raised to an urgency a policy covers: start now (no-op if one runs)
