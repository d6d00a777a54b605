"""Retention of the requester's contact details (AVG art. 5(1)(e)), see docs/teams.md "Bewaren".

The name, phone and e-mail address a tenant gives on /klus/ are needed to make the appointment and
to send the status mails. ``JOB_CONTACT_RETENTION_DAYS`` (environment
``WIJKPUNT_JOB_CONTACT_RETENTION_DAYS``, default 90) days after a job was closed (*klaar*,
*afgewezen* or *ingetrokken*) they are emptied, consent is set to no and ``contact_purged_at`` is
set; the job itself (kind, team, address, what was done, dates, hours, history) stays for the yearly
count. The job's e-mails in the outbox (recipient, first name and address in the text) are deleted
with it, except one a worker is sending at that moment. Open jobs are never touched.

Runs nightly at 04:00 (``tasks.py``) and from ``manage.py teams_purge [--dry-run]``. Idempotent: a
purged job is not due again; a missed night is caught up the next. One transaction per batch.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from wijkpunt.core.models import OutboxMessage

from .models import JobRequest

DEFAULT_RETENTION_DAYS = 90
CLOSED = (JobRequest.Status.DONE, JobRequest.Status.DECLINED, JobRequest.Status.WITHDRAWN)
BATCH = 500


def retention_days() -> int:
    """``settings.JOB_CONTACT_RETENTION_DAYS`` if set, else the environment variable, else 90."""
    value = getattr(settings, "JOB_CONTACT_RETENTION_DAYS", None)
    if value is None:
        value = os.environ.get("WIJKPUNT_JOB_CONTACT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise ImproperlyConfigured("WIJKPUNT_JOB_CONTACT_RETENTION_DAYS must be a whole number of days, 0 or more")
    return days


def outbox_key_prefix(job_id: int) -> str:
    """The start of the idempotency key of every e-mail about this job (``notifications.py``)."""
    return f"teams:job:{job_id}:"


@dataclass
class PurgeResult:
    jobs: int = 0
    mails_deleted: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def due_jobs(today: dt.date | None = None):
    """Closed jobs whose retention period has passed and that still hold contact details."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=retention_days()), dt.time.min))
    return (
        JobRequest.objects.filter(status__in=CLOSED, contact_purged_at__isnull=True)
        .annotate(closed=Coalesce("closed_at", "created_at"))  # closed_at is always set by services
        .filter(closed__lt=cutoff)
        .order_by("pk")
    )


def purge(today: dt.date | None = None, *, dry_run: bool = False) -> PurgeResult:
    result = PurgeResult()
    ids = list(due_jobs(today).values_list("pk", flat=True))
    if dry_run:
        result.jobs = len(ids)
        return result
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        with transaction.atomic():
            # re-check inside the transaction: a job cannot reopen, but be strict anyway
            result.jobs += JobRequest.objects.filter(pk__in=batch, status__in=CLOSED,
                                                     contact_purged_at__isnull=True).update(
                requester_name="", requester_phone="", requester_email="", contact_consent=False,
                contact_purged_at=now,
            )
            mails = Q()
            for pk in batch:
                mails |= Q(idempotency_key__startswith=outbox_key_prefix(pk))
            _total, per_model = (OutboxMessage.objects.filter(mails).exclude(status=OutboxMessage.Status.SENDING)
                                 .delete())
            result.mails_deleted += per_model.get(OutboxMessage._meta.label, 0)
    return result
