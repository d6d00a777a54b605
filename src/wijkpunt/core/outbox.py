"""The outbox (guarantee 3): side effects are rows written in the caller's transaction and
delivered after commit by the worker, with retries. Delivery is at-least-once towards the mail
server; the idempotency key travels as the Message-ID so a receiving system can drop a repeat."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
STALE_CLAIM = dt.timedelta(minutes=10)


def outbox_enqueue_email(*, idempotency_key: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Write an e-mail to the outbox inside the current transaction; deliver after commit."""
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={"recipient": recipient, "subject": subject[:300], "body": body, "channel": "email"},
    )
    if created:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def _schedule_delivery(message_id: int) -> None:
    from . import tasks

    try:
        tasks.deliver_outbox_message(message_id)
    except Exception:  # the periodic flush picks it up; never fail the user's request
        logger.warning("could not enqueue outbox message %s; the periodic flush will send it", message_id)


def _claim(message_id: int) -> bool:
    """Atomically move a due message to SENDING. The status condition must be on the updated row
    itself (not in a sub-query): PostgreSQL re-checks only those after waiting for a concurrent claim."""
    now = timezone.now()
    claimable = Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return (
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now
        )
        == 1
    )


def outbox_deliver(*, message_id: int) -> bool:
    """Send one message if it is due and nobody else holds it. Returns True when sent."""
    if not _claim(message_id):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    domain = settings.BASE_URL.split("//")[-1].split("/")[0].split(":")[0] or "wijkpunt.local"
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": f"<{message.idempotency_key}@{domain}>"},
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport error is retried
        attempts = message.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            attempts=attempts,
            last_error=f"{type(exc).__name__}",
            next_attempt_at=timezone.now() + dt.timedelta(minutes=2**attempts),
        )
        logger.warning("outbox message %s failed (attempt %s)", message.pk, attempts)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def outbox_flush(*, limit: int = 500) -> int:
    """Deliver everything that is due (called periodically by the worker). Returns sent count."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ) | OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    sent = 0
    for message_id in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        sent += outbox_deliver(message_id=message_id)
    return sent
